// CometD (Bayeux long-polling) at /api/v2/notifications, riding on the HTTP session cookie.
// Wraps cometd-nodejs-server: the handshake is allowed only with a live JSESSIONID, messages go
// to one agent's sessions (GWS channels are per user although every agent uses the same names),
// and an unknown session is told `402::Unknown client` like GWS's Java CometD.
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import pkg from 'cometd-nodejs-server';
import type { CometDServer, ServerMessage, ServerSession } from 'cometd-nodejs-server';
import type { HttpSession } from './auth';
import { safely } from './result';

const { createCometDServer } = pkg;

interface Binding {
  userName: string;
  httpSessionId: string;
}

/** Private parts of cometd-nodejs-server used to drop a session without telling the client. */
interface ServerInternals {
  _removeServerSession(session: ServerSession, timeout: boolean): unknown;
}
interface SessionInternals {
  _flush(): void;
  _browserId?: string;
}

export interface BayeuxDeps {
  sessionFromRequest(req: IncomingMessage | undefined): HttpSession | undefined;
  /** A session of this user subscribed to a channel that covers /v2/me/outbound. */
  onOutboundSubscribed(userName: string, deliver: (data: Record<string, unknown>) => void): void;
  latency(): number;
}

const BROWSER_COOKIE = 'BAYEUX_BROWSER';

export function channelCovers(subscription: string, channel: string): boolean {
  if (subscription === channel) return true;
  if (subscription.endsWith('/**')) return channel.startsWith(subscription.slice(0, -2));
  if (subscription.endsWith('/*')) {
    const parent = subscription.slice(0, -1);
    return channel.startsWith(parent) && !channel.slice(parent.length).includes('/');
  }
  return false;
}

const allowedChannel = (name: string): boolean => /^\/v2\/me(\/[A-Za-z0-9_-]+)*(\/\*\*?)?$/.test(name);

export class Bayeux {
  private readonly server: CometDServer;
  private readonly bindings = new Map<string, Binding>();
  private readonly sessions = new Map<string, ServerSession>();

  constructor(private readonly deps: BayeuxDeps) {
    this.server = createCometDServer({ timeout: 25_000, maxInterval: 15_000, maxSessionsPerBrowser: -1 });
    const server = this.server;
    server.policy = {
      canHandshake: (session, _message, callback) => {
        const http = deps.sessionFromRequest(server.context.request as IncomingMessage | undefined);
        if (http === undefined) return callback(undefined, false);
        this.bindings.set(session.id, { userName: http.userName, httpSessionId: http.id });
        this.sessions.set(session.id, session);
        callback(undefined, true);
      },
      canCreate: (_session, _message, channelName, callback) => callback(undefined, allowedChannel(channelName)),
      canSubscribe: (_session, _message, channel, callback) => callback(undefined, allowedChannel(channel.name)),
      // Clients only listen: GWS does not let them publish.
      canPublish: (_session, _message, _channel, callback) => callback(undefined, false),
    };
    server.addListener('sessionRemoved', (session: ServerSession) => {
      this.bindings.delete(session.id);
      this.sessions.delete(session.id);
    });
    server.addListener('subscribed', (channel: { name: string }, session: ServerSession) => {
      const binding = this.bindings.get(session.id);
      if (binding === undefined || !channelCovers(channel.name, '/v2/me/outbound')) return;
      // After the subscribe reply, on the next long poll.
      setImmediate(
        safely(() => deps.onOutboundSubscribed(binding.userName, (data) => this.deliverTo(session, '/v2/me/outbound', data))),
      );
    });
    server.addExtension({
      outgoing: (_server, _sender, _session, message: ServerMessage, callback) => {
        if (message.error === '402::session_unknown') message.error = '402::Unknown client';
        // Lets the client report a refused handshake rather than a transport negotiation failure.
        if (message.channel === '/meta/handshake' && message.successful === false) {
          message.version = '1.0';
          message.supportedConnectionTypes = ['long-polling'];
        }
        // [project rule] the simulator also accepts WebSocket: a handshake that came over one offers it.
        const request = server.context.request as { viaWebSocket?: boolean } | undefined;
        if (message.channel === '/meta/handshake' && message.successful === true && request?.viaWebSocket === true) {
          message.supportedConnectionTypes = ['websocket', 'long-polling'];
        }
        callback(undefined, true);
      },
    });
  }

