// The less common voice operations against the simulator: AuxWork, call recording, deleting one
// user-data key, single-step conference and a call disposition.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentSession } from '../../main/agent/session';
import { expectNoOperationSentTwice } from '../support/core-sim';
import { waitForSnapshot } from '../support/core-wait';
import { useSimulator } from '../support/sim-fixtures';

const fx = useSimulator({ per: 'test' });
let session: AgentSession;

beforeEach(async () => {
  session = await fx.signedIn();
});

async function establishedCall(): Promise<string> {
  await session.dial('5559876');
  const s = await waitForSnapshot(session, (x) => Object.values(x.calls).some((c) => c.state === 'Established'), { what: 'an established call' });
  return Object.values(s.calls).find((c) => c.state === 'Established')!.id;
}

const statusOf = (operationName: string) =>
  fx.sim.control.requests().filter((r) => (r.body as { operationName?: string } | undefined)?.operationName === operationName).map((r) => r.statusCode);

describe('more voice operations', () => {
  it('goes to AuxWork', async () => {
    await session.auxWork();
    await waitForSnapshot(session, (x) => x.device?.userState.workMode === 'AuxWork', { what: 'AuxWork' });
    expect(statusOf('AuxWork')).toEqual([0]);
  });

  it('starts and stops recording as the capabilities allow, and refuses locally what they do not', async () => {
    const callId = await establishedCall();
    await expect(session.stopCallRecording(callId)).rejects.toMatchObject({ code: 'NOT_ALLOWED_IN_STATE' });
    await session.startCallRecording(callId);
    await waitForSnapshot(session, (x) => x.calls[callId]?.capabilities.includes('StopCallRecording') === true, { what: 'recording' });
    await session.stopCallRecording(callId);
    await waitForSnapshot(session, (x) => x.calls[callId]?.capabilities.includes('StartCallRecording') === true, { what: 'recording stopped' });
    expect(statusOf('StopCallRecording')).toEqual([0]);
    expectNoOperationSentTwice(fx.sim);
  });

  it('deletes one user-data key and keeps the others', async () => {
    const callId = await establishedCall();
    await session.attachUserData(callId, { Topic: 'billing', Priority: 'high' });
    await waitForSnapshot(session, (x) => x.calls[callId]?.userData.Priority === 'high', { what: 'user data attached' });
    await session.deleteUserDataPair(callId, 'Priority');
    await waitForSnapshot(session, (x) => x.calls[callId] !== undefined && !('Priority' in x.calls[callId]!.userData), { what: 'key deleted' });
    expect(session.snapshot.calls[callId]?.userData.Topic).toBe('billing');
    await expect(session.deleteUserDataPair(callId, ' ')).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('adds a party with a single-step conference', async () => {
    const callId = await establishedCall();
    await session.singleStepConference(callId, '5551234');
    await waitForSnapshot(session, (x) => (x.calls[callId]?.participants.length ?? 0) >= 2, { what: 'conference participants' });
    expect(statusOf('SingleStepConference')).toEqual([0]);
  });

  it('sets a disposition on a live call at /me/calls/{id} [CallsSetCallDisposition], confirmed by AttachedDataChanged', async () => {
    const callId = await establishedCall();
    const callUuid = session.snapshot.calls[callId]?.callUuid ?? callId;
    const ack = await session.setCallDisposition(callId, 'Sale');
    await expect(ack.outcome).resolves.toBe('confirmed');
    expect(statusOf('SetCallDisposition')).toEqual([0]);
    const sent = fx.sim.control.requests().find((r) => (r.body as { operationName?: string } | undefined)?.operationName === 'SetCallDisposition');
    expect(sent?.path).toBe(`/api/v2/me/calls/${callId}`);
    expect(sent?.body).toMatchObject({ callUri: `${fx.sim.url}/api/v2/me/calls/${callId}`, callUuid, disposition: 'Sale', dispositionKey: 'DispositionCode' });
    await waitForSnapshot(session, (s) => s.calls[callId]?.userData['DispositionCode'] === 'Sale', { what: 'the disposition in the call data' });
  });

  it('sets a disposition on a just-released call: no notification comes, statusCode 0 confirms it', async () => {
    const callId = await establishedCall();
    await session.hangup(callId);
    await waitForSnapshot(session, (s) => s.calls[callId] === undefined, { what: 'the call released' });
    const ack = await session.setCallDisposition(callId, 'NoSale');
    await expect(ack.outcome).resolves.toBe('confirmed');
    expect(statusOf('SetCallDisposition')).toEqual([0]);
    expect(session.snapshot.pendingOperations).toEqual({});
  });
});
