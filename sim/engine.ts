// The simulated GWS node: agents, the switch, the campaign engine, HTTP sessions, and the REST
// operations of gws-api.md §3, §4 and §6. Transport-free: http-server.ts feeds it requests.
import type { Agent } from './agents';
import {
  afterCallWorkState, agentStateSetting, auxWorkState, configuredState, createAgent, deviceResource, deviceStateMessage,
  notReadyState, readyState,
} from './agents';
import type { HttpSession } from './auth';
import { SessionStore } from './auth';
import { Bayeux } from './bayeux';
import type { Dialect } from './dialect';
import { DEFAULT_DIALECT, mergeDialect } from './dialect';
import { newUuid } from './ids';
import { Outbound } from './outbound';
import type { DropAckRule, OutcomeTruth } from './outcomes';
import { RequestLog } from './request-log';
import type { Body, OpResult } from './result';
import { OK, badState, hasKey, invalid, missing, notFound, obj, refOf, safely, str } from './result';
import type { Scenario } from './scenario';
import { BUILT_IN_STATE_OPERATIONS } from './scenario';
import type { SimTimings } from './call-machine';
import type { DispositionTruth } from './telephony';
import { Switch } from './telephony';

export const GWS_VERSION = '8.5.200.50';

/** A REST reply: HTTP status and JSON body. */
export interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Runs after the reply is written (e.g. invalidate the session that sent it). */
  after?: () => void;
}

/** Network-cut fault (control.cutNetwork): the HTTP front black-holes requests until `cutUntil`. */
export interface NetworkFaults {
  cutUntil: number;
  /** Cut right after the next POST under this path prefix was processed: its reply is lost. */
  cutAfter?: { ms: number; pathPrefix: string };
  /** Installed by the HTTP front: destroys every open socket and starts the cut. */
  cut: (ms: number) => void;
  /** Installed by the HTTP front: ends the cut now. */
  heal: () => void;
}

export interface FailRule {
  count: number;
  status: number;
  body: string;
  pathPrefix?: string;
}

const reply = (r: OpResult): Reply => ({ status: r.statusCode === 20 ? 401 : 200, body: { ...r } });
const ok = (body: Record<string, unknown> = {}): Reply => ({ status: 200, body: { statusCode: 0, ...body } });

/** gws-api.md §1: the request could not be sent to T-Server, so nothing was done. */
export const BACKEND_DOWN_REPLY: Reply = {
  status: 503,
  body: { statusCode: 4, statusMessage: 'Voice service is not available at this time' },
};

export class Engine {
  agents: Agent[] = [];
  switch!: Switch;
  outbound!: Outbound;
  readonly sessions: SessionStore;
  readonly log = new RequestLog();
  bayeux: Bayeux;
  latencyMs = 0;
  failRules: FailRule[] = [];
  baseUrl = '';
  network: NetworkFaults = { cutUntil: 0, cut: () => undefined, heal: () => undefined };
  /** When (epoch ms) each CometD /meta/handshake arrived: the reconnect-storm histogram. */
  handshakes: number[] = [];
  /** The wire dialect now (docs/simulator.md); `reset` goes back to `initialDialect`. */
  dialect: Dialect;
  readonly initialDialect: Readonly<Dialect>;
  /** Backend (T-Server/OCS) outage: until this epoch ms (Infinity = until switched on), POSTs answer 503 + statusCode 4. */
  backendDownUntil = 0;
  private readonly userIds = new Map<string, string>();
  private readonly deviceIds = new Map<string, string>();

  constructor(
    readonly scenario: Scenario,
    readonly timings: SimTimings,
    dialect: Partial<Dialect> = {},
  ) {
    this.initialDialect = Object.freeze(mergeDialect(DEFAULT_DIALECT, scenario.dialect, dialect));
    this.dialect = { ...this.initialDialect };
    this.sessions = new SessionStore({
      checkPassword: (user, password) => this.scenario.agents.some((a) => a.userName === user && a.password === password),
    });
    this.bayeux = this.newBayeux();
    this.reset();
  }

  newBayeux(): Bayeux {
    return new Bayeux({
      sessionFromRequest: (req) => this.sessions.fromCookie(req),
      latency: () => this.latencyMs,
      onOutboundSubscribed: (userName, deliver) => {
        const agent = this.agent(userName);
        if (agent?.sessionStarted) this.outbound.announceCampaigns(agent, deliver);
      },
    });
  }

