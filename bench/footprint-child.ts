/**
 * Figure 8's child processes (bench/footprint.ts bundles this file with esbuild and runs it with
 * plain `node --expose-gc`, like Electron runs its bundled main: no tsx loader in the figures).
 *
 *   --role core   the app's core as `npm run dev:web` composes it (agent session + softphone core +
 *                 browser harness serving the renderer), product defaults, signed in from the page
 *   --role floor  the bare client: the official `cometd` client and `fetch` (test/support/sim-client.ts),
 *                 agent2, the same four channels as the core, nothing else
 *
 * Both answer the parent's commands over the IPC channel ({ id, cmd, args } → { id, ok, value | error }),
 * so the parent measures both the same way at the same time.
 */
import { performance } from 'node:perf_hooks';
import { stop as stopEsbuild } from 'esbuild';
import { NOTIFICATION_CHANNELS } from '../main/gws/decode';
import { startHarnessedCore } from '../main/harness/compose';
import { SimAgent } from '../test/support/sim-client';
import { installProbe, type IdleProbe } from './footprint-probe';

interface Command {
  id: number;
  cmd: string;
  args?: Record<string, unknown>;
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

const arg = (name: string): string => {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (value === undefined) throw new Error(`missing ${name}`);
  return value;
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function gcHard(): Promise<MemorySample> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(20);
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
}

/** Counts up and wakes waiters from the listener (no polling). */
class Counter {
  value = 0;
  private waiters: { count: number; resolve: () => void }[] = [];
  add(n = 1): void {
    this.value += n;
    this.waiters = this.waiters.filter((w) => (this.value >= w.count ? (w.resolve(), false) : true));
  }
  waitFor(count: number, timeoutMs: number): Promise<number> {
    if (this.value >= count) return Promise.resolve(this.value);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.value} of ${count} after ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(this.value)) });
    });
  }
}

type Handler = (args: Record<string, unknown>) => Promise<unknown> | unknown;

function serve(handlers: Record<string, Handler>): void {
  let probe: IdleProbe | undefined;
  const common: Record<string, Handler> = {
    idleStart: () => {
      probe = installProbe();
      return true;
    },
    idleStop: () => {
      const result = probe?.stop();
      probe = undefined;
      return result;
    },
    memory: () => gcHard(),
    exit: () => {
      setImmediate(() => process.exit(0));
      return true;
    },
  };
  process.on('message', (message: Command) => {
    const handler = handlers[message.cmd] ?? common[message.cmd];
    const reply = (r: Record<string, unknown>) => process.send?.({ id: message.id, ...r });
    if (!handler) return reply({ ok: false, error: `unknown command ${message.cmd}` });
    Promise.resolve()
      .then(() => handler(message.args ?? {}))
      .then(
        (value) => reply({ ok: true, value }),
        (e: unknown) => reply({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}

async function core(): Promise<void> {
  const simUrl = arg('--sim');
  const loadedAt = performance.now(); // since this process started: node + the bundle's modules
  const { session, harness } = await startHarnessedCore({
    rendererDir: arg('--renderer'),
    app: { version: 'bench', defaultServerUrl: simUrl, defaultUsername: 'agent1' },
  });
  // The harness bundles its WebSocket client with esbuild at start; esbuild's service then pings
  // this process every second for as long as it lives. The app has no esbuild: it is stopped here.
  const harnessMs = performance.now() - loadedAt;
  await stopEsbuild();
  const calls = new Counter();
  // The core's own part of a sign-in: `connecting` → `connected` (the rest is the harness and the page).
  let connectingAt = Number.NaN;
  let lastSignInMs = Number.NaN;
  session.onDidChange((s, changes) => {
    if (changes.includes('calls')) calls.add();
    if (!changes.includes('connection')) return;
    if (s.connection.state === 'connecting') connectingAt = performance.now();
    else if (s.connection.state === 'connected' && !Number.isNaN(connectingAt)) {
      lastSignInMs = performance.now() - connectingAt;
      connectingAt = Number.NaN;
    }
  });
  serve({
    signOut: async () => {
      await session.signOut();
      return session.snapshot.connection.state;
    },
    state: () => session.snapshot.connection.state,
    lastSignInMs: () => lastSignInMs,
    callChanges: () => calls.value,
    waitCallChanges: (a) => calls.waitFor(Number(a.count), Number(a.timeoutMs ?? 30_000)),
    snapshotInfo: () => ({ liveCalls: Object.keys(session.snapshot.calls).length, historyLength: session.snapshot.callHistory.length, snapshotBytes: JSON.stringify(session.snapshot).length }),
  });
  process.send?.({ id: 0, ok: true, value: { url: harness.url, origin: harness.origin, loadedAt, harnessMs, readyAt: performance.now() } });
}

async function floor(): Promise<void> {
  const simUrl = arg('--sim');
  let agent: SimAgent | undefined;
  const calls = new Counter();
  serve({
    /** gws-api.md §2, bare: GET /me, handshake + subscribe, StartContactCenterSession, the first device and campaign notifications. */
    signIn: async () => {
      const a = new SimAgent(simUrl, 'agent2', 'agent2', [...NOTIFICATION_CHANNELS]);
      const t0 = performance.now();
      await a.login();
      const hs = await a.connect();
      if (!hs.successful) throw new Error(`floor: handshake refused ${JSON.stringify(hs)}`);
      await a.op('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['voice'] });
      await Promise.all([
        a.waitFor('/v2/me/devices', (d: { messageType?: string }) => d.messageType === 'DeviceStateChangeMessage'),
        a.waitFor('/v2/me/outbound', (d: { notificationType?: string }) => d.notificationType === 'CampaignStarted'),
      ]);
      const ms = performance.now() - t0;
      agent = a;
      a.cometd?.addListener('/v2/me/calls', () => calls.add());
      return ms;
    },
    signOut: async () => {
      const a = agent;
      agent = undefined;
      if (!a) return 'signed-out';
      await a.op('/api/v2/me', { operationName: 'EndContactCenterSession' });
      await a.disconnect();
      return 'signed-out';
    },
    callChanges: () => calls.value,
    waitCallChanges: (a) => calls.waitFor(Number(a.count), Number(a.timeoutMs ?? 30_000)),
    /** The test client logs every notification: that log is not the floor's memory. */
    forget: () => {
      if (agent) {
        agent.received.length = 0;
        agent.clearPending();
      }
      return true;
    },
  });
  process.send?.({ id: 0, ok: true, value: { readyAt: performance.now() } });
}

const role = arg('--role');
(role === 'core' ? core() : role === 'floor' ? floor() : Promise.reject(new Error(`unknown role ${role}`))).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
