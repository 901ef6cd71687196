import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from '../../main/gws/backoff';
import { GwsError, PASSWORD_CHANGE_MESSAGE, mayHaveActed } from '../../main/gws/errors';
import { GwsHttpClient } from '../../main/gws/http-client';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../main/gws/http-transport';
import { TransportFailure, classifyNetworkError } from '../../main/gws/http-transport';

const URL_ = 'http://gws.test:8090';

type Reply = Partial<HttpResponse> | Error | ((req: HttpRequest) => Partial<HttpResponse> | Error);

function fakeTransport(replies: Reply[]): HttpTransport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async request(req) {
      requests.push(req);
      let next = replies.shift() ?? { body: '{"statusCode":0}' };
      if (typeof next === 'function') next = next(req);
      if (next instanceof Error) throw next;
      return { status: 200, headers: {}, body: '{"statusCode":0}', ...next };
    },
  };
}

const meReply: Partial<HttpResponse> = {
  headers: { 'x-csrf-header': ['X-CSRF-TOKEN'], 'x-csrf-token': ['tok-1'], 'set-cookie': ['JSESSIONID=abc; Path=/; HttpOnly'] },
  body: '{"statusCode":0,"user":{"id":"u1"}}',
};

function client(transport: HttpTransport): GwsHttpClient {
  return new GwsHttpClient({ serverUrl: `${URL_}/`, transport, credentials: { username: 'agent1', password: 'pw' } });
}

async function rejection(p: Promise<unknown>): Promise<GwsError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(GwsError);
    return error as GwsError;
  }
  throw new Error('expected a rejection');
}

