// The control API: the test's hand on the simulated world. In-process (SimControl) and over
// HTTP at /sim/control/* (JSON, no auth, not logged, immune to latency and fail-next).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Dialect } from './dialect';
import { checkDialect } from './dialect';
import type { Engine, SimTruth } from './engine';
import { OUTCOME_OPERATIONS } from './outcomes';
import { DEFAULT_ERROR_PAGE } from './http-server';
import type { LoggedRequest } from './request-log';

export interface SimControl {
  state(): SimTruth;
  requests(sinceSeq?: number): LoggedRequest[];
  inboundCall(o: { to: string; from: string; userData?: Record<string, unknown> }): string;
  remoteHangup(callId: string): void;
  remoteAnswer(callId: string): void;
  dropClients(): void;
  expireSession(userName?: string): void;
  setLatency(ms: number): void;
  failNext(o: { count: number; status?: number; body?: string; pathPrefix?: string }): void;
  publish(o: { userName: string; channel: string; data: unknown }): void;
  restart(o?: { downMs?: number }): Promise<void>;
  reset(): void;
  /**
   * Network cut for `ms`: open sockets are destroyed and requests get no answer (then a reset)
   * until it ends. `afterNext`: start the cut right after the next POST under that path prefix was
   * processed (its reply is lost).
   */
  cutNetwork(o: { ms: number; afterNext?: string }): void;
  /** Ends a network cut now (held requests are reset, as when it runs out). */
  healNetwork(): void;
  /** Epoch ms of every CometD /meta/handshake received since `sinceMs`. */
  handshakes(sinceMs?: number): number[];
  /** The wire dialect now. */
  dialect(): Dialect;
  /** Changes part of the dialect (validated: throws on an unknown key or value); returns the whole dialect. */
  setDialect(partial: Partial<Dialect>): Dialect;
  /**
   * Backend (T-Server/OCS) outage: while down, every POST under /api/v2/me answers HTTP 503
   * `{"statusCode":4,...}` and changes nothing; GETs and CometD keep working. `ms`: ends by itself.
   */
  backend(o: { down: boolean; ms?: number }): void;
  /**
   * Lost acknowledgements: the next `count` outbound acknowledgements (of `operationName`, or any)
   * are applied but neither they nor their DeviceUserEventMessage twin is published.
   */
  dropAcks(o: { count: number; operationName?: string }): void;
}

