/**
 * What a process does while it should be doing nothing (figure 8, idle): the event loop's wake-ups,
 * the timers that fired, the HTTP requests that went out and the CPU time, over a window.
 *
 * A wake-up is a burst of callbacks (async_hooks `before`/`after`, timers, sockets, immediates,
 * promises) with no gap of {@link BURST_GAP_MS} inside it: the loop left its poll phase once. A
 * burst that sent a CometD `/meta/connect` is the long poll's (its reply arrived and the next one
 * went out); every other burst is "beyond the long poll". The pure part ({@link WakeupCounter})
 * is covered by test/unit/bench-footprint.test.ts; {@link installProbe} wires it to Node.
 */
import { createHook, executionAsyncResource } from 'node:async_hooks';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

/** Callbacks closer than this belong to one wake-up (setTimeout(0) is 1 ms; a 1 Hz tick is 1000). */
export const BURST_GAP_MS = 5;

export interface Burst {
  start: number;
  /** Callbacks run in it, by type. */
  types: Record<string, number>;
  /** async_hooks type of the callback that woke the loop (Timeout, TCPWRAP, HTTPCLIENTREQUEST, PIPEWRAP…). */
  first: string;
  tags: Set<string>;
}

export interface WakeupSummary {
  windowMs: number;
  callbacks: number;
  wakeups: number;
  /** Bursts that carried a `/meta/connect` (the long poll's reply and the next poll). */
  longPoll: number;
  beyondLongPoll: number;
  beyondPerSec: number;
  /** What woke the loop, for the bursts beyond the long poll. */
  beyondByFirst: Record<string, number>;
}

/** Groups callbacks into wake-ups; time is given, never read (pure). */
export class WakeupCounter {
  readonly bursts: Burst[] = [];
  callbacks = 0;
  private depth = 0;
  private lastAfter = Number.NEGATIVE_INFINITY;

  constructor(private readonly gapMs = BURST_GAP_MS) {}

  before(type: string, t: number): void {
    if (this.depth === 0 && t - this.lastAfter > this.gapMs) this.bursts.push({ start: t, first: type, tags: new Set(), types: {} });
    const burst = this.bursts.at(-1);
    if (burst) burst.types[type] = (burst.types[type] ?? 0) + 1;
    this.depth += 1;
    this.callbacks += 1;
  }

  after(t: number): void {
    this.depth = Math.max(0, this.depth - 1);
    this.lastAfter = t;
  }

  /** Marks the current burst (e.g. 'long-poll' when it sent a /meta/connect). */
  tag(tag: string): void {
    this.bursts.at(-1)?.tags.add(tag);
  }

  /** `ignore`: bursts that are the measurement's own (the IPC message that ends the window). */
  summary(windowMs: number, ignore: (b: Burst) => boolean = () => false): WakeupSummary {
    const counted = this.bursts.filter((b) => !ignore(b));
    const longPoll = counted.filter((b) => b.tags.has('long-poll')).length;
    const beyond = counted.filter((b) => !b.tags.has('long-poll'));
    const beyondByFirst: Record<string, number> = {};
    for (const b of beyond) beyondByFirst[b.first] = (beyondByFirst[b.first] ?? 0) + 1;
    return {
      windowMs,
      callbacks: this.callbacks,
      wakeups: counted.length,
      longPoll,
      beyondLongPoll: beyond.length,
      beyondPerSec: windowMs > 0 ? (beyond.length * 1000) / windowMs : Number.NaN,
      beyondByFirst,
    };
  }
}

/** Is this request path CometD's long poll? (cometd appends the message type: `/notifications/connect`.) */
export function isLongPollPath(path: string): boolean {
  return /\/notifications\/connect(\?|$)/.test(path);
}

/** The first stack frame that is neither Node's nor this probe's: where a timer was set (paths from `root`). */
export function timerOrigin(stack: string | undefined, root = process.cwd()): string {
  const frames = (stack ?? '').split('\n').slice(1).map((l) => l.trim());
  // The hook's own frame comes first, then Node's timer internals, then whoever set the timer.
  const internals = frames.findIndex((f) => f.includes('node:'));
  const own = frames.slice(internals + 1).find((f) => f.startsWith('at ') && !f.includes('node:') && !f.includes('footprint-probe'));
  return (own ?? frames[0] ?? 'unknown').replace(/^at /, '').replaceAll(`file://${root}/`, '').replaceAll(`${root}/`, '');
}

export interface TimerFire {
  origin: string;
  delayMs: number;
  repeat: boolean;
  fires: number;
}

