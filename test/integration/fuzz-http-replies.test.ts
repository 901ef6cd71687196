/**
 * Fuzzing replies: whatever an HTTP server (or something pretending to be one) answers, the REST
 * client gives a typed `GwsError` whose `code` is one of ERROR_CODES — or a well-formed reply —
 * never a raw exception, a crash or an unhandled rejection.
 *
 *  1. Against the simulator: `control.failNext({count, status, body, pathPrefix})` makes the next
 *     request answer a random status with a random body (truncated JSON of a real reply, HTML error
 *     pages, JSON of wrong types, binary junk), for GETs and POSTs, and for a whole sign-in.
 *  2. Against a tiny raw TCP server, for shapes failNext cannot produce: a reset mid-body, a body
 *     shorter than its Content-Length, broken chunked encoding, garbage instead of HTTP, a silent
 *     server (timeout), a redirect, a gzip header on plain text — over both transports (fetch and
 *     the node:https one used with an IT CA).
 */
import fc from 'fast-check';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentSession } from '../../main/agent/session';
import type { AgentSession } from '../../main/agent/session';
import { ERROR_CODES, GwsError } from '../../main/gws/errors';
import { GwsHttpClient } from '../../main/gws/http-client';
import { fetchTransport, nodeTransport } from '../../main/gws/http-transport';
import type { HttpTransport } from '../../main/gws/http-transport';
import { silentLogger } from '../../main/gws/logger';
import { startSimulator } from '../../sim';
import type { Simulator } from '../../sim';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

/** The outcome of one request: a reply, or a GwsError with a known code. Anything else fails. */
async function typedOutcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (!(error instanceof GwsError)) throw new Error(`not a GwsError: ${String(error)}`, { cause: error });
    if (!(ERROR_CODES as readonly string[]).includes(error.code)) throw new Error(`unknown code ${error.code}`, { cause: error });
    return error.code;
  }
}

const REAL_REPLIES = [
  '{"statusCode":0,"referenceId":"r1"}',
  '{"statusCode":0,"user":{"id":"u1","userName":"agent1","firstName":"A","lastName":"B","devices":[],"settings":{}}}',
  '{"statusCode":0,"devices":[{"id":"d1","deviceState":"Active","userState":{"state":"Ready"}}]}',
  '{"statusCode":0,"calls":[]}',
  '{"statusCode":2,"statusMessage":"Not allowed"}',
];
const body = fc.oneof(
  fc.tuple(fc.constantFrom(...REAL_REPLIES), fc.nat()).map(([text, n]) => text.slice(0, n % text.length)), // truncated JSON
  fc.constantFrom(
    '<html><head><title>Error 503</title></head><body><h2>HTTP ERROR 503</h2></body></html>',
    '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><script>alert(1)</script></body></html>',
    '<?xml version="1.0"?><error/>',
    '',
    ' ',
    'null',
    '[]',
    '"statusCode"',
    '{"statusCode":"0"}',
    '{"statusCode":null}',
    '{"statusCode":0,"user":"agent1"}',
    '{"statusCode":0,"calls":{}}',
    '{"statusCode":0,"devices":null}',
    '{"statusCode":1e999}',
    '{"statusCode":-1,"statusMessage":{"x":1}}',
    '{"__proto__":{"statusCode":0}}',
    '\uFEFF{"statusCode":0}',
    '\u0000\u0001\u0002',
  ),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? ''),
  fc.string({ maxLength: 200 }),
  fc.constant('x'.repeat(200_000)),
);
const status = fc.oneof(fc.constantFrom(200, 201, 204, 301, 302, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504), fc.integer({ min: 200, max: 599 }));

