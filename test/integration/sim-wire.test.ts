// The simulator speaks the corrected reference (gws-api.md): configured agent states, Workspace
// options, SendDtmf `digits`, SetCallDisposition on the call, ErrorMessage, call ids, backend down.
import { describe, expect, it, vi } from 'vitest';
import type { Json, SimAgent } from '../support/sim-client';
import { callStateMessage, useSimulator } from '../support/sim-fixtures';

const fx = useSimulator({ control: true, timings: { answerMs: 60_000 } });

const { control } = fx;
const callMsg = callStateMessage;
const voice = '/api/v2/me/channels/voice';

/** A manual Dial answered at once (remoteAnswer): the Established call resource. */
async function established(a: SimAgent, phoneNumber = '+15551230000'): Promise<Json> {
  await a.op(`/api/v2/me/devices/${a.deviceId}/calls`, { operationName: 'Dial', destination: { phoneNumber } });
  const dialing = await callMsg(a, (d) => d.call.state === 'Dialing');
  fx.sim.control.remoteAnswer(dialing.call.id);
  return (await callMsg(a, (d) => d.call.id === dialing.call.id && d.call.state === 'Established')).call;
}

/**
 * Barrier: an inbound call rings the agent; every /v2/me/calls notification published before it has
 * been received once its Ringing arrives (one CometD session delivers in order).
 */
async function callsBarrier(a: SimAgent): Promise<void> {
  const id = fx.sim.control.inboundCall({ to: a.userName, from: '+15550000000' });
  await callMsg(a, (d) => d.call.id === id && d.call.state === 'Ringing');
}

describe('agent states (gws-api.md §3)', () => {
  it('GET /api/v2/settings/agent-states lists the configured states, authenticated like /me', async () => {
    const anonymous = await fetch(`${fx.sim.url}/api/v2/settings/agent-states`);
    expect(anonymous.status).toBe(401);
    const a = fx.agent();
    const r = await a.get('/api/v2/settings/agent-states');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-csrf-header')).toBe('X-CSRF-TOKEN');
    expect(r.body.statusCode).toBe(0);
    expect(r.body.settings[0]).toEqual({ operationName: 'OutToLunch', displayName: 'Out to Lunch', state: 'NotReady', reason: 'Lunch', workMode: 'AuxWork' });
    expect(r.body.settings.map((s: Json) => s.operationName)).toEqual(['OutToLunch', 'Break', 'Meeting', 'Training', 'TechnicalIssue']);
    expect(r.body.settings.find((s: Json) => s.operationName === 'Meeting')).toEqual({ operationName: 'Meeting', displayName: 'Meeting', state: 'NotReady', reason: 'Meeting' });
    // The cookie alone works too; other paths under /settings do not exist.
    expect((await a.get('/api/v2/settings/agent-states', { basic: false })).status).toBe(200);
    expect((await a.get('/api/v2/settings/other')).status).toBe(404);
  });

  it('posting a configured operationName sets its userState; NotReady ignores a reasonCode (the request log keeps it)', async () => {
    const a = await fx.startedAgent();
    const device = (pred: (u: Json) => boolean) => a.waitFor('/v2/me/devices', (d) => pred(d.devices[0].userState));
    await a.op(voice, { operationName: 'Break', referenceId: 'b-1' });
    const brk = await device((u) => u.reason === 'Break');
    expect(brk.devices[0].userState).toMatchObject({ state: 'NotReady', reason: 'Break', displayName: 'Break', workMode: 'AuxWork' });
    expect(brk.referenceId).toBeUndefined();
    expect(fx.sim.control.state().agents[0]?.userState).toMatchObject({ state: 'NotReady', reason: 'Break' });

    const since = fx.sim.control.requests().at(-1)?.seq ?? 0;
    await a.op(voice, { operationName: 'NotReady', reasonCode: 'Lunch' });
    const nr = await device((u) => u.state === 'NotReady' && u.reason === undefined);
    expect(nr.devices[0].userState).toEqual({ id: '900D55CC-2BB0-431F-8BF9-D3525B383BE6', displayName: 'Not Ready', state: 'NotReady' });
    expect(fx.sim.control.requests(since)[0]).toMatchObject({ path: voice, body: { operationName: 'NotReady', reasonCode: 'Lunch' }, statusCode: 0 });

    const unknown = await a.post(voice, { operationName: 'Lunch' });
    expect(unknown.body).toEqual({ statusCode: 10, statusMessage: 'Unknown operation Lunch' });
  });

  it('a scenario still using notReadyReasons fails validation naming the field', async () => {
    const bad = { agents: [{ userName: 'u', password: 'p', place: 'P', dn: '7001', group: 'G' }], notReadyReasons: [{ code: 'Lunch', displayName: 'Lunch' }] };
    await expect(fx.another({ scenario: bad })).rejects.toThrow(/notReadyReasons: .*agentStates/);
  });
});

