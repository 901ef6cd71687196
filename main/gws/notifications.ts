/**
 * GWS notifications over CometD (gws-api.md §5), behind {@link NotificationConnection} so unit
 * tests use a fake. The real one uses the official `cometd` client, long-polling only (GWS 8.5 has
 * no WebSocket), with the XMLHttpRequest of `cometd-nodejs-client`.
 *
 * Cookies: the adapter's XHR keeps server cookies in ONE store per process keyed by host name
 * (`options.globalCookies` in cometd-nodejs-client/src/XMLHttpRequest.js), so two sessions against
 * the same host would send each other's JSESSIONID. Each connection therefore builds its own XHR
 * whose `cookies` hooks read and write the session's own jar (the one the REST client uses), and
 * the global store is never touched.
 */
import { CometD } from 'cometd';
import type { Message } from 'cometd';
import { adapt } from 'cometd-nodejs-client';
import { XMLHttpRequest as NodeXhr } from 'cometd-nodejs-client/src/XMLHttpRequest.js';
import http from 'node:http';
import https from 'node:https';
import { GwsError } from './errors';
import { classifyNetworkError, trustedCaList } from './http-transport';
import type { Logger } from './logger';

export interface Disposable {
  dispose(): void;
}

export type NotificationStatus =
  /** Handshake and every subscription done. `rehandshake`: a new CometD client id (state must be re-read). */
  | { state: 'connected'; rehandshake: boolean }
  /** The link broke; the connection retries on its own with backoff. */
  | { state: 'reconnecting'; reason: string }
  /** The server refused the handshake (HTTP session gone). The connection stopped: sign in again, then `connect()`. */
  | { state: 'session-lost'; reason: string };

export interface NotificationConnection {
  /**
   * Handshakes and subscribes. Resolves once every channel is subscribed; rejects with a
   * {@link GwsError} if that first attempt fails (then the connection is stopped).
   */
  connect(): Promise<void>;
  /** Leaves cleanly (best effort, bounded); no status is reported afterwards. */
  disconnect(): Promise<void>;
  onMessage(listener: (channel: string, data: unknown) => void): Disposable;
  onStatus(listener: (status: NotificationStatus) => void): Disposable;
  /**
   * Optional: how many times the server has answered a `/meta/connect` (monotonic). An
   * acknowledgement travels on the long poll, so one missing while this did not move says nothing
   * about the operation: the link itself may be dead (docs/reliability.md).
   */
  heard?(): number;
  /**
   * Optional: give up the current long poll (or a retry's backoff wait) and reconnect now on new
   * sockets — the OS resumed or the network changed, so what is held may be dead.
   */
  wake?(): void;
}

export interface CookieAccess {
  /** The `Cookie` header for a URL ('' if none). */
  header(url: string): string;
  /** Stores one `Set-Cookie` header received from a URL. */
  store(url: string, setCookie: string): void;
}

export interface NotificationConnectionOptions {
  /** `<server>/api/v2/notifications` */
  url: string;
  channels: readonly string[];
  cookies: CookieAccess;
  logger: Logger;
  /** Delay before retry number `attempt` (0-based). */
  backoff: (attempt: number) => number;
  /** Extra trusted CA certificates (PEM) for an https:// server, added to Node's roots (same as the REST transport). */
  trustedCertificates?: readonly string[];
  /** Headers added to every CometD POST, read at send time: the CSRF token (gws-api.md §2: every POST carries it). */
  headers?: () => Record<string, string>;
  /**
   * How long past the server's long-poll timeout (and for any other request) a reply may take
   * before the link counts as dead. Default {@link DEFAULT_MAX_NETWORK_DELAY_MS} (docs/reliability.md: dead links).
   */
  maxNetworkDelayMs?: number;
}

