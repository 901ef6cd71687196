import { describe, expect, it } from 'vitest';
import type { Json, SimAgent } from '../support/sim-client';
import { useSimulator } from '../support/sim-fixtures';

const fx = useSimulator();
const CAMPAIGN = 'Collections_Preview';
const campaignPath = `/api/v2/me/outbound-campaigns/${CAMPAIGN}`;

const outbound = (a: SimAgent, type: string) => a.waitFor('/v2/me/outbound', (d) => d.notificationType === type);
const calls = (a: SimAgent, pred: (d: Json) => boolean) => a.waitFor('/v2/me/calls', (d) => d.messageType === 'CallStateChangeMessage' && pred(d));

async function previewRecord(a: SimAgent, campaign = CAMPAIGN): Promise<Json> {
  await a.op(`/api/v2/me/outbound-campaigns/${campaign}`, { operationName: 'StartPreviewSession', referenceId: 'ps-1' });
  await outbound(a, 'PreviewSessionStarted');
  await a.op(`/api/v2/me/outbound-campaigns/${campaign}`, { operationName: 'GetPreviewRecord', referenceId: 'gp-1' });
  const msg = await outbound(a, 'PreviewRecord');
  return msg.record;
}

describe('contact-center session and agent state', () => {
  it('announces one CampaignStarted per campaign of the agent group after StartContactCenterSession', async () => {
    const a = await fx.startedAgent();
    const c1 = await outbound(a, 'CampaignStarted');
    const c2 = await outbound(a, 'CampaignStarted');
    const names = [c1.campaign.name, c2.campaign.name].sort();
    expect(names).toEqual(['Collections_Preview', 'Renewals_Push']);
    expect(c1).toMatchObject({ messageType: 'OutboundCampaignMessage' });
    expect(Object.keys(c1.campaign).sort()).toEqual(['applicationId', 'description', 'devicePath', 'dialingMode', 'groupName', 'name', 'state'].sort());
    expect(c1.campaign.devicePath).toBe(`/devices/${a.deviceId}`);
    expect(c1.campaign.groupName).toMatch(/@Collections$/);
  });

  it('re-announces the campaigns when the client re-subscribes to /v2/me/outbound', async () => {
    const a = await fx.startedAgent();
    await outbound(a, 'CampaignStarted');
    await outbound(a, 'CampaignStarted');
    await a.disconnect();
    a.cometd = undefined;
    const hs = await a.connect();
    expect(hs.successful).toBe(true);
    await outbound(a, 'CampaignStarted');
    await outbound(a, 'CampaignStarted');
  });

  it('moves the device through Ready, a configured Not Ready state, NotReady, AfterCallWork, AuxWork', async () => {
    const a = await fx.startedAgent();
    const voice = '/api/v2/me/channels/voice';
    const device = (pred: (u: Json) => boolean) => a.waitFor('/v2/me/devices', (d) => pred(d.devices[0].userState));

    await a.op(voice, { operationName: 'Ready', workmode: 'ManualIn', referenceId: 'r1' });
    const ready = await device((u) => u.state === 'Ready');
    expect(ready.devices[0].userState).toEqual({ id: '9430250E-0A1B-421F-B372-F29E69366DED', displayName: 'Ready', state: 'Ready', workMode: 'ManualIn' });
    expect(ready.referenceId).toBeUndefined(); // agent-state operations echo none (default dialect)
    expect(ready.devices[0]).toMatchObject({ id: a.deviceId, deviceState: 'Active', phoneNumber: '5001', telephonyNetwork: 'Private', doNotDisturb: 'Off' });

    await a.op(voice, { operationName: 'OutToLunch' });
    const lunch = await device((u) => u.state === 'NotReady');
    expect(lunch.devices[0].userState).toMatchObject({ state: 'NotReady', reason: 'Lunch', displayName: 'Out to Lunch', workMode: 'AuxWork' });

    await a.op(voice, { operationName: 'NotReady' });
    const nr = await device((u) => u.state === 'NotReady' && u.reason === undefined);
    expect(nr.devices[0].userState).toEqual({ id: '900D55CC-2BB0-431F-8BF9-D3525B383BE6', displayName: 'Not Ready', state: 'NotReady' });

    await a.op(voice, { operationName: 'AfterCallWork' });
    const acw = await device((u) => u.workMode === 'AfterCallWork');
    expect(acw.devices[0].userState.id).toBe('D3663509-3D82-4DD3-A82E-2EA8EFA02AEF');

    await a.op(voice, { operationName: 'AuxWork' });
    const aux = await device((u) => u.workMode === 'AuxWork');
    expect(aux.devices[0].userState.id).toBe('2B36138D-C564-4562-A8CB-3C32D564F296');

    await a.op(`/api/v2/me/devices/${a.deviceId}`, { operationName: 'DoNotDisturbOn' });
    const dnd = await a.waitFor('/v2/me/devices', (d) => d.devices[0].doNotDisturb === 'On');
    expect(dnd.devices[0].capabilities).toContain('DoNotDisturbOff');
    expect(fx.sim.control.state().agents[0]?.userState.workMode).toBe('AuxWork');
  });

  it('recovers state with GET /me/devices?fields=* and /me/calls?fields=*', async () => {
    const a = await fx.startedAgent();
    const devices = await a.get('/api/v2/me/devices?fields=*');
    expect(devices.body.devices[0]).toMatchObject({ id: a.deviceId, phoneNumber: '5001' });
    const uris = await a.get('/api/v2/me/devices');
    expect(uris.body.uris).toEqual([`${fx.sim.url}/api/v2/devices/${a.deviceId}`]);
    const none = await a.get('/api/v2/me/calls?fields=*');
    expect(none.body).toEqual({ statusCode: 0, calls: [] });
  });
});

