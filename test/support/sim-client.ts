// A small TEST client for the simulator: plain fetch (cookie + CSRF kept by hand) and the official
// CometD client adapted to Node (long-polling only). Not the product's client: it exists so the
// simulator's own tests speak the wire format independently of main/.
import { CometD } from 'cometd';
import type { Message } from 'cometd';
import { adapt } from 'cometd-nodejs-client';

let adapted = false;
function ensureAdapted(): void {
  // adapt() installs a global window.XMLHttpRequest; calling it again would reset its cookie jar.
  if (!adapted) {
    adapt();
    adapted = true;
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- notifications are free-form JSON in tests */
export type Json = any;

export interface Notification {
  channel: string;
  data: Json;
}

export interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
  body: Json;
}

export interface PostOptions {
  /** Override the CSRF token sent; null sends none. */
  csrf?: string | null;
  /** Override the cookie sent; null sends none. */
  cookie?: string | null;
  /** Send this text as the body instead of JSON. */
  raw?: string;
  basic?: boolean;
}

export class SimAgent {
  cookie: string | undefined;
  csrf: string | undefined;
  user: Json;
  cometd: CometD | undefined;
  deviceId: string | undefined;
  readonly received: Notification[] = [];
  private unconsumed: Notification[] = [];
  private waiters: Array<{ match: (n: Notification) => boolean; resolve: (n: Notification) => void }> = [];
  private handshakes: Message[] = [];
  private connects: Message[] = [];
  private metaWaiters: Array<() => void> = [];
  private pendingConnect: ((m: Message) => void) | undefined;
  /** Successful subscribe replies so far (grows again after every re-handshake). */
  subscriptions = 0;

  constructor(
    readonly baseUrl: string,
    readonly userName: string,
    readonly password: string,
    readonly channels: string[] = ['/v2/me/*'],
  ) {}

  get basicAuth(): string {
    return `Basic ${Buffer.from(`${this.userName}:${this.password}`).toString('base64')}`;
  }

  private async http(method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<HttpReply> {
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: Json;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const setCookie = res.headers.get('set-cookie');
    const m = setCookie ? /JSESSIONID=([^;]+)/.exec(setCookie) : null;
    if (m) this.cookie = `JSESSIONID=${m[1]}`;
    const token = res.headers.get('x-csrf-token');
    if (token) this.csrf = token;
    return { status: res.status, headers: res.headers, text, body: parsed };
  }

  async get(path: string, o: { basic?: boolean; cookie?: string | null } = {}): Promise<HttpReply> {
    const headers: Record<string, string> = {};
    if (o.basic !== false) headers.Authorization = this.basicAuth;
    const cookie = o.cookie === undefined ? this.cookie : o.cookie;
    if (cookie) headers.Cookie = cookie;
    return this.http('GET', path, undefined, headers);
  }

  async post(path: string, body: Json, o: PostOptions = {}): Promise<HttpReply> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    const cookie = o.cookie === undefined ? this.cookie : o.cookie;
    if (cookie) headers.Cookie = cookie;
    const csrf = o.csrf === undefined ? this.csrf : o.csrf;
    if (csrf) headers['X-CSRF-TOKEN'] = csrf;
    if (o.basic === true) headers.Authorization = this.basicAuth;
    return this.http('POST', path, o.raw ?? JSON.stringify(body), headers);
  }

  /** POST that must be accepted (statusCode 0). */
  async op(path: string, body: Json): Promise<void> {
    const r = await this.post(path, body);
    if (r.status !== 200 || r.body?.statusCode !== 0) {
      throw new Error(`${body.operationName} on ${path} → HTTP ${r.status} ${r.text}`);
    }
  }

  /** Authenticated GET /api/v2/me?subresources=*: keeps the cookie and the CSRF token. */
  async login(): Promise<Json> {
    const r = await this.get('/api/v2/me?subresources=*');
    if (r.status !== 200) throw new Error(`login ${this.userName} → ${r.status} ${r.text}`);
    this.user = r.body.user;
    return r.body.user;
  }

  private onMessage = (m: Message): void => {
    const n: Notification = { channel: m.channel, data: m.data };
    this.received.push(n);
    const i = this.waiters.findIndex((w) => w.match(n));
    if (i >= 0) {
      const [w] = this.waiters.splice(i, 1);
      w?.resolve(n);
    } else {
      this.unconsumed.push(n);
    }
  };

  private metaChanged(): void {
    const ws = this.metaWaiters;
    this.metaWaiters = [];
    for (const w of ws) w();
  }

  /** Configures CometD; subscribes to `channels` after every successful handshake. */
  private setupCometd(): CometD {
    ensureAdapted();
    const cometd = new CometD();
    cometd.unregisterTransport('websocket');
    cometd.configure({
      url: `${this.baseUrl}/api/v2/notifications`,
      requestHeaders: this.cookie ? { Cookie: this.cookie } : {},
      logLevel: 'warn',
      maxBackoff: 200,
      backoffIncrement: 50,
    });
    cometd.addListener('/meta/handshake', (m) => {
      this.handshakes.push(m);
      const pending = this.pendingConnect;
      if (m.successful) {
        let acks = 0;
        cometd.batch(() => {
          for (const ch of this.channels) {
            cometd.subscribe(ch, this.onMessage, (reply) => {
              acks += 1;
              if (reply.successful) this.subscriptions += 1;
              if (acks === this.channels.length && pending !== undefined && this.pendingConnect === pending) {
                this.pendingConnect = undefined;
                pending(m);
              }
              this.metaChanged();
            });
          }
        });
      } else if (pending !== undefined) {
        this.pendingConnect = undefined;
        pending(m);
      }
      this.metaChanged();
    });
    cometd.addListener('/meta/connect', (m) => {
      this.connects.push(m);
      this.metaChanged();
    });
    this.cometd = cometd;
    return cometd;
  }

  /** Re-points CometD at the current cookie (after a re-login). */
  refreshCookie(): void {
    this.cometd?.configure({ url: `${this.baseUrl}/api/v2/notifications`, requestHeaders: this.cookie ? { Cookie: this.cookie } : {} });
  }

  /** Handshake + subscribe; resolves with the handshake reply once subscribed (or refused). */
  connect(): Promise<Message> {
    const cometd = this.cometd ?? this.setupCometd();
    this.refreshCookie();
    return new Promise((resolve) => {
      this.pendingConnect = resolve;
      cometd.handshake();
    });
  }

  /** Waits until `count` successful subscriptions happened since this agent was created. */
  async waitForSubscriptions(count: number, timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.subscriptions < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.userName}: only ${this.subscriptions} of ${count} subscriptions`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.metaWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  handshakeCount(): number {
    return this.handshakes.length;
  }

  /** Waits until a /meta/connect or /meta/handshake reply matches. */
  async waitForMeta(kind: 'handshake' | 'connect', pred: (m: Message) => boolean, timeoutMs = 8000): Promise<Message> {
    const list = kind === 'handshake' ? this.handshakes : this.connects;
    const deadline = Date.now() + timeoutMs;
    let seen = 0;
    for (;;) {
      for (; seen < list.length; seen++) {
        const m = list[seen] as Message;
        if (pred(m)) return m;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.userName}: no /meta/${kind} matched in ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.metaWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Awaits (and consumes) the first notification on `channel` matching `predicate`. */
  waitFor(channel: string, predicate: (data: Json) => boolean = () => true, timeoutMs = 5000): Promise<Json> {
    const match = (n: Notification): boolean => n.channel === channel && predicate(n.data);
    const i = this.unconsumed.findIndex(match);
    if (i >= 0) {
      const [n] = this.unconsumed.splice(i, 1);
      return Promise.resolve(n?.data);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (n: Notification) => {
          clearTimeout(timer);
          resolve(n.data);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        const seen = this.received.filter((n) => n.channel === channel).map((n) => JSON.stringify(n.data).slice(0, 200));
        reject(new Error(`${this.userName}: nothing matching on ${channel} within ${timeoutMs} ms; seen: ${seen.join('\n')}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Notification types on a channel, e.g. 'PreviewRecord', not yet consumed. */
  pending(channel: string): Json[] {
    return this.unconsumed.filter((n) => n.channel === channel).map((n) => n.data);
  }

  clearPending(): void {
    this.unconsumed = [];
  }

  /** Login, CometD, StartContactCenterSession; resolves once the device and campaigns are known. */
  async start(): Promise<void> {
    await this.login();
    const hs = await this.connect();
    if (!hs.successful) throw new Error(`${this.userName}: handshake refused ${JSON.stringify(hs)}`);
    await this.op('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['voice'] });
    const dev = await this.waitFor('/v2/me/devices', (d) => d.messageType === 'DeviceStateChangeMessage');
    this.deviceId = dev.devices[0].id;
  }

  disconnect(): Promise<void> {
    const cometd = this.cometd;
    if (cometd === undefined || cometd.isDisconnected()) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, 1000);
      cometd.disconnect(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
