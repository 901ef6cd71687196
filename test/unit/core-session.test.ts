import { describe, expect, it } from 'vitest';
import { createAgentSession } from '../../main/agent/session';
import type { AgentSession } from '../../main/agent/session';
import { GwsError } from '../../main/gws/errors';
import { RECORD, callMessage, campaignMessage, recordMessage } from '../support/core-fixtures';
import { DEVICE, ManualClock, fakeConnections, fakeGws, flush } from '../support/core-fakes';

async function signedIn(): Promise<{ session: AgentSession; gws: ReturnType<typeof fakeGws>; conns: ReturnType<typeof fakeConnections>; clock: ManualClock }> {
  const gws = fakeGws();
  const conns = fakeConnections();
  const clock = new ManualClock();
  let n = 0;
  const session = createAgentSession({ transport: gws, notifications: conns.factory, clock, random: () => 0.5, newReferenceId: () => `ref-${++n}` });
  await session.signIn({ serverUrl: 'http://gws.test', username: 'agent1', password: 'agent1', place: 'Place_5001' });
  return { session, gws, conns, clock };
}

const posts = (gws: ReturnType<typeof fakeGws>) => gws.requests.filter((r) => r.method === 'POST');

async function rejection(p: Promise<unknown>): Promise<GwsError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(GwsError);
    return error as GwsError;
  }
  throw new Error('expected a rejection');
}

