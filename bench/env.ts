/**
 * The benchmark's world, composed like test/e2e/support/environment.ts: the simulator (in this
 * process, port 0), the real agent core (session + contract router) signed in as agent1, the
 * browser harness serving the built renderer, Chromium on it, and two clients of the simulator
 * written with the official libraries only (test/support/sim-client.ts): the FLOOR, agent2 on the
 * official `cometd` client subscribed to /v2/me/calls, and DIRECT, agent1's own HTTP session (its
 * own cookie and CSRF token) for plain `fetch` requests.
 */
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { WebSocketServer, type WebSocket as NodeWebSocket } from 'ws';
import { startSimulator, type Simulator } from '../sim';
import { loadDefaultScenario, type ScenarioInput } from '../sim/scenario';
import type { AgentSession } from '../main/agent/session';
import type { SoftphoneCore } from '../main/app/core';
import type { Harness } from '../main/harness/server';
import { startHarnessedCore } from '../main/harness/compose';
import { SimAgent } from '../test/support/sim-client';
import { afternoonZone, now } from './clock';
import { tapCore, tapFloor, type Tap } from './taps';

export const BENCH_CAMPAIGN = 'Bench_Preview';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The default scenario plus one preview campaign with enough records for the Dial figure. */
export function benchScenario(records: number): ScenarioInput {
  const timeZone = afternoonZone();
  const base = loadDefaultScenario();
  const campaign = {
    name: BENCH_CAMPAIGN,
    dialingMode: 'Preview' as const,
    group: 'Collections',
    callingList: 'CL_Bench',
    applicationId: 901,
    description: 'Benchmark: one record per chain, never answered',
    outboundCallerId: '8005550100',
    wrapUpTime: 0,
    records: Array.from({ length: records }, (_, i) => ({
      recordHandle: 90_001 + i,
      chainId: 90_001 + i,
      phoneNumber: `+1646555${String(1000 + i).slice(-4)}`,
      phoneType: 'HomePhone' as const,
      timeZone,
      attempts: 0,
      outcome: 'noAnswer' as const,
      fields: { customer_name: `Bench Customer ${i}`, account_number: `BN-${100_000 + i}`, balance: '100.00' },
    })),
  };
  return { ...base, campaigns: [...base.campaigns, campaign] } as ScenarioInput;
}

export interface Calibration {
  /** page performance.now() − node performance.now(), ms. */
  offset: number;
  /** Round trip of the best ping (the offset is within ± half of it, plus the page's timer coarsening). */
  rttMs: number;
  pings: number;
}

export interface World {
  sim: Simulator;
  session: AgentSession;
  core: SoftphoneCore;
  harness: Harness;
  floor: SimAgent;
  /** Arrivals in the core (onDidChange, before the core forwards the change) and at the floor client. */
  coreTap: Tap;
  floorTap: Tap;
  direct: SimAgent;
  browser: Browser;
  page: Page;
  chromiumVersion: string;
  /** Page clock against Node's: ping the page over a WebSocket of our own, keep the fastest reply. */
  calibrate(pings?: number): Promise<Calibration>;
  close(): Promise<void>;
}

export async function startWorld(o: { records: number; rendererDir?: string; trace?: boolean }): Promise<World> {
  const sim = await startSimulator({ port: 0, control: true, quiet: true, scenario: benchScenario(o.records) });
  let coreTap!: ReturnType<typeof tapCore>;
  const { session, core, harness } = await startHarnessedCore({
    rendererDir: o.rendererDir ?? join(process.cwd(), 'out', 'renderer'),
    session: { backoff: { baseMs: 100, capMs: 1_000 } },
    app: { version: 'bench', defaultServerUrl: sim.url, defaultUsername: 'agent1' },
    // Stamped before the core's own listener: "snapshot changed", not "forwarded".
    beforeCore: (s) => (coreTap = tapCore(s)),
  });
  await session.signIn({ serverUrl: sim.url, username: 'agent1', password: 'agent1' });

  const floor = new SimAgent(sim.url, 'agent2', 'agent2', ['/v2/me/calls']);
  await floor.login();
  const hs = await floor.connect();
  if (!hs.successful) throw new Error(`floor client: handshake refused ${JSON.stringify(hs)}`);
  await floor.waitForSubscriptions(1);
  const floorTap = tapFloor(floor);
  const direct = new SimAgent(sim.url, 'agent1', 'agent1', []);
  await direct.login();

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  // bypassCSP: the renderer's CSP (connect-src 'self') would refuse the calibration socket to
  // another port. Nothing else of the page depends on it.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  if (o.trace) await context.tracing.start({ screenshots: false, snapshots: false });
  // tsx (esbuild, keepNames) wraps named functions in `__name(...)`; the page has no such helper.
  await context.addInitScript('globalThis.__name ??= (f) => f;');
  // Stamps the arrival of every `changes` message in the page, before the harness client's own
  // listener runs: splits Screen into "core → page" and "page → DOM".
  await context.addInitScript(() => {
    const stamps: number[] = [];
    (globalThis as unknown as { __benchWs: number[] }).__benchWs = stamps;
    const original = WebSocket.prototype.addEventListener;
    WebSocket.prototype.addEventListener = function (this: WebSocket, type: string, listener: unknown, options?: unknown) {
      if (type === 'message' && typeof listener === 'function') {
        const inner = listener as (e: MessageEvent) => unknown;
        const wrapped = function (this: WebSocket, e: MessageEvent) {
          if (typeof e.data === 'string' && e.data.startsWith('{"event":"changes"')) stamps.push(performance.now());
          return inner.call(this, e);
        };
        return original.call(this, type, wrapped as EventListener, options as AddEventListenerOptions);
      }
      return original.call(this, type, listener as EventListener, options as AddEventListenerOptions);
    } as typeof WebSocket.prototype.addEventListener;
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
  await page.goto(harness.url);
  await page.locator('[data-testid=connection][data-connection-state=connected]').waitFor({ timeout: 15_000 });

  // The calibration socket: Node sends its own time, the page answers with its performance.now().
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const port = (wss.address() as { port: number }).port;
  const socket = new Promise<NodeWebSocket>((r) => wss.once('connection', (ws) => r(ws)));
  await page.evaluate((p) => {
    const ws = new WebSocket(`ws://127.0.0.1:${p}`);
    ws.onmessage = () => ws.send(String(performance.now()));
    (window as unknown as { __benchClock: WebSocket }).__benchClock = ws;
  }, port);
  const ws = await socket;

  const calibrate = async (pings = 200): Promise<Calibration> => {
    let best: Calibration = { offset: Number.NaN, rttMs: Number.POSITIVE_INFINITY, pings };
    for (let i = 0; i < pings; i++) {
      const t0 = now();
      const reply = await new Promise<number>((resolve) => {
        ws.once('message', (data) => resolve(Number(String(data))));
        ws.send('t');
      });
      const t1 = now();
      if (t1 - t0 < best.rttMs) best = { offset: reply - (t0 + t1) / 2, rttMs: t1 - t0, pings };
    }
    return best;
  };

  return {
    sim,
    session,
    core,
    harness,
    floor,
    coreTap,
    floorTap,
    direct,
    browser,
    page,
    chromiumVersion: browser.version(),
    calibrate,
    async close() {
      if (o.trace) await context.tracing.stop({ path: join('test-results', 'bench-trace.zip') }).catch(() => undefined);
      ws.close();
      wss.close();
      await browser.close().catch(() => undefined);
      await floor.disconnect().catch(() => undefined);
      await session.dispose().catch(() => undefined);
      core.dispose();
      await harness.close();
      await sim.close();
    },
  };
}
