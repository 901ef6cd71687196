/**
 * Figure 8 · Footprint (issue 16): what the app costs on a shared workstation or a virtual desktop
 * where it stays open all day — sign-in time, idle CPU, wake-ups, rendering and requests, memory,
 * cold start, and the re-read after a suspend — each beside its floor in the same run.
 *
 * Processes: this one runs the simulator (and the resume session); the CORE child is the app's
 * core as `npm run dev:web` composes it (session + softphone core + browser harness), the FLOOR
 * child a bare `cometd` client (bench/footprint-child.ts, bundled with esbuild and run by plain
 * `node --expose-gc`); Chromium renders the harness page, and a blank page from the same server is
 * the renderer's floor. Method and results: docs/benchmarks.md, "8 · Footprint".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../sim';
import { createAgentSession, type AgentSession } from '../main/agent/session';
import type { Logger } from '../main/gws/logger';
import { startFaultProxy } from '../test/support/fault-proxy';
import { now, sleep, until } from './clock';
import { CHROMIUM_ARGS } from './env';
import type { MemorySample } from './footprint-child';
import type { IdleProbeResult } from './footprint-probe';
import type { FootprintResult, RendererIdle } from './footprint-types';
import { benchCallId, callMessage } from './messages';
import { summarize } from './stats';

export type { FootprintResult } from './footprint-types';

export interface FootprintConfig {
  /** UI sign-ins and floor sign-ins each (p50 over them). */
  signIns: number;
  /** The idle window, signed in, no calls… */
  idleMs: number;
  /** …after this long signed in and untouched. */
  settleMs: number;
  /** The renderer alone: hidden window, sign-in form. */
  rendererIdleMs: number;
  calls: number;
  coldStarts: number;
  /** The simulated suspend (the network cut, then wake()). */
  suspendMs: number;
}

export const FOOTPRINT_CONFIG = {
  quick: { signIns: 5, idleMs: 10_000, settleMs: 5_000, rendererIdleMs: 3_000, calls: 1_000, coldStarts: 1, suspendMs: 5_000 },
  full: { signIns: 20, idleMs: 60_000, settleMs: 20_000, rendererIdleMs: 10_000, calls: 1_000, coldStarts: 5, suspendMs: 60_000 },
} satisfies Record<string, FootprintConfig>;

const MB = 1024 * 1024;

// ---- child processes ----------------------------------------------------------------------------

const OUT = join('out', 'bench');
const CHILD = join(OUT, 'footprint-child.mjs');

/** Bundles the child like Electron's main (one file, packages from node_modules), so no tsx loader runs in it. */
async function bundleChild(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: [join('bench', 'footprint-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // A map file read by this process (originsOf), not --enable-source-maps in the child: Node would
    // keep the parsed map in the child's heap (≈ 3 MB) from the first stack trace on.
    sourcemap: 'external',
    outfile: CHILD,
    logLevel: 'silent',
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
  });
}

/** The built renderer plus `blank.html`, served by the same harness (the cold start's and the renderer's floor). */
function rendererWithBlank(): string {
  const dir = join(OUT, 'renderer');
  rmSync(dir, { recursive: true, force: true });
  cpSync(join('out', 'renderer'), dir, { recursive: true });
  writeFileSync(join(dir, 'blank.html'), '<!doctype html><html><head><meta charset="utf-8"><title>blank</title></head><body></body></html>\n');
  return dir;
}

