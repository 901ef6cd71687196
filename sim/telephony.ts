// The switch: what agents and the far ends ask of calls (dial, answer, hold, transfer,
// conference, user data, dispositions), checked against each call's capabilities. The state
// machine they drive, and the notifications, are call-machine.ts's; the call's wire shape is
// call-resource.ts's.
import type { Agent } from './agents';
import type { Ref, SimTimings } from './call-machine';
import { CallMachine } from './call-machine';
import type { SimCall } from './call-resource';
import { TRANSFER_OPS, USER_DATA_OPS, digitsOf } from './call-resource';
import type { Dialect } from './dialect';
import type { Body, OpResult } from './result';
import { OK, badState, invalid, mergeInto, missing, notFound, obj, refOf, safely, str } from './result';
import type { CallOutcome } from './scenario';

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

const invalidDn = (destination: string): { errorCode: number; errorMessage: string } => ({
  errorCode: INVALID_DN_ERROR.errorCode,
  errorMessage: `${INVALID_DN_ERROR.errorMessage} ${destination}`,
});

export interface DialRequest {
  destination: string;
  userData?: Record<string, unknown>;
  referenceId?: unknown;
  outcome?: CallOutcome;
  wrapUpTime?: number;
}

export class Switch {
  private readonly m: CallMachine;
  /** Every SetCallDisposition applied (control truth). */
  dispositions: DispositionTruth[] = [];

  constructor(private readonly deps: SwitchDeps) {
    this.m = new CallMachine(deps);
  }

  callsOf(agent: Agent): SimCall[] {
    return this.m.callsOf(agent);
  }

  find(agent: Agent, key: string): SimCall | undefined {
    return this.m.find(agent, key);
  }

  resource(c: SimCall, read = false): Record<string, unknown> {
    return this.m.resource(c, read);
  }

  /** Every call gone and the dispositions forgotten, no notification: used by reset and close. */
  clear(): void {
    this.m.clear();
    this.dispositions = [];
  }

  private agentByDn(dn: string): Agent | undefined {
    return this.deps.agents().find((a) => a.dn === dn);
  }

  dial(agent: Agent, req: DialRequest): OpResult {
    const ref = req.referenceId !== undefined ? { referenceId: req.referenceId } : {};
    const outcome = req.outcome ?? this.deps.dialOutcome(req.destination);
    if (outcome === 'invalid') {
      setImmediate(safely(() => this.m.emitError(agent, invalidDn(req.destination), ref)));
      return OK;
    }
    const callee = this.agentByDn(req.destination);
    const internal = callee !== undefined || digitsOf(req.destination).length <= 5;
    const c = this.m.newCall(agent, {
      state: 'Dialing',
      callType: internal ? 'Internal' : 'Outbound',
      direction: 'out',
      otherParty: req.destination,
      userData: { ...(req.userData ?? {}) },
      wrapUpTime: req.wrapUpTime ?? 0,
    });
    this.m.emit(c, 'StatusChange', ref);
    if (callee !== undefined && callee !== agent) {
      if (callee.doNotDisturb === 'On') {
        this.m.progress(c, 'busy', 0);
        return OK;
      }
      const leg = this.m.newCall(callee, {
        state: 'Ringing',
        callType: 'Internal',
        direction: 'in',
        otherParty: agent.dn,
        connId: c.connId,
        userData: { ...c.userData },
        partnerId: c.id,
      });
      c.partnerId = leg.id;
      this.m.emit(leg, 'StatusChange');
      return OK;
    }
    this.m.progress(c, outcome, this.deps.timings().answerMs);
    return OK;
  }

  inbound(agent: Agent, from: string, userData: Record<string, unknown> = {}): SimCall {
    const c = this.m.newCall(agent, { state: 'Ringing', callType: 'Inbound', direction: 'in', otherParty: from, userData: { ...userData } });
    this.m.emit(c, 'StatusChange');
    return c;
  }

  remoteHangup(callId: string): boolean {
    const c = this.m.calls.get(callId);
    if (c === undefined) return false;
    const partner = this.m.partner(c);
    this.m.releaseRemote(c);
    if (partner !== undefined) this.m.releaseRemote(partner);
    return true;
  }

  remoteAnswer(callId: string): boolean {
    const c = this.m.calls.get(callId);
    if (c === undefined || c.state !== 'Dialing') return false;
    const partner = this.m.partner(c);
    if (partner !== undefined && partner.state === 'Ringing') {
      this.m.setState(partner, 'Established');
      this.m.setState(c, 'Established');
    } else {
      clearTimeout(c.timer);
      this.m.establish(c);
    }
    return true;
  }

  /**
   * SetCallDisposition (gws-api.md §4): on a live call the disposition lands in its user data with
   * AttachedDataChanged; on a call released lately, in its user data without any notification.
   */
  private setDisposition(agent: Agent, callKey: string, body: Body): OpResult {
    const live = this.m.find(agent, callKey);
    const c = live ?? this.m.findReleased(agent, callKey);
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
    if (live !== undefined) this.m.emit(c, 'AttachedDataChanged', refOf(body));
    return OK;
  }

