// Dialects (docs/simulator.md): each value observable on the wire, and every way to set them.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIALECT, parseDialect } from '../../sim/index';
import type { Json, SimAgent } from '../support/sim-client';
import { callStateMessage, useSimulator } from '../support/sim-fixtures';

const fx = useSimulator({ control: true, timings: { answerMs: 60_000 } });
const CAMPAIGN = '/api/v2/me/outbound-campaigns/Collections_Preview';
const OUT = '/v2/me/outbound';

const { control } = fx;
const callMsg = callStateMessage;
const outbound = (a: SimAgent, type: string) => a.waitFor(OUT, (d) => d.notificationType === type);

async function ringing(a: SimAgent, from = '+14155550000'): Promise<Json> {
  const id = fx.sim.control.inboundCall({ to: a.userName, from });
  return (await callMsg(a, (d) => d.call.id === id && d.call.state === 'Ringing')).call;
}

async function previewRecord(a: SimAgent): Promise<Json> {
  await a.op(CAMPAIGN, { operationName: 'StartPreviewSession', referenceId: 'ps' });
  await outbound(a, 'PreviewSessionStarted');
  await a.op(CAMPAIGN, { operationName: 'GetPreviewRecord', referenceId: 'gp' });
  return (await outbound(a, 'PreviewRecord')).record;
}

