// The pure parts of the footprint figure (bench/footprint-probe.ts, bench/footprint-rows.ts): how
// callbacks become wake-ups, which requests are the long poll, and how goals are judged. Times are
// given, never measured: no timing is asserted here.
import { describe, expect, it } from 'vitest';
import { WakeupCounter, isLongPollPath, timerOrigin } from '../../bench/footprint-probe';
import { FOOTPRINT_GOALS, footprintRows } from '../../bench/footprint-rows';
import type { FootprintResult } from '../../bench/footprint-types';
import type { IdleProbeResult } from '../../bench/footprint-probe';

describe('WakeupCounter', () => {
  it('groups callbacks closer than the gap into one wake-up, nested ones included', () => {
    const c = new WakeupCounter(5);
    c.before('Timeout', 0);
    c.before('PROMISE', 0.1); // nested: runs inside the timer's callback
    c.after(0.2);
    c.after(0.3);
    c.before('TickObject', 1); // 0.7 ms after: the same wake-up
    c.after(1.1);
    c.before('Timeout', 1000); // a 1 Hz tick: a new one
    c.after(1000.2);
    const s = c.summary(2000);
    expect(s.wakeups).toBe(2);
    expect(s.callbacks).toBe(4);
    expect(s.beyondPerSec).toBe(1);
    expect(c.bursts[0]?.types).toEqual({ Timeout: 1, PROMISE: 1, TickObject: 1 });
  });

  it("counts a wake-up that sent the long poll as the long poll's, and can ignore the measurement's own", () => {
    const c = new WakeupCounter(5);
    c.before('TCPWRAP', 10);
    c.tag('long-poll');
    c.after(11);
    c.before('Timeout', 500);
    c.after(501);
    c.before('PIPEWRAP', 900);
    c.after(901);
    const s = c.summary(1000, (b) => b.first === 'PIPEWRAP');
    expect(s).toMatchObject({ wakeups: 2, longPoll: 1, beyondLongPoll: 1, beyondByFirst: { Timeout: 1 } });
  });

  it('has no wake-up in an empty window', () => {
    expect(new WakeupCounter().summary(60_000)).toMatchObject({ wakeups: 0, beyondPerSec: 0 });
  });
});

describe('the long poll and where timers come from', () => {
  it("recognises CometD's /meta/connect path (cometd appends the message type)", () => {
    expect(isLongPollPath('/api/v2/notifications/connect')).toBe(true);
    expect(isLongPollPath('/api/v2/notifications/handshake')).toBe(false);
    expect(isLongPollPath('/api/v2/notifications/')).toBe(false);
    expect(isLongPollPath('/api/v2/me/calls?fields=*')).toBe(false);
  });

  it("names the first frame that is neither Node's nor the probe's", () => {
    const stack = [
      'Error',
      '    at init (file:///work/main/bench/footprint-probe.ts:120:7)',
      '    at emitInitNative (node:internal/async_hooks:202:43)',
      '    at new Timeout (node:internal/timers:186:7)',
      '    at Session.wait (file:///work/main/main/agent/recovery.ts:167:30)',
    ].join('\n');
    expect(timerOrigin(stack, '/work/main')).toBe('Session.wait (main/agent/recovery.ts:167:30)');
  });
});

function idle(over: Partial<IdleProbeResult> = {}): IdleProbeResult {
  return {
    windowMs: 60_000,
    cpuUserMs: 60,
    cpuSystemMs: 0,
    cpuPercent: 0.1,
    wakeups: { windowMs: 60_000, callbacks: 10, wakeups: 3, longPoll: 3, beyondLongPoll: 0, beyondPerSec: 0, beyondByFirst: {} },
    timers: [],
    fastTimerFires: 0,
    requests: { longPoll: 3, other: [] },
    eventLoopUtilization: 0.001,
    bursts: [],
    ...over,
  };
}

const summary = { n: 20, min: 1, mean: 1, p50: 1, p95: 1, p99: 1, max: 1 };
const renderer = { windowMs: 60_000, layoutsPerSec: 1, styleRecalcsPerSec: 1, cpuPercent: 0.1, timerFiresPerSec: 1, requests: 0 };

