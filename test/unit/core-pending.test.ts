// PendingReplies (main/agent/pending.ts) with the confirmations (main/agent/confirmations.ts): an
// operation GWS accepted waits for the notification that shows its result. Voice and agent-state
// operations are not documented to echo referenceId (gws-api.md §4), so they are confirmed by the
// state change they cause; an ErrorMessage is matched by referenceId, else by call, else it answers
// the most recent operation still waiting.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confirmAgentState, confirmCallOperation, confirmRecordOperation } from '../../main/agent/confirmations';
import type { Outcome, PendingSpec } from '../../main/agent/pending';
import { PendingReplies } from '../../main/agent/pending';
import { reduce } from '../../main/agent/reducer';
import type { AgentSnapshot, UserSnapshot } from '../../main/agent/snapshot';
import { initialSnapshot } from '../../main/agent/snapshot';
import { decodeNotification } from '../../main/gws/decode';
import { GwsError } from '../../main/gws/errors';
import { silentLogger } from '../../main/gws/logger';
import { ManualClock } from '../support/core-fakes';
import { callMessage, recordMessage } from '../support/core-fixtures';

const TIMEOUT_MS = 15_000;

const USER: UserSnapshot = {
  id: 'u1',
  userName: 'agent1',
  firstName: 'A',
  lastName: 'A',
  agentStates: [{ operationName: 'OutToLunch', displayName: 'Out to Lunch', state: 'NotReady', reason: 'Lunch' }],
  callResults: ['Answer'],
  dispositions: { key: 'DispositionCode', values: [] },
  settings: {},
};

const devices = (state: string, extra: Record<string, unknown> = {}) => ({
  messageType: 'DeviceStateChangeMessage',
  devices: [{ id: 'dev-1', deviceState: 'Active', phoneNumber: '5001', doNotDisturb: 'Off', capabilities: [], userState: { state, ...extra } }],
});