/**
 * CometD's `maxNetworkDelay`, chosen by measurement (docs/reliability.md, "Dead links"): a long poll
 * whose request or reply fell into a black hole is given up 2 s after the server's long-poll
 * timeout (cometd's default is 10 s, this project's former value 15 s), then sent again at once on
 * a fresh socket; any request the server does not hold gets 2 s alone.
 */
const DEFAULT_MAX_NETWORK_DELAY_MS = 2_000;

export type NotificationConnectionFactory = (options: NotificationConnectionOptions) => NotificationConnection;

interface XhrPacket {
  url: string;
  sync?: boolean;
  headers?: Record<string, string>;
  body: string;
  onSuccess(text: string): void;
  onError(reason: string, exception?: unknown): void;
}

interface FailureInfo {
  action: 'handshake' | 'retry' | 'none';
  delay?: number;
  [key: string]: unknown;
}

type FailureHook = (message: Message, info: FailureInfo, handle: (info: FailureInfo) => void) => void;

let adapted = false;
function ensureAdapted(): void {
  if (adapted) return;
  adapted = true;
  // cometd reads timers and XMLHttpRequest.UNSENT from a global `window`; install the adapter's
  // once unless something else already did.
  if (!(globalThis as { window?: { XMLHttpRequest?: unknown } }).window?.XMLHttpRequest) adapt();
}

class Emitter<T extends unknown[]> {
  private readonly listeners = new Set<(...args: T) => void>();
  add(listener: (...args: T) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  emit(...args: T): void {
    for (const listener of [...this.listeners]) listener(...args);
  }
}

/** The real connection: official `cometd` client, long-polling, per-session cookies. */
export const createCometdConnection: NotificationConnectionFactory = (options) => new CometdConnection(options);

class CometdConnection implements NotificationConnection {
  private readonly cometd: CometD;
  private readonly messages = new Emitter<[string, unknown]>();
  private readonly statuses = new Emitter<[NotificationStatus]>();
  private attempt = 0;
  private connected = false;
  private heardCount = 0;
  /**
   * After wake(): how many of the next failures are retried at once — the long poll it aborted,
   * and the `402::Unknown client` the retry may meet (the server forgot the client while asleep).
   */
  private wakeRetries = 0;
  /** cometd's pending retry after a failure (its backoff timer), so wake() can run it now. */
  private scheduledRetry: { id: unknown; run: () => void } | undefined;
  private expectRetry = false;
  private everConnected = false;
  private stopped = true;
  private pendingConnect: { resolve: () => void; reject: (error: GwsError) => void } | undefined;
  /**
   * This connection's own sockets (the adapter's static agents are shared by every connection of
   * the process, and trust only Node's roots). Replaced after every failure: a retry never goes
   * out on a pooled socket that may have died with the network.
   */
  private agents: { http: http.Agent; https: https.Agent };
  /** Our watchdog aborted a request the server should have answered at once (a black hole). */
  private silentFailure = false;
  /** The last retry was the immediate one after a stuck long poll. */
  private afterStuckPoll = false;
  private readonly maxNetworkDelayMs: number;
  /** Set when the last transport failure was a refused certificate. */
  private certificateFailure: string | undefined;

  constructor(private readonly options: NotificationConnectionOptions) {
    ensureAdapted();
    this.agents = this.newAgents();
    this.maxNetworkDelayMs = options.maxNetworkDelayMs ?? DEFAULT_MAX_NETWORK_DELAY_MS;
    this.cometd = new CometD();
    this.cometd.unregisterTransport('websocket');
    this.cometd.unregisterTransport('callback-polling');
    this.installSessionXhr();
    this.cometd.configure({ url: options.url, logLevel: 'warn', maxNetworkDelay: this.maxNetworkDelayMs });
    this.installBackoff();
    this.trackRetries();
    this.cometd.addListener('/meta/handshake', (m) => this.onHandshake(m));
    this.cometd.addListener('/meta/connect', (m) => this.onConnect(m));
  }

  connect(): Promise<void> {
    this.stopped = false;
    this.attempt = 0;
    return new Promise<void>((resolve, reject) => {
      this.pendingConnect = { resolve, reject };
      this.cometd.handshake();
    });
  }

