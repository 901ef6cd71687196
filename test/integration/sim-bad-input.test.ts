import { describe, expect, it } from 'vitest';
import type { Json, SimAgent } from '../support/sim-client';
import { useSimulator } from '../support/sim-fixtures';

const fx = useSimulator({ timings: { answerMs: 60_000 } });

/** The server's truth without the clock-driven call durations. */
const truth = (): string => JSON.stringify(fx.sim.control.state(), (k, v: unknown) => (k === 'duration' ? undefined : v));

describe('bad input changes nothing', () => {
  let a: SimAgent;
  let callId: string;

  async function setup(): Promise<void> {
    a = await fx.startedAgent();
    await a.op('/api/v2/me/outbound-campaigns/Collections_Preview', { operationName: 'StartPreviewSession' });
    await a.op('/api/v2/me/outbound-campaigns/Collections_Preview', { operationName: 'GetPreviewRecord' });
    await a.waitFor('/v2/me/outbound', (d) => d.notificationType === 'PreviewRecord');
    await a.op(`/api/v2/me/devices/${a.deviceId}/calls`, { operationName: 'Dial', destination: { phoneNumber: '+15550009999' } });
    callId = (await a.waitFor('/v2/me/calls', (d) => d.call?.state === 'Dialing')).call.id;
  }

  const cases: Array<[string, () => Promise<{ status: number; code?: number }>, number, number | undefined]> = [
    ['non-JSON body', async () => r(await a.post(`/api/v2/me/calls/${callId}`, null, { raw: 'operationName=Hangup' })), 400, 10],
    ['JSON that is not an object', async () => r(await a.post(`/api/v2/me/calls/${callId}`, ['Hangup'])), 200, 10],
    ['unknown operation', async () => r(await a.post(`/api/v2/me/calls/${callId}`, { operationName: 'Explode' })), 200, 10],
    ['missing operationName', async () => r(await a.post(`/api/v2/me/calls/${callId}`, { referenceId: 1 })), 200, 1],
    ['Dial without destination', async () => r(await a.post(`/api/v2/me/devices/${a.deviceId}/calls`, { operationName: 'Dial' })), 200, 1],
    ['SendDtmf without digits', async () => r(await a.post(`/api/v2/me/calls/${callId}`, { operationName: 'SendDtmf' })), 200, 1],
    ['CompleteRecord without callingList', async () => r(await a.post('/api/v2/me/outbound-records/101', { operationName: 'CompleteRecord' })), 200, 1],
    ['RescheduleRecord without timestamp', async () => r(await a.post('/api/v2/me/outbound-records/101', { operationName: 'RescheduleRecord', callbackType: 'Campaign' })), 200, 1],
    ['Hold while Dialing', async () => r(await a.post(`/api/v2/me/calls/${callId}`, { operationName: 'Hold' })), 200, 2],
    ['Answer while Dialing', async () => r(await a.post(`/api/v2/me/calls/${callId}`, { operationName: 'Answer' })), 200, 2],
    ['DoNotDisturbOff when already off', async () => r(await a.post(`/api/v2/me/devices/${a.deviceId}`, { operationName: 'DoNotDisturbOff' })), 200, 2],
    ['unknown call', async () => r(await a.post('/api/v2/me/calls/NOSUCHCALL', { operationName: 'Hangup' })), 200, 6],
    ['unknown record handle', async () => r(await a.post('/api/v2/me/outbound-records/999999', { operationName: 'RejectRecord', callingList: 'CL_Collections' })), 200, 6],
    ['record held by nobody', async () => r(await a.post('/api/v2/me/outbound-records/110', { operationName: 'RejectRecord', callingList: 'CL_Collections' })), 200, 6],
    ['Dial of a record not held', async () => r(await a.post(`/api/v2/me/devices/${a.deviceId}/calls`, { operationName: 'Dial', outboundRecord: { recordHandle: 110, phoneNumber: '1' } })), 200, 6],
    ['unknown campaign', async () => r(await a.post('/api/v2/me/outbound-campaigns/Nope', { operationName: 'GetPreviewRecord' })), 200, 6],
    ['unknown callResult', async () => r(await a.post('/api/v2/me/outbound-records/101', { operationName: 'CompleteRecord', callingList: 'CL_Collections', callResult: 'Maybe' })), 200, 10],
    ['callResult named like an Object method', async () => r(await a.post('/api/v2/me/outbound-records/101', { operationName: 'CompleteRecord', callingList: 'CL_Collections', callResult: 'toString' })), 200, 10],
    ['unknown agent state', async () => r(await a.post('/api/v2/me/channels/voice', { operationName: 'OutToNap' })), 200, 10],
    ['SendDtmf with dtmfDigits (not the GWS name)', async () => r(await a.post(`/api/v2/me/calls/${callId}`, { operationName: 'SendDtmf', dtmfDigits: '1' })), 200, 1],
    ['SendDtmf with a letter', async () => r(await a.post(`/api/v2/me/calls/${callId}`, { operationName: 'SendDtmf', digits: '1x' })), 200, 10],
    ['SetCallDisposition on the device', async () => r(await a.post(`/api/v2/me/devices/${a.deviceId}`, { operationName: 'SetCallDisposition', callUuid: callId, disposition: 'Sale' })), 200, 10],
    ['SetCallDisposition without disposition', async () => r(await a.post(`/api/v2/me/calls/${callId}`, { operationName: 'SetCallDisposition', callUuid: callId, callUri: `${fx.sim.url}/api/v2/me/calls/${callId}` })), 200, 1],
    ['SetCallDisposition with another call\'s callUuid', async () => r(await a.post(`/api/v2/me/calls/${callId}`, { operationName: 'SetCallDisposition', callUuid: 'OTHER', callUri: `${fx.sim.url}/api/v2/me/calls/${callId}`, disposition: 'Sale' })), 200, 10],
    ['unknown device', async () => r(await a.post('/api/v2/me/devices/not-mine/calls', { operationName: 'Dial', destination: { phoneNumber: '1' } })), 200, 6],
    ['wrong CSRF token', async () => r(await a.post(`/api/v2/me/calls/${callId}`, { operationName: 'Hangup' }, { csrf: 'forged' })), 403, 3],
    ['unknown path', async () => r(await a.post('/api/v2/me/teleport', { operationName: 'Go' })), 404, undefined],
  ];

  function r(x: { status: number; body: Json }): { status: number; code?: number } {
    return { status: x.status, code: x.body?.statusCode };
  }

  it.each(cases)('%s', async (_name, send, status, code) => {
    await setup();
    const before = truth();
    const reply = await send();
    expect(reply.status).toBe(status);
    expect(reply.code).toBe(code);
    expect(truth()).toBe(before);
    expect(a.pending('/v2/me/calls').filter((d) => d.call?.state !== 'Dialing')).toEqual([]);
  });

  it('keeps a __proto__ key in user data as plain data', async () => {
    await setup();
    await a.op(`/api/v2/me/calls/${callId}`, JSON.parse('{"operationName":"AttachUserData","userData":{"__proto__":{"polluted":true},"k":"v"}}'));
    const msg = await a.waitFor('/v2/me/calls', (d) => d.notificationType === 'AttachedDataChanged');
    expect(msg.call.userData.k).toBe('v');
    expect(({} as Json).polluted).toBeUndefined();
    expect(fx.sim.control.state().agents[0]?.calls[0]?.userData).toEqual({ k: 'v' });
  });

  it('refuses operations before StartContactCenterSession with statusCode 2', async () => {
    const b = fx.agent('agent2');
    await b.login();
    expect((await b.post('/api/v2/me/channels/voice', { operationName: 'Ready' })).body.statusCode).toBe(2);
    expect((await b.post('/api/v2/me/outbound-campaigns/Collections_Preview', { operationName: 'StartPreviewSession' })).body.statusCode).toBe(2);
    expect(fx.sim.control.state().agents[1]?.userState.state).toBe('NotReady');
  });

  it('survives malformed CometD traffic', async () => {
    const url = `${fx.sim.url}/api/v2/notifications`;
    const post = (body: string) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect((await post('not json')).status).toBe(400);
    expect((await post('[]')).status).toBe(400);
    expect((await post('[42]')).status).toBe(400);
    expect((await post('[{"channel":"/meta/subscribe","clientId":"x","subscription":{"a":1}}]')).status).toBe(400);
    const unknown = await post('[{"channel":"/meta/connect","clientId":"nobody","connectionType":"long-polling"}]');
    expect(await unknown.json()).toMatchObject([{ successful: false, error: '402::Unknown client' }]);
    expect((await fetch(url)).status).toBe(400);
    // Still serving.
    a = await fx.startedAgent();
    expect(fx.sim.control.state().agents[0]?.cometdSessions).toBe(1);
  });

  it('does not let clients publish or subscribe outside /v2/me', async () => {
    a = await fx.startedAgent();
    const cometd = a.cometd;
    if (cometd === undefined) throw new Error('no cometd');
    const pub = await new Promise<Json>((resolve) => cometd.publish('/v2/me/calls', { fake: true }, resolve));
    expect(pub.successful).toBe(false);
    const sub = await new Promise<Json>((resolve) => cometd.subscribe('/other/agents', () => undefined, resolve));
    expect(sub.successful).toBe(false);
  });
});
