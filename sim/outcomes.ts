// The outcome operations on a record (gws-api.md §6): their parameter checks, what each does to
// the record and its chain, and the acknowledgement each earns. Who may apply one, and the
// notifications, are the campaign engine's (outbound.ts).
import type { Chain, SimRecord } from './outbound-records';
import { closeChain } from './outbound-records';
import type { Body, OpResult } from './result';
import { badState, hasKey, invalid, mergeInto, missing, obj, str } from './result';
import { CALL_RESULTS, PHONE_TYPES } from './scenario';

/**
 * The record operations that are outcomes (applied at most once per hand-out), in one table: the
 * acknowledgement each earns (gws-api.md §6) and whether it names the record's callingList.
 */
const OUTCOMES = {
  CompleteRecord: { ack: 'RecordProcessedAcknowledge', callingList: true },
  RescheduleRecord: { ack: 'ScheduledRecordRescheduleAcknowledge', callingList: false },
  DoNotCallRecord: { ack: 'DoNotCallAcknowledge', callingList: false },
  UpdateRecord: { ack: 'UpdateCallCompletionStatsAcknowledge', callingList: false },
  RejectRecord: { ack: 'RecordRejectAcknowledge', callingList: true },
  CancelRecord: { ack: 'RecordCancelAcknowledge', callingList: true },
} as const satisfies Record<string, { ack: string; callingList: boolean }>;

export type OutcomeOperation = keyof typeof OUTCOMES;
export const OUTCOME_OPERATIONS = Object.keys(OUTCOMES) as [OutcomeOperation, ...OutcomeOperation[]];

export const isOutcome = (op: string): op is OutcomeOperation => Object.hasOwn(OUTCOMES, op);

/** The acknowledgement of an outcome operation. */
export const ackOf = (op: OutcomeOperation): string => OUTCOMES[op].ack;

/** [project rule] OCS-like error of an outcome on a record already processed: the simulator's choice of code. */
export const ALREADY_PROCESSED_ERROR = 110;

/** An outcome the campaign engine applied (control truth: proves 0 doubled, 0 lost). */
export interface OutcomeTruth {
  recordHandle: number;
  operationName: string;
  referenceId?: unknown;
  userName: string;
  /** Epoch ms. */
  at: number;
}

/** Fault (control dropAcks): the next `count` acknowledgements (of `operationName`, or any) are not published. */
export interface DropAckRule {
  count: number;
  operationName?: string;
}

/** Synchronous checks of an outcome's parameters (statusCode 1/10): they hold whatever the record's state. */
export function validateOutcome(op: string, r: SimRecord, body: Body): OpResult | undefined {
  if (isOutcome(op) && OUTCOMES[op].callingList) {
    const cl = body.callingList;
    if (cl === undefined || cl === null || cl === '') return missing('callingList');
    if (cl !== r.campaign.callingList) return invalid(`callingList ${String(cl)} does not hold record ${r.recordHandle}`);
  }
  switch (op) {
    case 'CompleteRecord': {
      const callResult = body.callResult ?? 'Unknown';
      if (typeof callResult !== 'string' || !hasKey(CALL_RESULTS, callResult)) return invalid(`Unknown callResult ${String(callResult)}`);
      if (body.phoneNumber !== undefined && typeof body.phoneNumber !== 'string') return invalid('phoneNumber must be a string');
      return undefined;
    }
    case 'UpdateRecord': {
      const tz = body.timeZone;
      const pt = body.phoneType;
      if (tz !== undefined && (typeof tz !== 'string' || !isZone(tz))) return invalid(`Unknown timeZone ${String(tz)}`);
      if (pt !== undefined && (typeof pt !== 'string' || !(PHONE_TYPES as readonly string[]).includes(pt))) return invalid(`Unknown phoneType ${String(pt)}`);
      if (body.otherFields !== undefined && obj(body.otherFields) === undefined) return invalid('otherFields must be an object');
      if (body.phoneNumber !== undefined && str(body.phoneNumber) === undefined) return invalid('phoneNumber must be a string');
      return undefined;
    }
    case 'DoNotCallRecord': {
      const attr = body.chainAttribute ?? 'AllChain';
      return attr !== 'AllChain' && attr !== 'RecordOnly' ? invalid('chainAttribute must be AllChain or RecordOnly') : undefined;
    }
    case 'RescheduleRecord': {
      const type = body.callbackType;
      const ts = body.timestamp;
      if (type === undefined || type === null || type === '') return missing('callbackType');
      if (ts === undefined || ts === null || ts === '') return missing('timestamp');
      if (type !== 'Personal' && type !== 'Campaign') return invalid('callbackType must be Personal or Campaign');
      const seconds = typeof ts === 'string' && /^\d+$/.test(ts) ? Number(ts) : ts;
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return invalid('timestamp must be epoch seconds');
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Where an outcome lands: the record held, its chain, and what letting go of the chain means. */
export interface OutcomeTarget {
  record: SimRecord;
  chain: Chain;
  userName: string;
  /** The agent lets go of the chain (its records count as processed by this agent). */
  release: () => void;
  /** The chain goes to the back of the queue. */
  moveToBack: () => void;
}

/**
 * Applies a validated outcome to the record and its chain; `badState` when the operation is not
 * allowed on this record (RejectRecord on a chained record that is not the one handed out).
 */
export function applyOutcome(op: OutcomeOperation, t: OutcomeTarget, body: Body): OpResult | undefined {
  const { record: r, chain } = t;
  const isPrimary = chain.primary === r;
  switch (op) {
    case 'RejectRecord':
      if (!isPrimary) return badState(op);
      t.release();
      t.moveToBack();
      return undefined;
    case 'CancelRecord':
      closeChain(chain, 'Cancelled');
      t.release();
      return undefined;
    case 'CompleteRecord':
      r.status = 'Completed';
      r.callResult = String(body.callResult ?? 'Unknown');
      r.attempts += 1;
      if (isPrimary) {
        closeChain(chain, 'Completed');
        t.release();
      }
      return undefined;
    case 'UpdateRecord': {
      const { timeZone: tz, phoneType: pt } = body;
      if (typeof tz === 'string') r.timeZone = tz;
      if (typeof pt === 'string') r.phoneType = pt;
      const phone = str(body.phoneNumber);
      if (phone !== undefined) r.phoneNumber = phone;
      if (body.from !== undefined) r.from = body.from;
      if (body.until !== undefined) r.until = body.until;
      for (const [k, v] of Object.entries(obj(body.otherFields) ?? {})) {
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') mergeInto(r.fields, { [k]: v });
      }
      return undefined;
    }
    case 'DoNotCallRecord':
      if ((body.chainAttribute ?? 'AllChain') === 'AllChain') {
        closeChain(chain, 'DoNotCall');
        t.release();
      } else {
        r.status = 'DoNotCall';
        if (isPrimary) t.release();
      }
      return undefined;
    case 'RescheduleRecord': {
      const ts = body.timestamp;
      const type = body.callbackType === 'Personal' ? 'Personal' : 'Campaign';
      r.status = 'Scheduled';
      r.scheduledAt = (typeof ts === 'string' ? Number(ts) : (ts as number)) * 1000;
      r.callbackType = type;
      r.scheduledFor = type === 'Personal' ? t.userName : undefined;
      t.release();
      return undefined;
    }
  }
}

function isZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
