import { performance } from 'node:perf_hooks';

/** The benchmark's one Node clock: performance.now() (monotonic, sub-millisecond). */
export const now = (): number => performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function until(what: string, predicate: () => boolean, timeoutMs = 10_000, stepMs = 2): Promise<void> {
  const deadline = now() + timeoutMs;
  while (!predicate()) {
    if (now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

/**
 * A zone where it is mid-afternoon now (`Etc/GMT-N` is UTC+N): inside any calling hours, so the
 * record card's Dial dials at once instead of asking first (outside 08:00–21:00 in the record's
 * zone it asks, and the Dial figure timed out whenever the benchmark ran at night in New York).
 */
export function afternoonZone(at = new Date()): string {
  const offset = ((14 - at.getUTCHours() + 36) % 24) - 12; // UTC−12 … UTC+11, local hour 14
  return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}