describe('Workspace options (gws-api.md §3, §6)', () => {
  it('/me?subresources=* carries settings["interaction-workspace"]: strings only', async () => {
    const a = fx.agent();
    const user = await a.login();
    expect(user.settings).toEqual({
      'interaction-workspace': {
        'outbound.call-result-values': 'Answer,Busy,NoAnswer,AnsweringMachine,WrongParty,WrongNumber,Fax,DoNotCall',
        'outbound.call-result-automatically-selected': 'Unknown',
        'interaction.disposition.key-name': 'DispositionCode',
        'interaction.disposition.values': 'Sale,NoSale,Callback,Complaint,Information',
      },
    });
  });

  it('scenario workspaceOptions override the generated ones (e.g. an empty call-result list)', async () => {
    const odd = await fx.another({
      scenario: {
        agents: [{ userName: 'u', password: 'p', place: 'P', dn: '7001', group: 'G' }],
        dispositions: { key: 'Outcome', values: ['Yes', 'No'] },
        workspaceOptions: { 'outbound.call-result-values': '', 'custom.option': 'x,,y' },
      },
    });
    const user = await fx.agent('u', 'p', odd).login();
    expect(user.settings['interaction-workspace']).toEqual({
      'outbound.call-result-values': '',
      'outbound.call-result-automatically-selected': 'Unknown',
      'interaction.disposition.key-name': 'Outcome',
      'interaction.disposition.values': 'Yes,No',
      'custom.option': 'x,,y',
    });
  });
});

describe('voice calls (gws-api.md §4)', () => {
  it('SendDtmf takes digits and answers with DtmfSent; dtmfDigits is refused', async () => {
    const a = await fx.startedAgent();
    const call = await established(a);
    await a.op(`/api/v2/me/calls/${call.id}`, { operationName: 'SendDtmf', digits: '0123456789*#', referenceId: 'd-1' });
    const sent = await callMsg(a, (d) => d.notificationType === 'DtmfSent');
    expect(sent.call).toMatchObject({ id: call.id, state: 'Established' });
    expect(sent.referenceId).toBeUndefined();
    const old = await a.post(`/api/v2/me/calls/${call.id}`, { operationName: 'SendDtmf', dtmfDigits: '5' });
    expect(old.body).toEqual({ statusCode: 1, statusMessage: "Required parameter 'digits' is missing" });
    expect(fx.sim.control.state().agents[0]?.calls[0]?.dtmfDigits).toBe('0123456789*#');
  });

  it('a call is addressed by its id, callUuid or connId; notifications carry id = callUuid', async () => {
    const a = await fx.startedAgent();
    const call = await established(a);
    expect(call.id).toBe(call.callUuid);
    await a.op(`/api/v2/me/calls/${call.connId}`, { operationName: 'Hold' });
    const held = await callMsg(a, (d) => d.call.state === 'Held');
    expect(held.call.id).toBe(call.callUuid);
    expect((await a.get(`/api/v2/me/calls/${call.connId}`)).body.call.id).toBe(call.callUuid);
    await a.op(`/api/v2/me/calls/${call.callUuid}`, { operationName: 'Retrieve' });
    await callMsg(a, (d) => d.call.state === 'Established');
  });

  it('SetCallDisposition on /me/calls/{id}: a live call gets AttachedDataChanged', async () => {
    const a = await fx.startedAgent();
    const call = await established(a);
    await a.op(`/api/v2/me/calls/${call.id}`, { operationName: 'SetCallDisposition', callUri: call.uri, callUuid: call.callUuid, disposition: 'Sale', referenceId: 'sd' });
    const att = await callMsg(a, (d) => d.notificationType === 'AttachedDataChanged');
    expect(att.call.userData.DispositionCode).toBe('Sale');
    expect(att.referenceId).toBeUndefined();
    await a.op(`/api/v2/me/calls/${call.connId}`, { operationName: 'SetCallDisposition', callUri: call.uri, callUuid: call.callUuid, disposition: 'Yes', dispositionKey: 'Survey' });
    const att2 = await callMsg(a, (d) => d.notificationType === 'AttachedDataChanged');
    expect(att2.call.userData).toMatchObject({ DispositionCode: 'Sale', Survey: 'Yes' });
  });

  it('SetCallDisposition on a just-released call: accepted, no notification', async () => {
    const a = await fx.startedAgent();
    const call = await established(a);
    await a.op(`/api/v2/me/calls/${call.id}`, { operationName: 'Hangup' });
    await callMsg(a, (d) => d.call.state === 'Released');
    const r = await a.post(`/api/v2/me/calls/${call.id}`, { operationName: 'SetCallDisposition', callUri: call.uri, callUuid: call.callUuid, disposition: 'Callback' });
    expect(r.body).toEqual({ statusCode: 0 });
    await callsBarrier(a);
    expect(a.received.some((n) => n.data?.notificationType === 'AttachedDataChanged')).toBe(false);
    expect(fx.sim.control.state().dispositions).toEqual([
      { userName: 'agent1', callUuid: call.callUuid, key: 'DispositionCode', disposition: 'Callback', released: true, at: expect.any(Number) },
    ]);
    // The device no longer knows the operation.
    const dev = await a.post(`/api/v2/me/devices/${a.deviceId}`, { operationName: 'SetCallDisposition', callUuid: call.callUuid, disposition: 'Sale' });
    expect(dev.body).toEqual({ statusCode: 10, statusMessage: 'Unknown operation SetCallDisposition' });
  });

  it('dialling the invalid number publishes an ErrorMessage with errorCode and the referenceId; a failed consult names the call', async () => {
    const a = await fx.startedAgent();
    await a.op(`/api/v2/me/devices/${a.deviceId}/calls`, { operationName: 'Dial', destination: { phoneNumber: '5550003' }, referenceId: 'bad-1' });
    const err = await a.waitFor('/v2/me/calls', (d) => d.messageType === 'ErrorMessage');
    expect(err).toEqual({ messageType: 'ErrorMessage', errorCode: 71, errorMessage: 'Invalid called DN 5550003', referenceId: 'bad-1' });
    expect(fx.sim.control.state().agents[0]?.calls).toEqual([]);

    const call = await established(a);
    await a.op(`/api/v2/me/calls/${call.id}`, { operationName: 'InitiateTransfer', destination: { phoneNumber: '5550003' } });
    const err2 = await a.waitFor('/v2/me/calls', (d) => d.messageType === 'ErrorMessage');
    expect(err2).toMatchObject({ errorCode: 71, call: { id: call.id, state: 'Established' } });
    expect(err2.referenceId).toBeUndefined();
  });
});

