import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentSnapshot } from '../../main/agent/snapshot';
import { DEFAULT_NOTIFICATION_TOGGLES, NotificationDeduper, newlyRingingCallIds, notificationsFor, supportsNotificationActions, testNotification } from '../../main/desktop/notification-rules';
import { T0, call, signedIn, withCalls, withConnection, withRecord } from './desktop-fixtures';

const all = DEFAULT_NOTIFICATION_TOGGLES;
const ready = signedIn('Ready');

describe('notificationsFor', () => {
  it('announces an inbound Ringing call with Answer/Decline', () => {
    const [n, ...rest] = notificationsFor(ready, withCalls(ready, call('c1', 'Ringing')), all);
    expect(rest).toEqual([]);
    expect(n).toMatchObject({ key: 'ringing:c1', kind: 'incoming-call', body: 'Incoming call from Carol Customer (+15551234567)', callId: 'c1', actions: ['answer', 'decline'] });
  });

  it('announces a dialled call when it connects, but not an answered inbound call', () => {
    const dialing = withCalls(ready, call('c2', 'Dialing', { callType: 'Outbound' }));
    const connected = withCalls(ready, call('c2', 'Established', { callType: 'Outbound', establishedAt: T0 + 20_000 }));
    expect(notificationsFor(dialing, connected, all)).toMatchObject([{ key: 'established:c2', kind: 'call-established', body: 'Connected to Carol Customer (+15551234567)' }]);
    const ringing = withCalls(ready, call('c1', 'Ringing'));
    const answered = withCalls(ready, call('c1', 'Established', { establishedAt: T0 + 20_000 }));
    expect(notificationsFor(ringing, answered, all)).toEqual([]);
  });

  it('gives the duration when a call is released, and says "missed" for an unanswered ring', () => {
    const onCall = withCalls(ready, call('c1', 'Established', { establishedAt: T0 }));
    const done = withCalls(ready, call('c1', 'Released', { establishedAt: T0, stateSince: T0 + 133_000 }));
    expect(notificationsFor(onCall, done, all)).toMatchObject([{ key: 'released:c1', kind: 'call-released', body: 'Call with Carol Customer (+15551234567) ended after 2:13' }]);
    const ringing = withCalls(ready, call('c1', 'Ringing'));
    expect(notificationsFor(ringing, withCalls(ready, call('c1', 'Released')), all)).toMatchObject([{ title: 'Missed call' }]);
    // Removed without a Released we saw: still one "ended", with the duration from history.
    const gone = { ...ready, callHistory: [{ callId: 'c1', number: '+15551234567', callType: 'Inbound', result: 'Answered', startedAt: T0, durationSec: 61 }] };
    expect(notificationsFor(onCall, gone, all)).toMatchObject([{ key: 'released:c1', body: expect.stringContaining('1:01') }]);
    // Released, then removed: nothing more.
    expect(notificationsFor(done, ready, all)).toEqual([]);
  });

  it('announces a preview record once per record handle', () => {
    const offered = withRecord(ready, 42);
    expect(notificationsFor(ready, offered, all)).toMatchObject([{ key: 'record:42', kind: 'preview-record', body: 'New record from Spring: +442071234567' }]);
    expect(notificationsFor(offered, { ...offered, previewRecord: { ...offered.previewRecord, since: T0 + 99 } }, all)).toEqual([]);
    expect(notificationsFor(offered, withRecord(ready, 43), all)).toMatchObject([{ key: 'record:43' }]);
  });

  it('announces connection lost and restored, not a sign-out by the agent', () => {
    const lost = withConnection(ready, 'reconnecting', T0 + 50, 'network');
    expect(notificationsFor(ready, lost, all)).toMatchObject([{ key: `connection-lost:${T0 + 50}`, kind: 'connection-lost' }]);
    expect(notificationsFor(lost, withConnection(ready, 'connected', T0 + 60), all)).toMatchObject([{ key: `connection-restored:${T0 + 60}`, kind: 'connection-restored' }]);
    expect(notificationsFor(ready, withConnection(ready, 'signed-out', T0 + 70, 'signed out by user'), all)).toEqual([]);
    expect(notificationsFor(ready, withConnection(ready, 'signed-out', T0 + 70, 'session expired'), all)).toMatchObject([{ title: 'Signed out' }]);
  });

  it('honours each per-event toggle', () => {
    const off = { ...all, incomingCall: false };
    expect(notificationsFor(ready, withCalls(ready, call('c1', 'Ringing')), off)).toEqual([]);
    expect(newlyRingingCallIds(ready, withCalls(ready, call('c1', 'Ringing')))).toEqual(['c1']);
    expect(notificationsFor(ready, withConnection(ready, 'reconnecting', 5), { ...all, connection: false })).toEqual([]);
  });

  it('offers a test notification and knows where buttons work', () => {
    expect(testNotification(5)).toMatchObject({ kind: 'test', key: 'test:5' });
    expect(supportsNotificationActions('darwin')).toBe(true);
    expect(supportsNotificationActions('win32')).toBe(true);
    expect(supportsNotificationActions('linux')).toBe(false);
  });

  it('dedupes keys, bounded', () => {
    const d = new NotificationDeduper(2);
    expect([d.admit('a'), d.admit('a'), d.admit('b'), d.admit('c'), d.admit('a')]).toEqual([true, false, true, true, true]);
  });
});

// Arbitrary snapshots over a few calls, states, records and connection states.
const callState = fc.constantFrom('Dialing', 'Ringing', 'Established', 'Held', 'Released');
const snapshotArb: fc.Arbitrary<AgentSnapshot> = fc
  .record({
    calls: fc.uniqueArray(fc.record({ id: fc.constantFrom('a', 'b', 'c'), state: callState, established: fc.boolean(), type: fc.constantFrom('Inbound', 'Outbound') }), {
      selector: (c) => c.id,
      maxLength: 3,
    }),
    record: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    connection: fc.constantFrom('connected', 'reconnecting', 'offline', 'signed-out', 'connecting') as fc.Arbitrary<AgentSnapshot['connection']['state']>,
    since: fc.integer({ min: 0, max: 5 }),
  })
  .map(({ calls, record, connection, since }) => {
    let s = withCalls(ready, ...calls.map((c) => call(c.id, c.state, { callType: c.type, ...(c.established && { establishedAt: T0 }) })));
    if (record !== undefined) s = withRecord(s, record);
    return withConnection(s, connection, T0 + since);
  });

describe('notification properties', () => {
  it('feeding the same snapshot twice never yields a notification', () => {
    fc.assert(
      fc.property(snapshotArb, (s) => {
        expect(notificationsFor(s, s, all)).toEqual([]);
        expect(notificationsFor(s, structuredClone(s), all)).toEqual([]);
      }),
    );
  });

  it('one transition never yields the same key twice, and replaying a sequence through the deduper shows each key once', () => {
    fc.assert(
      fc.property(fc.array(snapshotArb, { minLength: 2, maxLength: 8 }), (sequence) => {
        const deduper = new NotificationDeduper();
        const shown: string[] = [];
        for (let i = 1; i < sequence.length; i += 1) {
          const batch = notificationsFor(sequence[i - 1]!, sequence[i]!, all);
          expect(new Set(batch.map((n) => n.key)).size).toBe(batch.length);
          for (const n of batch) if (deduper.admit(n.key)) shown.push(n.key);
        }
        expect(new Set(shown).size).toBe(shown.length);
      }),
    );
  });
});
