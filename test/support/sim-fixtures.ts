// The one simulator fixture of the integration tests: `useSimulator()` starts the simulator (on a
// free port, short timings) for the file or for each test, hands out wire agents and signed-in
// sessions, and after each test disposes them and resets or closes what it started.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { OutboxStore } from '../../main/agent/outbox';
import type { AgentSession } from '../../main/agent/session';
import { createAgentSession } from '../../main/agent/session';
import type { Logger } from '../../main/gws/logger';
import type { Simulator, SimulatorOptions } from '../../sim/index';
import { startSimulator } from '../../sim/index';
import { waitForConnection, waitForSnapshot } from './core-wait';
import { SimAgent } from './sim-client';
import type { Json } from './sim-client';

export const FAST_TIMINGS = { answerMs: 150, busyMs: 150, noAnswerMs: 300, answeringMachineMs: 150, consultAnswerMs: 150 };

/** A simulator on a free port with FAST_TIMINGS under the given ones. */
export async function fastSimulator(o: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ port: 0, quiet: true, ...o, timings: { ...FAST_TIMINGS, ...(o.timings ?? {}) } });
}

/** A logger that says nothing. */
export const quietLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function consoleLogger(prefix: string): Logger {
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => console.log(`[${prefix}] ${level} ${message}`, fields ?? '');
  return { debug: () => undefined, info: log('info'), warn: log('warn'), error: log('error') };
}

/** The product's session signed in as `user` and connected (CORE_DEBUG=1 logs it). */
export async function signedInSession(sim: Simulator, user = 'agent1'): Promise<AgentSession> {
  const session = createAgentSession({ logger: process.env.CORE_DEBUG ? consoleLogger(user) : quietLogger, backoff: { baseMs: 100, capMs: 1000 } });
  await session.signIn({ serverUrl: sim.url, username: user, password: user });
  await waitForConnection(session, 'connected');
  return session;
}

/** A session with the given outbox store, signed in as agent1, once the campaigns were announced. */
export async function signedInWithOutbox(sim: Simulator, store: OutboxStore, campaign: string): Promise<AgentSession> {
  const session = createAgentSession({ outboxStore: store, backoff: { baseMs: 100, capMs: 800 }, requestTimeoutMs: 3_000, operationTimeoutMs: 3_000 });
  await session.signIn({ serverUrl: sim.url, username: 'agent1', password: 'agent1' });
  await waitForConnection(session, 'connected');
  await waitForSnapshot(session, (x) => x.campaigns[campaign] !== undefined, { what: 'campaign announced' });
  return session;
}

/** A request to the control API over HTTP (GET without a body, POST with one). */
export async function controlRequest(sim: Simulator, op: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${sim.url}/sim/control/${op}`, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json };
}

/** The next CallStateChangeMessage on /v2/me/calls that satisfies `pred`. */
export const callStateMessage = (a: SimAgent, pred: (d: Json) => boolean): Promise<Json> =>
  a.waitFor('/v2/me/calls', (d) => d.messageType === 'CallStateChangeMessage' && pred(d));

export interface SimFixtureOptions extends SimulatorOptions {
  /**
   * `file` (default): one simulator for the file, reset after each test. `test`: a new one for each
   * test, closed after it. `manual`: none until the test calls `start()`, closed after it.
   */
  per?: 'file' | 'test' | 'manual';
}

export interface SimFixture {
  /** The simulator (throws before it is started). */
  readonly sim: Simulator;
  /** Starts the simulator of this test (`per: 'manual'`; `options` over the fixture's); closed after the test. */
  start(options?: SimulatorOptions): Promise<Simulator>;
  /** Another simulator for this test only (FAST_TIMINGS under `options`), closed after it. */
  another(options?: SimulatorOptions): Promise<Simulator>;
  /** A wire agent (not yet logged in) of simulator `on` (default the fixture's), disconnected after the test. */
  agent(userName?: string, password?: string, on?: Simulator): SimAgent;
  /** A wire agent logged in, on CometD and in its contact-center session. */
  startedAgent(userName?: string): Promise<SimAgent>;
  /** A request to the control API over HTTP. */
  control(op: string, body?: unknown): Promise<{ status: number; body: Json }>;
  /** The product's session signed in as `user`, disposed after the test. */
  signedIn(user?: string): Promise<AgentSession>;
  /** Disposes this session after the test. */
  track<T extends { dispose(): Promise<void> }>(session: T): T;
}

export function useSimulator(options: SimFixtureOptions = {}): SimFixture {
  const { per = 'file', ...simOptions } = options;
  let main: Simulator | undefined;
  const extras: Simulator[] = [];
  let agents: SimAgent[] = [];
  const sessions: Array<{ dispose(): Promise<void> }> = [];

  const fixture: SimFixture = {
    get sim(): Simulator {
      if (main === undefined) throw new Error('the simulator is not started');
      return main;
    },
    async start(o = {}) {
      main = await fastSimulator({ ...simOptions, ...o });
      return main;
    },
    async another(o = {}) {
      const sim = await fastSimulator(o);
      extras.push(sim);
      return sim;
    },
    agent(userName = 'agent1', password = userName, on = fixture.sim) {
      const a = new SimAgent(on.url, userName, password);
      agents.push(a);
      return a;
    },
    async startedAgent(userName = 'agent1') {
      const a = fixture.agent(userName);
      await a.start();
      return a;
    },
    control: (op, body) => controlRequest(fixture.sim, op, body),
    async signedIn(user = 'agent1') {
      return fixture.track(await signedInSession(fixture.sim, user));
    },
    track(session) {
      sessions.push(session);
      return session;
    },
  };

  if (per === 'file') {
    beforeAll(async () => void (await fixture.start()));
    afterAll(async () => {
      await main?.close();
      main = undefined;
    });
  } else if (per === 'test') {
    beforeEach(async () => void (await fixture.start()));
  }
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.dispose();
    const list = agents;
    agents = [];
    await Promise.all(list.map((a) => a.disconnect()));
    for (const sim of extras.splice(0)) await sim.close();
    if (per === 'file') {
      main?.control.reset();
    } else {
      await main?.close();
      main = undefined;
    }
  });
  return fixture;
}