/** Timer origins of the bundled child (`out/bench/footprint-child.mjs:L:C`) back to their sources. */
function originsOf(result: IdleProbeResult): IdleProbeResult {
  const map = new SourceMap(JSON.parse(readFileSync(`${CHILD}.map`, 'utf8')) as SourceMapPayload);
  const bundle = CHILD.split(sep).join('/');
  const mapped = (origin: string) =>
    origin.replace(new RegExp(`${bundle.replace(/[.]/g, '\\.')}:(\\d+):(\\d+)`), (whole, line: string, column: string) => {
      const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
      if (entry.originalSource === undefined || entry.originalLine === undefined) return whole;
      const source = relative(process.cwd(), resolve(OUT, entry.originalSource.replace(/^file:\/\//, '')));
      return `${source}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
    });
  return { ...result, timers: result.timers.map((t) => ({ ...t, origin: mapped(t.origin) })) };
}

class Child {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<Record<string, unknown>>;
  private exited = false;

  constructor(
    readonly role: 'core' | 'floor',
    readonly process: ChildProcess,
  ) {
    this.ready = new Promise((resolve, reject) => {
      this.pending.set(0, { resolve: (v) => resolve(v as Record<string, unknown>), reject });
    });
    process.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(`${role} child: ${m.error ?? 'failed'}`));
    });
    process.on('exit', (code) => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`${role} child exited (${code})`));
      this.pending.clear();
    });
  }

  call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as T), reject });
      this.process.send({ id, cmd, args });
    });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.process.once('exit', () => r()));
    // Asked first (a CPU profile is written on a clean exit), killed if it does not go.
    this.process.send({ id: -1, cmd: 'exit' });
    await Promise.race([gone, sleep(2_000)]);
    if (!this.exited) this.process.kill();
    await Promise.race([gone, sleep(3_000)]);
  }
}

function startChild(role: 'core' | 'floor', simUrl: string, rendererDir: string): Child {
  // BENCH_CHILD_PROFILE=dir: a CPU profile of each child (open in Chrome DevTools → Performance).
  const profile = process.env.BENCH_CHILD_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CHILD_PROFILE}`, `--cpu-prof-name=${role}-${Date.now()}.cpuprofile`] : [];
  const p = spawn(process.execPath, ['--expose-gc', ...profile, CHILD, '--role', role, '--sim', simUrl, '--renderer', rendererDir], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Child(role, p);
}

// ---- the page -----------------------------------------------------------------------------------

/**
 * Before the app's scripts: count the page's timer callbacks, stamp the sign-in submit, and let the
 * benchmark emulate a hidden window (headless Chromium keeps every page visible; the app's reaction
 * to `visibilitychange` is what is measured — a real hidden window also stops Chromium's frames).
 */
const PAGE_INIT = `
globalThis.__name ??= (f) => f;
(() => {
  const counts = { timers: 0 };
  globalThis.__benchCounts = counts;
  for (const name of ['setTimeout', 'setInterval']) {
    const original = globalThis[name];
    globalThis[name] = function (fn, ms, ...rest) {
      if (typeof fn !== 'function') return original.call(this, fn, ms, ...rest);
      return original.call(this, function (...a) { counts.timers += 1; return fn.apply(this, a); }, ms, ...rest);
    };
  }
  let hidden = false;
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  globalThis.__benchSetHidden = (h) => { hidden = h; document.dispatchEvent(new Event('visibilitychange')); };
  document.addEventListener('submit', () => { globalThis.__benchSubmitAt = performance.now(); globalThis.__benchConnectedAt = undefined; }, true);
  // The harness client's messages: when the page learnt "connected" (splits sign-in into core and render).
  const add = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, listener, options) {
    if (type === 'message' && typeof listener === 'function') {
      const inner = listener;
      return add.call(this, type, function (e) {
        if (globalThis.__benchConnectedAt === undefined && typeof e.data === 'string' && e.data.includes('"state":"connected"')) globalThis.__benchConnectedAt = performance.now();
        return inner.call(this, e);
      }, options);
    }
    return add.call(this, type, listener, options);
  };
})();
`;

interface Metrics {
  t: number;
  values: Record<string, number>;
}

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return { t: now(), values: Object.fromEntries(list.map((m) => [m.name, m.value])) };
}

class Watched {
  requests = 0;
  private constructor(
    readonly page: Page,
    readonly cdp: CDPSession,
  ) {
    page.on('request', () => (this.requests += 1));
  }

  static async open(context: BrowserContext, url: string): Promise<Watched> {
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const w = new Watched(page, cdp);
    await page.goto(url);
    return w;
  }

  async heap(): Promise<number> {
    await this.cdp.send('HeapProfiler.collectGarbage');
    await this.cdp.send('HeapProfiler.collectGarbage');
    return (await metrics(this.cdp)).values.JSHeapUsedSize ?? Number.NaN;
  }

  /** Starts a window; the returned function ends it. */
  async window(): Promise<() => Promise<RendererIdle>> {
    const timers0 = await this.timerCount();
    const requests0 = this.requests;
    const m0 = await metrics(this.cdp);
    return async () => {
      const m1 = await metrics(this.cdp);
      const timers1 = await this.timerCount();
      const seconds = (m1.t - m0.t) / 1000;
      const d = (name: string) => (m1.values[name] ?? 0) - (m0.values[name] ?? 0);
      return {
        windowMs: m1.t - m0.t,
        layoutsPerSec: d('LayoutCount') / seconds,
        styleRecalcsPerSec: d('RecalcStyleCount') / seconds,
        cpuPercent: (d('TaskDuration') / seconds) * 100,
        timerFiresPerSec: (timers1 - timers0) / seconds,
        requests: this.requests - requests0,
      };
    };
  }

  private timerCount(): Promise<number> {
    return this.page.evaluate(() => (globalThis as unknown as { __benchCounts?: { timers: number } }).__benchCounts?.timers ?? 0);
  }
}

const SIGN_IN_FORM_READY = '[data-testid=sign-in] button[type=submit]:not([disabled])';

/** Sign-in through the form: submit (stamped in the page) → agent state shown and campaigns listed. */
async function uiSignIn(w: Watched): Promise<{ total: number; toConnected: number }> {
  const page = w.page;
  await page.locator(SIGN_IN_FORM_READY).waitFor({ timeout: 15_000 });
  await page.locator('[data-testid=sign-in] input[name=username]').fill('agent1');
  await page.locator('[data-testid=sign-in] input[name=password]').fill('agent1');
  // The observer is in place before the submit: its callback stamps the first DOM with both.
  await page.evaluate(() => {
    const g = globalThis as unknown as { __benchUsable?: Promise<number> };
    g.__benchUsable = new Promise<number>((resolve) => {
      const usable = () => document.querySelector('[data-testid=agent-state]:not([data-user-state=""])') !== null && document.querySelector('[data-testid=campaign]') !== null;
      const observer = new MutationObserver(() => {
        if (!usable()) return;
        observer.disconnect();
        resolve(performance.now());
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-user-state'] });
    });
  });
  await page.locator('[data-testid=sign-in] input[name=password]').press('Enter');
  const usableAt = await page.evaluate(() => (globalThis as unknown as { __benchUsable: Promise<number> }).__benchUsable);
  const { submitAt, connectedAt } = await page.evaluate(() => {
    const g = globalThis as unknown as { __benchSubmitAt: number; __benchConnectedAt?: number };
    return { submitAt: g.__benchSubmitAt, connectedAt: g.__benchConnectedAt ?? Number.NaN };
  });
  await page.locator('[data-testid=connection][data-connection-state=connected]').waitFor({ timeout: 15_000 });
  return { total: usableAt - submitAt, toConnected: connectedAt - submitAt };
}

async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// ---- cold start ---------------------------------------------------------------------------------

/** Process start → sign-in form interactive: the core child spawned, Chromium launched, the harness page loaded. */
async function coldStartApp(simUrl: string, rendererDir: string): Promise<{ total: number; coreReady: number; coreLoaded: number; coreHarness: number; browser: number; page: number }> {
  const t0 = now();
  const child = startChild('core', simUrl, rendererDir);
  let browser: Browser | undefined;
  try {
    const ready = await child.ready;
    const coreReady = now() - t0;
    browser = await launch();
    const page = await browser.newPage();
    const launched = now();
    await page.goto(String(ready.url));
    await page.waitForSelector(SIGN_IN_FORM_READY, { timeout: 15_000 });
    const total = now() - t0;
    return { total, coreReady, coreLoaded: Number(ready.loadedAt), coreHarness: Number(ready.harnessMs), browser: launched - t0 - coreReady, page: t0 + total - launched };
  } finally {
    await browser?.close().catch(() => undefined);
    await child.close();
  }
}

/** The floor: Chromium launched, a blank page from the same (running) harness loaded. */
async function coldStartBlank(origin: string): Promise<{ total: number; browser: number; page: number }> {
  const t0 = now();
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const launched = now();
    await page.goto(`${origin}/blank.html`, { waitUntil: 'load' });
    const total = now() - t0;
    return { total, browser: launched - t0, page: t0 + total - launched };
  } finally {
    await browser.close().catch(() => undefined);
  }
}

// ---- resume (issue 16: a suspend, then wake()) --------------------------------------------------

type CallView = Record<string, { state: string; capabilities: string[] }>;

function serverCalls(sim: Simulator, user: string): CallView {
  const agent = sim.control.state().agents.find((a) => a.userName === user);
  return Object.fromEntries((agent?.calls ?? []).map((c) => [String(c['id']), { state: String(c['state']), capabilities: [...(c['capabilities'] as string[])].sort() }]));
}

function snapshotCalls(session: AgentSession): CallView {
  return Object.fromEntries(Object.values(session.snapshot.calls).map((c) => [c.id, { state: c.state, capabilities: [...c.capabilities].sort() }]));
}

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

interface ResumeRun {
  /** Cuts the network now; resolves with the time from wake() to the snapshot = the server's calls and `connected`. */
  suspend(): Promise<number>;
  history: string[];
  close(): Promise<void>;
}

/**
 * agent3 signs in THROUGH a fault proxy (product defaults); `suspend()` makes the network disappear
 * for `suspendMs` with every connection stranded (a lid closed), a call rings meanwhile, then the
 * OS says "resume": `session.wake('resume')`. As test g of test/integration/core-faults.test.ts.
 */
async function prepareResume(sim: Simulator, suspendMs: number): Promise<ResumeRun> {
  const target = new URL(sim.url);
  const proxy = await startFaultProxy({ target: { host: target.hostname, port: Number(target.port) } });
  const session = createAgentSession({ logger: quiet });
  const history: string[] = [];
  session.onDidChange((s, changes) => {
    if (changes.includes('connection')) history.push(s.connection.state);
  });
  await session.signIn({ serverUrl: proxy.url, username: 'agent3', password: 'agent3' });
  await until('agent3 connected', () => session.snapshot.connection.state === 'connected', 15_000);
  return {
    history,
    async suspend() {
      const hole = proxy.blackHoleFor(suspendMs, { strandAll: true });
      await sleep(Math.min(5_000, suspendMs / 2));
      const rang = sim.control.inboundCall({ to: 'agent3', from: '+15550006666' });
      await hole;
      history.push('— wake —');
      const wokenAt = now();
      session.wake('resume');
      const matches = () =>
        session.snapshot.connection.state === 'connected' && session.snapshot.calls[rang] !== undefined && JSON.stringify(snapshotCalls(session)) === JSON.stringify(serverCalls(sim, 'agent3'));
      await until('the snapshot equal to the server after wake()', matches, 30_000, 1);
      return now() - wokenAt;
    },
    async close() {
      await session.dispose().catch(() => undefined);
      await proxy.close();
    },
  };
}

// ---- the figure ---------------------------------------------------------------------------------

async function publishCalls(sim: Simulator, children: Child[], calls: number): Promise<void> {
  const CHUNK = 100;
  const base = await Promise.all(children.map((c) => c.call<number>('callChanges')));
  for (let c = 0; c < calls; c += CHUNK) {
    const size = Math.min(CHUNK, calls - c);
    for (let i = c; i < c + size; i++) {
      const id = benchCallId('FOOT', i);
      for (const state of ['Dialing', 'Established', 'Released'] as const) {
        sim.control.publish({ userName: 'agent1', channel: '/v2/me/calls', data: callMessage(id, state, { baseUrl: sim.url, dn: '5001' }) });
        sim.control.publish({ userName: 'agent2', channel: '/v2/me/calls', data: callMessage(id, state, { baseUrl: sim.url, dn: '5002' }) });
      }
    }
    await Promise.all(children.map((child, k) => child.call('waitCallChanges', { count: (base[k] as number) + 3 * (c + size), timeoutMs: 30_000 })));
  }
}

const mbOf = (bytes: number): number => bytes / MB;

export async function measureFootprint(config: FootprintConfig, log: (line: string) => void = () => undefined): Promise<FootprintResult> {
  await bundleChild();
  const rendererDir = rendererWithBlank();
  const sim = await startSimulator({ port: 0, control: true, quiet: true });
  const children: Child[] = [];
  const browsers: Browser[] = [];
  let resume: ResumeRun | undefined;
  try {
    // The long-lived pair first: the blank page of the cold start's floor comes from this harness.
    const core = startChild('core', sim.url, rendererDir);
    const floor = startChild('floor', sim.url, rendererDir);
    children.push(core, floor);
    const ready = await core.ready;
    await floor.ready;
    const url = String(ready.url);
    const origin = String(ready.origin);

    log(`footprint: cold start ×${config.coldStarts}`);
    const cold: number[] = [];
    const coldFloor: number[] = [];
    const coreReady: number[] = [];
    const parts = { coreLoaded: [] as number[], coreHarness: [] as number[], browser: [] as number[], page: [] as number[], floorBrowser: [] as number[], floorPage: [] as number[] };
    for (let i = 0; i < config.coldStarts; i++) {
      const app = async () => {
        const r = await coldStartApp(sim.url, rendererDir);
        cold.push(r.total);
        coreReady.push(r.coreReady);
        parts.coreLoaded.push(r.coreLoaded);
        parts.coreHarness.push(r.coreHarness);
        parts.browser.push(r.browser);
        parts.page.push(r.page);
      };
      const blank = async () => {
        const r = await coldStartBlank(origin);
        coldFloor.push(r.total);
        parts.floorBrowser.push(r.browser);
        parts.floorPage.push(r.page);
      };
      if (i % 2 === 0) await app().then(blank);
      else await blank().then(app);
    }

    const browser = await launch();
    browsers.push(browser);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(PAGE_INIT);
    const app = await Watched.open(context, url);
    const blankContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await blankContext.addInitScript(PAGE_INIT);
    const blank = await Watched.open(blankContext, `${origin}/blank.html`);

    log(`footprint: sign-in ×${config.signIns} (UI and floor alternating)`);
    const signIn: number[] = [];
    const signInToConnected: number[] = [];
    const signInCore: number[] = [];
    const signInFloor: number[] = [];
    for (let i = 0; i < config.signIns; i++) {
      const last = i === config.signIns - 1;
      const ui = async () => {
        const r = await uiSignIn(app);
        signIn.push(r.total);
        signInToConnected.push(r.toConnected);
        signInCore.push(await core.call<number>('lastSignInMs'));
        if (!last) await core.call('signOut');
      };
      const bare = async () => {
        signInFloor.push(await floor.call<number>('signIn'));
        if (!last) await floor.call('signOut');
      };
      if (i % 2 === 0) await ui().then(bare);
      else await bare().then(ui);
    }
    await sleep(1_000); // the sign-in's own work settles (campaign memory, first renders)
    const coreAfterSignIn = await core.call<MemorySample>('memory');
    const floorAfterSignIn = await floor.call<MemorySample>('memory');
    const rendererAfterSignIn = await app.heap();
    const blankHeap = await blank.heap();

    // Idle: the core, the floor and both pages over the same window, once what the sign-in and the
    // GCs above left to do (keep-alive sockets closing, V8's memory reducer) is over: the steady
    // state of an agent idle for hours. The suspend of the resume figure runs meanwhile (in this
    // process, through a fault proxy, as agent3): nothing of it reaches the children or the pages.
    resume = await prepareResume(sim, config.suspendMs);
    log(`footprint: settle ${config.settleMs / 1000} s, then idle ${config.idleMs / 1000} s (the ${config.suspendMs / 1000} s suspend of resumeResyncMs meanwhile)`);
    await sleep(config.settleMs);
    await Promise.all([core.call('idleStart'), floor.call('idleStart')]);
    const endApp = await app.window();
    const endBlank = await blank.window();
    const resumed = resume.suspend();
    resumed.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
    await sleep(config.idleMs);
    const [coreIdle, floorIdle] = (await Promise.all([core.call<IdleProbeResult>('idleStop'), floor.call<IdleProbeResult>('idleStop')])).map(originsOf) as [IdleProbeResult, IdleProbeResult];
    const rendererIdle = await endApp();
    const blankIdle = await endBlank();
    const resumeResyncMs = await resumed;
    const coreAfterIdle = await core.call<MemorySample>('memory');
    const floorAfterIdle = await floor.call<MemorySample>('memory');

    log('footprint: renderer hidden (visibilitychange emulated)');
    await app.page.evaluate(() => (globalThis as unknown as { __benchSetHidden: (h: boolean) => void }).__benchSetHidden(true));
    await sleep(1_100);
    const endHidden = await app.window();
    await sleep(config.rendererIdleMs);
    const hidden = await endHidden();
    await app.page.evaluate(() => (globalThis as unknown as { __benchSetHidden: (h: boolean) => void }).__benchSetHidden(false));

    log(`footprint: ${config.calls.toLocaleString('en-US')} calls`);
    await publishCalls(sim, [core, floor], config.calls);
    await sleep(500);
    await floor.call('forget');
    const coreAfterCalls = await core.call<MemorySample>('memory');
    const floorAfterCalls = await floor.call<MemorySample>('memory');
    const rendererAfterCalls = await app.heap();
    const calls = { count: config.calls, ...(await core.call<Omit<FootprintResult['detail']['calls'], 'count'>>('snapshotInfo')) };

    log('footprint: renderer on the sign-in form');
    await core.call('signOut');
    await app.page.locator(SIGN_IN_FORM_READY).waitFor({ timeout: 15_000 });
    await sleep(1_100);
    const endForm = await app.window();
    await sleep(config.rendererIdleMs);
    const signInForm = await endForm();

    const perMin = (r: IdleProbeResult) => (r.requests.other.length * 60_000) / r.windowMs;
    const s = summarize(signIn);
    const sf = summarize(signInFloor);
    const c = summarize(cold);
    const cf = summarize(coldFloor);
    return {
      signInMs: s.p50,
      signInFloorMs: sf.p50,
      idleCoreCpuPercent: coreIdle.cpuPercent,
      idleCoreCpuFloorPercent: floorIdle.cpuPercent,
      idleCoreWakeupsPerSec: coreIdle.wakeups.beyondPerSec,
      idleCoreWakeupsFloorPerSec: floorIdle.wakeups.beyondPerSec,
      idleRendererLayoutsPerSec: rendererIdle.layoutsPerSec,
      idleRendererLayoutsFloorPerSec: blankIdle.layoutsPerSec,
      idleRendererLayoutsHiddenPerSec: hidden.layoutsPerSec,
      idleRendererLayoutsSignInFormPerSec: signInForm.layoutsPerSec,
      idleRequestsPerMin: perMin(coreIdle) + (rendererIdle.requests * 60_000) / rendererIdle.windowMs,
      idleRequestsFloorPerMin: perMin(floorIdle),
      coreRssMb: { afterSignIn: mbOf(coreAfterSignIn.rss), afterCalls: mbOf(coreAfterCalls.rss) },
      coreRssFloorMb: { afterSignIn: mbOf(floorAfterSignIn.rss), afterCalls: mbOf(floorAfterCalls.rss) },
      coreHeapMb: { afterSignIn: mbOf(coreAfterSignIn.heapUsed), afterCalls: mbOf(coreAfterCalls.heapUsed) },
      coreHeapFloorMb: { afterSignIn: mbOf(floorAfterSignIn.heapUsed), afterCalls: mbOf(floorAfterCalls.heapUsed) },
      rendererHeapMb: { afterSignIn: mbOf(rendererAfterSignIn), afterCalls: mbOf(rendererAfterCalls) },
      rendererHeapFloorMb: mbOf(blankHeap),
      coldStartMs: c.p50,
      coldStartFloorMs: cf.p50,
      resumeResyncMs,
      resumeSuspendMs: config.suspendMs,
      chromium: browser.version(),
      detail: {
        signIn: s,
        signInToConnected: summarize(signInToConnected),
        signInCore: summarize(signInCore),
        signInFloor: sf,
        coldStart: c,
        coldStartFloor: cf,
        coreReady: summarize(coreReady),
        coldStartParts: {
          coreLoadedMs: summarize(parts.coreLoaded).p50,
          coreHarnessMs: summarize(parts.coreHarness).p50,
          browserMs: summarize(parts.browser).p50,
          pageMs: summarize(parts.page).p50,
          floorBrowserMs: summarize(parts.floorBrowser).p50,
          floorPageMs: summarize(parts.floorPage).p50,
        },
        idle: { core: coreIdle, floor: floorIdle, renderer: rendererIdle, blank: blankIdle, hidden, signInForm },
        calls,
        heapAfterIdleMb: { core: mbOf(coreAfterIdle.heapUsed), floor: mbOf(floorAfterIdle.heapUsed) },
        resume: { suspendMs: config.suspendMs, connectionHistory: resume.history },
      },
    };
  } finally {
    await resume?.close();
    for (const b of browsers) await b.close().catch(() => undefined);
    for (const child of children) await child.close();
    await sim.close();
  }
}
