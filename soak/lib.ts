// Small helpers of the soak runner: a seeded RNG, the fault bag, percentiles.

// blackHole first: with 12 faults (--quick) and 11 kinds it is the one injected twice, once
// anywhere and once right after a re-sign-in.
export const FAULT_KINDS = [
  'blackHole',
  'restart',
  'dropClients',
  'expireSession',
  'failNext',
  'latency',
  'networkCut',
  'lostAck',
  'storm503SignIn',
  'storm503Reread',
  'lostState',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Seeded PRNG in [0, 1) (mulberry32): the same seed gives the same run of faults. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` kinds, each kind as often as the others (±1), in a seeded random order. */
export function shuffledBag<T>(kinds: readonly T[], count: number, random: () => number): T[] {
  const bag = Array.from({ length: count }, (_, i) => kinds[i % kinds.length] as T);
  for (let i = bag.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [bag[i], bag[j]] = [bag[j] as T, bag[i] as T];
  }
  return bag;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

/** `p50 … p95 … max …` (ms), or `n/a`. */
export function describeSpread(values: readonly number[]): string {
  if (values.length === 0) return 'n/a';
  return `p50 ${percentile(values, 50)} ms, p95 ${percentile(values, 95)} ms, max ${Math.max(...values)} ms`;
}

export function describeStats(values: readonly number[]): string {
  if (values.length === 0) return 'n/a';
  return `p50 ${percentile(values, 50)} ms, p99 ${percentile(values, 99)} ms, max ${Math.max(...values)} ms`;
}

/** One line per second: `  +3s  17 ████████`. */
export function histogram(times: readonly number[], origin: number, width = 50): string[] {
  if (times.length === 0) return ['  (none)'];
  const buckets = new Map<number, number>();
  for (const t of times) {
    const second = Math.floor((t - origin) / 1000);
    buckets.set(second, (buckets.get(second) ?? 0) + 1);
  }
  const first = Math.min(...buckets.keys());
  const last = Math.max(...buckets.keys());
  const peak = Math.max(...buckets.values());
  const lines: string[] = [];
  for (let s = first; s <= last; s += 1) {
    const n = buckets.get(s) ?? 0;
    lines.push(`  ${`${s >= 0 ? '+' : ''}${s}s`.padStart(5)} ${String(n).padStart(4)} ${'█'.repeat(Math.round((n / peak) * width))}`);
  }
  return lines;
}
