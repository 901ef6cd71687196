/**
 * `npm run bench` (`tsx bench/run.ts`): builds, starts the simulator, the core, the browser harness
 * and Chromium, and measures every figure of docs/benchmarks.md beside its floor in the same run.
 * Prints one table and writes it as JSON to bench/results/latest.json plus a timestamped copy
 * (`--quick`: latest-quick.json). Goals are reported, never asserted: the exit code is non-zero
 * only when a figure could not be measured.
 *
 *   --quick      small n (≈ 30 s): what `npm test` runs so the benchmark never rots
 *   --no-build   use out/ as it is (built anyway when missing)
 *   --trace      Playwright trace of the page to test-results/bench-trace.zip (open: npx playwright show-trace)
 *   --only=a,b   only these figures: latency, dial, burst, weight, memory, footprint
 *   --gap=ms     pause between two publications of figures 1–3 (default 25; quick 10)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureBurst, type BurstResult } from './burst';
import { measureDial, type DialResult } from './dial';
import { startWorld, type World } from './env';
import { measureLatency, type LatencyResult } from './latency';
import { FOOTPRINT_CONFIG, measureFootprint, type FootprintResult } from './footprint';
import { describeMachine, type Machine } from './machine';
import { measureMemory, type MemoryResult } from './memory';
import { footprintRows } from './footprint-rows';
import { added, kb, mb, ms, ratio, renderMarkdown, renderTable, type Row } from './stats';
import { measureWeight, type WeightResult } from './weight';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const wants = (figure: string) => only === undefined || only.includes(figure);

const CONFIG = quick
  ? {
      latency: { n: 100, warmup: 10, calls: 4, gapMs: 10 },
      dial: { n: 5, warmup: 1 },
      burst: { n: 1_000, calls: 4, timeoutMs: 30_000 },
      memory: { calls: 1_000, warmup: 200 },
      footprint: FOOTPRINT_CONFIG.quick,
    }
  : {
      latency: { n: 1_000, warmup: 50, calls: 4, gapMs: 25 },
      dial: { n: 50, warmup: 2 },
      burst: { n: 10_000, calls: 4, timeoutMs: 120_000 },
      memory: { calls: 10_000, warmup: 500 },
      footprint: FOOTPRINT_CONFIG.full,
    };

const gapArg = args.find((a) => a.startsWith('--gap='));
if (gapArg !== undefined) CONFIG.latency.gapMs = Number(gapArg.slice('--gap='.length));

/** One frame at 60 Hz: the slack the Burst goal allows the screen over twice the floor's drain. */
const FRAME_MS = 1000 / 60;
const GOALS = {
  coreAddedP50: 0.5,
  screenAddedP50: 2,
  screenAddedP99: 8,
  dialAddedP99: 5,
  eventLoopP99: 20,
  rendererGzip: 60 * 1024,
  heapGrowth: 5 * 1024 * 1024,
};

