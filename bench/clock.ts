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