describe('GwsHttpClient', () => {
  it('sends Basic auth, keeps the cookie and sends the CSRF header captured from a GET on POSTs', async () => {
    const t = fakeTransport([meReply, {}]);
    const c = client(t);
    await c.get('/api/v2/me?subresources=*');
    await c.post('/api/v2/me', { operationName: 'StartContactCenterSession' });
    expect(t.requests[0]?.headers['Authorization']).toBe(`Basic ${Buffer.from('agent1:pw').toString('base64')}`);
    expect(t.requests[0]?.url).toBe(`${URL_}/api/v2/me?subresources=*`);
    const post = t.requests[1];
    expect(post?.method).toBe('POST');
    expect(post?.headers['Cookie']).toBe('JSESSIONID=abc');
    expect(post?.headers['X-CSRF-TOKEN']).toBe('tok-1');
    expect(post?.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(post?.body ?? '')).toEqual({ operationName: 'StartContactCenterSession' });
    expect(c.cookieHeader(`${URL_}/api/v2/notifications`)).toBe('JSESSIONID=abc');
  });

  it('on a 403 CSRF refusal re-reads the token once with GET /api/v2/me and retries once', async () => {
    const t = fakeTransport([
      meReply,
      { status: 403, body: 'Missing or invalid Csrf token' },
      { ...meReply, headers: { ...meReply.headers, 'x-csrf-token': ['tok-2'] } },
      {},
    ]);
    const c = client(t);
    await c.get('/api/v2/me');
    await c.post('/api/v2/me/channels/voice', { operationName: 'Ready' });
    expect(t.requests.map((r) => `${r.method} ${r.url.slice(URL_.length)}`)).toEqual([
      'GET /api/v2/me',
      'POST /api/v2/me/channels/voice',
      'GET /api/v2/me',
      'POST /api/v2/me/channels/voice',
    ]);
    expect(t.requests[3]?.headers['X-CSRF-TOKEN']).toBe('tok-2');
  });

  it('gives up with CSRF after the one retry', async () => {
    const t = fakeTransport([meReply, { status: 403, body: 'Missing or invalid Csrf token' }, meReply, { status: 403, body: 'Missing or invalid Csrf token' }]);
    const c = client(t);
    await c.get('/api/v2/me');
    const e = await rejection(c.post('/api/v2/me/channels/voice', { operationName: 'Ready' }));
    expect(e.code).toBe('CSRF');
    expect(e.httpStatus).toBe(403);
    expect(t.requests).toHaveLength(4);
  });

  it('never repeats a POST on a 5xx or a timeout', async () => {
    const t = fakeTransport([{ status: 503, body: '<html>down</html>' }, new TransportFailure('timeout', 'slow')]);
    const c = client(t);
    const e1 = await rejection(c.post('/api/v2/me/devices/d/calls', { operationName: 'Dial' }));
    expect(e1).toMatchObject({ code: 'SERVER', httpStatus: 503, operationName: 'Dial' });
    const e2 = await rejection(c.post('/api/v2/me/devices/d/calls', { operationName: 'Dial' }));
    expect(e2.code).toBe('TIMEOUT');
    expect(e2.message).toMatch(/not repeated/);
    expect(t.requests).toHaveLength(2);
  });

  it('repeats an idempotent GET once on a 5xx', async () => {
    const t = fakeTransport([{ status: 502, body: '' }, { body: '{"statusCode":0,"calls":[]}' }]);
    await expect(client(t).get('/api/v2/me/calls?fields=*')).resolves.toEqual({ statusCode: 0, calls: [] });
    expect(t.requests).toHaveLength(2);
  });

  it('maps replies to typed errors that keep statusCode, statusMessage and HTTP status', async () => {
    const cases: Array<[Reply, string, Partial<GwsError>]> = [
      [{ status: 401, body: '{"statusCode":20,"statusMessage":"Access denied"}' }, 'AUTH_FAILED', { statusCode: 20, statusMessage: 'Access denied', httpStatus: 401 }],
      [{ body: '{"statusCode":2,"statusMessage":"Hold is not valid for the current state"}' }, 'NOT_ALLOWED_IN_STATE', { statusCode: 2, httpStatus: 200 }],
      [{ body: '{"statusCode":1,"statusMessage":"Required parameter missing"}' }, 'VALIDATION', { statusCode: 1 }],
      [{ body: '{"statusCode":4,"statusMessage":"boom"}' }, 'SERVER', { statusCode: 4 }],
      [{ body: '<html>proxy</html>' }, 'MALFORMED_REPLY', { httpStatus: 200 }],
      [{ body: '{"ok":true}' }, 'MALFORMED_REPLY', {}],
      [new TransportFailure('unreachable', 'ECONNREFUSED'), 'UNREACHABLE', {}],
      [new TransportFailure('cert-untrusted', 'self signed'), 'CERT_UNTRUSTED', {}],
      [new TransportFailure('timeout', 'slow'), 'TIMEOUT', {}],
    ];
    for (const [reply, code, fields] of cases) {
      const e = await rejection(client(fakeTransport([reply])).post('/api/v2/me/calls/1', { operationName: 'Hold' }));
      expect(e.code, JSON.stringify(reply)).toBe(code);
      expect(e).toMatchObject(fields);
    }
  });

  it('passes an AbortSignal that fires on the timeout', async () => {
    const t: HttpTransport = {
      request: ({ signal }) =>
        new Promise((_, reject) => signal?.addEventListener('abort', () => reject(classifyNetworkError(signal.reason, signal)))),
    };
    const c = new GwsHttpClient({ serverUrl: URL_, transport: t, credentials: { username: 'a', password: 'b' }, timeoutMs: 20 });
    const e = await rejection(c.post('/api/v2/me', { operationName: 'X' }));
    expect(e.code).toBe('TIMEOUT');
  });
});