describe('backend down (gws-api.md §1)', () => {
  it('every POST under /api/v2/me answers 503 + statusCode 4 and changes nothing; GETs and CometD work', async () => {
    const a = await fx.startedAgent();
    expect((await control('backend', { down: true })).body).toEqual({ ok: true, backendDown: true });
    const truth = JSON.stringify(fx.sim.control.state().agents);
    for (const [path, body] of [
      [voice, { operationName: 'Ready' }],
      [`/api/v2/me/devices/${a.deviceId}/calls`, { operationName: 'Dial', destination: { phoneNumber: '+15550001' } }],
      ['/api/v2/me/outbound-campaigns/Collections_Preview', { operationName: 'StartPreviewSession' }],
      ['/api/v2/me', { operationName: 'EndContactCenterSession' }],
    ] as const) {
      const r = await a.post(path, body);
      expect([r.status, r.body]).toEqual([503, { statusCode: 4, statusMessage: 'Voice service is not available at this time' }]);
    }
    expect(JSON.stringify(fx.sim.control.state().agents)).toBe(truth);
    expect((await control('truth')).body.backendDown).toBe(true);
    expect((await a.get('/api/v2/me?subresources=*')).status).toBe(200);
    // Nothing was published; CometD still delivers.
    await callsBarrier(a);
    expect(a.received.some((n) => n.channel === '/v2/me/devices' && n.data.devices?.[0]?.userState.state === 'Ready')).toBe(false);
    // Unknown paths and validation still come first.
    expect((await a.post('/api/v2/me/teleport', { operationName: 'Go' })).status).toBe(404);

    await control('backend', { down: false });
    await a.op(voice, { operationName: 'Ready' });
    expect(fx.sim.control.state().backendDown).toBe(false);
  });

  it('a timed outage ends by itself', async () => {
    const a = await fx.startedAgent();
    fx.sim.control.backend({ down: true, ms: 150 });
    expect(fx.sim.control.state()).toMatchObject({ backendDown: true, backendDownUntil: expect.any(Number) });
    expect((await a.post(voice, { operationName: 'Ready' })).status).toBe(503);
    await vi.waitFor(async () => expect((await a.post(voice, { operationName: 'Ready' })).body.statusCode).toBe(0), { timeout: 3000, interval: 50 });
    expect(fx.sim.control.state().backendDown).toBe(false);
  });
});
