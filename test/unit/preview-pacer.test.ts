// Preview pacing (issue 13) with a fake host and the real reducer: the countdown starts on an
// offered record when pacing is configured, dials once through the host's Dial when it ends, and
// never dials what the agent would not expect (cancelled, offline, a live call, outside hours).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { watchPreviewPacing, pacedRecord, type PacerHost } from '../../main/agent/preview-pacer';
import { reduce, changedKeys } from '../../main/agent/reducer';
import { initialSnapshot, type AgentSnapshot, type OutboundRecordSnapshot, type PreviewPacingOptions } from '../../main/agent/snapshot';
import { resolveWorkRules, type WorkRulesInput } from '../../main/agent/work-rules';
import { readPreviewPacing } from '../../main/agent/user-settings';
import { previewPacing } from '../../preload/pacing-rules';
import type { AgentEvent, AgentEventInput } from '../../main/agent/events';
import { ManualClock } from '../support/core-fakes';

function record(handle: number, timeZone = 'UTC'): OutboundRecordSnapshot {
  return { recordHandle: handle, phoneNumber: '+15550100', timeZone, otherFields: {}, userData: {}, wire: {} } as unknown as OutboundRecordSnapshot;
}

function fakeHost(options: { rules?: WorkRulesInput; workspace?: PreviewPacingOptions } = {}) {
  const clock = new ManualClock();
  // 12:00 UTC: inside the default calling hours for a customer in UTC.
  clock.advance(Date.UTC(2026, 11, 2, 12, 0) - clock.now());
  const listeners: Array<(s: AgentSnapshot, c: (keyof AgentSnapshot)[]) => void> = [];
  const dialled: unknown[] = [];
  let snapshot: AgentSnapshot = {
    ...initialSnapshot(clock.now()),
    connection: { state: 'connected', since: clock.now() },
    workRules: resolveWorkRules(options.rules),
    user: { id: 'u', userName: 'agent1', firstName: 'A', lastName: 'B', agentStates: [], callResults: [], dispositions: { key: 'DispositionCode', values: [] }, settings: {}, ...(options.workspace && { previewPacing: options.workspace }) },
  };
  const set = (next: AgentSnapshot) => {
    const changes = changedKeys(snapshot, next);
    snapshot = next;
    if (changes.length) for (const l of listeners) l(snapshot, changes);
  };
  const dispatch = (event: AgentEventInput) => set(reduce(snapshot, { ...event, at: event.at ?? clock.now() } as AgentEvent));
  const host: PacerHost = {
    get snapshot() {
      return snapshot;
    },
    onDidChange: (listener) => {
      listeners.push(listener);
      return { dispose: () => undefined };
    },
    dialPreviewRecord: (ref) => {
      dialled.push(ref);
      return Promise.resolve({ referenceId: 'r', outcome: Promise.resolve('confirmed' as const) });
    },
  };
  const pacer = watchPreviewPacing(host, dispatch, clock);
  const offer = (r: OutboundRecordSnapshot) =>
    set({ ...snapshot, previewRecord: { phase: 'offered', since: clock.now(), record: r, chainedRecords: [] } });
  return { clock, pacer, dialled, offer, set, get snapshot() { return snapshot; } };
}