export function createControl(engine: Engine, restart: (downMs: number) => Promise<void>): SimControl {
  return {
    state: () => engine.truth(),
    requests: (since) => engine.log.since(since ?? 0),
    inboundCall: ({ to, from, userData }) => {
      const agent = engine.agent(to);
      if (agent === undefined) throw new Error(`No agent with userName or DN ${to}`);
      return engine.switch.inbound(agent, from, userData ?? {}).id;
    },
    remoteHangup: (callId) => {
      if (!engine.switch.remoteHangup(callId)) throw new Error(`No call ${callId}`);
    },
    remoteAnswer: (callId) => {
      if (!engine.switch.remoteAnswer(callId)) throw new Error(`No Dialing call ${callId}`);
    },
    dropClients: () => {
      engine.bayeux.drop();
    },
    expireSession: (userName) => engine.expireSessions(userName),
    setLatency: (ms) => {
      if (!Number.isFinite(ms) || ms < 0) throw new Error('latency must be a non-negative number');
      engine.latencyMs = ms;
    },
    failNext: ({ count, status, body, pathPrefix }) => {
      if (!Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer');
      engine.failRules.push({
        count,
        status: status ?? 503,
        body: body ?? DEFAULT_ERROR_PAGE,
        ...(pathPrefix !== undefined ? { pathPrefix } : {}),
      });
    },
    publish: ({ userName, channel, data }) => {
      if (engine.agent(userName) === undefined) throw new Error(`No agent ${userName}`);
      engine.notify(userName, channel, data as Record<string, unknown>);
    },
    restart: (o) => restart(o?.downMs ?? 0),
    reset: () => {
      engine.expireSessions();
      engine.reset();
      engine.log.clear();
      engine.handshakes = [];
    },
    cutNetwork: ({ ms, afterNext }) => {
      if (!Number.isFinite(ms) || ms < 0) throw new Error('ms must be a non-negative number');
      if (afterNext !== undefined) engine.network.cutAfter = { ms, pathPrefix: afterNext };
      else engine.network.cut(ms);
    },
    healNetwork: () => engine.network.heal(),
    handshakes: (sinceMs) => engine.handshakes.filter((t) => t >= (sinceMs ?? 0)),
    dialect: () => ({ ...engine.dialect }),
    setDialect: (partial) => engine.setDialect(checkDialect(partial)),
    backend: ({ down, ms }) => {
      if (ms !== undefined && (!Number.isFinite(ms) || ms < 0)) throw new Error('ms must be a non-negative number');
      engine.setBackend(ms !== undefined ? { down, ms } : { down });
    },
    dropAcks: ({ count, operationName }) => {
      if (!Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer');
      if (operationName !== undefined && !(OUTCOME_OPERATIONS as readonly string[]).includes(operationName)) {
        throw new Error(`operationName must be one of ${OUTCOME_OPERATIONS.join(', ')}`);
      }
      engine.outbound.dropAcks.push({ count, ...(operationName !== undefined ? { operationName } : {}) });
    },
  };
}

const schemas = {
  'inbound-call': z.object({ to: z.string().min(1), from: z.string().min(1), userData: z.record(z.string(), z.unknown()).optional() }),
  'remote-hangup': z.object({ callId: z.string().min(1) }),
  'remote-answer': z.object({ callId: z.string().min(1) }),
  'expire-session': z.object({ userName: z.string().optional() }),
  latency: z.object({ ms: z.number().min(0) }),
  'fail-next': z.object({
    count: z.number().int().min(1),
    status: z.number().int().min(100).max(599).optional(),
    body: z.string().optional(),
    pathPrefix: z.string().optional(),
  }),
  publish: z.object({ userName: z.string().min(1), channel: z.string().startsWith('/'), data: z.unknown() }),
  restart: z.object({ downMs: z.number().min(0).optional() }),
  'cut-network': z.object({ ms: z.number().min(0), afterNext: z.string().startsWith('/').optional() }),
  backend: z.strictObject({ down: z.boolean(), ms: z.number().min(0).optional() }),
  'drop-acks': z.strictObject({ count: z.number().int().min(1), operationName: z.enum(OUTCOME_OPERATIONS).optional() }),
} as const;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text === '' ? {} : JSON.parse(text);
}

/** HTTP binding of SimControl under /sim/control/. */
export function controlHttpHandler(control: SimControl) {
  return (req: IncomingMessage, res: ServerResponse, path: string, url: URL): void => {
    const op = path.slice('/sim/control/'.length);
    const method = req.method ?? 'GET';
    if (method === 'GET' && (op === 'state' || op === 'truth')) return json(res, 200, control.state());
    if (method === 'GET' && op === 'dialect') return json(res, 200, control.dialect());
    if (method === 'GET' && op === 'requests') return json(res, 200, control.requests(Number(url.searchParams.get('since') ?? 0) || 0));
    if (method === 'GET' && op === 'handshakes') return json(res, 200, control.handshakes(Number(url.searchParams.get('since') ?? 0) || 0));
    if (method !== 'POST') return json(res, 404, { error: `Unknown control operation ${method} ${op}` });
    readJson(req)
      .then(async (raw) => {
        const parse = <K extends keyof typeof schemas>(k: K): z.infer<(typeof schemas)[K]> => {
          const r = schemas[k].safeParse(raw);
          if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
          return r.data as z.infer<(typeof schemas)[K]>;
        };
        /** Runs a control operation that answers {ok: true}. */
        const done = (act: () => void): void => {
          act();
          json(res, 200, { ok: true });
        };
        switch (op) {
          case 'inbound-call':
            return json(res, 200, { callId: control.inboundCall(parse('inbound-call')) });
          case 'remote-hangup':
            return done(() => control.remoteHangup(parse('remote-hangup').callId));
          case 'remote-answer':
            return done(() => control.remoteAnswer(parse('remote-answer').callId));
          case 'drop-clients':
            return done(() => control.dropClients());
          case 'expire-session':
            return done(() => control.expireSession(parse('expire-session').userName));
          case 'latency':
            return done(() => control.setLatency(parse('latency').ms));
          case 'fail-next':
            return done(() => control.failNext(parse('fail-next')));
          case 'publish':
            return done(() => control.publish(parse('publish')));
          case 'restart': {
            const { downMs } = parse('restart');
            // After the reply has left: the restart closes this very connection.
            res.on('finish', () => void control.restart({ downMs: downMs ?? 0 }).catch(() => undefined));
            return json(res, 200, { ok: true });
          }
          case 'reset':
            return done(() => control.reset());
          case 'dialect':
            return json(res, 200, control.setDialect(checkDialect(raw)));
          case 'backend': {
            const o = parse('backend');
            control.backend(o.ms !== undefined ? { down: o.down, ms: o.ms } : { down: o.down });
            return json(res, 200, { ok: true, backendDown: control.state().backendDown });
          }
          case 'drop-acks': {
            const o = parse('drop-acks');
            control.dropAcks(o.operationName !== undefined ? { count: o.count, operationName: o.operationName } : { count: o.count });
            return json(res, 200, { ok: true });
          }
          case 'cut-network': {
            const o = parse('cut-network');
            // After the reply has left: the cut destroys this very connection.
            res.on('finish', () => control.cutNetwork(o.afterNext !== undefined ? { ms: o.ms, afterNext: o.afterNext } : { ms: o.ms }));
            return json(res, 200, { ok: true });
          }
          default:
            return json(res, 404, { error: `Unknown control operation ${op}` });
        }
      })
      .catch((e: unknown) => json(res, 400, { error: e instanceof Error ? e.message : String(e) }));
  };
}
