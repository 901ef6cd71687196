// The After Call Work watcher (issue 12 #2) with a fake host: when it posts, when it returns, and
// that an agent's own choice during wrap-up stands.
import { describe, expect, it } from 'vitest';
import { watchAfterCallWork, wrapUpEndsAt, type AfterCallWorkHost } from '../../main/agent/after-call-work';
import { ManualClock } from '../support/core-fakes';
import type { AgentSnapshot, PreviewPhase, SnapshotKey, UserStateSnapshot } from '../../main/agent/snapshot';
import { initialSnapshot } from '../../main/agent/snapshot';
import { resolveWorkRules, type WorkRulesInput } from '../../main/agent/work-rules';

const T = 1_700_000_000_000;

function fakeHost(rules?: WorkRulesInput) {
  const listeners: Array<(s: AgentSnapshot, c: SnapshotKey[]) => void> = [];
  const posted: string[] = [];
  const base = initialSnapshot(T);
  let snapshot: AgentSnapshot = {
    ...base,
    connection: { state: 'connected', since: T },
    device: { id: 'd', dn: '5001', userState: { state: 'Ready', displayName: 'Ready', since: T }, doNotDisturb: false, capabilities: [] },
    workRules: resolveWorkRules(rules),
  };
  const ack = (name: string) => {
    posted.push(name);
    return Promise.resolve({ referenceId: name, outcome: Promise.resolve('confirmed' as const) });
  };
  const host: AfterCallWorkHost = {
    get snapshot() {
      return snapshot;
    },
    onDidChange: (listener) => {
      listeners.push(listener);
      return { dispose: () => undefined };
    },
    afterCallWork: () => ack('AfterCallWork'),
    ready: () => ack('Ready'),
    notReady: (op) => ack(op ?? 'NotReady'),
  };
  const set = (change: { phase?: PreviewPhase; userState?: Partial<UserStateSnapshot> }) => {
    const changes: SnapshotKey[] = [];
    if (change.userState && snapshot.device) {
      snapshot = { ...snapshot, device: { ...snapshot.device, userState: { ...snapshot.device.userState, ...change.userState } } };
      changes.push('device');
    }
    if (change.phase) {
      snapshot = { ...snapshot, previewRecord: { ...snapshot.previewRecord, phase: change.phase } };
      changes.push('previewRecord');
    }
    for (const l of listeners) l(snapshot, changes);
  };
  watchAfterCallWork(host);
  return { posted, set };
}

const ACW = { state: 'NotReady', workMode: 'AfterCallWork', displayName: 'AfterCallWork' };

describe('After Call Work around wrap-up', () => {
  it('posts After Call Work when the record\'s call ends, and Ready when the record is closed', () => {
    const h = fakeHost();
    h.set({ phase: 'on-call' });
    h.set({ phase: 'wrap-up' });
    expect(h.posted).toEqual(['AfterCallWork']);
    h.set({ userState: ACW });
    h.set({ phase: 'completing' });
    h.set({ phase: 'done' });
    expect(h.posted).toEqual(['AfterCallWork', 'Ready']);
  });

  it('returns to the configured reason the agent had before', () => {
    const h = fakeHost();
    h.set({ userState: { state: 'NotReady', operationName: 'OutToLunch', reason: 'Lunch' } });
    h.set({ phase: 'wrap-up' });
    h.set({ userState: { ...ACW, operationName: undefined, reason: undefined } });
    h.set({ phase: 'done' });
    expect(h.posted).toEqual(['AfterCallWork', 'OutToLunch']);
  });

  it("keeps the agent's own choice made during wrap-up", () => {
    const h = fakeHost();
    h.set({ phase: 'wrap-up' });
    h.set({ userState: ACW });
    h.set({ userState: { state: 'NotReady', workMode: undefined, operationName: 'Break' } });
    h.set({ phase: 'done' });
    expect(h.posted).toEqual(['AfterCallWork']);
  });

  it('does nothing when IT turned it off; a failed Complete (back to wrap-up) posts nothing more', () => {
    const off = fakeHost({ afterCallWork: false });
    off.set({ phase: 'wrap-up' });
    off.set({ phase: 'done' });
    expect(off.posted).toEqual([]);
    const h = fakeHost();
    h.set({ phase: 'wrap-up' });
    h.set({ userState: ACW });
    h.set({ phase: 'completing' });
    h.set({ phase: 'wrap-up' });
    expect(h.posted).toEqual(['AfterCallWork']);
  });
});

