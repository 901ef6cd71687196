// Fakes for the agent core's injected dependencies: a scripted GWS over HttpTransport, a
// notification connection driven by the test, and a manual clock.
import type { Clock } from '../../main/agent/session';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../main/gws/http-transport';
import type { Disposable, NotificationConnection, NotificationConnectionOptions, NotificationStatus } from '../../main/gws/notifications';

export interface FakeGws extends HttpTransport {
  requests: Array<HttpRequest & { path: string; json?: Record<string, unknown> }>;
  /** Override a reply: return undefined to fall through to the defaults. */
  handler?: (req: HttpRequest & { path: string; json?: Record<string, unknown> }) => Partial<HttpResponse> | undefined;
  calls: unknown[];
  devices: unknown[];
  /** How often the session asked for fresh sockets (the REST pool dropped). */
  freshSocketCalls: number;
}

export const DEVICE = {
  id: 'dev-1',
  deviceState: 'Active',
  userState: { id: '900D55CC-2BB0-431F-8BF9-D3525B383BE6', state: 'NotReady', displayName: 'Not Ready' },
  phoneNumber: '5001',
  doNotDisturb: 'Off',
  capabilities: [],
};

export function fakeGws(): FakeGws {
  const gws: FakeGws = {
    requests: [],
    calls: [],
    devices: [DEVICE],
    freshSocketCalls: 0,
    freshSockets() {
      gws.freshSocketCalls += 1;
    },
    async request(req) {
      const path = req.url.replace(/^https?:\/\/[^/]+/, '');
      const json = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : undefined;
      const entry = { ...req, path, ...(json && { json }) };
      gws.requests.push(entry);
      const custom = gws.handler?.(entry);
      const reply = (body: unknown, extra: Partial<HttpResponse> = {}): HttpResponse => ({ status: 200, headers: {}, body: JSON.stringify(body), ...extra });
      if (custom) return { status: 200, headers: {}, body: '{"statusCode":0}', ...custom };
      if (req.method === 'GET' && path.startsWith('/api/v2/me?')) {
        return reply(
          {
            statusCode: 0,
            user: {
              id: 'u1',
              userName: 'agent1',
              firstName: 'Alice',
              lastName: 'A',
              devices: gws.devices,
              settings: { 'interaction-workspace': { 'outbound.call-result-values': 'Answer', 'interaction.disposition.values': 'Sale,NoSale' } },
            },
          },
          { headers: { 'x-csrf-header': ['X-CSRF-TOKEN'], 'x-csrf-token': ['t1'], 'set-cookie': ['JSESSIONID=s1; Path=/'] } },
        );
      }
      if (req.method === 'GET' && path === '/api/v2/settings/agent-states') {
        return reply({ statusCode: 0, settings: [{ operationName: 'OutToLunch', displayName: 'Out to Lunch', state: 'NotReady', reason: 'Lunch' }] });
      }
      if (req.method === 'GET' && path.startsWith('/api/v2/me/devices')) return reply({ statusCode: 0, devices: gws.devices });
      if (req.method === 'GET' && path.startsWith('/api/v2/me/calls')) return reply({ statusCode: 0, calls: gws.calls });
      return reply({ statusCode: 0 });
    },
  };
  return gws;
}

export class FakeConnection implements NotificationConnection {
  connects = 0;
  disconnects = 0;
  wakes = 0;
  failNextConnect: Error | undefined;
  private readonly messageListeners = new Set<(channel: string, data: unknown) => void>();
  private readonly statusListeners = new Set<(status: NotificationStatus) => void>();
  constructor(readonly options: NotificationConnectionOptions) {}
  async connect(): Promise<void> {
    this.connects += 1;
    const failure = this.failNextConnect;
    this.failNextConnect = undefined;
    if (failure) throw failure;
    if (this.connects > 1) this.status({ state: 'connected', rehandshake: true });
  }
  async disconnect(): Promise<void> {
    this.disconnects += 1;
  }
  wake(): void {
    this.wakes += 1;
  }
  onMessage(listener: (channel: string, data: unknown) => void): Disposable {
    this.messageListeners.add(listener);
    return { dispose: () => this.messageListeners.delete(listener) };
  }
  onStatus(listener: (status: NotificationStatus) => void): Disposable {
    this.statusListeners.add(listener);
    return { dispose: () => this.statusListeners.delete(listener) };
  }
  publish(channel: string, data: unknown): void {
    for (const l of [...this.messageListeners]) l(channel, data);
  }
  status(status: NotificationStatus): void {
    for (const l of [...this.statusListeners]) l(status);
  }
}

export function fakeConnections(): { factory: (o: NotificationConnectionOptions) => FakeConnection; all: FakeConnection[]; last: () => FakeConnection } {
  const all: FakeConnection[] = [];
  return {
    all,
    factory: (o) => {
      const c = new FakeConnection(o);
      all.push(c);
      return c;
    },
    last: () => {
      const c = all[all.length - 1];
      if (!c) throw new Error('no connection yet');
      return c;
    },
  };
}

export class ManualClock implements Clock {
  private current = 1_700_000_000_000;
  private timers: Array<{ id: number; at: number; fn: () => void }> = [];
  private nextId = 1;
  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ id, at: this.current + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  advance(ms: number): void {
    const until = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = due.at;
      due.fn();
    }
    this.current = until;
  }
}

/** Lets pending promise callbacks run. */
export const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i += 1) await new Promise((r) => setImmediate(r));
};
