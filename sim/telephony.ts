// The switch: calls per DN, their state machine, capabilities per state, and the
// CallStateChangeMessage notifications (shaped like the seed's Dialing sample).
import type { Agent } from './agents';
import type { Dialect } from './dialect';
import { newCallId, newConnId } from './ids';
import type { Body, OpResult } from './result';
import { OK, badState, invalid, mergeInto, missing, notFound, obj, refOf, safely, str } from './result';
import type { CallOutcome } from './scenario';
import { CALL_RESULTS } from './scenario';

export interface SimTimings {
  answerMs: number;
  busyMs: number;
  noAnswerMs: number;
  answeringMachineMs: number;
  remoteReleaseMs?: number;
  consultAnswerMs: number;
}

export const DEFAULT_TIMINGS: SimTimings = {
  answerMs: 3000,
  busyMs: 4000,
  noAnswerMs: 12000,
  answeringMachineMs: 5000,
  consultAnswerMs: 2000,
};

export type CallState = 'Dialing' | 'Ringing' | 'Established' | 'Held' | 'Released' | 'Completed';
export type CallType = 'Internal' | 'Inbound' | 'Outbound' | 'Consult';

export interface SimCall {
  id: string;
  connId: string;
  owner: Agent;
  state: CallState;
  callType: CallType;
  /** The far end: dnis for calls we place, ani for calls we receive. */
  direction: 'out' | 'in';
  otherParty: string;
  participants: string[];
  userData: Record<string, unknown>;
  createdAt: number;
  establishedAt?: number;
  wrapUpTime: number;
  recordingState?: 'Recording' | 'Stopped';
  /** Other leg of an internal call between two simulated agents. */
  partnerId?: string;
  /** On an original call: its consult call. On a consult call: the original. */
  consultId?: string;
  consultOfId?: string;
  dtmf: string;
  timer?: NodeJS.Timeout;
}

const USER_DATA_OPS = ['AttachUserData', 'UpdateUserData', 'DeleteUserDataPair', 'DeleteUserData'];
const TRANSFER_OPS = ['SingleStepTransfer', 'InitiateTransfer', 'InitiateConference', 'SingleStepConference'];

/** Released-by-outcome calls carry the OCS call result in userData.GSW_CALL_RESULT (a number). */
const OUTCOME_RESULT: Partial<Record<CallOutcome, number>> = {
  busy: CALL_RESULTS.Busy,
  noAnswer: CALL_RESULTS.NoAnswer,
  answeringMachine: CALL_RESULTS.AnsweringMachine,
};

export interface SwitchDeps {
  agents: () => readonly Agent[];
  baseUrl: () => string;
  timings: () => SimTimings;
  dialOutcome: (phoneNumber: string) => CallOutcome;
  notify: (userName: string, channel: string, data: Record<string, unknown>) => void;
  dialect: () => Readonly<Dialect>;
  /** SetCallDisposition's default dispositionKey (the scenario's interaction.disposition.key-name). */
  dispositionKey: () => string;
}

/** A SetCallDisposition the switch applied (control truth). */
export interface DispositionTruth {
  userName: string;
  callUuid: string;
  key: string;
  disposition: string;
  /** The call was already released (no notification was sent). */
  released: boolean;
  at: number;
}

/** T-Server-like error of a failed call operation ([project rule]: the simulator's choice of code). */
export const INVALID_DN_ERROR = { errorCode: 71, errorMessage: 'Invalid called DN' } as const;

/** Country codes known to the HTCC 8.5.0 participantsInfo form (longest first). */
const COUNTRY_CODES: Array<[string, string]> = [
  ['+44', 'GB'], ['+33', 'FR'], ['+49', 'DE'], ['+81', 'JP'], ['+61', 'AU'], ['+65', 'SG'], ['+1', 'US'],
];

export interface DialRequest {
  destination: string;
  userData?: Record<string, unknown>;
  referenceId?: unknown;
  outcome?: CallOutcome;
  wrapUpTime?: number;
}