describe('the wrap-up window (extensions.WrapUpTime) and Ready when it runs out', () => {
  const ended = (endedAt: number, wrapUpTime?: number) => ({
    callId: 'c1', number: '5551234', callType: 'Outbound', result: 'Answered', startedAt: endedAt - 60_000, durationSec: 60, endedAt,
    ...(wrapUpTime !== undefined && { wrapUpTime }),
  });
  const inAcw = (since: number) => ({ id: 'd', dn: '5001', userState: { ...ACW, since }, doNotDisturb: false, capabilities: [] });

  it('ends WrapUpTime seconds after the call, only in After Call Work begun within it and with no live call', () => {
    const s = { device: inAcw(T + 1_000), calls: {}, callHistory: [ended(T, 30)] };
    expect(wrapUpEndsAt(s)).toBe(T + 30_000);
    expect(wrapUpEndsAt({ ...s, callHistory: [ended(T)] })).toBeUndefined();
    expect(wrapUpEndsAt({ ...s, callHistory: [ended(T, 0)] })).toBeUndefined();
    expect(wrapUpEndsAt({ ...s, device: inAcw(T + 31_000) })).toBeUndefined();
    expect(wrapUpEndsAt({ ...s, device: { ...inAcw(T), userState: { state: 'Ready', displayName: 'Ready', since: T } } })).toBeUndefined();
    const live = { id: 'c2', state: 'Established', stateSince: T, startedAt: T, callType: 'Inbound', participants: [], capabilities: [], userData: {}, muted: false };
    expect(wrapUpEndsAt({ ...s, calls: { c2: live } })).toBeUndefined();
  });

  function acwHost(readyAfterWrapUp: boolean | undefined) {
    const clock = new ManualClock();
    const t0 = clock.now();
    const listeners: Array<(s: AgentSnapshot, c: SnapshotKey[]) => void> = [];
    const posted: string[] = [];
    let snapshot: AgentSnapshot = {
      ...initialSnapshot(t0),
      connection: { state: 'connected', since: t0 },
      device: inAcw(t0 + 500),
      callHistory: [ended(t0, 30)],
      workRules: { ...resolveWorkRules(undefined), ...(readyAfterWrapUp !== undefined && { readyAfterWrapUp: { enabled: readyAfterWrapUp, locked: false } }) },
    };
    const ack = (name: string) => {
      posted.push(name);
      return Promise.resolve({ referenceId: name, outcome: Promise.resolve('confirmed' as const) });
    };
    watchAfterCallWork(
      {
        get snapshot() {
          return snapshot;
        },
        onDidChange: (l) => (listeners.push(l), { dispose: () => undefined }),
        afterCallWork: () => ack('AfterCallWork'),
        ready: () => ack('Ready'),
        notReady: (op) => ack(op ?? 'NotReady'),
      },
      clock,
    );
    const change = (next: Partial<AgentSnapshot>) => {
      snapshot = { ...snapshot, ...next };
      for (const l of listeners) l(snapshot, Object.keys(next) as SnapshotKey[]);
    };
    return { clock, posted, change, t0, get snapshot() { return snapshot; } };
  }

  it('posts Ready once when the window closes, with the setting on', () => {
    const h = acwHost(true);
    h.change({ device: inAcw(h.t0 + 500) });
    h.clock.advance(29_000);
    expect(h.posted).toEqual([]);
    h.clock.advance(1_000);
    expect(h.posted).toEqual(['Ready']);
    h.clock.advance(60_000);
    expect(h.posted).toEqual(['Ready']);
  });

  it('stays in After Call Work with the setting off, or when the agent left it meanwhile', () => {
    const off = acwHost(false);
    off.change({ device: inAcw(off.t0 + 500) });
    off.clock.advance(60_000);
    expect(off.posted).toEqual([]);
    const left = acwHost(true);
    left.change({ device: inAcw(left.t0 + 500) });
    left.clock.advance(10_000);
    left.change({ device: { ...inAcw(left.t0), userState: { state: 'NotReady', displayName: 'Break', operationName: 'Break', since: left.t0 + 10_000 } } });
    left.clock.advance(60_000);
    expect(left.posted).toEqual([]);
  });

  it('turned on during wrap-up: Ready at the same moment', () => {
    const h = acwHost(false);
    h.clock.advance(10_000);
    h.change({ workRules: { ...resolveWorkRules(undefined), readyAfterWrapUp: { enabled: true, locked: false } } });
    h.clock.advance(19_999);
    expect(h.posted).toEqual([]);
    h.clock.advance(1);
    expect(h.posted).toEqual(['Ready']);
  });

  it('IT sets and locks it through the work rules', () => {
    expect(resolveWorkRules({ readyAfterWrapUp: true }).readyAfterWrapUp).toEqual({ enabled: true, locked: true });
    expect(resolveWorkRules({}).readyAfterWrapUp).toBeUndefined();
  });
});