  disconnect(): Promise<void> {
    this.stopped = true;
    this.failPending(new GwsError('OFFLINE', 'disconnected'));
    if (this.cometd.isDisconnected()) {
      this.destroyAgents();
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.destroyAgents();
        resolve();
      };
      const timer = setTimeout(done, 2_000);
      this.cometd.disconnect(done);
    });
  }

  onMessage(listener: (channel: string, data: unknown) => void): Disposable {
    return this.messages.add(listener);
  }

  onStatus(listener: (status: NotificationStatus) => void): Disposable {
    return this.statuses.add(listener);
  }

  private newAgents(): { http: http.Agent; https: https.Agent } {
    const extra = this.options.trustedCertificates ?? [];
    return { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true, ...(extra.length > 0 && { ca: trustedCaList(extra) }) }) };
  }

  private destroyAgents(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /** Drops every pooled socket: the next request opens a new one. */
  private freshSockets(): void {
    const old = this.agents;
    this.agents = this.newAgents();
    old.http.destroy();
    old.https.destroy();
  }

  private installSessionXhr(): void {
    const { cookies } = this.options;
    const transport = this.cometd.findTransport('long-polling') as unknown as { xhrSend(packet: XhrPacket): unknown } | null;
    if (!transport) throw new Error('cometd has no long-polling transport');
    // Same steps as LongPollingTransport.xhrSend, but with a per-session cookie store.
    transport.xhrSend = (packet: XhrPacket) => {
      const xhr = new NodeXhr({
        cookies: {
          retrieveCookies: (_context, uri, callback) => {
            const header = cookies.header(uri.href);
            callback(null, header ? [header] : []);
          },
          storeCookie: (uri, header, callback) => {
            cookies.store(uri.href, header);
            callback(null);
          },
        },
      });
      xhr.withCredentials = true;
      // The adapter keeps the URL object it is given as its request options (agent, method,
      // headers are set on it), so a URL object lets this connection choose the agent.
      const target = new URL(packet.url);
      xhr.open('POST', target, packet.sync !== true);
      (target as URL & { agent?: http.Agent }).agent = target.protocol === 'https:' ? this.agents.https : this.agents.http;
      for (const [name, value] of Object.entries({ ...(packet.headers ?? {}), ...(this.options.headers?.() ?? {}) })) xhr.setRequestHeader(name, value);
      xhr.setRequestHeader('Content-Type', 'application/json');
      // cometd waits `advice.timeout + maxNetworkDelay` for any /meta/connect, even one that asks the
      // server to answer at once (advice.timeout 0, sent after every failure): a retry swallowed by
      // a black hole would hang for the whole long-poll timeout. A request the server does not hold
      // gets maxNetworkDelay alone.
      const watchdog = isHeldPoll(packet.body) ? undefined : setTimeout(() => {
        this.silentFailure = true;
        xhr.abort();
      }, this.maxNetworkDelayMs);
      // The adapter may report one failure as several events (abort, aborted, error): once is enough.
      let done = false;
      const settled = (): boolean => {
        if (watchdog !== undefined) clearTimeout(watchdog);
        if (done) return false;
        done = true;
        return true;
      };
      xhr.onload = () => {
        if (!settled()) return;
        this.certificateFailure = undefined;
        if (xhr.status === 200) packet.onSuccess(xhr.responseText);
        else packet.onError(xhr.statusText);
      };
      xhr.onabort = () => {
        if (settled()) packet.onError(xhr.statusText || 'abort');
      };
      xhr.onerror = (error?: unknown) => {
        if (!settled()) return;
        const failure = error === undefined ? undefined : classifyNetworkError(error);
        this.certificateFailure = failure?.kind === 'cert-untrusted' ? failure.message : undefined;
        packet.onError(xhr.statusText);
      };
      xhr.send(packet.body);
      return xhr;
    };
  }

  /** Keeps cometd's failure handling (transport negotiation, advice) but with our backoff and session detection. */
  private installBackoff(): void {
    const client = this.cometd as unknown as { onTransportFailure: FailureHook };
    const original = client.onTransportFailure.bind(this.cometd);
    client.onTransportFailure = (message, info, handle) => {
      original(message, info, (decided) => {
        const reason = describeFailure(message);
        if (this.stopped) {
          decided.action = 'none';
        } else if (message.channel === '/meta/handshake' && isSessionRefusal(message)) {
          decided.action = 'none';
          this.options.logger.warn('notification handshake refused: HTTP session gone', { reason });
          queueMicrotask(() => this.lost(reason));
        } else if (!this.everConnected && message.channel === '/meta/handshake') {
          // The very first handshake failed: report it to connect() instead of retrying forever.
          decided.action = 'none';
          const certificate = this.certificateFailure;
          queueMicrotask(() =>
            this.failPending(certificate ? new GwsError('CERT_UNTRUSTED', `notifications: ${certificate}`) : new GwsError('UNREACHABLE', `notifications: ${reason}`)),
          );
        } else if (decided.action !== 'none') {
          this.freshSockets();
          // A long poll that outlived the server's timeout died in a black hole (its request or its
          // reply was swallowed): the server is fine, so the first retry goes at once, on a fresh
          // socket. Anything else (reset, refused, 5xx, 402 after a restart) waits for the jittered
          // backoff, which is what spreads a reconnect storm.
          const silent = this.silentFailure || /expired waiting/i.test(reason);
          this.silentFailure = false;
          const stuckPoll = this.attempt === 0 && message.channel === '/meta/connect' && silent;
          // The server expired the session meanwhile (it waited maxInterval for a poll that was lost):
          // the re-handshake that follows a stuck poll goes at once too.
          const expiredAfterStuckPoll = this.afterStuckPoll && /^402::/.test(reason);
          this.afterStuckPoll = stuckPoll;
          const woken = this.wakeRetries > 0;
          if (woken) this.wakeRetries -= 1;
          decided.delay = stuckPoll || expiredAfterStuckPoll || woken ? 0 : this.options.backoff(this.attempt);
          this.attempt += 1;
          this.connected = false;
          this.options.logger.info('notification link down, retrying', { reason, action: decided.action, delayMs: decided.delay });
          this.statuses.emit({ state: 'reconnecting', reason });
        }
        this.expectRetry = decided.action !== 'none';
        try {
          handle(decided);
        } finally {
          this.expectRetry = false;
        }
      });
    };
  }

  /**
   * cometd schedules the retry after a failure with its own `setTimeout` (synchronously inside the
   * failure hook's `handle`): that timer is remembered so that wake() can run the retry at once.
   */
  private trackRetries(): void {
    const client = this.cometd as unknown as { setTimeout(fn: () => void, delay: number): unknown; clearTimeout(id: unknown): void };
    const schedule = client.setTimeout.bind(this.cometd);
    client.setTimeout = (fn: () => void, delay: number) => {
      const retry = this.expectRetry;
      this.expectRetry = false;
      const entry: { id: unknown; run: () => void } = { id: undefined, run: fn };
      entry.id = schedule(() => {
        if (this.scheduledRetry === entry) this.scheduledRetry = undefined;
        fn();
      }, delay);
      if (retry) this.scheduledRetry = entry;
      return entry.id;
    };
  }

  private onHandshake(message: Message): void {
    if (this.stopped || !message.successful) return;
    const rehandshake = this.everConnected;
    const channels = this.options.channels;
    let remaining = channels.length;
    let failed = false;
    const done = (): void => {
      if (this.stopped) return;
      if (failed) {
        this.options.logger.warn('a notification subscription failed');
      }
      this.attempt = 0;
      this.afterStuckPoll = false;
      this.wakeRetries = 0;
      this.connected = true;
      this.everConnected = true;
      const pending = this.pendingConnect;
      this.pendingConnect = undefined;
      this.statuses.emit({ state: 'connected', rehandshake });
      pending?.resolve();
    };
    // Subscriptions do not survive a re-handshake (cometd clears them): subscribe every time.
    this.cometd.batch(() => {
      for (const channel of channels) {
        this.cometd.subscribe(
          channel,
          (m) => {
            if (!this.stopped) this.messages.emit(m.channel, m.data);
          },
          (reply) => {
            if (!reply.successful) {
              failed = true;
              this.options.logger.warn('subscribe failed', { channel, error: reply.error });
            }
            remaining -= 1;
            if (remaining === 0) done();
          },
        );
      }
    });
    if (channels.length === 0) done();
  }

  heard(): number {
    return this.heardCount;
  }

  wake(): void {
    if (this.stopped) return;
    const retry = this.scheduledRetry;
    this.scheduledRetry = undefined;
    this.wakeRetries = retry === undefined ? 2 : 1;
    if (retry) {
      // Waiting for a backoff: retry now, on new sockets.
      this.cometd.clearTimeout(retry.id);
      this.freshSockets();
      retry.run();
      return;
    }
    // A request in flight (the held long poll): its socket is destroyed, it fails at once, and the
    // retry goes without a backoff (see installBackoff).
    this.freshSockets();
  }

  private onConnect(message: Message): void {
    if (this.stopped) return;
    if (message.successful) this.heardCount += 1;
    if (message.successful && !this.connected && this.everConnected) {
      // The long poll came back with the same client id: nothing was re-handshaken.
      this.connected = true;
      this.attempt = 0;
      this.afterStuckPoll = false;
      this.wakeRetries = 0;
      this.statuses.emit({ state: 'connected', rehandshake: false });
    }
  }

  private lost(reason: string): void {
    if (this.stopped) return;
    this.connected = false;
    this.stopped = true;
    if (this.pendingConnect) {
      this.failPending(new GwsError('SESSION_EXPIRED', `notifications refused: ${reason}`));
      return;
    }
    this.statuses.emit({ state: 'session-lost', reason });
  }

  private failPending(error: GwsError): void {
    const pending = this.pendingConnect;
    this.pendingConnect = undefined;
    if (pending) {
      this.stopped = true;
      pending.reject(error);
    }
  }
}

