/**
 * Pure helpers of the benchmark: percentiles, summaries, formatting and the one printed table.
 * No I/O here (test/unit/bench-stats.test.ts covers it).
 */

export interface Summary {
  n: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * Nearest-rank percentile (the smallest value such that at least p % of the samples are ≤ it):
 * always one of the samples, never an interpolation. `sorted` must be ascending; p in [0, 100].
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is not in [0, 100]`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n: 0, min: Number.NaN, mean: Number.NaN, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN };
  let sum = 0;
  for (const x of sorted) sum += x;
  return {
    n,
    min: sorted[0] as number,
    mean: sum / n,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[n - 1] as number,
  };
}

/** `0.41 ms`, `12.3 ms`, `1 234 ms` (three significant figures below 100). */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ms`;
}

/** Added time against a floor: `+0.41 ms`, `−0.05 ms`. */
export function added(value: number, floor: number): string {
  const d = value - floor;
  if (!Number.isFinite(d)) return 'n/a';
  const text = ms(Math.abs(d));
  return d < 0 ? `−${text}` : `+${text}`;
}

/** A ratio against a floor: `×1.23`. */
export function ratio(value: number, floor: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(floor) || floor === 0) return 'n/a';
  return `×${(value / floor).toFixed(2)}`;
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

/** One row of the result table. `pass` is undefined where there is no goal. */
export interface Row {
  figure: string;
  value: string;
  floor: string;
  versus: string;
  goal: string;
  pass?: boolean;
}

const HEADERS: Row = { figure: 'figure', value: 'value', floor: 'floor', versus: 'vs floor', goal: 'goal' };

/** Display width: counts code points (×, −, ≤, ✓ are one column each in a terminal). */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, w: number): string {
  return text + ' '.repeat(Math.max(0, w - width(text)));
}

/** Fixed-width table, one line per row, goals marked ✓ or ✗ (blank when there is no goal). */
export function renderTable(rows: readonly Row[]): string {
  const cols: (keyof Omit<Row, 'pass'>)[] = ['figure', 'value', 'floor', 'versus', 'goal'];
  const widths = cols.map((c) => Math.max(width(HEADERS[c]), ...rows.map((r) => width(r[c]))));
  const line = (r: Row, mark: string) => cols.map((c, i) => pad(r[c], widths[i] as number)).join('  ') + (mark ? `  ${mark}` : '');
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(HEADERS, ''), rule, ...rows.map((r) => line(r, r.pass === undefined ? '' : r.pass ? '✓' : '✗').trimEnd())].join('\n');
}

/** The same table in Markdown (docs/benchmarks.md). */
export function renderMarkdown(rows: readonly Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const head = '| figure | value | floor | vs floor | goal | |\n|---|---|---|---|---|---|';
  const body = rows.map((r) => `| ${esc(r.figure)} | ${esc(r.value)} | ${esc(r.floor)} | ${esc(r.versus)} | ${esc(r.goal)} | ${r.pass === undefined ? '' : r.pass ? '✓' : '✗'} |`);
  return [head, ...body].join('\n');
}

/**
 * Matches published events to observed ones per key: an observation (key, value, time) is the
 * arrival of the LATEST publication of that key and value made before it (`time + tolerance`);
 * a publication's latency is the time of its first such observation. A publication the observer
 * never showed on its own (the screen may coalesce two updates of one key) stays NaN, and never
 * borrows a later publication's arrival. `published` must be in time order.
 */
export function matchInOrder(
  published: readonly { key: string; value: string; time: number }[],
  observed: readonly { key: string; value: string; time: number }[],
  tolerance = 0,
): number[] {
  const byKey = new Map<string, number[]>();
  published.forEach((p, i) => {
    const list = byKey.get(p.key) ?? [];
    list.push(i);
    byKey.set(p.key, list);
  });
  const latency = published.map(() => Number.NaN);
  for (const o of observed) {
    const list = byKey.get(o.key);
    if (list === undefined) continue;
    let match = -1;
    for (const i of list) {
      const p = published[i] as { value: string; time: number };
      if (p.time > o.time + tolerance) break;
      if (p.value === o.value) match = i;
    }
    if (match >= 0 && Number.isNaN(latency[match])) latency[match] = o.time - (published[match] as { time: number }).time;
  }
  return latency;
}
