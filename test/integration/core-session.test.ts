// The agent core against the simulator over real sockets: sign-in, calls, the preview flow.
import { describe, expect, it } from 'vitest';
import type { AgentSession } from '../../main/agent/session';
import { answeredInboundCall, expectNoOperationSentTwice, newInboundCall, waitForCallsToMatchServer, waitForPreviewPhase } from '../support/core-sim';
import { waitForCallState, waitForNoCalls, waitForSnapshot } from '../support/core-wait';
import { useSimulator } from '../support/sim-fixtures';

const fx = useSimulator({ per: 'test' });
const session = (user?: string): Promise<AgentSession> => fx.signedIn(user);

describe('core ↔ simulator', () => {
  it('signs in with Basic auth, the JSESSIONID cookie and the CSRF token, and learns the campaigns', async () => {
    const s = await session();
    const requests = fx.sim.control.requests();
    expect(requests.map((r) => `${r.method} ${r.path}`).slice(0, 3)).toEqual(['GET /api/v2/me', 'GET /api/v2/settings/agent-states', 'POST /api/v2/me']);
    expect(requests[2]).toMatchObject({ status: 200, statusCode: 0, body: { operationName: 'StartContactCenterSession', channels: ['voice'] } });
    await waitForSnapshot(s, (x) => Object.keys(x.campaigns).length === 2, { what: 'two campaigns' });
    expect(s.snapshot.campaigns['Collections_Preview']).toMatchObject({ dialingMode: 'Preview', applicationId: 134 });
    expect(s.snapshot.campaigns['Renewals_Push']?.dialingMode).toBe('PushPreview');
    expect(s.snapshot.user?.agentStates.map((r) => r.operationName)).toContain('OutToLunch');
    const truth = fx.sim.control.state().agents.find((a) => a.userName === 'agent1');
    expect(truth).toMatchObject({ contactCenterSession: true, httpSessions: 1, cometdSessions: 1 });
  });

  it('keeps two sessions in one process apart (no shared cookies)', async () => {
    const a = await session('agent1');
    const b = await session('agent2');
    await a.notReady('OutToLunch');
    await waitForSnapshot(a, (s) => s.device?.userState.reason === 'Lunch', { what: 'agent1 Not Ready Lunch' });
    await b.ready();
    await waitForSnapshot(b, (s) => s.device?.userState.state === 'Ready', { what: 'agent2 Ready' });
    expect(a.snapshot.device?.dn).toBe('5001');
    expect(b.snapshot.device?.dn).toBe('5002');
    expect(a.snapshot.device?.userState.state).toBe('NotReady');
    const truth = fx.sim.control.state().agents;
    expect(truth.find((x) => x.userName === 'agent1')?.cometdSessions).toBe(1);
    expect(truth.find((x) => x.userName === 'agent2')?.cometdSessions).toBe(1);
    const id = fx.sim.control.inboundCall({ to: 'agent2', from: '5559999' });
    await waitForCallState(b, id, 'Ringing');
    expect(a.snapshot.calls).toEqual({});
  });

  it('answers an inbound call, holds, retrieves and hangs up', async () => {
    const s = await session();
    const id = await newInboundCall(fx.sim, s);
    await expect(s.hold(id)).rejects.toMatchObject({ code: 'NOT_ALLOWED_IN_STATE' });
    const answered = await s.answer(id);
    await expect(answered.outcome).resolves.toBe('confirmed');
    await waitForCallState(s, id, 'Established');
    await s.hold(id);
    await waitForCallState(s, id, 'Held');
    await s.retrieve(id);
    await waitForCallState(s, id, 'Established');
    await s.sendDtmf(id, '12#');
    await s.hangup(id);
    await waitForNoCalls(s);
    expect(s.snapshot.callHistory[0]).toMatchObject({ callId: id, result: 'Answered', callType: 'Inbound' });
    expect(fx.sim.control.requests().filter((r) => r.path === `/api/v2/me/calls/${id}` && (r.body as { operationName?: string } | undefined)?.operationName === 'Hold')).toHaveLength(1);
    expectNoOperationSentTwice(fx.sim);
  });

  it('transfers a call (consult, then complete)', async () => {
    const s = await session();
    const id = await answeredInboundCall(fx.sim, s);
    await s.initiateTransfer(id, '5550100');
    const consulted = await waitForSnapshot(s, (x) => Object.values(x.calls).some((c) => c.callType === 'Consult' && c.state === 'Established') && x.calls[id]?.capabilities.includes('CompleteTransfer') === true, {
      what: 'consult established',
    });
    const consult = Object.values(consulted.calls).find((c) => c.callType === 'Consult');
    expect(consulted.calls[id]?.state).toBe('Held');
    await s.completeTransfer(consult?.id ?? '');
    await waitForNoCalls(s);
    await waitForCallsToMatchServer(s, fx.sim);
    expectNoOperationSentTwice(fx.sim);
  });

  it('makes a conference (consult, then complete)', async () => {
    const s = await session();
    const id = await answeredInboundCall(fx.sim, s);
    await s.initiateConference(id, '5550101');
    await waitForSnapshot(s, (x) => x.calls[id]?.capabilities.includes('CompleteConference') === true, { what: 'conference can complete' });
    await s.completeConference(id);
    await waitForSnapshot(s, (x) => Object.keys(x.calls).length === 1 && x.calls[id]?.state === 'Established' && x.calls[id]?.participants.length === 2, { what: 'conference established' });
    await waitForCallsToMatchServer(s, fx.sim);
    await s.hangup(id);
    await waitForNoCalls(s);
  });

  it('runs the whole preview flow, from StartPreviewSession to CompleteRecord, with the seed Dial request', async () => {
    const s = await session();
    await waitForSnapshot(s, (x) => x.campaigns['Collections_Preview'] !== undefined, { what: 'campaign known' });
    await s.startPreviewSession('Collections_Preview');
    await waitForSnapshot(s, (x) => x.campaigns['Collections_Preview']?.previewSessionActive === true, { what: 'preview session' });
    await s.getPreviewRecord('Collections_Preview');
    const offered = await waitForPreviewPhase(s, 'offered');
    const record = offered.previewRecord.record;
    expect(record?.recordHandle).toBe(101);

    const mark = fx.sim.control.requests().at(-1)?.seq ?? 0;
    const [first, second] = [s.dialPreviewRecord(), s.dialPreviewRecord()];
    const ack = await first;
    await second;
    const dials = fx.sim.control.requests(mark).filter((r) => (r.body as { operationName?: string } | undefined)?.operationName === 'Dial');
    expect(dials).toHaveLength(1);
    const dial = dials[0];
    const deviceId = s.snapshot.device?.id;
    expect(dial?.path).toBe(`/api/v2/me/devices/${deviceId}/calls`);
    expect(dial?.statusCode).toBe(0);
    // Field for field, the seed's request: operationName, devicePath, outboundRecord{recordHandle, phoneNumber, outboundCallerId, …, otherFields}
    const body = dial?.body as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['operationName', 'devicePath', 'outboundRecord', 'userData', 'referenceId']);
    expect(body['operationName']).toBe('Dial');
    expect(body['devicePath']).toBe(`/devices/${deviceId}`);
    const truthRecord = fx.sim.control.state().agents.find((a) => a.userName === 'agent1')?.records[0] as Record<string, unknown>;
    const { userData: truthUserData, ...truthFields } = truthRecord;
    expect(body['outboundRecord']).toEqual(truthFields);
    expect(body['outboundRecord']).toMatchObject({ recordHandle: 101, phoneNumber: '+12125550101', outboundCallerId: '8005550100', otherFields: { account_number: 'AC-100234' } });
    expect(body['userData']).toMatchObject({ GSW_RECORD_HANDLE: 101, GSW_CAMPAIGN_NAME: 'Collections_Preview', InteractionType: 'Outbound' });
    expect(Object.keys(truthUserData as object).sort()).toEqual(Object.keys(body['userData'] as object).sort());
    expect(body['referenceId']).toBe(ack.referenceId);

    await waitForPreviewPhase(s, 'on-call');
    const callId = s.snapshot.previewRecord.callId ?? '';
    expect(s.snapshot.calls[callId]?.recordHandle).toBe('101');
    await s.hangup(callId);
    await waitForPreviewPhase(s, 'wrap-up');
    await s.completeRecord();
    await waitForPreviewPhase(s, 'done');
    const complete = fx.sim.control.requests().find((r) => (r.body as { operationName?: string } | undefined)?.operationName === 'CompleteRecord');
    expect(complete?.body).toMatchObject({ callResult: 'Answer', callingList: 'CL_Collections', applicationId: 134, campaignName: 'Collections_Preview' });
    const truth = fx.sim.control.state().campaigns.find((c) => c['name'] === 'Collections_Preview') as { records: Array<{ recordHandle: number; status: string; callResult?: string }> };
    expect(truth.records.find((r) => r.recordHandle === 101)).toMatchObject({ status: 'Completed', callResult: 'Answer' });
    expect(s.snapshot.callHistory[0]).toMatchObject({ recordHandle: '101', result: 'Answer' });
    await s.endPreviewSession('Collections_Preview');
    await waitForSnapshot(s, (x) => x.campaigns['Collections_Preview']?.previewSessionActive === false, { what: 'preview session ended' });
    expectNoOperationSentTwice(fx.sim);
  });

  it('shows a failed operation (ErrorMessage) as a typed error and lastError', async () => {
    const s = await session();
    const ack = await s.dial('5550003');
    await expect(ack.outcome).rejects.toMatchObject({ code: 'SERVER', message: expect.stringMatching(/Invalid called DN/) });
    expect(s.snapshot.lastError).toMatchObject({ code: 'SERVER', operationName: 'Dial', referenceId: ack.referenceId });
  });

  it('signs out cleanly', async () => {
    const s = await session();
    await s.signOut();
    expect(s.snapshot.connection.state).toBe('signed-out');
    const truth = fx.sim.control.state().agents.find((a) => a.userName === 'agent1');
    expect(truth).toMatchObject({ contactCenterSession: false, httpSessions: 0 });
  });
});