export interface IdleProbeResult {
  windowMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** CPU time over the window, % of one core. */
  cpuPercent: number;
  wakeups: WakeupSummary;
  /** Every timer that fired in the window, by where it was set. */
  timers: TimerFire[];
  /** Fires of timers shorter than 1 s outside the long poll's bursts. */
  fastTimerFires: number;
  /** HTTP requests sent in the window (method + path), the long poll's apart. */
  requests: { longPoll: number; other: string[] };
  eventLoopUtilization: number;
  /** Every wake-up: ms from the window's start, what woke the loop, the callbacks run, tags. */
  bursts: { at: number; first: string; types: Record<string, number>; tags: string[] }[];
}

interface TimerResource {
  _idleTimeout?: number;
  _repeat?: number | null;
  _onTimeout?: { name?: string };
}

export interface IdleProbe {
  stop(): IdleProbeResult;
}

/** Starts recording now; `stop()` returns what happened since. One probe at a time per process. */
export function installProbe(): IdleProbe {
  const counter = new WakeupCounter();
  const timers = new Map<number, { origin: string; delayMs: number; repeat: boolean }>();
  const fired = new Map<string, TimerFire>();
  const types = new Map<number, string>();
  let fastTimerFires = 0;
  const fastInBurst = new Map<Burst, number>();
  const requests = { longPoll: 0, other: [] as string[] };

  const hook = createHook({
    init(asyncId, type, _trigger, resource) {
      types.set(asyncId, type);
      if (type !== 'Timeout') return;
      const r = resource as TimerResource;
      const holder: { stack?: string } = {};
      Error.captureStackTrace(holder);
      timers.set(asyncId, { origin: timerOrigin(holder.stack), delayMs: r._idleTimeout ?? -1, repeat: r._repeat !== null && r._repeat !== undefined });
    },
    before(asyncId) {
      // Resources created before the window have no init here: their constructor names them.
      const resource = types.has(asyncId) ? undefined : (executionAsyncResource() as TimerResource | undefined);
      const type = types.get(asyncId) ?? resource?.constructor?.name ?? 'unknown';
      counter.before(type, performance.now());
      if (type !== 'Timeout') return;
      const timer = timers.get(asyncId) ?? {
        origin: `set before the window: ${resource?._onTimeout?.name || 'anonymous'}`,
        delayMs: resource?._idleTimeout ?? -1,
        repeat: resource?._repeat !== null && resource?._repeat !== undefined,
      };
      const key = `${timer.origin}|${timer.delayMs}|${timer.repeat}`;
      const entry = fired.get(key) ?? { ...timer, fires: 0 };
      entry.fires += 1;
      fired.set(key, entry);
      if (timer.delayMs >= 0 && timer.delayMs < 1000) {
        const burst = counter.bursts.at(-1);
        if (burst) fastInBurst.set(burst, (fastInBurst.get(burst) ?? 0) + 1);
      }
    },
    after() {
      counter.after(performance.now());
    },
    destroy(asyncId) {
      types.delete(asyncId);
      timers.delete(asyncId);
    },
  });

  const onRequest = (message: unknown): void => {
    const request = (message as { request?: ClientRequest }).request;
    const path = request?.path ?? '';
    if (isLongPollPath(path)) {
      requests.longPoll += 1;
      counter.tag('long-poll');
    } else {
      requests.other.push(`${request?.method ?? '?'} ${path}`);
      counter.tag('request');
    }
  };

  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  subscribe('http.client.request.start', onRequest);
  hook.enable();

  return {
    stop(): IdleProbeResult {
      hook.disable();
      unsubscribe('http.client.request.start', onRequest);
      const windowMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      // The IPC message that ends the window woke the loop too: that burst is the measurement's.
      const last = counter.bursts.at(-1);
      const ignore = (b: Burst): boolean => b === last && (b.first === 'PIPEWRAP' || b.first === 'Pipe');
      for (const [burst, n] of fastInBurst) if (!burst.tags.has('long-poll') && !ignore(burst)) fastTimerFires += n;
      return {
        windowMs,
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        cpuPercent: ((cpu.user + cpu.system) / 1000 / windowMs) * 100,
        wakeups: counter.summary(windowMs, ignore),
        timers: [...fired.values()].sort((a, b) => b.fires - a.fires),
        fastTimerFires,
        requests,
        eventLoopUtilization: performance.eventLoopUtilization(elu0).utilization,
        bursts: counter.bursts.slice(0, 500).map((b) => ({ at: Math.round(b.start - t0), first: b.first, types: b.types, tags: [...b.tags] })),
      };
    },
  };
}