  /** Every call operation of gws-api.md §4, posted to /api/v2/me/calls/{callId} (id, callUuid or connId). */
  operate(agent: Agent, callId: string, op: string, body: Body): OpResult {
    const known = [
      'Answer', 'Hangup', 'Hold', 'Retrieve', 'SendDtmf', ...TRANSFER_OPS, 'CompleteTransfer', 'CompleteConference',
      'SwapCalls', ...USER_DATA_OPS, 'StartCallRecording', 'StopCallRecording', 'SetCallDisposition',
    ];
    if (op === 'SetCallDisposition') return this.setDisposition(agent, callId, body);
    const c = this.m.find(agent, callId);
    if (c === undefined) return notFound(`Call ${callId}`);
    if (!known.includes(op)) return invalid(`Unknown operation ${op}`);
    if (!this.m.capabilities(c).includes(op)) return badState(op);
    const ref = refOf(body);

    switch (op) {
      case 'Answer': {
        const partner = this.m.partner(c);
        this.m.setState(c, 'Established', ref);
        if (partner !== undefined && partner.state === 'Dialing') this.m.setState(partner, 'Established');
        return OK;
      }
      case 'Hangup': {
        const partner = this.m.partner(c);
        const peer = this.m.peer(c);
        this.m.setState(c, 'Released', ref);
        if (partner !== undefined) this.m.setState(partner, 'Released');
        if (peer !== undefined) this.m.emit(peer, 'StatusChange');
        return OK;
      }
      case 'Hold':
        this.m.setState(c, 'Held', ref);
        if (this.m.peer(c) !== undefined) this.m.emit(this.m.peer(c) as SimCall, 'StatusChange');
        return OK;
      case 'Retrieve':
        this.m.setState(c, 'Established', ref);
        return OK;
      case 'SendDtmf': {
        // gws-api.md §4: `digits` (0-9; * and # by project rule; A-D accepted too). No `dtmfDigits`.
        const digits = body.digits;
        if (digits === undefined || digits === null || digits === '') return missing('digits');
        if (typeof digits !== 'string' || !/^[0-9*#A-Da-d]+$/.test(digits)) return invalid('digits must be 0-9, *, # or A-D');
        c.dtmf += digits;
        this.m.emit(c, 'DtmfSent', ref);
        return OK;
      }
      case 'AttachUserData':
      case 'UpdateUserData': {
        const ud = obj(body.userData);
        if (ud === undefined) return missing('userData');
        mergeInto(c.userData, ud);
        this.m.emit(c, 'AttachedDataChanged', ref);
        return OK;
      }
      case 'DeleteUserDataPair': {
        const key = str(body.key);
        if (key === undefined) return missing('key');
        delete c.userData[key];
        this.m.emit(c, 'AttachedDataChanged', ref);
        return OK;
      }
      case 'DeleteUserData':
        c.userData = {};
        this.m.emit(c, 'AttachedDataChanged', ref);
        return OK;
      case 'StartCallRecording':
      case 'StopCallRecording':
        c.recordingState = op === 'StartCallRecording' ? 'Recording' : 'Stopped';
        this.m.emit(c, 'StatusChange', ref);
        return OK;
      case 'SingleStepTransfer':
      case 'SingleStepConference':
      case 'InitiateTransfer':
      case 'InitiateConference': {
        const dest = str(obj(body.destination)?.phoneNumber);
        if (dest === undefined) return missing('destination.phoneNumber');
        if (op === 'SingleStepTransfer') {
          const partner = this.m.partner(c);
          this.m.setState(c, 'Released', ref);
          if (partner !== undefined) this.m.setState(partner, 'Released');
          return OK;
        }
        if (op === 'SingleStepConference') {
          c.participants.push(dest);
          this.m.emit(c, 'ParticipantsUpdated', ref);
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

  private initiateConsult(c: SimCall, dest: string, userData: Record<string, unknown>, ref: Ref): OpResult {
    const outcome = this.deps.dialOutcome(dest);
    if (outcome === 'invalid') {
      const error = invalidDn(dest);
      setImmediate(safely(() => {
        if (this.m.calls.get(c.id) === c) this.m.emitError(c.owner, error, ref, c);
        else this.m.emitError(c.owner, error, ref);
      }));
      return OK;
    }
    if (c.state === 'Established') this.m.setState(c, 'Held', ref);
    const consult = this.m.newCall(c.owner, {
      state: 'Dialing',
      callType: 'Consult',
      direction: 'out',
      otherParty: dest,
      userData: { ...c.userData, ...userData },
      consultOfId: c.id,
      wrapUpTime: c.wrapUpTime,
    });
    c.consultId = consult.id;
    this.m.emit(consult, 'StatusChange', ref);
    const t = this.deps.timings();
    if (outcome === 'answer') {
      this.m.schedule(consult, t.consultAnswerMs, () => {
        this.m.setState(consult, 'Established');
        const orig = this.m.calls.get(c.id);
        if (orig !== undefined) this.m.emit(orig, 'StatusChange'); // now offers CompleteTransfer/Conference
      });
    } else {
      this.m.progress(consult, outcome, t.consultAnswerMs);
    }
    return OK;
  }

  private completeOrSwap(c: SimCall, op: string, ref: Ref): OpResult {
    const peer = this.m.peer(c);
    if (peer === undefined) return badState(op);
    const original = c.consultOfId !== undefined ? peer : c;
    const consult = c.consultOfId !== undefined ? c : peer;
    if (op === 'SwapCalls') {
      const [held, active] = c.state === 'Held' ? [c, peer] : [peer, c];
      this.m.setState(active, 'Held', ref);
      this.m.setState(held, 'Established', ref);
      return OK;
    }
    original.consultId = undefined;
    consult.consultOfId = undefined;
    if (op === 'CompleteTransfer') {
      this.m.setState(consult, 'Released', ref);
      this.m.setState(original, 'Released', ref);
      return OK;
    }
    // CompleteConference: the consult party joins the original call.
    this.m.setState(consult, 'Released', ref);
    original.participants.push(consult.otherParty);
    this.m.setState(original, 'Established', ref);
    this.m.emit(original, 'ParticipantsUpdated', ref);
    return OK;
  }
}
