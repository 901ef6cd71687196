import { describe, expect, it } from 'vitest';
import { useSimulator } from '../support/sim-fixtures';

const fx = useSimulator();

describe('HTTP authentication, cookie and CSRF', () => {
  it('logs in with Basic auth: JSESSIONID cookie, CSRF headers, user with subresources', async () => {
    const a = fx.agent();
    const r = await a.get('/api/v2/me?subresources=*');
    expect(r.status).toBe(200);
    const setCookie = r.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^JSESSIONID=[^;]+; Path=\/; HttpOnly/);
    expect(r.headers.get('x-csrf-header')).toBe('X-CSRF-TOKEN');
    expect(r.headers.get('x-csrf-token')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.statusCode).toBe(0);
    expect(r.body.user).toMatchObject({ userName: 'agent1', firstName: 'Alice', roles: ['ROLE_AGENT'], enabled: true });
    // Workspace options only: strings keyed by option name (gws-api.md §3); no invented keys.
    expect(Object.keys(r.body.user.settings)).toEqual(['interaction-workspace']);
    expect(r.body.user.settings['interaction-workspace']['outbound.call-result-values']).toContain('Busy');
    // The cookie alone authenticates, and the token comes back on every authenticated GET.
    const again = await a.get('/api/v2/me', { basic: false });
    expect(again.status).toBe(200);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(again.headers.get('x-csrf-token')).toBe(a.csrf);
  });

  it('refuses a wrong password or no credentials with 401 / statusCode 20', async () => {
    const wrong = fx.agent('agent1', 'nope');
    const r = await wrong.get('/api/v2/me');
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ statusCode: 20, statusMessage: 'Access denied' });
    const none = await fx.agent().get('/api/v2/me', { basic: false });
    expect(none.status).toBe(401);
    expect(none.body.statusCode).toBe(20);
  });

  it('answers 403 to a POST without the CSRF token or without the cookie, and changes nothing', async () => {
    const a = fx.agent();
    await a.login();
    const start = { operationName: 'StartContactCenterSession', channels: ['voice'] };
    const noToken = await a.post('/api/v2/me', start, { csrf: null });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('Missing or invalid Csrf token');
    const badToken = await a.post('/api/v2/me', start, { csrf: 'not-the-token' });
    expect(badToken.status).toBe(403);
    const noCookie = await a.post('/api/v2/me', start, { cookie: null, basic: true });
    expect(noCookie.status).toBe(403);
    expect(fx.sim.control.state().agents[0]?.contactCenterSession).toBe(false);
  });

  it('serves the version without auth, 404 on unknown paths, 400 on a non-JSON body', async () => {
    const a = fx.agent();
    const v = await a.get('/api/v2/diagnostics/version', { basic: false });
    expect(v.body).toEqual({ statusCode: 0, version: '8.5.200.50' });
    await a.login();
    expect((await a.get('/api/v2/me/nothing-here')).status).toBe(404);
    expect((await a.get('/nowhere')).status).toBe(404);
    const bad = await a.post('/api/v2/me', null, { raw: '{"operationName": "StartContact' });
    expect(bad.status).toBe(400);
    expect(fx.sim.control.state().agents[0]?.contactCenterSession).toBe(false);
  });

  it('refuses a CometD handshake without a live HTTP session', async () => {
    const a = fx.agent();
    const hs = await a.connect();
    expect(hs.successful).toBe(false);
    expect(hs.error).toContain('403');
  });

  it('EndContactCenterSession invalidates the HTTP session and the CometD session', async () => {
    const a = await fx.startedAgent();
    const cookie = a.cookie;
    expect(fx.sim.control.state().agents[0]?.cometdSessions).toBe(1);
    await a.op('/api/v2/me', { operationName: 'EndContactCenterSession' });
    expect((await a.get('/api/v2/me', { basic: false })).status).toBe(401);
    const truth = fx.sim.control.state().agents[0];
    expect(truth?.contactCenterSession).toBe(false);
    expect(truth?.httpSessions).toBe(0);
    expect(truth?.cometdSessions).toBe(0);
    // The old cookie no longer opens a CometD session.
    await a.disconnect();
    const b = fx.agent();
    b.cookie = cookie;
    const hs = await b.connect();
    expect(hs.successful).toBe(false);
  });
});