interface Results {
  quick: boolean;
  startedAt: string;
  durationMs: number;
  machine?: Machine;
  config: typeof CONFIG;
  latency?: LatencyResult;
  dial?: DialResult;
  burst?: BurstResult;
  weight?: WeightResult;
  memory?: MemoryResult;
  footprint?: FootprintResult;
  errors: { figure: string; message: string }[];
  rows: Row[];
  table: string;
  markdown: string;
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function build(): void {
  const missing = !existsSync(join('out', 'renderer', 'index.html')) || !existsSync(join('out', 'main', 'index.js')) || !existsSync(join('out', 'preload', 'index.cjs'));
  if (args.includes('--no-build') && !missing) return;
  log('building main, preload and renderer (node build/scripts/build.mjs)');
  const r = spawnSync(process.execPath, [join('build', 'scripts', 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`build failed (exit ${r.status})`);
}

const none = '—';

function rowsOf(r: Pick<Results, 'latency' | 'dial' | 'burst' | 'weight' | 'memory' | 'footprint'>): Row[] {
  const rows: Row[] = [];
  const l = r.latency;
  if (l) {
    const n = l.floor.n;
    rows.push(
      { figure: `1 Floor: cometd publish→receive p50 (n=${n})`, value: ms(l.floor.p50), floor: none, versus: none, goal: none },
      { figure: '1 Floor p95 / p99 / max', value: `${ms(l.floor.p95)} / ${ms(l.floor.p99)} / ${ms(l.floor.max)}`, floor: none, versus: none, goal: none },
      { figure: '2 Core: publish→onDidChange p50', value: ms(l.core.p50), floor: ms(l.floor.p50), versus: added(l.core.p50, l.floor.p50), goal: '≤ +0.5 ms', pass: l.core.p50 - l.floor.p50 <= GOALS.coreAddedP50 },
      { figure: '2 Core p99 / max', value: `${ms(l.core.p99)} / ${ms(l.core.max)}`, floor: ms(l.floor.p99), versus: added(l.core.p99, l.floor.p99), goal: none },
      { figure: '3 Screen: publish→DOM p50', value: ms(l.screen.p50), floor: ms(l.floor.p50), versus: added(l.screen.p50, l.floor.p50), goal: '≤ +2 ms', pass: l.screen.p50 - l.floor.p50 <= GOALS.screenAddedP50 },
      { figure: '3 Screen p95', value: ms(l.screen.p95), floor: ms(l.floor.p95), versus: added(l.screen.p95, l.floor.p95), goal: none },
      { figure: '3 Screen p99', value: ms(l.screen.p99), floor: ms(l.floor.p99), versus: added(l.screen.p99, l.floor.p99), goal: '≤ +8 ms', pass: l.screen.p99 - l.floor.p99 <= GOALS.screenAddedP99 },
      { figure: '3 Screen max', value: ms(l.screen.max), floor: ms(l.floor.max), versus: added(l.screen.max, l.floor.max), goal: none },
      ...(l.breakdown
        ? [
            { figure: '3 … of which core→page p50 / p99', value: `${ms(l.breakdown.coreToPage.p50)} / ${ms(l.breakdown.coreToPage.p99)}`, floor: none, versus: none, goal: none },
            { figure: '3 … of which page→DOM p50 / p99', value: `${ms(l.breakdown.pageToDom.p50)} / ${ms(l.breakdown.pageToDom.p99)}`, floor: none, versus: none, goal: none },
          ]
        : []),
      {
        figure: '1–3 unmatched (floor / core / screen)',
        value: `${l.unmatched.floor} / ${l.unmatched.core} / ${l.unmatched.screen}`,
        floor: none,
        versus: none,
        goal: '0',
        pass: l.unmatched.floor + l.unmatched.core + l.unmatched.screen === 0,
      },
    );
  }
  const d = r.dial;
  if (d) {
    rows.push(
      { figure: `4 Dial: click→POST at sim p50 (n=${d.ui.n})`, value: ms(d.ui.p50), floor: ms(d.direct.p50), versus: added(d.ui.p50, d.direct.p50), goal: none },
      { figure: '4 Dial p99', value: ms(d.ui.p99), floor: ms(d.direct.p99), versus: added(d.ui.p99, d.direct.p99), goal: '≤ +5 ms', pass: d.ui.p99 - d.direct.p99 <= GOALS.dialAddedP99 },
    );
  }
  const b = r.burst;
  if (b) {
    const limit = 2 * b.floorDrainMs + FRAME_MS;
    rows.push(
      { figure: `5 Burst (${b.n.toLocaleString('en-US')}): lost core / screen`, value: `${b.lost.core} / ${b.lost.screen}`, floor: `${b.lost.floor}`, versus: none, goal: '0', pass: b.lost.core === 0 && b.lost.screen === 0 },
      { figure: '5 Burst: core drained', value: ms(b.coreDrainMs), floor: ms(b.floorDrainMs), versus: ratio(b.coreDrainMs, b.floorDrainMs), goal: none },
      {
        figure: '5 Burst: final state on screen',
        value: ms(b.screenFinalMs),
        floor: ms(b.floorDrainMs),
        versus: ratio(b.screenFinalMs, b.floorDrainMs),
        goal: `≤ 2× + 1 frame (${ms(limit)})`,
        pass: b.screenFinalMs <= limit,
      },
      { figure: '5 Burst: event-loop delay p99', value: ms(b.eventLoopDelayMs.p99), floor: none, versus: none, goal: '< 20 ms', pass: b.eventLoopDelayMs.p99 < GOALS.eventLoopP99 },
    );
  }
  const w = r.weight;
  if (w) {
    rows.push(
      { figure: '6 Weight: renderer JS+CSS gzip', value: kb(w.renderer.gzip), floor: none, versus: none, goal: '≤ 60 KB', pass: w.renderer.gzip <= GOALS.rendererGzip },
      { figure: '6 Weight: preload gzip', value: kb(w.preload.gzip), floor: none, versus: none, goal: none },
      { figure: '6 Weight: main gzip', value: kb(w.main.gzip), floor: none, versus: none, goal: none },
    );
  }
  const m = r.memory;
  if (m) {
    rows.push({
      figure: `7 Memory: core heap growth (${m.calls.toLocaleString('en-US')} calls)`,
      value: mb(m.growth),
      floor: none,
      versus: none,
      goal: '≤ 5 MB',
      pass: m.growth <= GOALS.heapGrowth && m.liveCalls === 0 && m.historyLength <= 100,
    });
  }
  if (r.footprint) rows.push(...footprintRows(r.footprint));
  return rows;
}

async function main(): Promise<number> {
  const started = Date.now();
  const results: Results = { quick, startedAt: new Date(started).toISOString(), durationMs: 0, config: CONFIG, errors: [], rows: [], table: '', markdown: '' };
  const attempt = async <T>(figure: string, fn: () => Promise<T> | T): Promise<T | undefined> => {
    if (figure !== 'start' && !wants(figure)) return undefined;
    log(`${figure}…`);
    const t0 = Date.now();
    try {
      const value = await fn();
      log(`${figure} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return value;
    } catch (e) {
      const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      log(`${figure} FAILED: ${message}`);
      results.errors.push({ figure, message });
      return undefined;
    }
  };

  build();
  results.weight = await attempt('weight', () => measureWeight());
  results.memory = await attempt('memory', () => measureMemory(CONFIG.memory.calls, CONFIG.memory.warmup));

  let world: World | undefined;
  if (wants('latency') || wants('dial') || wants('burst')) {
    world = await attempt('start', () => startWorld({ records: 2 * (CONFIG.dial.n + CONFIG.dial.warmup) + 10, trace: args.includes('--trace') }));
  }
  if (world) {
    const w = world;
    results.machine = describeMachine(w.chromiumVersion);
    results.latency = await attempt('latency', () => measureLatency(w, CONFIG.latency));
    results.dial = await attempt('dial', () => measureDial(w, CONFIG.dial));
    results.burst = await attempt('burst', () => measureBurst(w, CONFIG.burst));
    await w.close().catch((e: unknown) => log(`close: ${String(e)}`));
  }
  // Last and alone: its idle window must not share the machine with the other figures.
  results.footprint = await attempt('footprint', () => measureFootprint(CONFIG.footprint, log));
  results.machine ??= describeMachine(results.footprint?.chromium ?? 'not started');

  results.durationMs = Date.now() - started;
  results.rows = rowsOf(results);
  results.table = renderTable(results.rows);
  results.markdown = renderMarkdown(results.rows);
  const mc = results.machine;
  console.log(`\nGWS Softphone benchmark${quick ? ' (--quick: small n, numbers indicative only)' : ''}`);
  console.log(`${mc.nproc} × ${mc.cpu}, ${mc.memoryGiB} GiB, ${mc.os}, Node ${mc.node}, Chromium ${mc.chromium}\n`);
  console.log(results.table);
  if (results.errors.length > 0) console.log(`\nNot measured: ${results.errors.map((e) => e.figure).join(', ')}`);

  const dir = join('bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const suffix = quick ? '-quick' : '';
  writeFileSync(join(dir, `latest${suffix}.json`), json);
  writeFileSync(join(dir, `${stamp}${suffix}.json`), json);
  console.log(`\nwritten: ${join(dir, `latest${suffix}.json`)} (and ${stamp}${suffix}.json) in ${(results.durationMs / 1000).toFixed(0)} s`);
  return results.errors.length === 0 ? 0 : 1;
}

main()
  .then((code) => process.exit(code))
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
