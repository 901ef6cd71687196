// The calls' state machine: the live and lately released calls, their state transitions and
// timers (how a dialled call progresses by outcome), and the CallStateChangeMessage each
// transition publishes (shaped like the seed's Dialing sample). What agents ask of a call is the
// switch's (telephony.ts).
import type { Agent } from './agents';
import type { CallState, SimCall } from './call-resource';
import { callCapabilities, callResource } from './call-resource';
import type { Dialect } from './dialect';
import { newCallId, newConnId } from './ids';
import { safely } from './result';
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

/** Released-by-outcome calls carry the OCS call result in userData.GSW_CALL_RESULT (a number). */
const OUTCOME_RESULT: Partial<Record<CallOutcome, number>> = {
  busy: CALL_RESULTS.Busy,
  noAnswer: CALL_RESULTS.NoAnswer,
  answeringMachine: CALL_RESULTS.AnsweringMachine,
};

/** How many released calls SetCallDisposition can still find. */
const RELEASED_KEPT = 200;

export interface CallMachineDeps {
  baseUrl: () => string;
  timings: () => SimTimings;
  notify: (userName: string, channel: string, data: Record<string, unknown>) => void;
  dialect: () => Readonly<Dialect>;
}

export type Ref = { referenceId?: unknown };

export class CallMachine {
  readonly calls = new Map<string, SimCall>();
  /** Released calls by callUuid, kept briefly so SetCallDisposition still finds them. */
  private readonly released = new Map<string, SimCall>();

  constructor(private readonly deps: CallMachineDeps) {}

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

  /** The live other leg of an internal call between two simulated agents. */
  partner(c: SimCall): SimCall | undefined {
    return c.partnerId !== undefined ? this.calls.get(c.partnerId) : undefined;
  }

  /** Its live consult call, or the live original it consults from. */
  peer(c: SimCall): SimCall | undefined {
    const id = c.consultId ?? c.consultOfId;
    return id === undefined ? undefined : this.calls.get(id);
  }

  capabilities(c: SimCall): string[] {
    return callCapabilities(c, this.peer(c));
  }

  /** The GWS call resource (see callResource; `read`: for GET /me/calls[/{id}]). */
  resource(c: SimCall, read = false): Record<string, unknown> {
    return callResource(c, { baseUrl: this.deps.baseUrl(), dialect: this.deps.dialect(), capabilities: this.capabilities(c) }, read);
  }

  /** The referenceId a call notification echoes: none unless the referenceIdEcho dialect is `all`. */
  private echo(ref: Ref): Ref {
    return this.deps.dialect().referenceIdEcho === 'all' ? ref : {};
  }

  emit(c: SimCall, notificationType: string, ref: Ref = {}): void {
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
  emitError(agent: Agent, error: { errorCode: number; errorMessage: string }, ref: Ref, c?: SimCall): void {
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

  setState(c: SimCall, state: CallState, ref: Ref = {}): void {
    c.state = state;
    if (state === 'Established' && c.establishedAt === undefined) c.establishedAt = Date.now();
    if (state === 'Released') {
      clearTimeout(c.timer);
      c.timer = undefined;
      this.calls.delete(c.id);
      this.released.delete(c.id);
      this.released.set(c.id, c);
      if (this.released.size > RELEASED_KEPT) {
        const first = this.released.keys().next().value;
        if (first !== undefined) this.released.delete(first);
      }
    }
    this.emit(c, 'StatusChange', ref);
  }

  /** Runs `fn` after `ms` unless the call is gone by then; replaces the call's pending timer. */
  schedule(c: SimCall, ms: number, fn: () => void): void {
    clearTimeout(c.timer);
    c.timer = setTimeout(
      safely(() => {
        c.timer = undefined;
        if (this.calls.get(c.id) === c) fn();
      }),
      Math.max(0, ms),
    );
  }

  newCall(owner: Agent, init: Partial<SimCall> & Pick<SimCall, 'state' | 'callType' | 'direction' | 'otherParty'>): SimCall {
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

  /** Established; the far end hangs up `remoteReleaseMs` later when set (not on agent-to-agent calls). */
  establish(c: SimCall): void {
    this.setState(c, 'Established');
    const release = this.deps.timings().remoteReleaseMs;
    if (release !== undefined && c.partnerId === undefined) this.schedule(c, release, () => this.releaseRemote(c));
  }

  /** Progress of a call we placed to the outside world, by outcome. */
  progress(c: SimCall, outcome: CallOutcome, answerMs: number): void {
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

  /** The far end hung up. */
  releaseRemote(c: SimCall): void {
    const peer = this.peer(c);
    this.setState(c, 'Released');
    if (peer !== undefined) this.emit(peer, 'StatusChange'); // its capabilities changed
  }

  /** Every call gone, no notification (reset and close). */
  clear(): void {
    for (const c of this.calls.values()) clearTimeout(c.timer);
    this.calls.clear();
    this.released.clear();
  }
}