function result(over: Partial<FootprintResult> = {}): FootprintResult {
  return {
    signInMs: 40,
    signInFloorMs: 32,
    idleCoreCpuPercent: 0.1,
    idleCoreCpuFloorPercent: 0.05,
    idleCoreWakeupsPerSec: 0,
    idleCoreWakeupsFloorPerSec: 0,
    idleRendererLayoutsPerSec: 1,
    idleRendererLayoutsFloorPerSec: 0,
    idleRendererLayoutsHiddenPerSec: 0,
    idleRendererLayoutsSignInFormPerSec: 0,
    idleRequestsPerMin: 0,
    idleRequestsFloorPerMin: 0,
    coreRssMb: { afterSignIn: 80, afterCalls: 82 },
    coreRssFloorMb: { afterSignIn: 70, afterCalls: 70 },
    coreHeapMb: { afterSignIn: 15, afterCalls: 16 },
    coreHeapFloorMb: { afterSignIn: 14, afterCalls: 14 },
    rendererHeapMb: { afterSignIn: 3, afterCalls: 3 },
    rendererHeapFloorMb: 0.6,
    coldStartMs: 2_000,
    coldStartFloorMs: 800,
    resumeResyncMs: 50,
    resumeSuspendMs: 60_000,
    chromium: 'test',
    detail: {
      signIn: summary,
      signInToConnected: summary,
      signInCore: summary,
      signInFloor: summary,
      coldStart: summary,
      coldStartFloor: summary,
      coreReady: summary,
      coldStartParts: { coreLoadedMs: 1, coreHarnessMs: 1, browserMs: 1, pageMs: 1, floorBrowserMs: 1, floorPageMs: 1 },
      idle: { core: idle(), floor: idle(), renderer, blank: { ...renderer, layoutsPerSec: 0 }, hidden: { ...renderer, layoutsPerSec: 0 }, signInForm: { ...renderer, layoutsPerSec: 0 } },
      calls: { count: 1_000, liveCalls: 0, historyLength: 100, snapshotBytes: 1 },
      heapAfterIdleMb: { core: 15, floor: 14 },
      resume: { suspendMs: 60_000, connectionHistory: [] },
    },
    ...over,
  };
}

const judged = (f: FootprintResult) => Object.fromEntries(footprintRows(f).filter((r) => r.pass !== undefined).map((r) => [r.figure.replace(/ \(.*\)$/, ''), r.pass]));

describe('footprint goals (issue 16)', () => {
  it('passes every goal of a run that meets them', () => {
    expect(Object.values(judged(result())).every(Boolean)).toBe(true);
  });

  it('judges sign-in as a ratio of its floor, never as a time', () => {
    const limit = FOOTPRINT_GOALS.signInRatio;
    expect(judged(result({ signInMs: limit * 100, signInFloorMs: 100 }))['8 Sign-in: submit→workspace p50']).toBe(true);
    expect(judged(result({ signInMs: limit * 100 + 1, signInFloorMs: 100 }))['8 Sign-in: submit→workspace p50']).toBe(false);
    expect(judged(result({ signInMs: limit * 10, signInFloorMs: 10 }))['8 Sign-in: submit→workspace p50']).toBe(true);
  });

  it('fails idle wake-ups when a timer faster than 1 Hz fired, however few', () => {
    const base = result();
    const fast = result({ detail: { ...base.detail, idle: { ...base.detail.idle, core: idle({ fastTimerFires: 1 }) } } });
    expect(judged(fast)['8 Idle: core wake-ups/s beyond the long poll']).toBe(false);
  });

  it('judges core heap by its growth over the 1,000 calls, and renderer heap by its larger sample', () => {
    const heap = '8 Memory: core heap after sign-in / after 1,000 calls';
    expect(judged(result({ coreHeapMb: { afterSignIn: 15, afterCalls: 20 } }))[heap]).toBe(true);
    expect(judged(result({ coreHeapMb: { afterSignIn: 15, afterCalls: 20.1 } }))[heap]).toBe(false);
    expect(judged(result({ rendererHeapMb: { afterSignIn: 31, afterCalls: 3 } }))['8 Memory: renderer JS heap after sign-in / after calls']).toBe(false);
  });

  it('wants no layout at all when hidden or on the sign-in form', () => {
    expect(judged(result({ idleRendererLayoutsHiddenPerSec: 0.1 }))['8 Idle: renderer layouts/s hidden / sign-in form']).toBe(false);
  });
});
