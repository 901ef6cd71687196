import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentSnapshot } from '../../main/agent/snapshot';
import {
  DEFAULT_NOTIFICATION_TOGGLES,
  NotificationDeduper,
  OUTAGE_ESCALATION_MS,
  newlyRingingCallIds,
  notificationsFor,
  outageNotifications,
  supportsNotificationActions,
  testNotification,
} from '../../main/desktop/notification-rules';
import { T0, call, inOutage, localAt, signedIn, withCalls, withConnection, withRecord } from './desktop-fixtures';

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
    expect(notificationsFor(ready, offered, all)).toMatchObject([
      { key: 'record:42', kind: 'preview-record', title: 'Preview record', body: '+442071234567\nLocal time unknown\nCampaign Spring', recordHandle: 42, actions: ['dial', 'reject'] },
    ]);
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

  it('handles resyncing: restored once connected after an outage, lost again if the link breaks during the re-read', () => {
    const lost = inOutage(ready, 'reconnecting', T0 + 50);
    const resyncing = inOutage(ready, 'resyncing', T0 + 50, T0 + 55);
    expect(notificationsFor(ready, lost, all)).toMatchObject([{ key: `connection-lost:${T0 + 50}`, kind: 'connection-lost' }]);
    expect(notificationsFor(lost, resyncing, all)).toEqual([]);
    expect(notificationsFor(resyncing, withConnection(ready, 'connected', T0 + 58), all)).toMatchObject([{ key: `connection-restored:${T0 + 58}`, title: 'Connection restored' }]);
    // The link breaks again while the calls are re-read: the same outage, the same key (shown once).
    expect(notificationsFor(resyncing, inOutage(ready, 'reconnecting', T0 + 50, T0 + 57), all)).toMatchObject([{ key: `connection-lost:${T0 + 50}` }]);
    // A signed-out during the outage (credentials refused) is told.
    expect(notificationsFor(lost, withConnection(ready, 'signed-out', T0 + 90, 'session expired'), all)).toMatchObject([{ title: 'Signed out', body: 'The session with the server ended: session expired.' }]);
  });

  it('says nothing for a quick re-read straight from connected, but "restored" after one that escalated', () => {
    const blip = inOutage(ready, 'resyncing', T0 + 50);
    expect(notificationsFor(ready, blip, all)).toEqual([]);
    expect(notificationsFor(blip, withConnection(ready, 'connected', T0 + 51), all)).toEqual([]);
    expect(notificationsFor(blip, withConnection(ready, 'connected', T0 + 50 + OUTAGE_ESCALATION_MS), all)).toMatchObject([{ kind: 'connection-restored' }]);
  });

  it('escalates an outage once it is a minute old, in the agent\'s locale, keyed by the outage', () => {
    const at = localAt(10, 42);
    const offline = inOutage(withCalls(ready, call('c1', 'Established')), 'reconnecting', at, at + 2_000);
    expect(outageNotifications(offline, at + 59_999, all, 'en-GB')).toEqual([]);
    const [toast, ...rest] = outageNotifications(offline, at + 60_000, all, 'en-GB');
    expect(rest).toEqual([]);
    expect(toast).toMatchObject({ key: `outage:${at}`, kind: 'connection-outage', title: 'Still offline', urgency: 'critical', actions: [] });
    expect(toast?.body).toMatch(/^Offline since 10:42 — calls may still ring on your phone\./);
    // Later in the same outage (even in another phase of it), the same key: the deduper shows one toast.
    expect(outageNotifications(inOutage(ready, 'resyncing', at, at + 70_000), at + 300_000, all, 'en-US')).toMatchObject([
      { key: `outage:${at}`, title: 'Calls not confirmed', body: expect.stringMatching(/^Not confirmed since 10:42\sAM — calls may still ring on your phone/u) },
    ]);
    // A new outage, a new key; none while connected or signed out, none with connection toasts off.
    expect(outageNotifications(inOutage(ready, 'reconnecting', at + 600_000), at + 700_000, all)).toMatchObject([{ key: `outage:${at + 600_000}` }]);
    expect(outageNotifications(ready, at + 700_000, all)).toEqual([]);
    expect(outageNotifications(withConnection(ready, 'signed-out', at), at + 700_000, all)).toEqual([]);
    expect(outageNotifications(offline, at + 60_000, { ...all, connection: false })).toEqual([]);
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
    connection: fc.constantFrom('connected', 'resyncing', 'reconnecting', 'offline', 'signed-out', 'connecting') as fc.Arbitrary<AgentSnapshot['connection']['state']>,
    since: fc.integer({ min: 0, max: 5 }),
    offlineFor: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ calls, record, connection, since, offlineFor }) => {
    let s = withCalls(ready, ...calls.map((c) => call(c.id, c.state, { callType: c.type, ...(c.established && { establishedAt: T0 }) })));
    if (record !== undefined) s = withRecord(s, record);
    if (connection === 'resyncing' || connection === 'reconnecting') return inOutage(s, connection, T0 + since - offlineFor, T0 + since);
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