/** A session's inbound path without the session: decode → reduce → settle. */
function world() {
  const clock = new ManualClock();
  const expired: string[] = [];
  const pending = new PendingReplies(clock, TIMEOUT_MS, (referenceId) => expired.push(referenceId));
  let snapshot: AgentSnapshot = { ...initialSnapshot(0), user: USER };
  const feed = (channel: string, data: unknown) => {
    const notification = decodeNotification(channel, data, silentLogger);
    if (!notification) throw new Error(`not decoded: ${JSON.stringify(data)}`);
    snapshot = reduce(snapshot, { type: 'notification', notification, at: clock.now() });
    return pending.settle(notification, snapshot);
  };
  /** Starts waiting and records how it settles (without waiting for it). */
  const wait = (spec: PendingSpec) => {
    const result: { outcome?: Outcome; error?: GwsError } = {};
    pending.add(spec).then(
      (outcome) => (result.outcome = outcome),
      (error: GwsError) => (result.error = error),
    );
    return result;
  };
  return { clock, expired, pending, feed, wait, get snapshot() { return snapshot; } };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

/** A world with calls A (callUuid uuid-A, connId conn-A) and B established. */
function withCalls() {
  const w = world();
  w.feed('/v2/me/calls', callMessage('A', 'Established', { callUuid: 'uuid-A', connId: 'conn-A' }));
  w.feed('/v2/me/calls', callMessage('B', 'Established', { callUuid: 'uuid-B', connId: 'conn-B' }));
  return w;
}

const onCall = (w: ReturnType<typeof world>, referenceId: string, callId: string, operationName: string): PendingSpec => ({
  referenceId,
  operationName,
  target: 'call',
  targetId: callId,
  confirm: confirmCallOperation(w.snapshot, callId, operationName),
});

describe('an ErrorMessage naming a call by another of its ids', () => {
  it('fails the operation on that call, not the newest call operation', () => {
    const clock = new ManualClock();
    const pending = new PendingReplies(clock, 15_000, () => undefined);
    const onA = pending.add({ referenceId: 'rA', operationName: 'Hold', target: 'call', targetId: 'conn-A', aliases: ['uuid-A'] });
    const onB = pending.add({ referenceId: 'rB', operationName: 'Hold', target: 'call', targetId: 'conn-B', aliases: ['uuid-B'] });
    const settled = pending.settle({ kind: 'error', channel: '/v2/me/calls', message: 'Hold failed', callId: 'uuid-A' }, initialSnapshot(0));
    expect(settled.failed?.referenceId).toBe('rA');
    expect(pending.has('rB')).toBe(true);
    void onB;
    return expect(onA).rejects.toMatchObject({ message: 'Hold failed' });
  });
});

describe('PendingReplies: confirmed by the state change', () => {
  it('Hold is confirmed by the call becoming Held, with no referenceId anywhere', async () => {
    const w = withCalls();
    const hold = w.wait(onCall(w, 'r1', 'A', 'Hold'));
    expect(w.feed('/v2/me/calls', callMessage('B', 'Held')).confirmed).toEqual([]); // another call
    expect(w.feed('/v2/me/calls', callMessage('A', 'Established', { userData: { x: 1 } })).confirmed).toEqual([]); // not held yet
    expect(w.pending.has('r1')).toBe(true);
    expect(w.feed('/v2/me/calls', callMessage('A', 'Held')).confirmed).toEqual(['r1']);
    await settled();
    expect(hold).toEqual({ outcome: 'confirmed' });
    expect(w.pending.has('r1')).toBe(false);
  });

  it.each([
    ['its callUuid', { id: 'uuid-A', callUuid: 'uuid-A' }],
    ['its connId', { id: 'conn-A', connId: 'conn-A' }],
    ['another id but its callUuid', { id: 'X-1', callUuid: 'uuid-A' }],
    ['another id but its connId', { id: 'X-2', connId: 'conn-A' }],
  ])('a notification naming the call by %s confirms it', async (_, ids) => {
    const w = withCalls();
    const hold = w.wait(onCall(w, 'r1', 'A', 'Hold'));
    const { id, ...rest } = ids;
    expect(w.feed('/v2/me/calls', callMessage(id, 'Held', rest)).confirmed).toEqual(['r1']);
    await settled();
    expect(hold.outcome).toBe('confirmed');
  });

  it('Answer and Retrieve by Established, Hangup by Released', () => {
    const w = world();
    w.feed('/v2/me/calls', callMessage('R', 'Ringing'));
    w.wait(onCall(w, 'answer', 'R', 'Answer'));
    expect(w.feed('/v2/me/calls', callMessage('R', 'Established')).confirmed).toEqual(['answer']);
    w.wait(onCall(w, 'hangup', 'R', 'Hangup'));
    expect(w.feed('/v2/me/calls', callMessage('R', 'Held')).confirmed).toEqual([]);
    expect(w.feed('/v2/me/calls', callMessage('R', 'Released')).confirmed).toEqual(['hangup']);
  });

  it('SendDtmf is confirmed by notificationType DtmfSent, not by a status change', async () => {
    const w = withCalls();
    const dtmf = w.wait(onCall(w, 'r1', 'A', 'SendDtmf'));
    expect(w.feed('/v2/me/calls', callMessage('A', 'Established')).confirmed).toEqual([]);
    expect(w.feed('/v2/me/calls', callMessage('B', 'Established', {}, { notificationType: 'DtmfSent' })).confirmed).toEqual([]);
    expect(w.feed('/v2/me/calls', callMessage('A', 'Established', {}, { notificationType: 'DtmfSent' })).confirmed).toEqual(['r1']);
    await settled();
    expect(dtmf.outcome).toBe('confirmed');
  });

  it('Ready is confirmed by a devices message with state Ready', async () => {
    const w = world();
    w.feed('/v2/me/devices', devices('NotReady'));
    const ready = w.wait({ referenceId: 'r1', operationName: 'Ready', target: 'channel', targetId: 'voice', confirm: confirmAgentState('Ready') });
    expect(w.feed('/v2/me/devices', devices('NotReady', { workMode: 'AfterCallWork' })).confirmed).toEqual([]);
    expect(w.feed('/v2/me/calls', callMessage('A', 'Ringing')).confirmed).toEqual([]);
    expect(w.feed('/v2/me/devices', devices('Ready')).confirmed).toEqual(['r1']);
    await settled();
    expect(ready.outcome).toBe('confirmed');
  });

  it('a configured state (OutToLunch, reason Lunch) is confirmed by NotReady with reason Lunch only', async () => {
    const w = world();
    w.feed('/v2/me/devices', devices('Ready'));
    const lunch = USER.agentStates[0];
    const pending = w.wait({ referenceId: 'r1', operationName: 'OutToLunch', target: 'channel', targetId: 'voice', confirm: confirmAgentState('OutToLunch', lunch) });
    expect(w.feed('/v2/me/devices', devices('NotReady')).confirmed).toEqual([]);
    expect(w.feed('/v2/me/devices', devices('NotReady', { reason: 'Break' })).confirmed).toEqual([]);
    expect(w.feed('/v2/me/devices', devices('Ready', { reason: 'Lunch' })).confirmed).toEqual([]);
    expect(w.feed('/v2/me/devices', devices('NotReady', { reason: 'Lunch', displayName: 'Out to Lunch' })).confirmed).toEqual(['r1']);
    await settled();
    expect(pending.outcome).toBe('confirmed');
    expect(w.snapshot.device?.userState).toMatchObject({ state: 'NotReady', reason: 'Lunch', operationName: 'OutToLunch' });
  });

  it('the reason may arrive spelled reasonCode', () => {
    const w = world();
    w.wait({ referenceId: 'r1', operationName: 'OutToLunch', target: 'channel', confirm: confirmAgentState('OutToLunch', USER.agentStates[0]) });
    expect(w.feed('/v2/me/devices', devices('NotReady', { reasonCode: 'Lunch' })).confirmed).toEqual(['r1']);
  });

  it('an echoed referenceId confirms any operation, even one with no confirmation of its own', () => {
    const w = world();
    w.wait({ referenceId: 'r9', operationName: 'GetChainedRecord', target: 'record', targetId: '431' });
    expect(w.feed('/v2/me/outbound', recordMessage('ChainedRecord', undefined, 'other')).confirmed).toEqual([]);
    expect(w.feed('/v2/me/outbound', recordMessage('ChainedRecordsDataEnd', undefined, 'r9')).confirmed).toEqual(['r9']);
  });

  it('a record operation is confirmed by its acknowledgement for that record', () => {
    const w = world();
    w.wait({ referenceId: 'r1', operationName: 'RejectRecord', target: 'record', targetId: '431', confirm: confirmRecordOperation('RejectRecord', '431') });
    expect(w.feed('/v2/me/outbound', recordMessage('RecordCancelAcknowledge')).confirmed).toEqual([]);
    expect(w.feed('/v2/me/outbound', { messageType: 'OutboundRecordMessage', notificationType: 'RecordRejectAcknowledge', recordHandle: 432 }).confirmed).toEqual([]);
    expect(w.feed('/v2/me/outbound', { messageType: 'OutboundRecordMessage', notificationType: 'RecordRejectAcknowledge', recordHandle: 431 }).confirmed).toEqual(['r1']);
  });

  it('a confirmation that throws counts as "not this one" and the loop goes on', () => {
    const w = world();
    w.wait({ referenceId: 'bad', operationName: 'X', target: 'me', confirm: () => { throw new Error('boom'); } });
    w.wait({ referenceId: 'good', operationName: 'Ready', target: 'channel', confirm: confirmAgentState('Ready') });
    expect(w.feed('/v2/me/devices', devices('Ready')).confirmed).toEqual(['good']);
    expect(w.pending.has('bad')).toBe(true);
  });
});

describe('PendingReplies: errors', () => {
  it('an ErrorMessage with a referenceId rejects that operation only', async () => {
    const w = withCalls();
    const a = w.wait(onCall(w, 'rA', 'A', 'Hold'));
    const b = w.wait(onCall(w, 'rB', 'B', 'Hold'));
    const result = w.feed('/v2/me/calls', { messageType: 'ErrorMessage', errorCode: 51, errorMessage: 'Invalid state', referenceId: 'rA' });
    expect(result.failed).toMatchObject({ referenceId: 'rA', operationName: 'Hold' });
    await settled();
    expect(a.error).toBeInstanceOf(GwsError);
    expect(a.error).toMatchObject({ code: 'SERVER', message: 'Invalid state', operationName: 'Hold', referenceId: 'rA' });
    expect(b).toEqual({});
    expect(w.pending.has('rB')).toBe(true);
  });

  it('an ErrorMessage for a referenceId nobody waits for fails nothing', () => {
    const w = withCalls();
    w.wait(onCall(w, 'rA', 'A', 'Hold'));
    expect(w.feed('/v2/me/calls', { messageType: 'ErrorMessage', errorMessage: 'x', referenceId: 'someone-else' })).toEqual({ confirmed: [] });
    expect(w.pending.has('rA')).toBe(true);
  });

  it('an ErrorMessage naming only a call fails the operation on that call, not the newest one', async () => {
    const w = withCalls();
    const a = w.wait(onCall(w, 'rA', 'A', 'Hold'));
    const b = w.wait(onCall(w, 'rB', 'B', 'Hold'));
    w.wait({ referenceId: 'rReady', operationName: 'Ready', target: 'channel', confirm: confirmAgentState('Ready') });
    const result = w.feed('/v2/me/calls', { messageType: 'ErrorMessage', errorMessage: 'Hold refused', call: { id: 'A' } });
    expect(result.failed?.referenceId).toBe('rA');
    await settled();
    expect(a.error?.message).toBe('Hold refused');
    expect(b).toEqual({});
    expect(w.pending.has('rB') && w.pending.has('rReady')).toBe(true);
  });

  it('an ErrorMessage with no fields at all fails the most recent waiter, with a message the agent can read', async () => {
    const w = withCalls();
    const older = w.wait(onCall(w, 'r1', 'A', 'Hold'));
    const newest = w.wait({ referenceId: 'r2', operationName: 'Ready', target: 'channel', confirm: confirmAgentState('Ready') });
    const result = w.feed('/v2/me/devices', { messageType: 'ErrorMessage' });
    expect(result.failed?.referenceId).toBe('r2');
    await settled();
    expect(newest.error?.message).toBe('The server refused the last operation');
    expect(older).toEqual({});
    // The next one answers the next most recent.
    expect(w.feed('/v2/me/calls', { messageType: 'ErrorMessage' }).failed?.referenceId).toBe('r1');
    expect(w.feed('/v2/me/calls', { messageType: 'ErrorMessage' })).toEqual({ confirmed: [] });
  });

  it('an ErrorMessage naming a record fails the operation on that record', () => {
    const w = withCalls();
    w.wait({ referenceId: 'rec', operationName: 'RejectRecord', target: 'record', targetId: '431' });
    w.wait(onCall(w, 'rA', 'A', 'Hold'));
    expect(w.feed('/v2/me/outbound', { messageType: 'ErrorMessage', errorMessage: 'no', recordHandle: 431 }).failed?.referenceId).toBe('rec');
    expect(w.feed('/v2/me/outbound', { messageType: 'ErrorMessage', errorMessage: 'no', recordHandle: 999 }).failed).toBeUndefined();
  });
});

describe('PendingReplies: time and teardown', () => {
  it('resolves "unconfirmed" after the timeout and reports it as expired', async () => {
    const w = withCalls();
    const hold = w.wait(onCall(w, 'r1', 'A', 'Hold'));
    w.clock.advance(TIMEOUT_MS - 1);
    await settled();
    expect(hold).toEqual({});
    expect(w.expired).toEqual([]);
    w.clock.advance(1);
    await settled();
    expect(hold).toEqual({ outcome: 'unconfirmed' });
    expect(w.expired).toEqual(['r1']);
    expect(w.pending.has('r1')).toBe(false);
    // A late Held no longer confirms anything, and nothing expires twice.
    expect(w.feed('/v2/me/calls', callMessage('A', 'Held')).confirmed).toEqual([]);
    w.clock.advance(10 * TIMEOUT_MS);
    expect(w.expired).toEqual(['r1']);
  });

  it('a confirmed operation never expires', async () => {
    const w = withCalls();
    w.wait(onCall(w, 'r1', 'A', 'Hold'));
    w.feed('/v2/me/calls', callMessage('A', 'Held'));
    w.clock.advance(10 * TIMEOUT_MS);
    await settled();
    expect(w.expired).toEqual([]);
  });

  it('abandon() and clear() settle waiters as unconfirmed without reporting them expired', async () => {
    const w = withCalls();
    const a = w.wait(onCall(w, 'r1', 'A', 'Hold'));
    const b = w.wait(onCall(w, 'r2', 'B', 'Hold'));
    const c = w.wait({ referenceId: 'r3', operationName: 'Ready', target: 'channel' });
    w.pending.abandon('r1');
    w.pending.clear();
    await settled();
    expect([a.outcome, b.outcome, c.outcome]).toEqual(['unconfirmed', 'unconfirmed', 'unconfirmed']);
    w.clock.advance(10 * TIMEOUT_MS);
    expect(w.expired).toEqual([]);
  });

  it('every waiter settles exactly once, whatever arrives and whenever (property)', async () => {
    const event = fc.oneof(
      fc.record({ kind: fc.constant('held' as const), call: fc.constantFrom('A', 'B', 'uuid-A', 'conn-B') }),
      fc.record({ kind: fc.constant('error' as const), referenceId: fc.option(fc.constantFrom('r0', 'r1', 'r2', 'r3'), { nil: undefined }), call: fc.option(fc.constantFrom('A', 'B'), { nil: undefined }) }),
      fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: TIMEOUT_MS }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 12 }), async (events) => {
        const w = withCalls();
        let settlements = 0;
        const ids = ['r0', 'r1', 'r2', 'r3'];
        ids.forEach((id, i) => {
          const spec = onCall(w, id, i % 2 === 0 ? 'A' : 'B', i < 2 ? 'Hold' : 'Hangup');
          w.pending.add(spec).then(
            () => (settlements += 1),
            () => (settlements += 1),
          );
        });
        for (const e of events) {
          if (e.kind === 'held') w.feed('/v2/me/calls', callMessage(e.call, 'Held'));
          else if (e.kind === 'error') w.feed('/v2/me/calls', { messageType: 'ErrorMessage', ...(e.referenceId && { referenceId: e.referenceId }), ...(e.call && { call: { id: e.call } }) });
          else w.clock.advance(e.ms);
        }
        w.clock.advance(TIMEOUT_MS);
        await settled();
        expect(settlements).toBe(ids.length);
        for (const id of ids) expect(w.pending.has(id)).toBe(false);
        expect(new Set(w.expired).size).toBe(w.expired.length);
      }),
      { numRuns: 300 },
    );
  });
});