describe('fuzz: random replies from the simulator (control.failNext)', () => {
  let sim: Simulator;
  let client: GwsHttpClient;
  const seen = new Map<string, number>();
  let cases = 0;

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    sim = await startSimulator({ control: true, quiet: true });
    client = new GwsHttpClient({ serverUrl: sim.url, transport: fetchTransport(), credentials: { username: 'agent1', password: 'agent1' }, timeoutMs: 3_000, logger: silentLogger });
    await client.get('/api/v2/me'); // a session cookie and CSRF token, so POSTs reach the fault
  });
  afterAll(async () => {
    await sim?.close();
    await new Promise((r) => setTimeout(r, 50));
    process.off('unhandledRejection', onUnhandled);
    console.info(`[fuzz-http-replies] ${cases} simulator replies: ${JSON.stringify(Object.fromEntries(seen))}`);
    expect(unhandled).toEqual([]);
  });

  it('GET and POST under random status + body: a typed outcome every time', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(status, body, fc.constantFrom('GET /api/v2/me', 'GET /api/v2/me/calls', 'POST /api/v2/me'), fc.integer({ min: 1, max: 2 }), async (st, text, what, count) => {
        sim.control.failNext({ count, status: st, body: text, pathPrefix: '/api/v2/me' });
        const [method, path] = what.split(' ') as ['GET' | 'POST', string];
        const outcome = await typedOutcome(method === 'GET' ? client.get(path) : client.post(path, { operationName: 'Ready', referenceId: 'fuzz' }));
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
        cases += 1;
        sim.control.reset();
        await client.get('/api/v2/me').catch(() => undefined);
      }),
      { numRuns: 250 },
    );
  });

  it('a whole sign-in under random replies: rejects with a typed error (or signs in), the session stays usable', { timeout: 60_000 }, async () => {
    const sessions: AgentSession[] = [];
    try {
      await fc.assert(
        fc.asyncProperty(status, body, fc.constantFrom('/api/v2/me', '/api/v2/me/devices', '/api/v2/me/calls', '/api/v2/notifications', '/api/v2/'), async (st, text, pathPrefix) => {
          const session = createAgentSession({ requestTimeoutMs: 3_000, backoff: { baseMs: 20, capMs: 100 } });
          sessions.push(session);
          sim.control.failNext({ count: 1, status: st, body: text, pathPrefix });
          const outcome = await typedOutcome(session.signIn({ serverUrl: sim.url, username: 'agent1', password: 'agent1' }));
          seen.set(`signIn:${outcome}`, (seen.get(`signIn:${outcome}`) ?? 0) + 1);
          cases += 1;
          if (outcome !== 'ok') {
            expect(session.snapshot.lastError?.code).toBe(outcome);
            expect(session.snapshot.connection.state).toBe('offline');
          }
          JSON.stringify(session.snapshot);
          await session.dispose();
          sim.control.reset();
        }),
        { numRuns: 40 },
      );
    } finally {
      for (const s of sessions) await s.dispose();
    }
  });
});

/** Raw TCP replies a real server (or a proxy in the way) might produce. */
const RAW_REPLIES: Record<string, (socket: net.Socket) => void> = {
  'reset before any byte': (s) => s.resetAndDestroy(),
  'close before any byte': (s) => s.end(),
  'garbage instead of HTTP': (s) => s.end('garbage\r\n\r\n'),
  'HTTP/0.9 style body only': (s) => s.end('{"statusCode":0}'),
  'body shorter than Content-Length': (s) => {
    s.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"statusCode":0');
    setTimeout(() => s.destroy(), 20);
  },
  'reset mid-body': (s) => {
    s.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"statusCode":0,');
    setTimeout(() => s.resetAndDestroy(), 20);
  },
  'broken chunked encoding': (s) => s.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{"statusCode":0}\r\n0\r\n\r\n'),
  'gzip header on plain text': (s) => s.end('HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 16\r\n\r\n{"statusCode":0}'),
  'redirect elsewhere': (s) => s.end('HTTP/1.1 302 Found\r\nLocation: https://evil.example/\r\nContent-Length: 0\r\n\r\n'),
  'invalid status line': (s) => s.end('HTTP/1.1 abc Nope\r\nContent-Length: 0\r\n\r\n'),
  'header without colon': (s) => s.end('HTTP/1.1 200 OK\r\nthis is not a header\r\nContent-Length: 2\r\n\r\n{}'),
  'binary junk body': (s) => s.end(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 6\r\n\r\n'), Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80])])),
  '1xx then nothing': (s) => {
    s.write('HTTP/1.1 100 Continue\r\n\r\n');
    setTimeout(() => s.destroy(), 20);
  },
  'silent (timeout)': () => undefined,
};

describe('fuzz: hostile raw HTTP servers', () => {
  let server: net.Server;
  let port = 0;
  let behaviour: (socket: net.Socket) => void = (s) => s.end();
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
      socket.once('data', () => behaviour(socket));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
    await new Promise((r) => setTimeout(r, 50));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  const transports: [string, () => HttpTransport][] = [
    ['fetch', () => fetchTransport()],
    ['node:http', () => nodeTransport({ trustedCertificates: [] })],
  ];
  const cases = Object.entries(RAW_REPLIES).flatMap(([name, reply]) => transports.map(([transport, make]) => ({ name, reply, transport, make })));

  it.each(cases)('$transport, $name: a typed error', async ({ reply, make, name }) => {
    behaviour = reply;
    const client = new GwsHttpClient({ serverUrl: `http://127.0.0.1:${port}`, transport: make(), credentials: { username: 'a', password: 'b' }, timeoutMs: 500, logger: silentLogger });
    for (const call of [() => client.get('/api/v2/me'), () => client.post('/api/v2/me', { operationName: 'Ready' })]) {
      const outcome = await typedOutcome(call());
      // The node:http transport does not decode (it never asks for gzip): a plain JSON body under
      // a stray gzip header reads as that JSON. Every other shape must fail, with a typed error.
      if (!name.startsWith('gzip')) expect(outcome, name).not.toBe('ok');
    }
  });
});
