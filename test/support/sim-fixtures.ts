// Shared setup for the simulator's integration tests: a simulator with short timings per test file.
import type { Simulator, SimulatorOptions } from '../../sim/index';
import { startSimulator } from '../../sim/index';
import { SimAgent } from './sim-client';
import type { Json } from './sim-client';

export const FAST_TIMINGS = { answerMs: 150, busyMs: 100, noAnswerMs: 150, answeringMachineMs: 100, consultAnswerMs: 100 };

export async function fastSimulator(o: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ quiet: true, ...o, timings: { ...FAST_TIMINGS, ...(o.timings ?? {}) } });
}

/** Agents created by a test, disconnected in afterEach. */
export class AgentPool {
  private agents: SimAgent[] = [];

  agent(sim: Simulator, userName = 'agent1', password = userName, channels?: string[]): SimAgent {
    const a = new SimAgent(sim.url, userName, password, channels);
    this.agents.push(a);
    return a;
  }

  async started(sim: Simulator, userName = 'agent1'): Promise<SimAgent> {
    const a = this.agent(sim, userName);
    await a.start();
    return a;
  }

  async disconnectAll(): Promise<void> {
    const list = this.agents;
    this.agents = [];
    await Promise.all(list.map((a) => a.disconnect()));
  }
}

/** A request to the control API over HTTP (GET without a body, POST with one). */
export async function controlRequest(sim: Simulator, op: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${sim.url}/sim/control/${op}`, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json };
}

/** The next CallStateChangeMessage on /v2/me/calls that satisfies `pred`. */
export const callStateMessage = (a: SimAgent, pred: (d: Json) => boolean): Promise<Json> =>
  a.waitFor('/v2/me/calls', (d) => d.messageType === 'CallStateChangeMessage' && pred(d));
