// The After Call Work watcher (issue 12 #2) with a fake host: when it posts, when it returns, and
// that an agent's own choice during wrap-up stands.
import { describe, expect, it } from 'vitest';
import { watchAfterCallWork, type AfterCallWorkHost } from '../../main/agent/after-call-work';
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
