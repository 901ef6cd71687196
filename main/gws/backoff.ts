/**
 * Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * `delay = random() * min(cap, base * 2^attempt)`. Spreads reconnecting clients after a server
 * restart instead of having them all hit it in lock-step. `random` is injected for tests.
 */
/**
 * The defaults are sized for a contact-center floor: hundreds of agents on one GWS node must not
 * re-handshake in a spike after a restart (soak --agents 300: handshakes spread over 10+ s, every
 * session back within 30 s; docs/reliability.md). One agent's reconnect after a blip waits 2.5 s
 * on average.
 */
export const DEFAULT_BACKOFF = { baseMs: 5_000, capMs: 10_000 } as const;

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  random: () => number;
}

export function fullJitterDelay(attempt: number, { baseMs = DEFAULT_BACKOFF.baseMs, capMs = DEFAULT_BACKOFF.capMs, random }: BackoffOptions): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.floor(unit * ceiling);
}