  /** Back to the scenario's initial state (device and user ids stay stable). */
  reset(): void {
    this.switch?.clear();
    this.agents = this.scenario.agents.map((def) => {
      let deviceId = this.deviceIds.get(def.userName);
      if (deviceId === undefined) {
        deviceId = newUuid();
        this.deviceIds.set(def.userName, deviceId);
        this.userIds.set(def.userName, newUuid());
      }
      return createAgent(def, deviceId);
    });
    this.switch = new Switch({
      agents: () => this.agents,
      baseUrl: () => this.baseUrl,
      timings: () => this.timings,
      dialOutcome: (n) => (hasKey(this.scenario.dialOutcomes, n) ? (this.scenario.dialOutcomes[n] ?? 'answer') : 'answer'),
      notify: (u, ch, d) => this.notify(u, ch, d),
      dialect: () => this.dialect,
      dispositionKey: () => this.scenario.dispositions.key,
    });
    this.outbound = new Outbound(this.scenario, {
      notify: (u, ch, d) => this.notify(u, ch, d),
      agent: (u) => this.agent(u),
      dialect: () => this.dialect,
    });
    this.latencyMs = 0;
    this.failRules = [];
    this.backendDownUntil = 0;
    this.dialect = { ...this.initialDialect };
  }

  /** Changes part of the dialect (validated); returns the whole dialect now. */
  setDialect(partial: Partial<Dialect>): Dialect {
    this.dialect = mergeDialect(this.dialect, partial);
    return { ...this.dialect };
  }

  get backendDown(): boolean {
    return Date.now() < this.backendDownUntil;
  }

  /** Backend outage on/off; `ms`: a timed outage that ends by itself. */
  setBackend(o: { down: boolean; ms?: number }): void {
    this.backendDownUntil = !o.down ? 0 : o.ms !== undefined ? Date.now() + o.ms : Number.POSITIVE_INFINITY;
  }

  /** The referenceId a non-outbound notification echoes (referenceIdEcho dialect). */
  private echo(ref: { referenceId?: unknown }): { referenceId?: unknown } {
    return this.dialect.referenceIdEcho === 'all' ? ref : {};
  }

  agent(userNameOrDn: string): Agent | undefined {
    return this.agents.find((a) => a.userName === userNameOrDn) ?? this.agents.find((a) => a.dn === userNameOrDn);
  }

  notify(userName: string, channel: string, data: Record<string, unknown>): void {
    this.bayeux.deliver(userName, channel, data);
  }

  private deviceMessage(agent: Agent, ref: { referenceId?: unknown } = {}): void {
    this.notify(agent.userName, '/v2/me/devices', deviceStateMessage(agent, this.baseUrl, this.echo(ref).referenceId));
  }

  /** Invalidates HTTP sessions (all, or one user's) and drops their CometD sessions. */
  expireSessions(userName?: string): void {
    const gone = new Set(this.sessions.invalidateUser(userName).map((s) => s.id));
    this.bayeux.drop((b) => gone.has(b.httpSessionId));
  }

  // ---- resources ----

  private userResource(agent: Agent, withSub: boolean): Record<string, unknown> {
    const id = this.userIds.get(agent.userName) ?? '';
    const user: Record<string, unknown> = {
      id,
      userName: agent.userName,
      firstName: agent.def.firstName,
      lastName: agent.def.lastName,
      roles: ['ROLE_AGENT'],
      enabled: true,
      uri: `${this.baseUrl}/api/v2/users/${id}`,
      path: `/users/${id}`,
    };
    if (!withSub) return user;
    return {
      ...user,
      devices: this.devices(agent),
      channels: this.channels(agent),
      settings: this.settings(),
    };
  }

  /** The agent's device exists while its contact-center session is started (place → DN). */
  private devices(agent: Agent): Array<Record<string, unknown>> {
    return agent.sessionStarted ? [deviceResource(agent, this.baseUrl)] : [];
  }

  private channels(agent: Agent): Array<Record<string, unknown>> {
    if (!agent.sessionStarted) return [];
    return [{ name: 'voice', userState: { ...agent.userState }, uri: `${this.baseUrl}/api/v2/me/channels/voice`, path: '/me/channels/voice' }];
  }