const digitsOf = (n: string): string => n.replace(/[^\d*#+]/g, '');

export class Switch {
  readonly calls = new Map<string, SimCall>();
  /** Released calls by callUuid, kept briefly so SetCallDisposition still finds them. */
  private readonly released = new Map<string, SimCall>();
  /** Every SetCallDisposition applied (control truth). */
  dispositions: DispositionTruth[] = [];

  constructor(private readonly deps: SwitchDeps) {}

  callsOf(agent: Agent): SimCall[] {
    return [...this.calls.values()].filter((c) => c.owner === agent);
  }

  /** The agent's live call whose id, callUuid or connId is `key` (gws-api.md §4: match by any). */
  find(agent: Agent, key: string): SimCall | undefined {
    const byId = this.calls.get(key);
    if (byId !== undefined && byId.owner === agent) return byId;
    return this.callsOf(agent).find((c) => c.connId === key);
  }

  /** A call of this agent released lately, by id, callUuid or connId (newest first). */
  findReleased(agent: Agent, key: string): SimCall | undefined {
    const byId = this.released.get(key);
    if (byId !== undefined && byId.owner === agent) return byId;
    return [...this.released.values()].reverse().find((c) => c.owner === agent && c.connId === key);
  }

  /**
   * The GWS call resource. `read`: for GET /me/calls[/{id}], whose `id` follows the callIdInReads
   * dialect; notifications always carry id = callUuid.
   */
  resource(c: SimCall, read = false): Record<string, unknown> {
    const base = this.deps.baseUrl();
    const dialect = this.deps.dialect();
    const since = c.establishedAt ?? c.createdAt;
    const duration = c.state === 'Dialing' || c.state === 'Ringing' ? 0 : Math.floor((Date.now() - since) / 1000);
    const id = read && dialect.callIdInReads === 'connId' ? c.connId : c.id;
    return {
      id,
      state: c.state,
      callUuid: c.id,
      connId: c.connId,
      deviceUri: `${base}/api/v2/devices/${c.owner.deviceId}`,
      ...(dialect.participants === 'strings'
        ? { participants: [...c.participants], participantsInfo: c.participants.map(participantInfo) }
        : {
            participants: c.participants.map((p) => ({
              e164Number: p.startsWith('+') ? p : '',
              formattedPhoneNumber: p,
              phoneNumber: p,
              digits: digitsOf(p),
            })),
          }),
      ...(c.direction === 'out' ? { dnis: c.otherParty } : { ani: c.otherParty }),
      callType: c.callType,
      capabilities: this.capabilities(c),
      duration: String(duration),
      mute: 'Off',
      ...(c.recordingState !== undefined ? { recordingState: c.recordingState } : {}),
      supervisorListeningIn: false,
      monitoredUserMuted: false,
      monitoring: false,
      uri: `${base}/api/v2/me/calls/${id}`,
      path: `/calls/${id}`,
      userData: { ...c.userData },
    };
  }

  /** The referenceId a call notification echoes: none unless the referenceIdEcho dialect is `all`. */
  private echo(ref: { referenceId?: unknown }): { referenceId?: unknown } {
    return this.deps.dialect().referenceIdEcho === 'all' ? ref : {};
  }

  private peer(c: SimCall): SimCall | undefined {
    const id = c.consultId ?? c.consultOfId;
    return id === undefined ? undefined : this.calls.get(id);
  }

  capabilities(c: SimCall): string[] {
    const peer = this.peer(c);
    switch (c.state) {
      case 'Dialing':
        return ['SendDtmf', ...USER_DATA_OPS, 'Hangup'];
      case 'Ringing':
        return ['Answer', ...USER_DATA_OPS];
      case 'Established': {
        const caps = ['SendDtmf', ...USER_DATA_OPS, 'Hangup', 'Hold'];
        caps.push(c.recordingState === 'Recording' ? 'StopCallRecording' : 'StartCallRecording');
        if (peer === undefined) caps.push(...TRANSFER_OPS);
        else if (peer.state === 'Held') caps.push('SwapCalls', 'CompleteTransfer', 'CompleteConference');
        return caps;
      }
      case 'Held': {
        const caps = ['Retrieve', 'Hangup', ...USER_DATA_OPS];
        if (peer === undefined) caps.push(...TRANSFER_OPS);
        else if (peer.state === 'Established') caps.push('SwapCalls', 'CompleteTransfer', 'CompleteConference');
        return caps;
      }
      default:
        return [];
    }
  }

  private emit(c: SimCall, notificationType: string, ref: { referenceId?: unknown } = {}): void {
    this.deps.notify(c.owner.userName, '/v2/me/calls', {
      messageType: 'CallStateChangeMessage',
      notificationType,
      call: this.resource(c),
      phoneNumber: c.owner.dn,
      extensions: { WrapUpTime: c.wrapUpTime, BusinessCall: 0 },
      ...this.echo(ref),
    });
  }

  /**
   * A failed operation. Dialect errors=message ([project rule], gws-api.md §4): an ErrorMessage with
   * errorCode, errorMessage, the request's referenceId and the call when there is one.
   * errors=notification: the older CallStateChangeMessage with notificationType Error.
   */
  private emitError(agent: Agent, error: { errorCode: number; errorMessage: string }, ref: { referenceId?: unknown }, c?: SimCall): void {
    const call = c !== undefined ? { call: this.resource(c) } : {};
    if (this.deps.dialect().errors === 'message') {
      this.deps.notify(agent.userName, '/v2/me/calls', { messageType: 'ErrorMessage', ...error, ...ref, ...call });
      return;
    }
    this.deps.notify(agent.userName, '/v2/me/calls', {
      messageType: 'CallStateChangeMessage',
      notificationType: 'Error',
      ...error,
      ...call,
      phoneNumber: agent.dn,
      ...ref,
    });
  }

  private setState(c: SimCall, state: CallState, ref: { referenceId?: unknown } = {}): void {
    c.state = state;
    if (state === 'Established' && c.establishedAt === undefined) c.establishedAt = Date.now();
    if (state === 'Released') {
      clearTimeout(c.timer);
      c.timer = undefined;
      this.calls.delete(c.id);
      this.released.delete(c.id);
      this.released.set(c.id, c);
      if (this.released.size > 200) {
        const first = this.released.keys().next().value;
        if (first !== undefined) this.released.delete(first);
      }
    }
    this.emit(c, 'StatusChange', ref);
  }

  private schedule(c: SimCall, ms: number, fn: () => void): void {
    clearTimeout(c.timer);
    c.timer = setTimeout(
      safely(() => {
        c.timer = undefined;
        if (this.calls.get(c.id) === c) fn();
      }),
      Math.max(0, ms),
    );
  }

  private newCall(owner: Agent, init: Partial<SimCall> & Pick<SimCall, 'state' | 'callType' | 'direction' | 'otherParty'>): SimCall {
    const c: SimCall = {
      id: newCallId(),
      connId: newConnId(),
      owner,
      participants: [init.otherParty],
      userData: {},
      createdAt: Date.now(),
      wrapUpTime: 0,
      dtmf: '',
      ...init,
    };
    this.calls.set(c.id, c);
    return c;
  }

  private agentByDn(dn: string): Agent | undefined {
    return this.deps.agents().find((a) => a.dn === dn);
  }

  private establish(c: SimCall): void {
    this.setState(c, 'Established');
    const release = this.deps.timings().remoteReleaseMs;
    if (release !== undefined && c.partnerId === undefined) this.schedule(c, release, () => this.releaseRemote(c));
  }

  /** Progress of a call we placed to the outside world, by outcome. */
  private progress(c: SimCall, outcome: CallOutcome, answerMs: number): void {
    const t = this.deps.timings();
    const result = OUTCOME_RESULT[outcome];
    if (outcome === 'answer' || outcome === 'invalid') {
      this.schedule(c, answerMs, () => this.establish(c));
    } else if (result !== undefined) {
      const ms = outcome === 'busy' ? t.busyMs : outcome === 'noAnswer' ? t.noAnswerMs : t.answeringMachineMs;
      this.schedule(c, ms, () => {
        c.userData.GSW_CALL_RESULT = result;
        this.releaseRemote(c);
      });
    }
  }

  private releaseRemote(c: SimCall): void {
    const peer = this.peer(c);
    this.setState(c, 'Released');
    if (peer !== undefined) this.emit(peer, 'StatusChange'); // its capabilities changed
  }

  dial(agent: Agent, req: DialRequest): OpResult {
    const ref = req.referenceId !== undefined ? { referenceId: req.referenceId } : {};
    const outcome = req.outcome ?? this.deps.dialOutcome(req.destination);
    if (outcome === 'invalid') {
      const error = { errorCode: INVALID_DN_ERROR.errorCode, errorMessage: `${INVALID_DN_ERROR.errorMessage} ${req.destination}` };
      setImmediate(safely(() => this.emitError(agent, error, ref)));
      return OK;
    }
    const callee = this.agentByDn(req.destination);
    const internal = callee !== undefined || digitsOf(req.destination).length <= 5;
    const c = this.newCall(agent, {
      state: 'Dialing',
      callType: internal ? 'Internal' : 'Outbound',
      direction: 'out',
      otherParty: req.destination,
      userData: { ...(req.userData ?? {}) },
      wrapUpTime: req.wrapUpTime ?? 0,
    });
    this.emit(c, 'StatusChange', ref);
    if (callee !== undefined && callee !== agent) {
      if (callee.doNotDisturb === 'On') {
        this.progress(c, 'busy', 0);
        return OK;
      }
      const leg = this.newCall(callee, {
        state: 'Ringing',
        callType: 'Internal',
        direction: 'in',
        otherParty: agent.dn,
        connId: c.connId,
        userData: { ...c.userData },
        partnerId: c.id,
      });
      c.partnerId = leg.id;
      this.emit(leg, 'StatusChange');
      return OK;
    }
    this.progress(c, outcome, this.deps.timings().answerMs);
    return OK;
  }

  inbound(agent: Agent, from: string, userData: Record<string, unknown> = {}): SimCall {
    const c = this.newCall(agent, { state: 'Ringing', callType: 'Inbound', direction: 'in', otherParty: from, userData: { ...userData } });
    this.emit(c, 'StatusChange');
    return c;
  }

  remoteHangup(callId: string): boolean {
    const c = this.calls.get(callId);
    if (c === undefined) return false;
    const partner = c.partnerId !== undefined ? this.calls.get(c.partnerId) : undefined;
    this.releaseRemote(c);
    if (partner !== undefined) this.releaseRemote(partner);
    return true;
  }

  remoteAnswer(callId: string): boolean {
    const c = this.calls.get(callId);
    if (c === undefined || c.state !== 'Dialing') return false;
    const partner = c.partnerId !== undefined ? this.calls.get(c.partnerId) : undefined;
    if (partner !== undefined && partner.state === 'Ringing') {
      this.setState(partner, 'Established');
      this.setState(c, 'Established');
    } else {
      clearTimeout(c.timer);
      this.establish(c);
    }
    return true;
  }

  /** Agent-side release when the agent's contact-center session is not what holds calls: used by reset. */
  clear(): void {
    for (const c of this.calls.values()) clearTimeout(c.timer);
    this.calls.clear();
    this.released.clear();
    this.dispositions = [];
  }

  /**
   * SetCallDisposition (gws-api.md §4): on a live call the disposition lands in its user data with
   * AttachedDataChanged; on a call released lately, in its user data without any notification.
   */
  private setDisposition(agent: Agent, callKey: string, body: Body): OpResult {
    const live = this.find(agent, callKey);
    const c = live ?? this.findReleased(agent, callKey);
    if (c === undefined) return notFound(`Call ${callKey}`);
    const uri = body.callUri;
    if (uri === undefined || uri === null || uri === '') return missing('callUri');
    if (typeof uri !== 'string') return invalid('callUri must be a string');
    const uuid = body.callUuid;
    if (uuid === undefined || uuid === null || uuid === '') return missing('callUuid');
    if (typeof uuid !== 'string') return invalid('callUuid must be a string');
    const disposition = body.disposition;
    if (disposition === undefined || disposition === null || disposition === '') return missing('disposition');
    if (typeof disposition !== 'string') return invalid('disposition must be a string');
    const key = body.dispositionKey === undefined || body.dispositionKey === null ? this.deps.dispositionKey() : body.dispositionKey;
    if (typeof key !== 'string' || key === '' || key === '__proto__') return invalid('dispositionKey must be a non-empty string');
    if (uuid !== c.id) return invalid(`callUuid ${uuid} is not the callUuid of call ${callKey}`);
    const last = uri.replace(/[?#].*$/, '').split('/').filter((x) => x !== '').at(-1);
    if (last !== c.id && last !== c.connId) return invalid(`callUri ${uri} does not name call ${callKey}`);
    mergeInto(c.userData, { [key]: disposition });
    this.dispositions.push({ userName: agent.userName, callUuid: c.id, key, disposition, released: live === undefined, at: Date.now() });
    if (this.dispositions.length > 1000) this.dispositions.shift();
    if (live !== undefined) this.emit(c, 'AttachedDataChanged', refOf(body));
    return OK;
  }

  /** Every call operation of gws-api.md §4, posted to /api/v2/me/calls/{callId} (id, callUuid or connId). */
  operate(agent: Agent, callId: string, op: string, body: Body): OpResult {
    const known = [
      'Answer', 'Hangup', 'Hold', 'Retrieve', 'SendDtmf', ...TRANSFER_OPS, 'CompleteTransfer', 'CompleteConference',
      'SwapCalls', ...USER_DATA_OPS, 'StartCallRecording', 'StopCallRecording', 'SetCallDisposition',
    ];
    if (op === 'SetCallDisposition') return this.setDisposition(agent, callId, body);
    const c = this.find(agent, callId);
    if (c === undefined) return notFound(`Call ${callId}`);
    if (!known.includes(op)) return invalid(`Unknown operation ${op}`);
    if (!this.capabilities(c).includes(op)) return badState(op);
    const ref = refOf(body);

    switch (op) {
      case 'Answer': {
        const partner = c.partnerId !== undefined ? this.calls.get(c.partnerId) : undefined;
        this.setState(c, 'Established', ref);
        if (partner !== undefined && partner.state === 'Dialing') this.setState(partner, 'Established');
        return OK;
      }
      case 'Hangup': {
        const partner = c.partnerId !== undefined ? this.calls.get(c.partnerId) : undefined;
        const peer = this.peer(c);
        this.setState(c, 'Released', ref);
        if (partner !== undefined) this.setState(partner, 'Released');
        if (peer !== undefined) this.emit(peer, 'StatusChange');
        return OK;
      }
      case 'Hold':
        this.setState(c, 'Held', ref);
        if (this.peer(c) !== undefined) this.emit(this.peer(c) as SimCall, 'StatusChange');
        return OK;
      case 'Retrieve':
        this.setState(c, 'Established', ref);
        return OK;
      case 'SendDtmf': {
        // gws-api.md §4: `digits` (0-9; * and # by project rule; A-D accepted too). No `dtmfDigits`.
        const digits = body.digits;
        if (digits === undefined || digits === null || digits === '') return missing('digits');
        if (typeof digits !== 'string' || !/^[0-9*#A-Da-d]+$/.test(digits)) return invalid('digits must be 0-9, *, # or A-D');
        c.dtmf += digits;
        this.emit(c, 'DtmfSent', ref);
        return OK;
      }
      case 'AttachUserData':
      case 'UpdateUserData': {
        const ud = obj(body.userData);
        if (ud === undefined) return missing('userData');
        mergeInto(c.userData, ud);
        this.emit(c, 'AttachedDataChanged', ref);
        return OK;
      }
      case 'DeleteUserDataPair': {
        const key = str(body.key);
        if (key === undefined) return missing('key');
        delete c.userData[key];
        this.emit(c, 'AttachedDataChanged', ref);
        return OK;
      }
      case 'DeleteUserData':
        c.userData = {};
        this.emit(c, 'AttachedDataChanged', ref);
        return OK;
      case 'StartCallRecording':
      case 'StopCallRecording':
        c.recordingState = op === 'StartCallRecording' ? 'Recording' : 'Stopped';
        this.emit(c, 'StatusChange', ref);
        return OK;
      case 'SingleStepTransfer':
      case 'SingleStepConference':
      case 'InitiateTransfer':
      case 'InitiateConference': {
        const dest = str(obj(body.destination)?.phoneNumber);
        if (dest === undefined) return missing('destination.phoneNumber');
        if (op === 'SingleStepTransfer') {
          const partner = c.partnerId !== undefined ? this.calls.get(c.partnerId) : undefined;
          this.setState(c, 'Released', ref);
          if (partner !== undefined) this.setState(partner, 'Released');
          return OK;
        }
        if (op === 'SingleStepConference') {
          c.participants.push(dest);
          this.emit(c, 'ParticipantsUpdated', ref);
          return OK;
        }
        return this.initiateConsult(c, dest, obj(body.userData) ?? {}, ref);
      }
      case 'CompleteTransfer':
      case 'CompleteConference':
      case 'SwapCalls':
        return this.completeOrSwap(c, op, ref);
      default:
        return invalid(`Unknown operation ${op}`);
    }
  }

  private initiateConsult(c: SimCall, dest: string, userData: Record<string, unknown>, ref: { referenceId?: unknown }): OpResult {
    const outcome = this.deps.dialOutcome(dest);
    if (outcome === 'invalid') {
      const error = { errorCode: INVALID_DN_ERROR.errorCode, errorMessage: `${INVALID_DN_ERROR.errorMessage} ${dest}` };
      setImmediate(safely(() => {
        if (this.calls.get(c.id) === c) this.emitError(c.owner, error, ref, c);
        else this.emitError(c.owner, error, ref);
      }));
      return OK;
    }
    if (c.state === 'Established') this.setState(c, 'Held', ref);
    const consult = this.newCall(c.owner, {
      state: 'Dialing',
      callType: 'Consult',
      direction: 'out',
      otherParty: dest,
      userData: { ...c.userData, ...userData },
      consultOfId: c.id,
      wrapUpTime: c.wrapUpTime,
    });
    c.consultId = consult.id;
    this.emit(consult, 'StatusChange', ref);
    const t = this.deps.timings();
    if (outcome === 'answer') {
      this.schedule(consult, t.consultAnswerMs, () => {
        this.setState(consult, 'Established');
        const orig = this.calls.get(c.id);
        if (orig !== undefined) this.emit(orig, 'StatusChange'); // now offers CompleteTransfer/Conference
      });
    } else {
      this.progress(consult, outcome, t.consultAnswerMs);
    }
    return OK;
  }

  private completeOrSwap(c: SimCall, op: string, ref: { referenceId?: unknown }): OpResult {
    const peer = this.peer(c);
    if (peer === undefined) return badState(op);
    const original = c.consultOfId !== undefined ? peer : c;
    const consult = c.consultOfId !== undefined ? c : peer;
    if (op === 'SwapCalls') {
      const [held, active] = c.state === 'Held' ? [c, peer] : [peer, c];
      this.setState(active, 'Held', ref);
      this.setState(held, 'Established', ref);
      return OK;
    }
    original.consultId = undefined;
    consult.consultOfId = undefined;
    if (op === 'CompleteTransfer') {
      this.setState(consult, 'Released', ref);
      this.setState(original, 'Released', ref);
      return OK;
    }
    // CompleteConference: the consult party joins the original call.
    this.setState(consult, 'Released', ref);
    original.participants.push(consult.otherParty);
    this.setState(original, 'Established', ref);
    this.emit(original, 'ParticipantsUpdated', ref);
    return OK;
  }
}

/** HTCC 8.5.0 participantsInfo entry of a participant number (dialect participants=strings). */
function participantInfo(p: string): Record<string, unknown> {
  const cc = COUNTRY_CODES.find(([prefix]) => p.startsWith(prefix));
  return {
    country: cc?.[1] ?? '',
    location: '',
    localPhoneNumber: cc !== undefined ? p.slice(cc[0].length) : p,
    E164digits: p.startsWith('+') ? digitsOf(p).replace(/^\+/, '') : '',
  };
}