/** Does this batch hold a /meta/connect the server may keep for its long-poll timeout? */
export function isHeldPoll(body: string): boolean {
  let messages: unknown;
  try {
    messages = JSON.parse(body);
  } catch {
    return false;
  }
  if (!Array.isArray(messages)) return false;
  return messages.some((m) => {
    if (m === null || typeof m !== 'object') return false;
    const message = m as { channel?: unknown; advice?: { timeout?: unknown } };
    return message.channel === '/meta/connect' && message.advice?.timeout !== 0;
  });
}

function describeFailure(message: Message): string {
  if (message.error) return message.error;
  const failure = (message as { failure?: { httpCode?: number; reason?: string } }).failure;
  if (failure?.httpCode) return `HTTP ${failure.httpCode}${failure.reason ? ` ${failure.reason}` : ''}`;
  if (failure?.reason) return failure.reason;
  return 'connection failed';
}

/** Handshake refused because the HTTP session is gone: HTTP 401/403, or statusCode 20 in the reply. */
export function isSessionRefusal(message: Message): boolean {
  const failure = (message as { failure?: { httpCode?: number } }).failure;
  if (failure?.httpCode === 401 || failure?.httpCode === 403) return true;
  const ext = message.ext as { statusCode?: unknown } | undefined;
  if (ext?.statusCode === 20) return true;
  const data = message.data as { statusCode?: unknown } | undefined;
  if (data?.statusCode === 20) return true;
  return typeof message.error === 'string' && /^(401|403)::|statusCode[^0-9]*20\b|not authenticated|access denied/i.test(message.error);
}