describe('preview dialing', () => {
  it('runs the seed flow: preview record, Dial, Dialing with every field, Established, Hangup, Released, CompleteRecord', async () => {
    const a = await fx.startedAgent();
    const record = await previewRecord(a);
    expect(record).toMatchObject({ recordHandle: 101, chainId: 1, phoneNumber: '+12125550101', phoneType: 'HomePhone', campaignName: CAMPAIGN, callingList: 'CL_Collections', applicationId: 134, outboundCallerId: '8005550100', timeZone: 'America/New_York' });
    expect(record.otherFields).toMatchObject({ customer_name: 'Maria Gonzalez', account_number: 'AC-100234' });
    for (const key of ['GSW_RECORD_HANDLE', 'GSW_CHAIN_ID', 'GSW_PHONE', 'GSW_CALLING_LIST', 'GSW_CAMPAIGN_NAME', 'GSW_APPLICATION_ID', 'GSW_CALL_ATTEMPT_GUID', 'GSW_ATTEMPTS', 'GSW_TZ_NAME', 'GSW_TZ_OFFSET', 'GSW_CALL_RESULT', 'GSW_USER_EVENT', 'InteractionType', 'InteractionSubtype', 'customer_name']) {
      expect(record.userData).toHaveProperty(key);
    }
    expect(record.userData.GSW_TZ_NAME).toBe('America/New_York');
    expect([-18000, -14400]).toContain(record.userData.GSW_TZ_OFFSET);
    expect(fx.sim.control.state().agents[0]?.records.map((r) => r.recordHandle)).toEqual([101]);

    // The seed's request, to the letter (devicePath need not match the URL's device).
    const dial = await a.post(`/api/v2/me/devices/${a.deviceId}/calls`, {
      operationName: 'Dial',
      devicePath: '/devices/1234567890',
      outboundRecord: { recordHandle: 101, phoneNumber: '5001', outboundCallerId: '410004343', otherFields: record.otherFields },
      referenceId: 'dial-1',
    });
    expect(dial.status).toBe(200);
    expect(dial.body).toEqual({ statusCode: 0 });

    const dialing = await calls(a, (d) => d.call.state === 'Dialing');
    // The seed's Dialing notification: no referenceId (a call notification; default dialect).
    expect(Object.keys(dialing).sort()).toEqual(['call', 'extensions', 'messageType', 'notificationType', 'phoneNumber']);
    expect(dialing).toMatchObject({ messageType: 'CallStateChangeMessage', notificationType: 'StatusChange', phoneNumber: '5001' });
    expect(dialing.extensions).toEqual({ WrapUpTime: 30, BusinessCall: 0 });
    const call = dialing.call;
    expect(Object.keys(call).sort()).toEqual(
      ['id', 'state', 'callUuid', 'connId', 'deviceUri', 'participants', 'dnis', 'callType', 'capabilities', 'duration', 'mute', 'supervisorListeningIn', 'monitoredUserMuted', 'monitoring', 'uri', 'path', 'userData'].sort(),
    );
    expect(call.id).toMatch(/^[0-9A-Z]{32}$/);
    expect(call.callUuid).toBe(call.id);
    expect(call.connId).toMatch(/^[0-9a-f]{16}$/);
    expect(call.deviceUri).toBe(`${fx.sim.url}/api/v2/devices/${a.deviceId}`);
    expect(call.uri).toBe(`${fx.sim.url}/api/v2/me/calls/${call.id}`);
    expect(call.path).toBe(`/calls/${call.id}`);
    expect(call.participants).toEqual([{ e164Number: '', formattedPhoneNumber: '5001', phoneNumber: '5001', digits: '5001' }]);
    expect(call.dnis).toBe('5001');
    expect(call.callType).toBe('Internal');
    expect([...call.capabilities].sort()).toEqual(['AttachUserData', 'DeleteUserData', 'DeleteUserDataPair', 'Hangup', 'SendDtmf', 'UpdateUserData']);
    expect(call).toMatchObject({ duration: '0', mute: 'Off', supervisorListeningIn: false, monitoredUserMuted: false, monitoring: false });
    expect(call.userData).toMatchObject({ GSW_RECORD_HANDLE: 101, GSW_CAMPAIGN_NAME: CAMPAIGN, GSW_CALLING_LIST: 'CL_Collections', customer_name: 'Maria Gonzalez' });

    const established = await calls(a, (d) => d.call.state === 'Established');
    expect(established.call.id).toBe(call.id);
    expect(established.call.capabilities).toEqual(expect.arrayContaining(['Hold', 'InitiateTransfer', 'InitiateConference', 'SingleStepTransfer', 'Hangup']));
    const listed = await a.get('/api/v2/me/calls?fields=*');
    expect(listed.body.calls.map((c: Json) => [c.id, c.state])).toEqual([[call.id, 'Established']]);

    await a.op(`/api/v2/me/calls/${call.id}`, { operationName: 'Hangup', referenceId: 'h-1' });
    const released = await calls(a, (d) => d.call.state === 'Released');
    expect(released.referenceId).toBeUndefined();
    expect(released.call.capabilities).toEqual([]);
    expect((await a.get('/api/v2/me/calls')).body.uris).toEqual([]);

    await a.op('/api/v2/me/outbound-records/101', { operationName: 'CompleteRecord', callingList: 'CL_Collections', callResult: 'Answer', referenceId: 'c-1' });
    const ack = await outbound(a, 'RecordProcessedAcknowledge');
    expect(ack).toMatchObject({ messageType: 'OutboundRecordMessage', referenceId: 'c-1', record: { recordHandle: 101 } });
    const ev = await a.waitFor('/v2/me/outbound', (d) => d.messageType === 'DeviceUserEventMessage');
    expect(ev).toMatchObject({ deviceId: a.deviceId, userData: { GSW_USER_EVENT: 'RecordProcessedAcknowledge', GSW_RECORD_HANDLE: 101, GSW_CALL_RESULT: 33 } });
    const truth = fx.sim.control.state();
    expect(truth.agents[0]?.records).toEqual([]);
    const rec = (truth.campaigns[0]?.records as Json[]).find((r) => r.recordHandle === 101);
    expect(rec).toMatchObject({ status: 'Completed', callResult: 'Answer', attempts: 1 });
  });

  it('Reject, Cancel, DoNotCall, Reschedule, Update, GetChainedRecord acknowledge with a user event', async () => {
    const a = await fx.startedAgent();
    const ackPair = async (type: string) => {
      const ack = await outbound(a, type);
      const ev = await a.waitFor('/v2/me/outbound', (d) => d.messageType === 'DeviceUserEventMessage' && d.userData.GSW_USER_EVENT === type);
      expect(ev.userData.GSW_RECORD_HANDLE).toBe(ack.record.recordHandle);
      return ack;
    };
    const r1 = await previewRecord(a);
    const records = `/api/v2/me/outbound-records/${r1.recordHandle}`;

    await a.op(records, { operationName: 'GetChainedRecord', referenceId: 'gc' });
    const chained = await outbound(a, 'ChainedRecord');
    expect(chained.record).toMatchObject({ recordHandle: 102, chainId: r1.chainId, phoneType: 'Mobile' });
    const end = await outbound(a, 'ChainedRecordsDataEnd');
    expect(end.referenceId).toBe('gc');

    await a.op(records, { operationName: 'UpdateRecord', phoneNumber: '+12125559999', timeZone: 'America/Chicago', otherFields: { notes: 'updated' } });
    const upd = await ackPair('UpdateCallCompletionStatsAcknowledge');
    expect(upd.record).toMatchObject({ phoneNumber: '+12125559999', timeZone: 'America/Chicago', otherFields: { notes: 'updated' } });

    await a.op(records, { operationName: 'RejectRecord', callingList: 'CL_Collections' });
    await ackPair('RecordRejectAcknowledge');
    expect(fx.sim.control.state().agents[0]?.records).toEqual([]);

    // The next record is another chain; the rejected one went to the back of the queue.
    await a.op(campaignPath, { operationName: 'GetPreviewRecord' });
    const r2 = (await outbound(a, 'PreviewRecord')).record;
    expect(r2.recordHandle).toBe(103);
    await a.op(`/api/v2/me/outbound-records/103`, { operationName: 'CancelRecord', callingList: 'CL_Collections' });
    await ackPair('RecordCancelAcknowledge');

    await a.op(campaignPath, { operationName: 'GetPreviewRecord' });
    const r3 = (await outbound(a, 'PreviewRecord')).record;
    expect(r3.recordHandle).toBe(106);
    await a.op(`/api/v2/me/outbound-records/106`, { operationName: 'DoNotCallRecord', chainAttribute: 'AllChain' });
    await ackPair('DoNotCallAcknowledge');

    await a.op(campaignPath, { operationName: 'GetPreviewRecord' });
    const r4 = (await outbound(a, 'PreviewRecord')).record;
    const future = Math.floor(Date.now() / 1000) + 3600;
    await a.op(`/api/v2/me/outbound-records/${r4.recordHandle}`, { operationName: 'RescheduleRecord', callbackType: 'Personal', timestamp: future });
    await ackPair('ScheduledRecordRescheduleAcknowledge');

    const byHandle = new Map((fx.sim.control.state().campaigns[0]?.records as Json[]).map((r) => [r.recordHandle, r]));
    expect(byHandle.get(103)?.status).toBe('Cancelled');
    expect(byHandle.get(104)?.status).toBe('Cancelled');
    expect(byHandle.get(106)?.status).toBe('DoNotCall');
    expect(byHandle.get(r4.recordHandle)).toMatchObject({ status: 'Scheduled', callbackType: 'Personal', scheduledAt: future * 1000 });
    expect(byHandle.get(101)?.status).toBe('Ready');
  });

  it('says NoRecordsAvailable when the list is exhausted', async () => {
    const small = await fx.another({
      scenario: {
        agents: [{ userName: 'solo', password: 'pw', place: 'P1', dn: '7001', group: 'G' }],
        campaigns: [{ name: 'C', dialingMode: 'Preview', group: 'G', callingList: 'L', applicationId: 1, records: [{ phoneNumber: '5550100' }] }],
      },
    });
    const a = fx.agent('solo', 'pw', small);
    await a.start();
    const r = await previewRecord(a, 'C');
    await a.op(`/api/v2/me/outbound-records/${r.recordHandle}`, { operationName: 'CompleteRecord', callingList: 'L' });
    await outbound(a, 'RecordProcessedAcknowledge');
    await a.op('/api/v2/me/outbound-campaigns/C', { operationName: 'GetPreviewRecord', referenceId: 'x' });
    const none = await outbound(a, 'NoRecordsAvailable');
    expect(none.referenceId).toBe('x');
  });

  it('releases a busy or unanswered record call with the OCS call result in userData', async () => {
    const a = await fx.startedAgent();
    await previewRecord(a); // 101
    await a.op('/api/v2/me/outbound-records/101', { operationName: 'RejectRecord', callingList: 'CL_Collections' });
    await outbound(a, 'RecordRejectAcknowledge');
    await a.op(campaignPath, { operationName: 'GetPreviewRecord' });
    const busy = (await outbound(a, 'PreviewRecord')).record; // 103: busy
    expect(busy.recordHandle).toBe(103);
    await a.op(`/api/v2/me/devices/${a.deviceId}/calls`, { operationName: 'Dial', devicePath: `/devices/${a.deviceId}`, outboundRecord: { recordHandle: 103, phoneNumber: busy.phoneNumber } });
    await calls(a, (d) => d.call.state === 'Dialing');
    const rel = await calls(a, (d) => d.call.state === 'Released');
    expect(rel.call.userData.GSW_CALL_RESULT).toBe(6);
    // Another number of the same chain (105) has its own outcome: no answer.
    await a.op(`/api/v2/me/devices/${a.deviceId}/calls`, { operationName: 'Dial', outboundRecord: { recordHandle: 103, phoneNumber: '+17735550105' } });
    const rel2 = await calls(a, (d) => d.call.state === 'Released');
    expect(rel2.call.userData.GSW_CALL_RESULT).toBe(7);
    // Manual dial outcomes come from the scenario.
    await a.op(`/api/v2/me/devices/${a.deviceId}/calls`, { operationName: 'Dial', destination: { phoneNumber: '5550002' } });
    const am = await calls(a, (d) => d.call.state === 'Released');
    expect(am.call.userData.GSW_CALL_RESULT).toBe(9);
    await a.op(`/api/v2/me/devices/${a.deviceId}/calls`, { operationName: 'Dial', destination: { phoneNumber: '5550003' }, referenceId: 'bad' });
    const err = await a.waitFor('/v2/me/calls', (d) => d.messageType === 'ErrorMessage');
    expect(err).toMatchObject({ errorCode: 71, referenceId: 'bad', errorMessage: expect.stringContaining('5550003') });
  });

  it('pushes a PushPreview record to a Ready agent in a preview session who holds none', async () => {
    const a = await fx.startedAgent();
    await a.op('/api/v2/me/outbound-campaigns/Renewals_Push', { operationName: 'StartPreviewSession' });
    await outbound(a, 'PreviewSessionStarted');
    expect(a.pending('/v2/me/outbound').some((d) => d.notificationType === 'PreviewRecord')).toBe(false);
    await a.op('/api/v2/me/channels/voice', { operationName: 'Ready' });
    const pushed = await outbound(a, 'PreviewRecord');
    expect(pushed.record).toMatchObject({ recordHandle: 201, campaignName: 'Renewals_Push' });
    expect(pushed.referenceId).toBeUndefined();
    // Done with it: the next one comes unasked.
    await a.op('/api/v2/me/outbound-records/201', { operationName: 'CompleteRecord', callingList: 'CL_Renewals', callResult: 'NoAnswer' });
    await outbound(a, 'RecordProcessedAcknowledge');
    const next = await outbound(a, 'PreviewRecord');
    expect(next.record.recordHandle).toBe(203);
  });
});
