// Record outcomes exactly once (gws-api.md §6): an outcome on a record already processed is
// accepted by GWS (statusCode 0) and refused asynchronously on /v2/me/outbound; lost
// acknowledgements (drop-acks) and lost replies (cut-network afterNext) leave the outcome applied.
import { describe, expect, it } from 'vitest';
import type { Json, SimAgent } from '../support/sim-client';
import { useSimulator } from '../support/sim-fixtures';

const fx = useSimulator({ control: true });
const CAMPAIGN = '/api/v2/me/outbound-campaigns/Collections_Preview';
const OUT = '/v2/me/outbound';

const { control } = fx;
const outbound = (a: SimAgent, type: string) => a.waitFor(OUT, (d) => d.notificationType === type);
const userEvent = (a: SimAgent, type: string) => a.waitFor(OUT, (d) => d.messageType === 'DeviceUserEventMessage' && d.userData.GSW_USER_EVENT === type);
const record = (handle: number): Json => (fx.sim.control.state().campaigns[0]?.records as Json[]).find((r) => r.recordHandle === handle);
const complete = { operationName: 'CompleteRecord', callingList: 'CL_Collections', callResult: 'Answer' };

async function nextRecord(a: SimAgent, startSession = true): Promise<Json> {
  if (startSession) {
    await a.op(CAMPAIGN, { operationName: 'StartPreviewSession' });
    await outbound(a, 'PreviewSessionStarted');
  }
  await a.op(CAMPAIGN, { operationName: 'GetPreviewRecord' });
  return (await outbound(a, 'PreviewRecord')).record;
}

/** Barrier on /v2/me/outbound: once this arrives, every earlier outbound message has been received. */
async function outboundBarrier(a: SimAgent): Promise<void> {
  await a.op(CAMPAIGN, { operationName: 'StartPreviewSession', referenceId: 'barrier' });
  await a.waitFor(OUT, (d) => d.notificationType === 'PreviewSessionStarted' && d.referenceId === 'barrier');
}

describe('outcomes exactly once', () => {
  it('a second CompleteRecord with the same referenceId is accepted, refused asynchronously and not applied', async () => {
    const a = await fx.startedAgent();
    const r = await nextRecord(a);
    expect(r.recordHandle).toBe(101);
    await a.op('/api/v2/me/outbound-records/101', { ...complete, referenceId: 'c-1' });
    await outbound(a, 'RecordProcessedAcknowledge');
    await userEvent(a, 'RecordProcessedAcknowledge');

    const again = await a.post('/api/v2/me/outbound-records/101', { ...complete, referenceId: 'c-1' });
    expect([again.status, again.body]).toEqual([200, { statusCode: 0 }]);
    const refusal = await a.waitFor(OUT, (d) => d.messageType === 'ErrorMessage');
    expect(refusal).toEqual({ messageType: 'ErrorMessage', errorCode: 110, errorMessage: 'Record 101 is already processed (CompleteRecord)', referenceId: 'c-1', recordHandle: 101 });
    // No second acknowledgement: it would have been published before the refusal.
    expect(a.pending(OUT).filter((d) => d.notificationType === 'RecordProcessedAcknowledge' || d.messageType === 'DeviceUserEventMessage')).toEqual([]);

    const truth = fx.sim.control.state();
    expect(record(101)).toMatchObject({ status: 'Completed', attempts: 1, callResult: 'Answer' });
    expect(truth.outcomes.filter((o) => o.recordHandle === 101)).toEqual([
      { recordHandle: 101, operationName: 'CompleteRecord', referenceId: 'c-1', userName: 'agent1', at: expect.any(Number) },
    ]);
    expect(truth.refusedDuplicateOutcomes).toBe(1);
  });

  it('every outcome operation on a record this agent released is refused asynchronously; unknown handles stay synchronous', async () => {
    const a = await fx.startedAgent();
    await nextRecord(a); // 101
    await a.op('/api/v2/me/outbound-records/101', { operationName: 'RejectRecord', callingList: 'CL_Collections', referenceId: 'rj' });
    await outbound(a, 'RecordRejectAcknowledge');
    // 101 went back to the queue (status Ready) but this agent's outcome released it: processed for it.
    for (const body of [
      { operationName: 'RejectRecord', callingList: 'CL_Collections' },
      { operationName: 'CancelRecord', callingList: 'CL_Collections' },
      complete,
      { operationName: 'UpdateRecord', phoneNumber: '+15550000001' },
      { operationName: 'DoNotCallRecord' },
      { operationName: 'RescheduleRecord', callbackType: 'Campaign', timestamp: 1 },
    ]) {
      const r = await a.post('/api/v2/me/outbound-records/101', { ...body, referenceId: `dup-${body.operationName}` });
      expect(r.body).toEqual({ statusCode: 0 });
      const err = await a.waitFor(OUT, (d) => d.messageType === 'ErrorMessage');
      expect(err).toMatchObject({ referenceId: `dup-${body.operationName}`, recordHandle: 101 });
    }
    expect(record(101)).toMatchObject({ status: 'Ready', attempts: 0, phoneNumber: '+12125550101' });
    expect(fx.sim.control.state().outcomes.map((o) => o.operationName)).toEqual(['RejectRecord']);
    expect(fx.sim.control.state().refusedDuplicateOutcomes).toBe(6);

    // Parameter errors stay synchronous even on a processed record; unknown handles answer 6.
    expect((await a.post('/api/v2/me/outbound-records/101', { operationName: 'CompleteRecord' })).body.statusCode).toBe(1);
    expect((await a.post('/api/v2/me/outbound-records/101', { ...complete, callResult: 'Maybe' })).body.statusCode).toBe(10);
    expect((await a.post('/api/v2/me/outbound-records/999999', complete)).body.statusCode).toBe(6);
    // A record this agent never held and nobody processed: not held, 6.
    expect((await a.post('/api/v2/me/outbound-records/110', complete)).body.statusCode).toBe(6);
    expect(fx.sim.control.state().refusedDuplicateOutcomes).toBe(6);
  });

  it('the chain records finalized by a primary outcome refuse later outcomes asynchronously', async () => {
    const a = await fx.startedAgent();
    await nextRecord(a); // 101, chain 1 = 101, 102
    await a.op('/api/v2/me/outbound-records/101', complete);
    await outbound(a, 'RecordProcessedAcknowledge');
    expect(record(102)?.status).toBe('Completed');
    expect((await a.post('/api/v2/me/outbound-records/102', { ...complete, referenceId: 'c-102' })).body.statusCode).toBe(0);
    expect(await a.waitFor(OUT, (d) => d.messageType === 'ErrorMessage')).toMatchObject({ referenceId: 'c-102', recordHandle: 102 });
  });
});