  /**
   * settings["interaction-workspace"]: Workspace options, strings (gws-api.md §3, §6), generated
   * from the scenario, then the scenario's workspaceOptions merged over them (a number there is sent
   * as a number: the form a server might use for a value no page confirms).
   */
  workspaceOptions(): Record<string, string | number> {
    const s = this.scenario;
    const options: Record<string, string | number> = {
      'outbound.call-result-values': s.callResults.join(','),
      'outbound.call-result-automatically-selected': s.autoSelectedCallResult,
      'interaction.disposition.key-name': s.dispositions.key,
      'interaction.disposition.values': s.dispositions.values.join(','),
    };
    for (const [k, v] of Object.entries(s.workspaceOptions)) {
      Object.defineProperty(options, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return options;
  }

  private settings(): Record<string, unknown> {
    return { 'interaction-workspace': this.workspaceOptions() };
  }

  /** GET /api/v2/settings/agent-states (gws-api.md §3). */
  agentStateSettings(): Reply {
    return ok({ settings: this.scenario.agentStates.map(agentStateSetting) });
  }

  // ---- REST ----

  /** GET routes. `parts` are the decoded path segments after /api/v2/me. */
  get(agent: Agent, parts: string[], query: URLSearchParams): Reply | undefined {
    const all = query.get('fields') === '*';
    const [a, b, c] = parts;
    if (a === undefined) return ok({ user: this.userResource(agent, query.get('subresources') === '*') });
    if (a === 'devices' && b === undefined) {
      const devices = this.devices(agent);
      return all ? ok({ devices }) : ok({ uris: devices.map((d) => d.uri) });
    }
    if (a === 'devices' && b !== undefined && c === undefined) {
      return b === agent.deviceId && agent.sessionStarted ? ok({ device: deviceResource(agent, this.baseUrl) }) : reply(notFound(`Device ${b}`));
    }
    if (a === 'calls' && b === undefined) {
      const calls = this.switch.callsOf(agent).map((call) => this.switch.resource(call, true));
      return all ? ok({ calls }) : ok({ uris: calls.map((x) => x.uri) });
    }
    if (a === 'calls' && b !== undefined && c === undefined) {
      const call = this.switch.find(agent, b);
      return call !== undefined ? ok({ call: this.switch.resource(call, true) }) : reply(notFound(`Call ${b}`));
    }
    if (a === 'channels' && b === undefined) {
      const channels = this.channels(agent);
      return all ? ok({ channels }) : ok({ uris: channels.map((x) => x.uri) });
    }
    return undefined;
  }

  /** POST routes: operations. `body` is a parsed JSON value. */
  post(agent: Agent, session: HttpSession, parts: string[], body: unknown): Reply | undefined {
    const [a, b, c, d] = parts;
    let route: ((op: string, body: Body) => Reply) | undefined;
    if (a === undefined) route = (op, bd) => this.meOp(agent, session, op, bd);
    else if (a === 'channels' && b === 'voice' && c === undefined) route = (op, bd) => reply(this.voiceOp(agent, op, bd));
    else if (a === 'devices' && b !== undefined && c === undefined) route = (op, bd) => reply(this.deviceOp(agent, b, op, bd));
    else if (a === 'devices' && b !== undefined && c === 'calls' && d === undefined) route = (op, bd) => reply(this.dial(agent, b, op, bd));
    else if (a === 'calls' && b !== undefined && c === undefined) route = (op, bd) => reply(this.callOp(agent, b, op, bd));
    else if (a === 'outbound-campaigns' && b !== undefined && c === undefined) route = (op, bd) => reply(this.outbound.campaignOp(agent, b, op, bd));
    else if (a === 'outbound-records' && b !== undefined && c === undefined) route = (op, bd) => reply(this.outbound.recordOp(agent, b, op, bd));
    if (route === undefined) return undefined;
    const op = obj(body);
    if (op === undefined) return reply(invalid('The body must be a JSON object'));
    const name = op.operationName;
    if (name === undefined || name === null || name === '') return reply(missing('operationName'));
    if (typeof name !== 'string') return reply(invalid('operationName must be a string'));
    // Backend down: the operation cannot reach T-Server/OCS; nothing is done (gws-api.md §1).
    if (this.backendDown) return { ...BACKEND_DOWN_REPLY, body: { ...BACKEND_DOWN_REPLY.body } };
    return route(name, op);
  }

  private meOp(agent: Agent, session: HttpSession, op: string, body: Body): Reply {
    if (op === 'StartContactCenterSession') {
      const channels = body.channels;
      if (channels !== undefined && (!Array.isArray(channels) || !channels.every((x) => typeof x === 'string'))) {
        return reply(invalid('channels must be an array of channel names'));
      }
      if (Array.isArray(channels) && channels.some((x) => x !== 'voice')) return reply(invalid('Only the voice channel is supported'));
      const place = body.place;
      if (place !== undefined && place !== agent.def.place) return reply(notFound(`Place ${String(place)}`));
      const already = agent.sessionStarted;
      agent.sessionStarted = true;
      if (!already) agent.userState = notReadyState();
      setImmediate(safely(() => {
        this.deviceMessage(agent, refOf(body));
        this.outbound.announceCampaigns(agent, (data) => this.notify(agent.userName, '/v2/me/outbound', data));
      }));
      return ok();
    }
    if (op === 'EndContactCenterSession') {
      agent.sessionStarted = false;
      agent.userState = notReadyState();
      this.outbound.releaseAgent(agent);
      return {
        ...ok(),
        after: () => {
          this.sessions.invalidate(session.id);
          this.bayeux.drop((b) => b.httpSessionId === session.id);
        },
      };
    }
    return reply(invalid(`Unknown operation ${op}`));
  }

  /**
   * /api/v2/me/channels/voice: Ready, NotReady, AfterCallWork, AuxWork, or a configured agent state
   * by its operationName (gws-api.md §3). NotReady takes no reason: an unknown field such as
   * `reasonCode` is ignored, as GWS ignores unknown fields (the request log still shows it).
   */
  private voiceOp(agent: Agent, op: string, body: Body): OpResult {
    const configured = this.scenario.agentStates.find((st) => st.operationName === op);
    if (configured === undefined && !(BUILT_IN_STATE_OPERATIONS as readonly string[]).includes(op)) return invalid(`Unknown operation ${op}`);
    if (!agent.sessionStarted) return badState(op);
    switch (configured !== undefined ? 'configured' : op) {
      case 'configured':
        agent.userState = configuredState(configured as NonNullable<typeof configured>);
        break;
      case 'Ready': {
        const wm = body.workmode ?? body.workMode;
        if (wm !== undefined && wm !== 'ManualIn' && wm !== 'AutoIn') return invalid('workmode must be ManualIn or AutoIn');
        agent.userState = readyState(wm);
        break;
      }
      case 'NotReady':
        agent.userState = notReadyState();
        break;
      case 'AfterCallWork':
        agent.userState = afterCallWorkState();
        break;
      default:
        agent.userState = auxWorkState();
    }
    this.deviceMessage(agent, refOf(body));
    if (op === 'Ready') setImmediate(safely(() => this.outbound.maybePush(agent)));
    return OK;
  }

  private deviceOp(agent: Agent, deviceId: string, op: string, body: Body): OpResult {
    if (!['DoNotDisturbOn', 'DoNotDisturbOff'].includes(op)) return invalid(`Unknown operation ${op}`);
    if (deviceId !== agent.deviceId) return notFound(`Device ${deviceId}`);
    if (!agent.sessionStarted) return badState(op);
    const on = op === 'DoNotDisturbOn';
    if ((agent.doNotDisturb === 'On') === on) return badState(op);
    agent.doNotDisturb = on ? 'On' : 'Off';
    this.deviceMessage(agent, refOf(body));
    return OK;
  }

  private dial(agent: Agent, deviceId: string, op: string, body: Body): OpResult {
    if (op !== 'Dial') return invalid(`Unknown operation ${op}`);
    if (deviceId !== agent.deviceId) return notFound(`Device ${deviceId}`);
    if (!agent.sessionStarted) return badState(op);
    const userData = body.userData;
    if (userData !== undefined && obj(userData) === undefined) return invalid('userData must be an object');
    const ref = refOf(body);
    if (body.outboundRecord !== undefined) {
      const rec = obj(body.outboundRecord);
      if (rec === undefined) return invalid('outboundRecord must be an object');
      const found = this.outbound.recordForDial(agent, rec.recordHandle);
      if ('statusCode' in found) return found;
      const phone = rec.phoneNumber === undefined ? found.phoneNumber : str(rec.phoneNumber);
      if (phone === undefined) return invalid('outboundRecord.phoneNumber must be a string');
      const otherFields = obj(rec.otherFields) ?? {};
      return this.switch.dial(agent, {
        destination: phone,
        userData: { ...this.outbound.dialUserData(found), ...otherFields, GSW_PHONE: phone, ...(obj(userData) ?? {}) },
        outcome: this.outbound.outcomeFor(found, phone),
        wrapUpTime: found.campaign.wrapUpTime,
        ...ref,
      });
    }
    const dest = obj(body.destination);
    if (dest === undefined) return missing('destination');
    const phone = dest.phoneNumber;
    if (phone === undefined || phone === null || phone === '') return missing('destination.phoneNumber');
    if (typeof phone !== 'string') return invalid('destination.phoneNumber must be a string');
    return this.switch.dial(agent, { destination: phone, userData: obj(userData) ?? {}, ...ref });
  }

  private callOp(agent: Agent, callId: string, op: string, body: Body): OpResult {
    return this.switch.operate(agent, callId, op, body);
  }

  // ---- truth ----

  truth(): SimTruth {
    return {
      agents: this.agents.map((a) => ({
        userName: a.userName,
        dn: a.dn,
        place: a.place,
        deviceId: a.deviceId,
        contactCenterSession: a.sessionStarted,
        userState: { ...a.userState },
        doNotDisturb: a.doNotDisturb,
        httpSessions: this.sessions.count(a.userName),
        cometdSessions: this.bayeux.count(a.userName),
        calls: this.switch.callsOf(a).map((c) => ({ ...this.switch.resource(c), dtmfDigits: c.dtmf })),
        previewSessions: [...a.previewSessions],
        records: this.outbound.truthOfHeld(a.userName),
      })),
      campaigns: this.outbound.truth(),
      outcomes: this.outbound.outcomes.map((o) => ({ ...o })),
      refusedDuplicateOutcomes: this.outbound.refusedDuplicates,
      pendingDroppedAcks: this.outbound.dropAcks.map((d) => ({ ...d })),
      dispositions: this.switch.dispositions.map((d) => ({ ...d })),
      dialect: { ...this.dialect },
      backendDown: this.backendDown,
      ...(this.backendDown && Number.isFinite(this.backendDownUntil) ? { backendDownUntil: this.backendDownUntil } : {}),
      latencyMs: this.latencyMs,
      pendingFailures: this.failRules.reduce((n, r) => n + r.count, 0),
    };
  }
}

export interface AgentTruth {
  userName: string;
  dn: string;
  place: string;
  deviceId: string;
  contactCenterSession: boolean;
  userState: Record<string, unknown>;
  doNotDisturb: 'On' | 'Off';
  httpSessions: number;
  cometdSessions: number;
  /** GWS call resources, plus `dtmfDigits` sent so far (simulator extra). */
  calls: Array<Record<string, unknown>>;
  previewSessions: string[];
  /** Preview records this agent holds now (record resources). */
  records: Array<Record<string, unknown>>;
}

export interface SimTruth {
  agents: AgentTruth[];
  campaigns: Array<Record<string, unknown>>;
  /** Every record outcome applied, in order: {recordHandle, operationName, referenceId?, userName, at (epoch ms)}. */
  outcomes: OutcomeTruth[];
  /** Outcomes refused (asynchronously) because the record was already processed. */
  refusedDuplicateOutcomes: number;
  /** drop-acks rules still waiting for acknowledgements to swallow. */
  pendingDroppedAcks: DropAckRule[];
  /** Every SetCallDisposition applied (on live or released calls). */
  dispositions: DispositionTruth[];
  dialect: Dialect;
  /** POST operations answer 503 + statusCode 4. */
  backendDown: boolean;
  /** End (epoch ms) of a timed outage. */
  backendDownUntil?: number;
  latencyMs: number;
  pendingFailures: number;
}