  /**
   * A WebSocket at /api/v2/notifications ([project rule]: GWS 8.5 offers long-polling only, the
   * simulator also accepts WebSocket). Each frame is a batch of Bayeux messages, handled exactly as
   * a long-polling POST carrying the upgrade request's cookies; the reply (for /meta/connect, when
   * it resumes) goes back as one frame.
   */
  handleWebSocket(ws: WebSocket, upgrade: IncomingMessage): void {
    ws.on('message', (data) => {
      const raw = String(data);
      const req = Object.assign(new EventEmitter(), {
        method: 'POST',
        url: upgrade.url,
        headers: { ...upgrade.headers },
        socket: upgrade.socket,
        viaWebSocket: true,
      }) as unknown as IncomingMessage;
      const emitter = new EventEmitter();
      const res = Object.assign(emitter, {
        statusCode: 200,
        headersSent: false,
        socket: {
          get destroyed() {
            return ws.readyState !== ws.OPEN;
          },
        },
        setHeader: () => undefined,
        getHeader: () => undefined,
        end: (content?: string) => {
          if (content && ws.readyState === ws.OPEN) ws.send(content);
          else if (res.statusCode >= 400 && ws.readyState === ws.OPEN) ws.close(1008, `HTTP ${res.statusCode}`);
          emitter.emit('finish');
        },
      });
      this.handle(req, res as unknown as ServerResponse, raw);
    });
    ws.on('error', () => ws.terminate());
  }

  /** Handles a POST to /api/v2/notifications[/...] whose raw body is given. */
  handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    let messages: unknown;
    try {
      messages = JSON.parse(raw);
    } catch {
      res.statusCode = 400;
      res.end();
      return;
    }
    if (!Array.isArray(messages)) messages = [messages];
    const list = messages as unknown[];
    const valid =
      list.length > 0 &&
      list.every((m) => {
        if (typeof m !== 'object' || m === null || Array.isArray(m)) return false;
        const msg = m as Record<string, unknown>;
        if (typeof msg.channel !== 'string' || !msg.channel.startsWith('/')) return false;
        const sub = msg.subscription;
        if (sub !== undefined && !(typeof sub === 'string' || (Array.isArray(sub) && sub.every((s) => typeof s === 'string')))) return false;
        if (msg.clientId !== undefined && typeof msg.clientId !== 'string') return false;
        return msg.advice === undefined || (typeof msg.advice === 'object' && msg.advice !== null);
      });
    if (!valid) {
      res.statusCode = 400;
      res.end();
      return;
    }
    // cometd-nodejs-server finds sessions through its BAYEUX_BROWSER cookie; GWS (Java CometD)
    // finds them by clientId. Supply the cookie for a known clientId so cookie-less clients work.
    const clientId = (list[0] as { clientId?: string }).clientId;
    const known = clientId !== undefined ? (this.sessions.get(clientId) as SessionInternals | undefined) : undefined;
    if (known?._browserId !== undefined) {
      const cookies = (req.headers.cookie ?? '')
        .split(';')
        .map((c) => c.trim())
        .filter((c) => c !== '' && !c.startsWith(`${BROWSER_COOKIE}=`));
      cookies.push(`${BROWSER_COOKIE}=${known._browserId}`);
      req.headers.cookie = cookies.join('; ');
    }
    (req as IncomingMessage & { body?: unknown }).body = list;
    try {
      this.server.handle(req, res);
    } catch {
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    }
  }

  private deliverTo(session: ServerSession, channel: string, data: Record<string, unknown>): void {
    const go = (): void => {
      if (this.sessions.get(session.id) === session) session.deliver(null, channel, data);
    };
    const ms = this.deps.latency();
    if (ms > 0) setTimeout(safely(go), ms);
    else go();
  }

  /** Sends to every session of the user subscribed to a channel covering `channel`. */
  deliver(userName: string, channel: string, data: Record<string, unknown>): void {
    for (const [id, binding] of this.bindings) {
      if (binding.userName !== userName) continue;
      const session = this.sessions.get(id);
      if (session === undefined) continue;
      if (session.subscriptions.some((s) => channelCovers(s.name, channel))) this.deliverTo(session, channel, data);
    }
  }

  /** Drops sessions silently: the pending long poll returns, the next /meta/connect gets 402. */
  drop(filter: (b: Binding) => boolean = () => true): number {
    let n = 0;
    for (const [id, binding] of [...this.bindings]) {
      if (!filter(binding)) continue;
      const session = this.sessions.get(id);
      this.bindings.delete(id);
      this.sessions.delete(id);
      if (session === undefined) continue;
      (this.server as unknown as ServerInternals)._removeServerSession(session, false);
      (session as unknown as SessionInternals)._flush();
      n += 1;
    }
    return n;
  }

  count(userName: string): number {
    return [...this.bindings.values()].filter((b) => b.userName === userName).length;
  }

  close(): void {
    this.drop();
    this.server.close();
  }
}
