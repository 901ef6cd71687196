import { describe, expect, it } from 'vitest';
import type { Json, SimAgent } from '../support/sim-client';
import { useSimulator } from '../support/sim-fixtures';

const fx = useSimulator();

const callMsg = (a: SimAgent, pred: (d: Json) => boolean) =>
  a.waitFor('/v2/me/calls', (d) => d.messageType === 'CallStateChangeMessage' && pred(d));
const state = (a: SimAgent, id: string, s: string) => callMsg(a, (d) => d.call?.id === id && d.call.state === s);
const callOp = (a: SimAgent, id: string, body: Json) => a.op(`/api/v2/me/calls/${id}`, body);

async function established(a: SimAgent, phoneNumber = '+15551230000'): Promise<string> {
  await a.op(`/api/v2/me/devices/${a.deviceId}/calls`, { operationName: 'Dial', destination: { phoneNumber } });
  const dialing = await callMsg(a, (d) => d.call.state === 'Dialing');
  expect(dialing.call.callType).toBe('Outbound');
  await state(a, dialing.call.id, 'Established');
  return dialing.call.id;
}

describe('calls', () => {
  it('rings an inbound call, answers it, and sees the remote hang up', async () => {
    const a = await fx.startedAgent();
    const id = fx.sim.control.inboundCall({ to: 'agent1', from: '+14155550000', userData: { IVR_Choice: 'billing' } });
    const ringing = await state(a, id, 'Ringing');
    expect(ringing.call).toMatchObject({ callType: 'Inbound', ani: '+14155550000', userData: { IVR_Choice: 'billing' } });
    expect(ringing.call.dnis).toBeUndefined();
    expect(ringing.call.capabilities).toContain('Answer');
    expect(ringing.call.participants[0]).toEqual({ e164Number: '+14155550000', formattedPhoneNumber: '+14155550000', phoneNumber: '+14155550000', digits: '+14155550000' });
    await callOp(a, id, { operationName: 'Answer', referenceId: 7 });
    const est = await state(a, id, 'Established');
    // Voice operations are confirmed by the state change, not by an echoed referenceId (default dialect).
    expect(est.referenceId).toBeUndefined();
    fx.sim.control.remoteHangup(id);
    await state(a, id, 'Released');
    expect(fx.sim.control.state().agents[0]?.calls).toEqual([]);
  });

  it('holds and retrieves; sends DTMF; attaches, updates and deletes user data', async () => {
    const a = await fx.startedAgent();
    const id = await established(a);
    await callOp(a, id, { operationName: 'Hold' });
    const held = await state(a, id, 'Held');
    expect(held.call.capabilities).toEqual(expect.arrayContaining(['Retrieve', 'Hangup']));
    expect(held.call.capabilities).not.toContain('SendDtmf');
    // DTMF is not valid on hold: statusCode 2, nothing sent.
    const refused = await a.post(`/api/v2/me/calls/${id}`, { operationName: 'SendDtmf', digits: '9' });
    expect(refused.body.statusCode).toBe(2);
    await callOp(a, id, { operationName: 'Retrieve' });
    await state(a, id, 'Established');
    await callOp(a, id, { operationName: 'SendDtmf', digits: '12#' });
    await callMsg(a, (d) => d.notificationType === 'DtmfSent');
    await callOp(a, id, { operationName: 'SendDtmf', digits: '*3' });
    await callMsg(a, (d) => d.notificationType === 'DtmfSent');
    expect(fx.sim.control.state().agents[0]?.calls[0]?.dtmfDigits).toBe('12#*3');

    await callOp(a, id, { operationName: 'AttachUserData', userData: { a: 1, b: 'two' } });
    expect((await callMsg(a, (d) => d.notificationType === 'AttachedDataChanged')).call.userData).toEqual({ a: 1, b: 'two' });
    await callOp(a, id, { operationName: 'UpdateUserData', userData: { b: 'three' } });
    expect((await callMsg(a, (d) => d.notificationType === 'AttachedDataChanged')).call.userData).toEqual({ a: 1, b: 'three' });
    await callOp(a, id, { operationName: 'DeleteUserDataPair', key: 'a' });
    expect((await callMsg(a, (d) => d.notificationType === 'AttachedDataChanged')).call.userData).toEqual({ b: 'three' });
    await callOp(a, id, { operationName: 'DeleteUserData' });
    expect((await callMsg(a, (d) => d.notificationType === 'AttachedDataChanged')).call.userData).toEqual({});
    await callOp(a, id, { operationName: 'StartCallRecording' });
    expect((await callMsg(a, (d) => d.call.recordingState === 'Recording')).call.capabilities).toContain('StopCallRecording');
  });

  it('consult transfer: original held, consult dialled then established, CompleteTransfer releases both', async () => {
    const a = await fx.startedAgent();
    const id = await established(a);
    await callOp(a, id, { operationName: 'InitiateTransfer', destination: { phoneNumber: '6001' }, userData: { reason: 'expert' } });
    await state(a, id, 'Held');
    const consult = await callMsg(a, (d) => d.call.callType === 'Consult' && d.call.state === 'Dialing');
    const cid = consult.call.id;
    expect(consult.call.userData.reason).toBe('expert');
    const est = await state(a, cid, 'Established');
    expect(est.call.capabilities).toEqual(expect.arrayContaining(['CompleteTransfer', 'CompleteConference', 'SwapCalls']));
    const orig = await callMsg(a, (d) => d.call.id === id && d.call.capabilities.includes('CompleteTransfer'));
    expect(orig.call.state).toBe('Held');

    await callOp(a, cid, { operationName: 'SwapCalls', otherCallUri: `${fx.sim.url}/api/v2/me/calls/${id}` });
    await state(a, cid, 'Held');
    await state(a, id, 'Established');
    await callOp(a, id, { operationName: 'SwapCalls' });
    await state(a, id, 'Held');
    await state(a, cid, 'Established');

    await callOp(a, cid, { operationName: 'CompleteTransfer' });
    await state(a, cid, 'Released');
    await state(a, id, 'Released');
    expect((await a.get('/api/v2/me/calls')).body.uris).toEqual([]);
  });

  it('consult conference: CompleteConference merges the parties (ParticipantsUpdated)', async () => {
    const a = await fx.startedAgent();
    const id = await established(a, '+15551112222');
    await callOp(a, id, { operationName: 'InitiateConference', destination: { phoneNumber: '6002' } });
    const consult = await callMsg(a, (d) => d.call.callType === 'Consult' && d.call.state === 'Dialing');
    await state(a, consult.call.id, 'Established');
    await callOp(a, id, { operationName: 'CompleteConference' });
    await state(a, consult.call.id, 'Released');
    const upd = await callMsg(a, (d) => d.notificationType === 'ParticipantsUpdated');
    expect(upd.call.id).toBe(id);
    expect(upd.call.state).toBe('Established');
    expect(upd.call.participants.map((p: Json) => p.phoneNumber)).toEqual(['+15551112222', '6002']);
  });

  it('single-step transfer releases the call; single-step conference adds a party', async () => {
    const a = await fx.startedAgent();
    const id = await established(a);
    await callOp(a, id, { operationName: 'SingleStepConference', destination: { phoneNumber: '6003' } });
    expect((await callMsg(a, (d) => d.notificationType === 'ParticipantsUpdated')).call.participants).toHaveLength(2);
    await callOp(a, id, { operationName: 'SingleStepTransfer', destination: { phoneNumber: '6004' }, referenceId: 'sst' });
    const rel = await state(a, id, 'Released');
    expect(rel.referenceId).toBeUndefined();
  });

  it('an internal call to another agent rings that agent; answering connects both', async () => {
    const a = await fx.startedAgent('agent1');
    const b = await fx.startedAgent('agent2');
    await a.op(`/api/v2/me/devices/${a.deviceId}/calls`, { operationName: 'Dial', destination: { phoneNumber: '5002' } });
    const out = await callMsg(a, (d) => d.call.state === 'Dialing');
    expect(out.call.callType).toBe('Internal');
    const ring = await callMsg(b, (d) => d.call.state === 'Ringing');
    expect(ring.call).toMatchObject({ callType: 'Internal', ani: '5001', connId: out.call.connId });
    expect(ring.phoneNumber).toBe('5002');
    await callOp(b, ring.call.id, { operationName: 'Answer' });
    await state(b, ring.call.id, 'Established');
    await state(a, out.call.id, 'Established');
    await callOp(b, ring.call.id, { operationName: 'Hangup' });
    await state(a, out.call.id, 'Released');
    // Notifications stay private: agent1 never saw agent2's leg.
    expect(a.received.some((n) => n.data?.call?.id === ring.call.id)).toBe(false);
  });

  it('remoteAnswer answers a Dialing call at once', async () => {
    const slow = await fx.another({ timings: { answerMs: 60_000 } });
    const a = fx.agent('agent1', 'agent1', slow);
    await a.start();
    await a.op(`/api/v2/me/devices/${a.deviceId}/calls`, { operationName: 'Dial', destination: { phoneNumber: '+15550001111' } });
    const d = await callMsg(a, (m) => m.call.state === 'Dialing');
    slow.control.remoteAnswer(d.call.id);
    await state(a, d.call.id, 'Established');
  });
});
