// The HTTP front: routing, Basic auth + JSESSIONID, CSRF, JSON bodies, injected failures and
// latency, the request log, CometD at /api/v2/notifications and the control API at /sim/control/.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { CSRF_HEADER, sessionCookie } from './auth';
import type { Engine, Reply } from './engine';
import { GWS_VERSION } from './engine';

const MAX_BODY = 1024 * 1024;
const NOTIFICATIONS = '/api/v2/notifications';
const AGENT_STATES = '/api/v2/settings/agent-states';
export const DEFAULT_ERROR_PAGE =
  '<html><head><title>Error 503 Service Unavailable</title></head><body><h2>HTTP ERROR 503</h2><p>Service Unavailable</p></body></html>';

export type ControlHandler = (req: IncomingMessage, res: ServerResponse, path: string, url: URL) => void;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/html;charset=UTF-8' : 'application/json;charset=UTF-8';
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache', ...headers });
  res.end(text);
}

export class HttpFront {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly engine: Engine,
    private readonly host: string,
    private readonly control: ControlHandler | undefined,
    /** PEM key and certificate: serve HTTPS (REST, CometD and control alike) instead of HTTP. */
    private readonly tls?: { key: string; cert: string },
  ) {
    engine.network.cut = (ms) => this.cutNetwork(ms);
    engine.network.heal = () => this.healNetwork();
  }

  private readonly held = new Set<Socket>();
  private cutTimer: ReturnType<typeof setTimeout> | undefined;

  /** The network-cut fault: every open socket dies now; requests arriving until the end get no answer and are reset then. */
  private cutNetwork(ms: number): void {
    this.engine.network.cutUntil = Math.max(this.engine.network.cutUntil, Date.now() + ms);
    for (const s of this.sockets) s.destroy();
    if (this.cutTimer !== undefined) clearTimeout(this.cutTimer);
    this.cutTimer = setTimeout(() => {
      this.cutTimer = undefined;
      this.engine.network.cutUntil = 0;
      for (const s of this.held) s.destroy();
      this.held.clear();
    }, Math.max(0, this.engine.network.cutUntil - Date.now()));
  }

  private healNetwork(): void {
    if (this.cutTimer !== undefined) clearTimeout(this.cutTimer);
    this.cutTimer = undefined;
    this.engine.network.cutUntil = 0;
    for (const s of this.held) s.destroy();
    this.held.clear();
  }

  async listen(port: number): Promise<number> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.handle(req, res).catch(() => send(res, 500, { statusCode: 4, statusMessage: 'Internal error' }));
    };
    const server: Server = this.tls ? createHttpsServer({ key: this.tls.key, cert: this.tls.cert }, handler) : createServer(handler);
    // A client that refuses the certificate aborts the handshake: not the simulator's problem.
    if (this.tls) server.on('tlsClientError', (_e: Error, socket: Socket) => socket.destroy());
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('clientError', (_e, socket) => socket.destroy());
    // [project rule] CometD over WebSocket too (GWS clients prefer long-polling).
    const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      const path = new URL(req.url ?? '/', 'http://sim.invalid').pathname;
      if (this.engine.network.cutUntil > Date.now() || (path !== NOTIFICATIONS && !path.startsWith(`${NOTIFICATIONS}/`))) {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.engine.bayeux.handleWebSocket(ws, req));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    const closed = new Promise<void>((r) => server.close(() => r()));
    server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (path.startsWith('/sim/control/') || path === '/sim/control') {
      if (this.control === undefined) return send(res, 404, 'Not Found');
      return this.control(req, res, path, url);
    }

    if (this.engine.network.cutUntil > Date.now()) {
      this.held.add(req.socket); // black hole until the cut ends, then reset
      return;
    }
    const isNotifications = path === NOTIFICATIONS || path.startsWith(`${NOTIFICATIONS}/`);
    const rule = this.engine.failRules.find((r) =>
      r.pathPrefix !== undefined ? path.startsWith(r.pathPrefix) : path.startsWith('/api/v2/') && !isNotifications,
    );
    let raw: string;
    try {
      raw = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
    } catch {
      return send(res, 413, { statusCode: 10, statusMessage: 'Request body too large' });
    }
    if (rule !== undefined) {
      rule.count -= 1;
      if (rule.count <= 0) this.engine.failRules.splice(this.engine.failRules.indexOf(rule), 1);
      if (!isNotifications) this.logEntry(req, url, raw, rule.status, undefined, undefined);
      return send(res, rule.status, rule.body);
    }
    if (isNotifications) {
      if (method !== 'POST') return send(res, 400, 'Bad Request');
      if (raw.includes('"/meta/handshake"') && this.engine.handshakes.length < 1_000_000) this.engine.handshakes.push(Date.now());
      this.engine.bayeux.handle(req, res, raw);
      return;
    }
    if (this.engine.latencyMs > 0) await sleep(this.engine.latencyMs);

    const result = this.rest(req, method, path, url, raw);
    const statusCode = typeof result.body === 'object' && result.body !== null ? (result.body as { statusCode?: unknown }).statusCode : undefined;
    this.logEntry(req, url, raw, result.status, typeof statusCode === 'number' ? statusCode : undefined, result.userName);
    const cutAfter = this.engine.network.cutAfter;
    if (cutAfter !== undefined && method === 'POST' && path.startsWith(cutAfter.pathPrefix)) {
      // Processed, but the reply is lost with the network.
      this.engine.network.cutAfter = undefined;
      this.cutNetwork(cutAfter.ms);
      result.after?.();
      return;
    }
    send(res, result.status, result.body, result.headers);
    result.after?.();
  }

  private logEntry(req: IncomingMessage, url: URL, raw: string, status: number, statusCode: number | undefined, userName: string | undefined): void {
    let body: unknown = undefined;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    this.engine.log.add({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      ...(userName !== undefined ? { userName } : {}),
      ...(body !== undefined ? { body } : {}),
      status,
      ...(statusCode !== undefined ? { statusCode } : {}),
    });
  }

  private rest(
    req: IncomingMessage,
    method: string,
    path: string,
    url: URL,
    raw: string,
  ): Omit<Reply, 'body'> & { body: unknown; userName?: string } {
    const notFoundPage = { status: 404, body: 'Not Found' };
    if (path === '/api/v2/diagnostics/version' && method === 'GET') return { status: 200, body: { statusCode: 0, version: GWS_VERSION } };
    const agentStates = path === AGENT_STATES;
    if (path !== '/api/v2/me' && !path.startsWith('/api/v2/me/') && !agentStates) return notFoundPage;

    const engine = this.engine;
    const auth = engine.sessions.authenticate(req);
    if (!auth.ok) return { status: 401, body: { statusCode: 20, statusMessage: 'Access denied' } };
    const { session, created } = auth;
    const userName = session.userName;
    const agent = engine.agent(userName);
    const headers: Record<string, string> = created ? { 'Set-Cookie': sessionCookie(session) } : {};
    if (agent === undefined) return { status: 401, body: { statusCode: 20, statusMessage: 'Access denied' } };

    // GET /api/v2/settings/agent-states: authenticated like /api/v2/me, not under it (gws-api.md §3).
    if (agentStates) {
      if (method !== 'GET') return { ...notFoundPage, headers, userName };
      return { ...engine.agentStateSettings(), headers: { ...headers, 'X-CSRF-HEADER': CSRF_HEADER, [CSRF_HEADER]: session.csrfToken }, userName };
    }

    let parts: string[];
    try {
      parts = path.slice('/api/v2/me'.length).split('/').filter((p) => p !== '').map(decodeURIComponent);
    } catch {
      return { ...notFoundPage, userName };
    }

    if (method === 'GET') {
      const r = engine.get(agent, parts, url.searchParams);
      if (r === undefined) return { ...notFoundPage, headers, userName };
      return { ...r, headers: { ...headers, 'X-CSRF-HEADER': CSRF_HEADER, [CSRF_HEADER]: session.csrfToken }, userName };
    }
    if (method !== 'POST' && method !== 'PUT' && method !== 'DELETE') return { ...notFoundPage, userName };
    if (!engine.sessions.csrfValid(req, session)) {
      if (created) engine.sessions.invalidate(session.id);
      return { status: 403, body: { statusCode: 3, statusMessage: 'Missing or invalid Csrf token' }, userName };
    }
    if (method !== 'POST') return { ...notFoundPage, userName };
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return { status: 400, body: { statusCode: 10, statusMessage: 'The request body is not valid JSON' }, userName };
    }
    const r = engine.post(agent, session, parts, body);
    if (r === undefined) return { ...notFoundPage, userName };
    return { ...r, headers: { ...headers, ...(r.headers ?? {}) }, userName };
  }
}
