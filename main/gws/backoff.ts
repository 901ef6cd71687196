/**
 * Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * `delay = random() * min(cap, base * 2^attempt)`. Spreads reconnecting clients after a server
 * restart instead of having them all hit it in lock-step. `random` is injected for tests.
 */
export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  random: () => number;
}

export function fullJitterDelay(attempt: number, { baseMs = 500, capMs = 30_000, random }: BackoffOptions): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.floor(unit * ceiling);
}