describe('setting the dialect', () => {
  it('defaults to the corrected reference; the control API reads and changes it partially; reset restores it', async () => {
    expect(DEFAULT_DIALECT).toEqual({ errors: 'message', participants: 'objects', records: 'top-level', campaignReplay: 'on', referenceIdEcho: 'outbound-only', callIdInReads: 'callUuid', recordingState: 'named' });
    expect((await control('dialect')).body).toEqual(DEFAULT_DIALECT);
    const changed = await control('dialect', { errors: 'notification', callIdInReads: 'connId' });
    expect(changed.body).toEqual({ ...DEFAULT_DIALECT, errors: 'notification', callIdInReads: 'connId' });
    expect(fx.sim.control.state().dialect).toEqual(changed.body);
    expect(fx.sim.dialect).toEqual(changed.body);
    const bad = await control('dialect', { errors: 'loud' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('errors must be one of message, notification');
    expect((await control('dialect', { nope: 'x' })).body.error).toContain('unknown dialect key nope');
    expect(() => fx.sim.setDialect({ records: 'flat' } as never)).toThrow(/records/);
    fx.sim.control.reset();
    expect(fx.sim.dialect).toEqual(DEFAULT_DIALECT);
  });

  it('comes from the scenario, then the start option; a bad one rejects the start', async () => {
    const scenario = { agents: [{ userName: 'u', password: 'p', place: 'P', dn: '7001', group: 'G' }], dialect: { errors: 'notification' as const, participants: 'strings' as const } };
    const s = await fx.another({ scenario, dialect: { participants: 'objects', records: 'user-data' } });
    expect(s.dialect).toEqual({ ...DEFAULT_DIALECT, errors: 'notification', records: 'user-data' });
    expect(s.setDialect({ campaignReplay: 'off' })).toEqual({ ...DEFAULT_DIALECT, errors: 'notification', records: 'user-data', campaignReplay: 'off' });
    s.control.reset();
    expect(s.dialect.campaignReplay).toBe('on');
    await expect(fx.another({ dialect: { errors: 'x' } as never })).rejects.toThrow(/errors/);
    await expect(fx.another({ scenario: { ...scenario, dialect: { errors: 'x' } } as never })).rejects.toThrow(/dialect\.errors/);
  });

  it('parses the CLI form', () => {
    expect(parseDialect('errors=notification, participants=strings')).toEqual({ errors: 'notification', participants: 'strings' });
    expect(() => parseDialect('errors')).toThrow(/key=value/);
    expect(() => parseDialect('errors=message,errors=notification')).toThrow(/twice/);
    expect(() => parseDialect('colour=red')).toThrow(/unknown dialect key colour/);
  });
});

describe('each dialect on the wire', () => {
  it('errors=notification: the old CallStateChangeMessage / OutboundRecordMessage with notificationType Error', async () => {
    fx.sim.setDialect({ errors: 'notification' });
    const a = await fx.startedAgent();
    await a.op(`/api/v2/me/devices/${a.deviceId}/calls`, { operationName: 'Dial', destination: { phoneNumber: '5550003' }, referenceId: 'bad' });
    const err = await callMsg(a, (d) => d.notificationType === 'Error');
    expect(err).toEqual({ messageType: 'CallStateChangeMessage', notificationType: 'Error', errorCode: 71, errorMessage: 'Invalid called DN 5550003', phoneNumber: '5001', referenceId: 'bad' });

    await previewRecord(a);
    const body = { operationName: 'CompleteRecord', callingList: 'CL_Collections' };
    await a.op('/api/v2/me/outbound-records/101', body);
    await outbound(a, 'RecordProcessedAcknowledge');
    await a.op('/api/v2/me/outbound-records/101', { ...body, referenceId: 'dup' });
    const refused = await outbound(a, 'Error');
    expect(refused).toMatchObject({ messageType: 'OutboundRecordMessage', errorCode: 110, referenceId: 'dup', recordHandle: 101, record: { recordHandle: 101 } });
    expect(a.received.some((n) => n.data?.messageType === 'ErrorMessage')).toBe(false);
  });

  it('participants: objects by default, strings plus participantsInfo (HTCC 8.5.0)', async () => {
    const a = await fx.startedAgent();
    const objects = await ringing(a, '+14155550000');
    expect(objects.participants).toEqual([{ e164Number: '+14155550000', formattedPhoneNumber: '+14155550000', phoneNumber: '+14155550000', digits: '+14155550000' }]);
    expect(objects.participantsInfo).toBeUndefined();
    fx.sim.setDialect({ participants: 'strings' });
    const strings = await ringing(a, '+14155550001');
    expect(strings.participants).toEqual(['+14155550001']);
    expect(strings.participantsInfo).toEqual([{ country: 'US', location: '', localPhoneNumber: '4155550001', E164digits: '14155550001' }]);
    expect((await a.get('/api/v2/me/calls?fields=*')).body.calls.every((c: Json) => typeof c.participants[0] === 'string')).toBe(true);
  });

  it('records=user-data: records carry only userData; a Dial built from the GSW_* keys works', async () => {
    fx.sim.setDialect({ records: 'user-data' });
    const a = await fx.startedAgent();
    const rec = await previewRecord(a);
    expect(Object.keys(rec)).toEqual(['userData']);
    expect(rec.userData).toMatchObject({ GSW_RECORD_HANDLE: 101, GSW_PHONE: '+12125550101', GSW_CAMPAIGN_NAME: 'Collections_Preview', GSW_CALLING_LIST: 'CL_Collections', GSW_APPLICATION_ID: 134, customer_name: 'Maria Gonzalez' });
    // The truth keeps the full record.
    expect(fx.sim.control.state().agents[0]?.records[0]).toMatchObject({ recordHandle: 101, phoneNumber: '+12125550101' });

    const u = rec.userData;
    await a.op(`/api/v2/me/devices/${a.deviceId}/calls`, {
      operationName: 'Dial',
      devicePath: `/devices/${a.deviceId}`,
      outboundRecord: { recordHandle: u.GSW_RECORD_HANDLE, phoneNumber: u.GSW_PHONE, campaignName: u.GSW_CAMPAIGN_NAME, callingList: u.GSW_CALLING_LIST, applicationId: u.GSW_APPLICATION_ID },
    });
    const dialing = await callMsg(a, (d) => d.call.state === 'Dialing');
    expect(dialing.call).toMatchObject({ dnis: '+12125550101', userData: { GSW_RECORD_HANDLE: 101, customer_name: 'Maria Gonzalez' } });

    await a.op('/api/v2/me/outbound-records/101', { operationName: 'GetChainedRecord' });
    expect(Object.keys((await outbound(a, 'ChainedRecord')).record)).toEqual(['userData']);
    await a.op('/api/v2/me/outbound-records/101', { operationName: 'UpdateRecord', otherFields: { notes: 'n' } });
    const ack = await outbound(a, 'UpdateCallCompletionStatsAcknowledge');
    expect(Object.keys(ack.record)).toEqual(['userData']);
    expect(ack.record.userData.notes).toBe('n');
  });

  it('campaignReplay=off: no CampaignStarted on login or re-subscribe; preview sessions still work', async () => {
    fx.sim.setDialect({ campaignReplay: 'off' });
    const a = await fx.startedAgent();
    await a.op(CAMPAIGN, { operationName: 'StartPreviewSession', referenceId: 'p1' });
    const started = await outbound(a, 'PreviewSessionStarted');
    expect(started).toMatchObject({ referenceId: 'p1', campaign: { name: 'Collections_Preview', dialingMode: 'Preview', applicationId: 134 } });
    fx.sim.control.dropClients();
    await a.waitForSubscriptions(2);
    await a.op(CAMPAIGN, { operationName: 'GetPreviewRecord' });
    expect((await outbound(a, 'PreviewRecord')).record.campaignName).toBe('Collections_Preview');
    expect(a.received.some((n) => n.data?.notificationType === 'CampaignStarted')).toBe(false);

    // on (default): announced after StartContactCenterSession.
    fx.sim.setDialect({ campaignReplay: 'on' });
    const b = await fx.startedAgent('agent2');
    await outbound(b, 'CampaignStarted');
  });

  it('referenceIdEcho: outbound-only echoes only outbound operations; all echoes every one', async () => {
    const a = await fx.startedAgent();
    await a.op('/api/v2/me/channels/voice', { operationName: 'Ready', referenceId: 'v1' });
    expect((await a.waitFor('/v2/me/devices', (d) => d.devices[0].userState.state === 'Ready')).referenceId).toBeUndefined();
    await a.op(CAMPAIGN, { operationName: 'StartPreviewSession', referenceId: 'o1' });
    expect((await outbound(a, 'PreviewSessionStarted')).referenceId).toBe('o1');
    const call = await ringing(a);
    await a.op(`/api/v2/me/calls/${call.id}`, { operationName: 'Answer', referenceId: 'c1' });
    expect((await callMsg(a, (d) => d.call.state === 'Established')).referenceId).toBeUndefined();

    fx.sim.setDialect({ referenceIdEcho: 'all' });
    await a.op('/api/v2/me/channels/voice', { operationName: 'NotReady', referenceId: 'v2' });
    expect((await a.waitFor('/v2/me/devices', (d) => d.devices[0].userState.state === 'NotReady')).referenceId).toBe('v2');
    await a.op(`/api/v2/me/calls/${call.id}`, { operationName: 'SendDtmf', digits: '1', referenceId: 'c2' });
    expect((await callMsg(a, (d) => d.notificationType === 'DtmfSent')).referenceId).toBe('c2');
    await a.op(CAMPAIGN, { operationName: 'EndPreviewSession', referenceId: 'o2' });
    expect((await outbound(a, 'PreviewSessionEnded')).referenceId).toBe('o2');
  });

  it('callIdInReads: reads give id = callUuid, or connId; notifications keep id = callUuid', async () => {
    const a = await fx.startedAgent();
    const call = await ringing(a);
    expect(call.id).toBe(call.callUuid);
    expect((await a.get('/api/v2/me/calls?fields=*')).body.calls[0].id).toBe(call.callUuid);

    fx.sim.setDialect({ callIdInReads: 'connId' });
    const list = (await a.get('/api/v2/me/calls?fields=*')).body.calls;
    expect(list[0]).toMatchObject({ id: call.connId, callUuid: call.callUuid, connId: call.connId, uri: `${fx.sim.url}/api/v2/me/calls/${call.connId}` });
    expect((await a.get('/api/v2/me/calls')).body.uris).toEqual([`${fx.sim.url}/api/v2/me/calls/${call.connId}`]);
    expect((await a.get(`/api/v2/me/calls/${call.callUuid}`)).body.call.id).toBe(call.connId);
    // The read id works for operations; the notification still carries the callUuid.
    await a.op(`/api/v2/me/calls/${call.connId}`, { operationName: 'Answer' });
    expect((await callMsg(a, (d) => d.call.state === 'Established')).call.id).toBe(call.callUuid);
  });
});