describe('lost acknowledgements and replies', () => {
  it('drop-acks: the outcome is applied but neither its acknowledgement nor the user event is published', async () => {
    const a = await fx.startedAgent();
    await nextRecord(a); // 101
    expect((await control('drop-acks', { count: 1, operationName: 'CompleteRecord' })).status).toBe(200);
    expect((await control('drop-acks', { count: 1, operationName: 'Nope' })).status).toBe(400);
    expect(fx.sim.control.state().pendingDroppedAcks).toEqual([{ count: 1, operationName: 'CompleteRecord' }]);

    await a.op('/api/v2/me/outbound-records/101', { ...complete, referenceId: 'lost' });
    await outboundBarrier(a);
    expect(a.received.some((n) => n.data?.notificationType === 'RecordProcessedAcknowledge' || n.data?.messageType === 'DeviceUserEventMessage')).toBe(false);
    const truth = fx.sim.control.state();
    expect(record(101)?.status).toBe('Completed');
    expect(truth.outcomes.map((o) => [o.recordHandle, o.referenceId])).toEqual([[101, 'lost']]);
    expect(truth.pendingDroppedAcks).toEqual([]);

    // The client's retry learns (asynchronously) that it is done: nothing applied twice.
    await a.op('/api/v2/me/outbound-records/101', { ...complete, referenceId: 'lost' });
    expect(await a.waitFor(OUT, (d) => d.messageType === 'ErrorMessage')).toMatchObject({ referenceId: 'lost', recordHandle: 101 });
    expect(fx.sim.control.state().outcomes).toHaveLength(1);

    // The rule was for CompleteRecord only, and used up: the next acknowledgement arrives.
    await nextRecord(a, false);
    await a.op('/api/v2/me/outbound-records/103', { operationName: 'RejectRecord', callingList: 'CL_Collections' });
    await outbound(a, 'RecordRejectAcknowledge');
    await userEvent(a, 'RecordRejectAcknowledge');
  });

  it('drop-acks without operationName swallows any acknowledgement', async () => {
    const a = await fx.startedAgent();
    await nextRecord(a);
    fx.sim.control.dropAcks({ count: 1 });
    await a.op('/api/v2/me/outbound-records/101', { operationName: 'UpdateRecord', otherFields: { notes: 'x' } });
    await outboundBarrier(a);
    expect(a.received.some((n) => n.data?.notificationType === 'UpdateCallCompletionStatsAcknowledge')).toBe(false);
    expect(fx.sim.control.state().outcomes.map((o) => o.operationName)).toEqual(['UpdateRecord']);
  });

  it('cut-network afterNext: the outcome is applied and its HTTP reply lost', async () => {
    const a = await fx.startedAgent();
    await nextRecord(a);
    fx.sim.control.cutNetwork({ ms: 150, afterNext: '/api/v2/me/outbound-records/' });
    await expect(a.post('/api/v2/me/outbound-records/101', complete)).rejects.toThrow();
    expect(record(101)?.status).toBe('Completed');
    expect(fx.sim.control.state().outcomes.map((o) => o.recordHandle)).toEqual([101]);
  });
});