describe('preview pacing: the automatic Dial', () => {
  it('counts down on an offered record, shows it, and dials it once when it ends', () => {
    const h = fakeHost({ rules: { previewAutoDialSeconds: 10 } });
    h.offer(record(7));
    expect(h.snapshot.previewRecord.autoDial).toEqual({ at: h.clock.now() + 10_000, seconds: 10 });
    h.clock.advance(9_999);
    expect(h.dialled).toEqual([]);
    h.clock.advance(1);
    expect(h.dialled).toEqual([{ recordHandle: 7 }]);
    expect(h.snapshot.previewRecord.autoDial).toBeUndefined();
    h.clock.advance(60_000);
    expect(h.dialled).toHaveLength(1);
  });

  it('is off unless configured', () => {
    const h = fakeHost();
    h.offer(record(7));
    expect(h.snapshot.previewRecord.autoDial).toBeUndefined();
    h.clock.advance(600_000);
    expect(h.dialled).toEqual([]);
  });

  it('follows the Workspace option, and IT policy wins over it (0 turns it off)', () => {
    const ws = fakeHost({ workspace: { autoDialSeconds: 5 } });
    ws.offer(record(1));
    expect(ws.snapshot.previewRecord.autoDial?.seconds).toBe(5);
    const off = fakeHost({ rules: { previewAutoDialSeconds: 0 }, workspace: { autoDialSeconds: 5 } });
    off.offer(record(1));
    expect(off.snapshot.previewRecord.autoDial).toBeUndefined();
  });

  it('cancelled with one command: never dials that record, and counts again for the next one', () => {
    const h = fakeHost({ rules: { previewAutoDialSeconds: 10 } });
    h.offer(record(7));
    expect(h.pacer.cancel()).toBe(true);
    expect(h.snapshot.previewRecord.autoDial).toBeUndefined();
    h.clock.advance(30_000);
    expect(h.dialled).toEqual([]);
    expect(h.pacer.cancel()).toBe(false);
    h.offer(record(8));
    expect(h.snapshot.previewRecord.autoDial?.seconds).toBe(10);
  });

  it('stops when the connection drops, and does not dial while offline', () => {
    const h = fakeHost({ rules: { previewAutoDialSeconds: 10 } });
    h.offer(record(7));
    h.set({ ...h.snapshot, connection: { state: 'reconnecting', since: h.clock.now() } as AgentSnapshot['connection'] });
    expect(h.snapshot.previewRecord.autoDial).toBeUndefined();
    h.clock.advance(30_000);
    expect(h.dialled).toEqual([]);
  });

  it('stops when the agent dials or rejects first (the record leaves "offered")', () => {
    const h = fakeHost({ rules: { previewAutoDialSeconds: 10 } });
    h.offer(record(7));
    h.set({ ...h.snapshot, previewRecord: { ...h.snapshot.previewRecord, phase: 'dialing' } });
    expect(h.snapshot.previewRecord.autoDial).toBeUndefined();
    h.clock.advance(30_000);
    expect(h.dialled).toEqual([]);
  });

  it('never starts outside the customer’s calling hours (the agent is asked instead)', () => {
    const h = fakeHost({ rules: { previewAutoDialSeconds: 10 } });
    // 12:00 UTC is 21:00 in Tokyo: outside 08:00–21:00.
    h.offer(record(7, 'Asia/Tokyo'));
    expect(h.snapshot.previewRecord.autoDial).toBeUndefined();
    h.clock.advance(30_000);
    expect(h.dialled).toEqual([]);
  });

  it('never starts while a call is live', () => {
    const h = fakeHost({ rules: { previewAutoDialSeconds: 10 } });
    const call = { id: 'c1', state: 'Established', capabilities: [], participants: [], userData: {}, startedAt: h.clock.now() } as unknown as AgentSnapshot['calls'][string];
    h.set({ ...h.snapshot, calls: { c1: call } });
    h.offer(record(7));
    expect(pacedRecord(h.snapshot, h.clock.now())).toBeUndefined();
    expect(h.snapshot.previewRecord.autoDial).toBeUndefined();
  });
});

describe('preview pacing: what is configured', () => {
  it('reads Workspace’s options in every plausible form', () => {
    expect(readPreviewPacing({ 'outbound.timed-preview-auto-dial': '10' })).toEqual({ autoDialSeconds: 10 });
    expect(readPreviewPacing({ 'outbound.timed-preview-auto-dial': ' 15s ' })).toEqual({ autoDialSeconds: 15 });
    expect(readPreviewPacing({ 'outbound.timed-preview-auto-dial': 20 })).toEqual({ autoDialSeconds: 20 });
    expect(readPreviewPacing({ 'outbound.timed-preview-auto-dial': '-1' })).toEqual({ autoDialSeconds: 0 });
    expect(readPreviewPacing({ 'outbound.timed-preview-auto-dial': 'soon' })).toBeUndefined();
    expect(readPreviewPacing({ 'outbound-callback.ringing-bell': 'WARNING|7|0' })).toEqual({ alertSound: 'warning' });
    expect(readPreviewPacing({ 'outbound-callback.ringing-bell': 'https://x/ding.mp3|7|0' })).toEqual({ alertSound: 'bell' });
    expect(readPreviewPacing({ 'outbound-callback.ringing-bell': '' })).toEqual({ alertSound: 'none' });
    expect(readPreviewPacing({})).toBeUndefined();
  });

  it('never throws on any option value, and an accepted countdown is a whole number of seconds ≥ 0', () => {
    const json = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(json, json, (timed, bell) => {
        const out = readPreviewPacing({ 'outbound.timed-preview-auto-dial': timed, 'outbound-callback.ringing-bell': bell } as never);
        if (out?.autoDialSeconds !== undefined) expect(Number.isInteger(out.autoDialSeconds) && out.autoDialSeconds >= 0).toBe(true);
        const effective = previewPacing({ workRules: undefined, user: { previewPacing: out } as never });
        expect(effective.autoDialSeconds).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('a countdown longer than ten minutes is ignored as a mistake', () => {
    expect(previewPacing({ workRules: undefined, user: { previewPacing: { autoDialSeconds: 3600 } } as never }).autoDialSeconds).toBe(0);
  });
});