describe('GwsHttpClient: what a failure says about the server having acted (gws-api.md §1)', () => {
  it('HTTP 503 {"statusCode":4} is a SERVER error that says nothing was done, and the POST is not repeated', async () => {
    const t = fakeTransport([{ status: 503, body: '{"statusCode":4,"statusMessage":"Voice service is not available at this time"}' }]);
    const e = await rejection(client(t).post('/api/v2/me/calls/c1', { operationName: 'Hold' }));
    expect(e).toMatchObject({ code: 'SERVER', statusCode: 4, httpStatus: 503, statusMessage: 'Voice service is not available at this time', operationName: 'Hold' });
    expect(e.message).toMatch(/nothing was done/);
    expect(mayHaveActed(e)).toBe(false);
    expect(t.requests).toHaveLength(1);
  });

  it('a bare 503 page, a timeout and a reset may have acted', async () => {
    const replies: Reply[] = [{ status: 503, body: '<html><body>Service Unavailable</body></html>' }, new TransportFailure('timeout', 'slow'), new TransportFailure('unreachable', 'read ECONNRESET'), { status: 502, body: '' }, { body: 'not json' }];
    for (const reply of replies) {
      const e = await rejection(client(fakeTransport([reply])).post('/api/v2/me/outbound-records/9', { operationName: 'CompleteRecord' }));
      expect(mayHaveActed(e), e.message).toBe(true);
    }
  });

  it('a reply carrying a non-zero GWS statusCode never "may have acted", whatever its HTTP status (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(200, 400, 404, 409, 500, 502, 503, 504), fc.integer({ min: 1, max: 20 }), fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), async (status, statusCode, statusMessage) => {
        const body = JSON.stringify({ statusCode, ...(statusMessage !== undefined && { statusMessage }) });
        const e = await rejection(client(fakeTransport([{ status, body }])).post('/api/v2/me/calls/c1', { operationName: 'Hold' }));
        expect(mayHaveActed(e)).toBe(false);
        expect(e.httpStatus).toBe(status);
      }),
      { numRuns: 300 },
    );
  });

  it('statusCode 8 asks for a new password, with a message the agent can act on, on a GET or a POST', async () => {
    for (const [status, method] of [[200, 'GET'], [200, 'POST'], [400, 'POST'], [500, 'GET']] as const) {
      const t = fakeTransport([{ status, body: '{"statusCode":8,"statusMessage":"Change password demanded"}' }, { status, body: '{"statusCode":8}' }]);
      const c = client(t);
      const e = await rejection(method === 'GET' ? c.get('/api/v2/me?subresources=*') : c.post('/api/v2/me', { operationName: 'StartContactCenterSession' }));
      expect(e).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED', statusCode: 8, httpStatus: status });
      expect(e.message).toBe(PASSWORD_CHANGE_MESSAGE);
      expect(mayHaveActed(e)).toBe(false);
    }
    expect(PASSWORD_CHANGE_MESSAGE).toMatch(/new password/);
  });
});

describe('GwsHttpClient.csrfHeaders (the header CometD sends too, gws-api.md §2)', () => {
  it('is empty before the first GET and carries the captured header after it', async () => {
    const t = fakeTransport([meReply]);
    const c = client(t);
    expect(c.csrfHeaders()).toEqual({});
    expect(c.csrfToken).toBeUndefined();
    await c.get('/api/v2/me?subresources=*');
    expect(c.csrfHeaders()).toEqual({ 'X-CSRF-TOKEN': 'tok-1' });
    expect(c.csrfToken).toEqual({ header: 'X-CSRF-TOKEN', token: 'tok-1' });
  });

  it('uses the header name the server announced, follows a re-read token, and is forgotten with the session', async () => {
    const custom: Partial<HttpResponse> = { headers: { 'x-csrf-header': ['X-XSRF'], 'x-csrf-token': ['abc'] }, body: '{"statusCode":0}' };
    const t = fakeTransport([custom, { status: 403, body: 'Missing or invalid Csrf token' }, { headers: { 'x-csrf-header': ['X-XSRF'], 'x-csrf-token': ['def'] }, body: '{"statusCode":0}' }, {}]);
    const c = client(t);
    await c.get('/api/v2/me');
    expect(c.csrfHeaders()).toEqual({ 'X-XSRF': 'abc' });
    await c.post('/api/v2/me/channels/voice', { operationName: 'Ready' });
    expect(c.csrfHeaders()).toEqual({ 'X-XSRF': 'def' });
    expect(t.requests[3]?.headers['X-XSRF']).toBe('def');
    c.resetSession();
    expect(c.csrfHeaders()).toEqual({});
  });

  it('a reply without both CSRF headers leaves the captured one as it was', async () => {
    const t = fakeTransport([meReply, { headers: { 'x-csrf-token': ['other'] }, body: '{"statusCode":0,"devices":[]}' }]);
    const c = client(t);
    await c.get('/api/v2/me');
    await c.get('/api/v2/me/devices?fields=*');
    expect(c.csrfHeaders()).toEqual({ 'X-CSRF-TOKEN': 'tok-1' });
  });
});

describe('classifyNetworkError', () => {
  it('recognises untrusted certificates and refused connections', () => {
    expect(classifyNetworkError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } })).kind).toBe('cert-untrusted');
    expect(classifyNetworkError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })).kind).toBe('unreachable');
  });
});

describe('fullJitterDelay', () => {
  it('is random * min(cap, base * 2^attempt)', () => {
    expect(fullJitterDelay(0, { random: () => 0.999, baseMs: 500 })).toBe(499);
    expect(fullJitterDelay(3, { random: () => 0.5, baseMs: 500 })).toBe(2000);
    expect(fullJitterDelay(40, { random: () => 0.5, baseMs: 500, capMs: 30_000 })).toBe(15_000);
    expect(fullJitterDelay(2, { random: () => 0 })).toBe(0);
  });
});
