/**
 * When the OS says the machine woke up (resume from sleep, screen unlocked, network changed), the
 * session is told once: several of these events arrive together (a resume is followed by an
 * unlock), and each wake costs a reconnect and a re-read. Electron-free; the adapter is wake.ts.
 */
export interface WakeClock {
  now(): number;
}

/** Events closer together than this are one wake. */
export const WAKE_COALESCE_MS = 3_000;

export class WakeRule {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly clock: WakeClock,
    private readonly onWake: (reason: string) => void,
  ) {}

  /** An OS event: tells the session unless it was told within {@link WAKE_COALESCE_MS}. */
  event(reason: string): boolean {
    const now = this.clock.now();
    if (now - this.last < WAKE_COALESCE_MS) return false;
    this.last = now;
    this.onWake(reason);
    return true;
  }
}