describe('agent session (fakes)', () => {
  it('signs in in the order of gws-api.md §2 and exposes the user, settings and device', async () => {
    const { session, gws, conns } = await signedIn();
    expect(gws.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v2/me?subresources=*',
      'GET /api/v2/settings/agent-states',
      'POST /api/v2/me',
      'GET /api/v2/me/devices?fields=*',
      'GET /api/v2/me/calls?fields=*',
    ]);
    expect(conns.all).toHaveLength(1);
    expect(conns.last().connects).toBe(1);
    expect(conns.last().options.url).toBe('http://gws.test/api/v2/notifications');
    expect(conns.last().options.cookies.header('http://gws.test/api/v2/notifications')).toBe('JSESSIONID=s1');
    expect(posts(gws)[0]?.json).toEqual({ operationName: 'StartContactCenterSession', channels: ['voice'], place: 'Place_5001', referenceId: 'ref-1' });
    const s = session.snapshot;
    expect(s.connection.state).toBe('connected');
    expect(s.user).toMatchObject({
      userName: 'agent1',
      agentStates: [{ operationName: 'OutToLunch', displayName: 'Out to Lunch', state: 'NotReady', reason: 'Lunch' }],
      callResults: ['Answer'],
      dispositions: { key: 'DispositionCode', values: ['Sale', 'NoSale'] },
    });
    expect(s.device).toMatchObject({ id: 'dev-1', dn: '5001', userState: { state: 'NotReady' } });
  });

  it('sends the CSRF token on CometD requests too (gws-api.md §2: every POST carries it)', async () => {
    const { conns } = await signedIn();
    expect(conns.last().options.headers?.()).toEqual({ 'X-CSRF-TOKEN': 't1' });
  });

  it('tells a demanded password change (statusCode 8) in its own words', async () => {
    const gws = fakeGws();
    gws.handler = (r) => (r.path.startsWith('/api/v2/me?') ? { body: '{"statusCode":8,"statusMessage":"Change password"}' } : undefined);
    const session = createAgentSession({ transport: gws, notifications: fakeConnections().factory });
    const e = await rejection(session.signIn({ serverUrl: 'http://gws.test', username: 'agent1', password: 'old' }));
    expect(e.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(e.message).toMatch(/requires a new password/);
    expect(session.snapshot.lastError?.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });

  it('reports a failed sign-in as offline with the typed error', async () => {
    const gws = fakeGws();
    gws.handler = () => ({ status: 401, body: '{"statusCode":20,"statusMessage":"Access denied"}' });
    const conns = fakeConnections();
    const session = createAgentSession({ transport: gws, notifications: conns.factory });
    const e = await rejection(session.signIn({ serverUrl: 'http://gws.test', username: 'x', password: 'y' }));
    expect(e.code).toBe('AUTH_FAILED');
    expect(session.snapshot.connection.state).toBe('offline');
    expect(session.snapshot.lastError?.code).toBe('AUTH_FAILED');
    expect(conns.all).toHaveLength(0);
  });

  it('sends a configured Not Ready reason as its own operationName, never a reasonCode (gws-api.md §3)', async () => {
    const { session, gws, conns } = await signedIn();
    const lunch = await session.notReady('OutToLunch');
    await session.notReady();
    await session.ready();
    expect(posts(gws).slice(1).map((r) => [r.path, r.json])).toEqual([
      ['/api/v2/me/channels/voice', { operationName: 'OutToLunch', referenceId: 'ref-2' }],
      ['/api/v2/me/channels/voice', { operationName: 'NotReady', referenceId: 'ref-3' }],
      ['/api/v2/me/channels/voice', { operationName: 'Ready', referenceId: 'ref-4' }],
    ]);
    expect((await rejection(session.notReady('Lunch'))).code).toBe('VALIDATION');
    // Confirmed by the state it causes: no referenceId is echoed on agent-state notifications.
    conns.last().publish('/v2/me/devices', { messageType: 'DeviceStateChangeMessage', devices: [{ ...DEVICE, userState: { state: 'NotReady', reason: 'Lunch', displayName: 'Out to Lunch' } }] });
    await expect(lunch.outcome).resolves.toBe('confirmed');
    expect(session.snapshot.device?.userState).toMatchObject({ state: 'NotReady', reason: 'Lunch', operationName: 'OutToLunch' });
  });

  it('reads a userState reason spelled reasonCode', async () => {
    const { session, conns } = await signedIn();
    conns.last().publish('/v2/me/devices', { messageType: 'DeviceStateChangeMessage', devices: [{ ...DEVICE, userState: { state: 'NotReady', reasonCode: 'Lunch' } }] });
    expect(session.snapshot.device?.userState).toMatchObject({ reason: 'Lunch', operationName: 'OutToLunch' });
  });

  it('signs in without reasons when the server has no agent-states settings', async () => {
    const gws = fakeGws();
    gws.handler = (r) => (r.path === '/api/v2/settings/agent-states' ? { status: 404, body: 'Not Found' } : undefined);
    const session = createAgentSession({ transport: gws, notifications: fakeConnections().factory });
    await session.signIn({ serverUrl: 'http://gws.test', username: 'agent1', password: 'agent1' });
    expect(session.snapshot.connection.state).toBe('connected');
    expect(session.snapshot.user?.agentStates).toEqual([]);
  });

  it('refuses an operation the call capabilities do not allow, sending nothing', async () => {
    const { session, gws, conns } = await signedIn();
    conns.last().publish('/v2/me/calls', callMessage('C1', 'Ringing'));
    const before = gws.requests.length;
    const e = await rejection(session.hold('C1'));
    expect(e.code).toBe('NOT_ALLOWED_IN_STATE');
    expect((await rejection(session.hangup('nope'))).code).toBe('NOT_ALLOWED_IN_STATE');
    expect(gws.requests.length).toBe(before);
    await session.answer('C1');
    expect(posts(gws).at(-1)).toMatchObject({ path: '/api/v2/me/calls/C1', json: { operationName: 'Answer', referenceId: 'ref-2' } });
  });

  it('keeps an accepted operation pending until its notification, then confirms it', async () => {
    const { session, conns } = await signedIn();
    conns.last().publish('/v2/me/calls', callMessage('C1', 'Established'));
    const ack = await session.hold('C1');
    expect(session.snapshot.pendingOperations[ack.referenceId]).toMatchObject({ operationName: 'Hold', status: 'accepted', targetId: 'C1' });
    conns.last().publish('/v2/me/calls', callMessage('C1', 'Held', {}, { referenceId: ack.referenceId }));
    await expect(ack.outcome).resolves.toBe('confirmed');
    expect(session.snapshot.pendingOperations).toEqual({});
    expect(session.snapshot.calls['C1']?.state).toBe('Held');
  });

  it('times an unanswered operation out (injected clock) without calling it an error', async () => {
    const { session, clock } = await signedIn();
    const ack = await session.ready();
    clock.advance(15_000);
    await expect(ack.outcome).resolves.toBe('unconfirmed');
    expect(session.snapshot.pendingOperations).toEqual({});
    expect(session.snapshot.lastError).toBeNull();
  });

  it('turns an ErrorMessage without a referenceId into the failure of the operation it names', async () => {
    const { session, conns } = await signedIn();
    conns.last().publish('/v2/me/calls', callMessage('C1', 'Established'));
    const ack = await session.hold('C1');
    conns.last().publish('/v2/me/calls', { messageType: 'ErrorMessage', errorCode: 71, errorMessage: 'Hold is not possible now', call: { id: 'C1' } });
    const e = await rejection(ack.outcome);
    expect(e).toMatchObject({ code: 'SERVER', message: 'Hold is not possible now' });
    expect(session.snapshot.lastError).toMatchObject({ code: 'SERVER', message: 'Hold is not possible now', operationName: 'Hold' });
    expect(session.snapshot.pendingOperations).toEqual({});
  });

  it('shows an ErrorMessage with no fields in words, and it fails the last operation', async () => {
    const { session, conns } = await signedIn();
    const ack = await session.ready();
    conns.last().publish('/v2/me/devices', { messageType: 'ErrorMessage' });
    await expect(ack.outcome).rejects.toMatchObject({ message: 'The server refused the last operation' });
    expect(session.snapshot.lastError).toMatchObject({ message: 'The server refused the last operation', operationName: 'Ready' });
  });

  it('turns an Error notification matched by referenceId into a typed error and lastError', async () => {
    const { session, conns } = await signedIn();
    const ack = await session.dial('5550003');
    conns.last().publish('/v2/me/calls', { messageType: 'CallStateChangeMessage', notificationType: 'Error', errorMessage: 'Invalid destination 5550003', referenceId: ack.referenceId });
    const e = await rejection(ack.outcome);
    expect(e).toMatchObject({ code: 'SERVER', message: 'Invalid destination 5550003', referenceId: ack.referenceId });
    expect(session.snapshot.lastError).toMatchObject({ code: 'SERVER', operationName: 'Dial', referenceId: ack.referenceId });
  });

  it('reports a non-zero statusCode as a typed error and in lastError', async () => {
    const { session, gws } = await signedIn();
    gws.handler = (r) => (r.method === 'POST' ? { body: '{"statusCode":2,"statusMessage":"Ready is not valid for the current state"}' } : undefined);
    const e = await rejection(session.ready());
    expect(e).toMatchObject({ code: 'NOT_ALLOWED_IN_STATE', statusCode: 2, operationName: 'Ready' });
    expect(session.snapshot.lastError).toMatchObject({ code: 'NOT_ALLOWED_IN_STATE', statusCode: 2 });
    expect(session.snapshot.pendingOperations).toEqual({});
  });

  it('dials a preview record with the seed request and sends a second Dial of it never', async () => {
    const { session, gws, conns } = await signedIn();
    conns.last().publish('/v2/me/outbound', campaignMessage('CampaignStarted'));
    await session.startPreviewSession('Campaign1');
    const get = await session.getPreviewRecord('Campaign1');
    expect(session.snapshot.previewRecord.phase).toBe('requested');
    conns.last().publish('/v2/me/outbound', recordMessage('PreviewRecord', RECORD, get.referenceId));
    const first = session.dialPreviewRecord();
    const second = session.dialPreviewRecord();
    expect(second).toBe(first);
    const ack = await first;
    const third = await rejection(session.dialPreviewRecord());
    expect(third.code).toBe('NOT_ALLOWED_IN_STATE');
    const dials = posts(gws).filter((r) => r.json?.['operationName'] === 'Dial');
    expect(dials).toHaveLength(1);
    const { userData: _ud, ...recordFields } = RECORD;
    expect(dials[0]?.path).toBe('/api/v2/me/devices/dev-1/calls');
    expect(dials[0]?.json).toEqual({ operationName: 'Dial', devicePath: '/devices/dev-1', outboundRecord: recordFields, userData: RECORD.userData, referenceId: ack.referenceId });
    expect(Object.keys(dials[0]?.json ?? {}).slice(0, 3)).toEqual(['operationName', 'devicePath', 'outboundRecord']);
  });

  it('completes, reschedules and marks records with the §6 bodies', async () => {
    const { session, gws, conns } = await signedIn();
    conns.last().publish('/v2/me/outbound', campaignMessage('CampaignStarted'));
    conns.last().publish('/v2/me/outbound', recordMessage('PreviewRecord'));
    await session.rescheduleRecord('Personal', new Date(Date.UTC(2030, 0, 1, 12)));
    await session.doNotCallRecord('RecordOnly');
    await session.completeRecord();
    const bodies = posts(gws).slice(1).map((r) => [r.path, r.json]);
    const common = { applicationId: 134, devicePath: '/devices/dev-1', campaignName: 'Campaign1', callingList: 'CL1' };
    expect(bodies).toEqual([
      ['/api/v2/me/outbound-records/431', { operationName: 'RescheduleRecord', ...common, callbackType: 'Personal', timestamp: 1893499200, referenceId: 'ref-2' }],
      ['/api/v2/me/outbound-records/431', { operationName: 'DoNotCallRecord', ...common, chainAttribute: 'RecordOnly', referenceId: 'ref-3' }],
      ['/api/v2/me/outbound-records/431', { operationName: 'CompleteRecord', ...common, callResult: 'Unknown', phoneNumber: '5001', referenceId: 'ref-4' }],
    ]);
  });

  it('sends DTMF as digits [CallsSendDTMF], confirmed by DtmfSent, and validates the digits locally', async () => {
    const { session, gws, conns } = await signedIn();
    conns.last().publish('/v2/me/calls', callMessage('C1', 'Established'));
    const ack = await session.sendDtmf('C1', '12#');
    expect(ack).toMatchObject({ referenceId: 'ref-2' });
    expect(posts(gws).at(-1)?.json).toEqual({ operationName: 'SendDtmf', digits: '12#', referenceId: 'ref-2' });
    conns.last().publish('/v2/me/calls', callMessage('C1', 'Established', {}, { notificationType: 'DtmfSent' }));
    await expect(ack.outcome).resolves.toBe('confirmed');
    expect((await rejection(session.sendDtmf('C1', '1; DROP'))).code).toBe('VALIDATION');
    expect(session.snapshot.pendingOperations).toEqual({});
  });

  it('re-reads devices and calls after every re-handshake', async () => {
    const { session, gws, conns } = await signedIn();
    conns.last().publish('/v2/me/calls', callMessage('STALE', 'Established'));
    conns.last().status({ state: 'reconnecting', reason: '402::Unknown client' });
    expect(session.snapshot.connection).toMatchObject({ state: 'reconnecting', reason: '402::Unknown client' });
    gws.calls = [callMessage('NEW', 'Ringing')['call']];
    const before = gws.requests.length;
    conns.last().status({ state: 'connected', rehandshake: true });
    await flush();
    expect(gws.requests.slice(before).map((r) => r.path)).toEqual(['/api/v2/me/devices?fields=*', '/api/v2/me/calls?fields=*']);
    expect(Object.keys(session.snapshot.calls)).toEqual(['NEW']);
    expect(session.snapshot.connection.state).toBe('connected');
  });

  it('says resyncing, not connected, until the re-read succeeds, retrying it for as long as it takes', async () => {
    const { session, gws, conns, clock } = await signedIn();
    const seen: string[] = [];
    session.onDidChange((s, keys) => keys.includes('connection') && seen.push(s.connection.state));
    conns.last().status({ state: 'reconnecting', reason: 'socket hang up' });
    const outageStart = session.snapshot.connection.offlineSince;
    expect(outageStart).toBe(clock.now());
    let failing = 12; // far more than the former limit of 6 attempts
    gws.handler = (r) => (r.method === 'GET' && r.path.startsWith('/api/v2/me/calls') && failing-- > 0 ? { status: 503, body: 'Service Unavailable' } : undefined);
    gws.calls = [callMessage('RANG', 'Ringing')['call']];
    conns.last().status({ state: 'connected', rehandshake: true });
    for (let i = 0; i < 120 && session.snapshot.connection.state !== 'connected'; i += 1) {
      await flush();
      if (session.snapshot.connection.state === 'resyncing') expect(session.snapshot.connection.offlineSince).toBe(outageStart);
      clock.advance(1_000);
    }
    await flush();
    expect(failing).toBeLessThan(0);
    expect(session.snapshot.connection.state).toBe('connected');
    expect(session.snapshot.connection.offlineSince).toBeUndefined();
    expect(Object.keys(session.snapshot.calls)).toEqual(['RANG']);
    // Never "connected" while the calls were not re-read.
    expect(seen).toEqual(['reconnecting', 'resyncing', 'connected']);
  });

  it('does not call a re-read that started before the link came back a confirmation', async () => {
    const { session, gws, conns } = await signedIn();
    conns.last().status({ state: 'reconnecting', reason: 'socket hang up' });
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const transport = gws.request.bind(gws);
    let hold = true;
    gws.request = async (req) => {
      if (hold && req.url.includes('/api/v2/me/calls')) {
        hold = false;
        await slow;
      }
      return transport(req);
    };
    conns.last().status({ state: 'connected', rehandshake: true });
    await flush();
    conns.last().status({ state: 'reconnecting', reason: 'again' });
    conns.last().status({ state: 'connected', rehandshake: true });
    gws.calls = [callMessage('LATE', 'Ringing')['call']];
    release();
    await flush();
    expect(session.snapshot.connection.state).toBe('connected');
    expect(Object.keys(session.snapshot.calls)).toEqual(['LATE']);
  });

  it('keeps signing in again through any number of 503s; only a refusal of the credentials ends the session', async () => {
    const { session, gws, conns, clock } = await signedIn();
    let unavailable = 30;
    gws.handler = (r) => (r.path.startsWith('/api/v2/me?') && unavailable-- > 0 ? { status: 503, body: '<html>503 Service Unavailable</html>' } : undefined);
    conns.last().status({ state: 'session-lost', reason: '402::Unknown client' });
    for (let i = 0; i < 80 && session.snapshot.connection.state !== 'connected'; i += 1) {
      await flush();
      expect(session.snapshot.connection.state).not.toBe('signed-out');
      clock.advance(1_000);
    }
    await flush();
    expect(unavailable).toBeLessThan(0);
    expect(session.snapshot.connection.state).toBe('connected');
  });

  it('wake() after a resume: the REST pool and the long poll are dropped, and a sign-in waiting for its backoff goes at once', async () => {
    const { session, gws, conns, clock } = await signedIn();
    const startedAt = clock.now();
    session.wake('resume');
    expect(gws.freshSocketCalls).toBe(1);
    expect(conns.last().wakes).toBe(1);
    // The machine slept long enough for the server to forget the session; signing in again meets a
    // 503 and waits for its backoff, which the next wake (the network is back) cuts short.
    let unavailable = 2; // the HTTP client retries a GET once by itself
    gws.handler = (r) => (r.path.startsWith('/api/v2/me?') && unavailable-- > 0 ? { status: 503, body: '<html>503</html>' } : undefined);
    conns.last().status({ state: 'session-lost', reason: '402::Unknown client' });
    await flush();
    expect(session.snapshot.connection.state).toBe('reconnecting');
    const mark = gws.requests.length;
    session.wake('network changed');
    await flush();
    expect(gws.requests.slice(mark).map((r) => `${r.method} ${r.path}`)[0]).toBe('GET /api/v2/me?subresources=*');
    expect(session.snapshot.connection.state).toBe('connected');
    expect(clock.now()).toBe(startedAt); // no time passed: nothing waited for the backoff
  });

  it('a Dial accepted but never confirmed (its notification lost) is settled by a re-read: no call at the server → the record can be dialled again', async () => {
    const { session, gws, conns, clock } = await signedIn();
    conns.last().publish('/v2/me/outbound', campaignMessage('CampaignStarted'));
    conns.last().publish('/v2/me/outbound', recordMessage('PreviewRecord'));
    await session.dialPreviewRecord();
    expect(session.snapshot.previewRecord.phase).toBe('dialing');
    const mark = gws.requests.length;
    clock.advance(15_000); // the operation timeout: no call notification came
    await flush();
    expect(gws.requests.slice(mark).some((r) => r.method === 'GET' && r.path.startsWith('/api/v2/me/calls'))).toBe(true);
    expect(session.snapshot.previewRecord.phase).toBe('offered');
    await expect(session.dialPreviewRecord()).resolves.toMatchObject({ referenceId: expect.any(String) });
  });

  it('acts only on the record the caller showed (the same rule for the UI, tray, CLI and toasts), and reschedules only into the future', async () => {
    const { session, gws, conns, clock } = await signedIn();
    conns.last().publish('/v2/me/outbound', campaignMessage('CampaignStarted'));
    conns.last().publish('/v2/me/outbound', recordMessage('PreviewRecord'));
    for (const attempt of [
      () => session.rejectRecord({ recordHandle: 999 }),
      () => session.cancelRecord({ recordHandle: 999 }),
      () => session.dialPreviewRecord({ recordHandle: 999 }),
      () => session.dialPreviewRecord({ recordHandle: 431, phoneNumber: '+15550009999' }),
      () => session.doNotCallRecord('AllChain', { recordHandle: 999 }),
      () => session.updateRecord({ otherFields: { Balance: '1' } }, { recordHandle: 999 }),
      () => session.completeRecord('Answer', { record: { recordHandle: 999 } }),
      () => session.getChainedRecords({ recordHandle: 999 }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'NOT_ALLOWED_IN_STATE' });
    }
    await expect(session.rescheduleRecord('Personal', clock.now() - 1, { recordHandle: 431 })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/future/) });
    expect(posts(gws).filter((r) => r.path.includes('/outbound-records/') || r.path.includes('/calls'))).toEqual([]);
    await expect(session.rejectRecord({ recordHandle: '431' })).resolves.toMatchObject({ referenceId: expect.any(String) });
  });

  it('completes with a note saved first and asks for the next record only once the completion is acknowledged', async () => {
    const { session, gws, conns } = await signedIn();
    conns.last().publish('/v2/me/outbound', campaignMessage('CampaignStarted'));
    conns.last().publish('/v2/me/outbound', recordMessage('PreviewRecord'));
    const ack = await session.completeRecord('Answer', { record: { recordHandle: 431 }, note: '  call back Tuesday ', getNext: true });
    const names = () => posts(gws).map((r) => r.json?.['operationName']).filter((n) => n !== 'StartContactCenterSession');
    expect(names()).toEqual(['UpdateRecord', 'CompleteRecord']);
    expect(posts(gws).find((r) => r.json?.['operationName'] === 'UpdateRecord')?.json).toMatchObject({ otherFields: { AgentNote: 'call back Tuesday' } });
    conns.last().publish('/v2/me/outbound', recordMessage('RecordProcessedAcknowledge', undefined, ack.referenceId));
    await expect(ack.outcome).resolves.toBe('confirmed');
    await flush();
    expect(names()).toEqual(['UpdateRecord', 'CompleteRecord', 'GetPreviewRecord']);
  });

  it("IT's calling hours set to block: no caller can dial outside them (the session refuses); with ask, the caller asks and the session dials", async () => {
    // The clock: 2023-11-14 17:13 in New York, the record's zone.
    for (const outside of ['block', 'ask'] as const) {
      const gws = fakeGws();
      const conns = fakeConnections();
      const session = createAgentSession({ transport: gws, notifications: conns.factory, clock: new ManualClock(), random: () => 0.5, workRules: { callingHours: { start: '08:00', end: '09:00', outside } } });
      await session.signIn({ serverUrl: 'http://gws.test', username: 'agent1', password: 'agent1', place: 'Place_5001' });
      conns.last().publish('/v2/me/outbound', campaignMessage('CampaignStarted'));
      conns.last().publish('/v2/me/outbound', recordMessage('PreviewRecord'));
      const dial = session.dialPreviewRecord({ recordHandle: 431 });
      if (outside === 'block') {
        await expect(dial).rejects.toMatchObject({ code: 'NOT_ALLOWED_IN_STATE', message: expect.stringMatching(/outside the calling hours \(08:00–09:00\)/) });
        expect(posts(gws).some((r) => r.json?.['operationName'] === 'Dial')).toBe(false);
      } else {
        await expect(dial).resolves.toMatchObject({ referenceId: expect.any(String) });
      }
    }
  });

  it('wake() while signed out does nothing', async () => {
    const { session, gws, conns } = await signedIn();
    await session.signOut();
    session.wake('resume');
    expect(gws.freshSocketCalls).toBe(0);
    expect(conns.last().wakes).toBe(0);
  });

  it('drops a record, call or campaign the server no longer knows (statusCode 6) with a notice, and the agent goes on', async () => {
    const { session, gws, conns } = await signedIn();
    conns.last().publish('/v2/me/outbound', campaignMessage('CampaignStarted'));
    conns.last().publish('/v2/me/outbound', recordMessage('PreviewRecord'));
    conns.last().publish('/v2/me/calls', callMessage('C1', 'Established'));
    const notFound = (what: string) => ({ body: JSON.stringify({ statusCode: 6, statusMessage: `${what} not found` }) });
    gws.handler = (r) => {
      if (r.method !== 'POST') return undefined;
      if (r.path.includes('/calls/C1')) return notFound('Call C1');
      if (r.json?.['operationName'] === 'Dial') return notFound('Record 431');
      if (r.path.includes('/outbound-campaigns/')) return notFound('Campaign Campaign1');
      return undefined;
    };
    await expect(session.dialPreviewRecord()).rejects.toMatchObject({ statusCode: 6 });
    expect(session.snapshot.previewRecord).toMatchObject({ phase: 'idle', lastNotification: 'RecordGone' });
    expect(session.snapshot.lastError).toMatchObject({ code: 'GONE', message: expect.stringMatching(/Record 431 is no longer known to the server/) });
    await expect(session.hold('C1')).rejects.toMatchObject({ statusCode: 6 });
    expect(session.snapshot.calls['C1']).toBeUndefined();
    expect(session.snapshot.callHistory[0]).toMatchObject({ callId: 'C1' });
    await expect(session.getPreviewRecord('Campaign1')).rejects.toMatchObject({ statusCode: 6 });
    expect(session.snapshot.campaigns['Campaign1']).toBeUndefined();
    expect(session.snapshot.connection.state).toBe('connected');
  });

  it('drops the record in hand when its outcome is refused as unknown (statusCode 6): get record works again', async () => {
    const { session, gws, conns } = await signedIn();
    conns.last().publish('/v2/me/outbound', campaignMessage('CampaignStarted'));
    conns.last().publish('/v2/me/outbound', recordMessage('PreviewRecord'));
    gws.handler = (r) => (r.json?.['operationName'] === 'CompleteRecord' ? { body: '{"statusCode":6,"statusMessage":"Record 431 not found"}' } : undefined);
    await expect(session.completeRecord('Answer')).rejects.toMatchObject({ statusCode: 6 });
    expect(session.snapshot.previewRecord.phase).toBe('idle');
    expect(session.snapshot.outbox).toEqual([]);
    gws.handler = undefined;
    await expect(session.getPreviewRecord('Campaign1')).resolves.toMatchObject({ referenceId: expect.any(String) });
  });

  it('starts the contact-center session again when a re-read finds the agent logged out (the server lost its state)', async () => {
    const { session, gws, conns } = await signedIn();
    gws.devices = [{ ...DEVICE, userState: { state: 'LoggedOut' } }];
    gws.handler = (r) => {
      if (r.json?.['operationName'] === 'StartContactCenterSession') gws.devices = [DEVICE];
      return undefined;
    };
    const before = posts(gws).length;
    conns.last().status({ state: 'reconnecting', reason: '402::Unknown client' });
    conns.last().status({ state: 'connected', rehandshake: true });
    await flush();
    expect(posts(gws).slice(before).map((r) => r.json?.['operationName'])).toEqual(['StartContactCenterSession']);
    expect(session.snapshot.connection.state).toBe('connected');
    expect(session.snapshot.device?.userState.state).toBe('NotReady');
  });

  it('opens the preview session again when GetPreviewRecord is refused as not valid (the server forgot it), then asks once more', async () => {
    const { session, gws, conns } = await signedIn();
    conns.last().publish('/v2/me/outbound', campaignMessage('PreviewSessionStarted'));
    let refuse = true;
    gws.handler = (r) => {
      if (r.json?.['operationName'] === 'GetPreviewRecord' && refuse) return { body: '{"statusCode":2,"statusMessage":"GetPreviewRecord is not valid for the current state"}' };
      if (r.json?.['operationName'] === 'StartPreviewSession') {
        refuse = false;
        queueMicrotask(() => conns.last().publish('/v2/me/outbound', campaignMessage('PreviewSessionStarted', 'Campaign1', 'Preview', r.json?.['referenceId'] as string)));
      }
      return undefined;
    };
    await expect(session.getPreviewRecord('Campaign1')).resolves.toMatchObject({ referenceId: expect.any(String) });
    expect(posts(gws).slice(1).map((r) => r.json?.['operationName'])).toEqual(['GetPreviewRecord', 'StartPreviewSession', 'GetPreviewRecord']);
  });

  it('signs in again once when the session is lost, then reports signed-out with the reason', async () => {
    const { session, gws, conns } = await signedIn();
    const before = gws.requests.length;
    conns.last().status({ state: 'session-lost', reason: '403::handshake_denied' });
    await flush();
    expect(gws.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v2/me?subresources=*',
      'GET /api/v2/settings/agent-states',
      'GET /api/v2/me/devices?fields=*',
      'GET /api/v2/me/devices?fields=*',
      'GET /api/v2/me/calls?fields=*',
    ]);
    expect(conns.last().connects).toBe(2);
    expect(session.snapshot.connection.state).toBe('connected');

    gws.handler = () => ({ status: 401, body: '{"statusCode":20,"statusMessage":"Access denied"}' });
    const mark = gws.requests.length;
    conns.last().status({ state: 'session-lost', reason: '403::handshake_denied' });
    await flush();
    expect(gws.requests.slice(mark).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v2/me?subresources=*']);
    expect(session.snapshot.connection.state).toBe('signed-out');
    expect(session.snapshot.connection.reason).toMatch(/session expired/);
    expect(session.snapshot.lastError?.code).toBe('SESSION_EXPIRED');
    expect((await rejection(session.ready())).code).toBe('OFFLINE');
  });

  it('signs out by disconnecting CometD first, then EndContactCenterSession as the last step (gws-api.md §2)', async () => {
    const { session, gws, conns } = await signedIn();
    const changes: string[][] = [];
    session.onDidChange((_s, keys) => changes.push(keys));
    let disconnectsAtEnd = -1;
    gws.handler = (r) => {
      if (r.json?.['operationName'] === 'EndContactCenterSession') disconnectsAtEnd = conns.last().disconnects;
      return undefined;
    };
    await session.signOut();
    expect(posts(gws).at(-1)?.json).toEqual({ operationName: 'EndContactCenterSession' });
    expect(disconnectsAtEnd).toBe(1);
    expect(conns.last().disconnects).toBe(1);
    expect(session.snapshot.connection).toMatchObject({ state: 'signed-out', reason: 'signed out by user' });
    expect(changes.at(-1)).toContain('connection');
  });
});
