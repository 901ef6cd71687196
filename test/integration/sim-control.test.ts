import { describe, expect, it } from 'vitest';
import { useSimulator } from '../support/sim-fixtures';

const fx = useSimulator({ control: true });

const { control } = fx;

describe('control API', () => {
  it('fail-next answers the next REST requests with an error page, then recovers; control itself is immune', async () => {
    const a = fx.agent();
    await a.login();
    expect((await control('fail-next', { count: 2 })).status).toBe(200);
    const s = await control('state');
    expect(s.body.pendingFailures).toBe(2);
    const f1 = await a.get('/api/v2/me');
    expect(f1.status).toBe(503);
    expect(f1.text).toContain('<html>');
    expect((await a.get('/api/v2/me')).status).toBe(503);
    expect((await a.get('/api/v2/me')).status).toBe(200);
    fx.sim.control.failNext({ count: 1, status: 500, body: 'boom', pathPrefix: '/api/v2/me/calls' });
    expect((await a.get('/api/v2/me')).status).toBe(200);
    const f3 = await a.get('/api/v2/me/calls');
    expect([f3.status, f3.text]).toEqual([500, 'boom']);
    const log = fx.sim.control.requests().filter((r) => r.status >= 500);
    expect(log.map((r) => r.status)).toEqual([503, 503, 500]);
  });

  it('latency delays REST replies', async () => {
    const a = fx.agent();
    await a.login();
    await control('latency', { ms: 250 });
    const t0 = Date.now();
    await a.get('/api/v2/me');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
    fx.sim.control.setLatency(0);
    expect(fx.sim.control.state().latencyMs).toBe(0);
  });

  it('drop-clients: the next /meta/connect gets 402::Unknown client, the re-handshake works and re-subscribes', async () => {
    const a = await fx.startedAgent();
    expect(a.subscriptions).toBe(1);
    await control('drop-clients', {});
    const refused = await a.waitForMeta('connect', (m) => m.successful === false);
    expect(refused.error).toBe('402::Unknown client');
    await a.waitForSubscriptions(2);
    expect(fx.sim.control.state().agents[0]?.cometdSessions).toBe(1);
    // Re-subscribing to /v2/me/outbound with a started session re-announces the campaigns.
    await a.waitFor('/v2/me/outbound', (d) => d.notificationType === 'CampaignStarted');
    fx.sim.control.publish({ userName: 'agent1', channel: '/v2/me/calls', data: { messageType: 'Custom', n: 1 } });
    expect(await a.waitFor('/v2/me/calls', (d) => d.messageType === 'Custom')).toEqual({ messageType: 'Custom', n: 1 });
  });

  it('expire-session: cookie refused, CometD dropped and its handshake refused until the agent logs in again', async () => {
    const a = await fx.startedAgent();
    await control('expire-session', { userName: 'agent1' });
    expect((await a.get('/api/v2/me', { basic: false })).status).toBe(401);
    const denied = await a.waitForMeta('handshake', (m) => m.successful === false);
    expect(denied.error).toContain('403');
    expect(fx.sim.control.state().agents[0]).toMatchObject({ httpSessions: 0, cometdSessions: 0, contactCenterSession: true });
    await a.login();
    const hs = await a.connect();
    expect(hs.successful).toBe(true);
    expect(fx.sim.control.state().agents[0]?.cometdSessions).toBe(1);
  });

  it('restart keeps the port and the switch calls; sessions are gone', async () => {
    const a = await fx.startedAgent();
    const id = fx.sim.control.inboundCall({ to: '5001', from: '+15557770000' });
    await a.waitFor('/v2/me/calls', (d) => d.call?.id === id);
    await a.op(`/api/v2/me/calls/${id}`, { operationName: 'Answer' });
    await a.waitFor('/v2/me/calls', (d) => d.call?.state === 'Established');
    const port = fx.sim.port;
    await fx.sim.control.restart({ downMs: 100 });
    expect(fx.sim.port).toBe(port);
    expect((await a.get('/api/v2/me', { basic: false })).status).toBe(401);
    await a.waitForMeta('handshake', (m) => m.successful === false);
    await a.login();
    expect((await a.connect()).successful).toBe(true);
    const calls = await a.get('/api/v2/me/calls?fields=*');
    expect(calls.body.calls.map((c: { id: string; state: string }) => [c.id, c.state])).toEqual([[id, 'Established']]);
    // The restart over HTTP replies first, then goes down and comes back.
    expect((await control('restart', { downMs: 50 })).status).toBe(200);
    await a.waitForMeta('handshake', (m) => m.successful === false && a.handshakeCount() > 3);
    expect((await control('state')).status).toBe(200);
  });

  it('logs REST requests with user, body, HTTP status and statusCode', async () => {
    const a = await fx.startedAgent();
    const since = fx.sim.control.requests().at(-1)?.seq ?? 0;
    await a.post('/api/v2/me/channels/voice', { operationName: 'NotReady', reasonCode: 'Break' });
    await a.post('/api/v2/me/channels/voice', null, { raw: '<xml/>' });
    const entries = (await control(`requests?since=${since}`)).body;
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ method: 'POST', path: '/api/v2/me/channels/voice', userName: 'agent1', body: { operationName: 'NotReady', reasonCode: 'Break' }, status: 200, statusCode: 0 });
    expect(entries[1]).toMatchObject({ body: '<xml/>', status: 400 });
    expect(entries[1].seq).toBeGreaterThan(entries[0].seq);
    expect(fx.sim.control.requests(entries[1].seq)).toEqual([]);
  });

  it('inbound-call / remote-hangup / remote-answer / reset over HTTP', async () => {
    const a = await fx.startedAgent();
    const { body } = await control('inbound-call', { to: 'agent1', from: '+15550001234' });
    await a.waitFor('/v2/me/calls', (d) => d.call?.id === body.callId && d.call.state === 'Ringing');
    await control('remote-hangup', { callId: body.callId });
    await a.waitFor('/v2/me/calls', (d) => d.call?.state === 'Released');
    expect((await control('remote-answer', { callId: 'nope' })).status).toBe(400);
    expect((await control('inbound-call', { to: 'agent1' })).body.error).toContain('from');
    await a.op('/api/v2/me/channels/voice', { operationName: 'Ready' });
    await control('reset', {});
    const s = (await control('state')).body;
    expect(s.agents[0]).toMatchObject({ contactCenterSession: false, httpSessions: 0, calls: [], records: [] });
    expect(fx.sim.control.requests()).toEqual([]);
  });

  it('is absent (404) when control is off', async () => {
    const plain = await fx.another();
    expect((await fetch(`${plain.url}/sim/control/state`)).status).toBe(404);
  });
});
