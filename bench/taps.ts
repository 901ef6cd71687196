/**
 * Taps: where the benchmark stamps arrivals in Node. Each keeps `[callId, state, time]` in arrival
 * order and wakes waiters from the listener itself (no polling).
 */
import type { AgentSession } from '../main/agent/session';
import type { AgentSnapshot } from '../main/agent/snapshot';
import type { SimAgent } from '../test/support/sim-client';
import { now } from './clock';

export interface Arrival {
  key: string;
  value: string;
  time: number;
}

export class Tap {
  readonly arrivals: Arrival[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  push(key: string, value: string, time: number): void {
    this.arrivals.push({ key, value, time });
    if (this.waiters.length === 0) return;
    const n = this.arrivals.length;
    this.waiters = this.waiters.filter((w) => {
      if (n < w.count) return true;
      w.resolve();
      return false;
    });
  }

  get length(): number {
    return this.arrivals.length;
  }

  /** Resolves once `count` arrivals happened in total (rejects after `timeoutMs`). */
  waitForCount(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.arrivals.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`only ${this.arrivals.length} of ${count} arrivals after ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }
}

/**
 * The core tap: an `onDidChange` listener registered on the session BEFORE the softphone core's
 * own (listeners run in registration order), so its stamp is "the snapshot changed", before the
 * change is forwarded to the renderer. A call whose object changed is one arrival.
 */
export function tapCore(session: AgentSession): Tap {
  const tap = new Tap();
  let calls: AgentSnapshot['calls'] = session.snapshot.calls;
  session.onDidChange((snapshot, changes) => {
    const t = now();
    if (!changes.includes('calls')) return;
    const before = calls;
    calls = snapshot.calls;
    for (const id in calls) {
      const call = calls[id];
      if (call !== undefined && before[id] !== call) tap.push(id, call.state, t);
    }
    for (const id in before) if (!(id in calls)) tap.push(id, 'Released', t);
  });
  return tap;
}

/** The floor tap: a listener on the floor client's official CometD instance. */
export function tapFloor(floor: SimAgent): Tap {
  const tap = new Tap();
  if (floor.cometd === undefined) throw new Error('the floor client is not connected');
  floor.cometd.addListener('/v2/me/calls', (m) => {
    const t = now();
    const call = (m.data as { call?: { id?: unknown; state?: unknown } } | undefined)?.call;
    if (typeof call?.id === 'string' && typeof call.state === 'string') tap.push(call.id, call.state, t);
  });
  return tap;
}
