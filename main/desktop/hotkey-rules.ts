/**
 * What a global hotkey or a toast's button does in the current snapshot. Pure (a snapshot and the
 * time in, a decision out): either one session operation on the call or record the agent can see,
 * or a refusal with the reason in words, shown as a toast. The session's own guards still run
 * (dial once, capabilities, online): this only picks the target and says "no" early and clearly.
 */
import type { RecordRef } from '../agent/session-types';
import type { AgentSnapshot, CallSnapshot, OutboundRecordSnapshot } from '../agent/snapshot';
import { isAfterCallWork, liveCalls } from './agent-view';
import type { HotkeyAction } from './hotkeys';
import { callingHoursOf, customerLocalTime, outsideCallingHours } from './record-view';

export type DesktopCommand =
  | { op: 'answer' | 'hangup' | 'hold' | 'retrieve'; callId: string }
  | { op: 'dialPreviewRecord' | 'rejectRecord'; record: RecordRef }
  | { op: 'ready' }
  | { op: 'notReady' }
  | { op: 'show' };

export type DesktopDecision =
  | { kind: 'run'; command: DesktopCommand }
  /** `what`: the action in words, for a toast titled "Could not <what>". */
  | { kind: 'refuse'; what: string; reason: string };

/** The action in words, as a toast title completes it: "Could not dial the preview record". */
const WHAT: Record<HotkeyAction | 'dial' | 'reject', string> = {
  answerOrHangUp: 'answer or hang up',
  dialRecord: 'dial the preview record',
  rejectRecord: 'reject the preview record',
  readyNotReady: 'change your state',
  holdRetrieve: 'hold or retrieve the call',
  showWindow: 'show the window',
  dial: 'dial the record',
  reject: 'reject the record',
};

const refuse = (what: string, reason: string): DesktopDecision => ({ kind: 'refuse', what, reason });
const run = (command: DesktopCommand): DesktopDecision => ({ kind: 'run', command });

/** Why nothing can be sent now, or undefined when the state is the server's (connected). */
function offlineReason(snapshot: AgentSnapshot): string | undefined {
  switch (snapshot.connection.state) {
    case 'connected':
      return snapshot.device ? undefined : 'You are not signed in.';
    case 'reconnecting':
      return 'The softphone is offline (reconnecting to the server): nothing was sent.';
    case 'resyncing':
      return 'The softphone is checking your calls after a reconnect: nothing was sent. Try again in a moment.';
    case 'connecting':
      return 'The softphone is still signing in.';
    default:
      return 'You are not signed in.';
  }
}

const can = (call: CallSnapshot, operation: string) => call.capabilities.includes(operation);

function answerOrHangUp(snapshot: AgentSnapshot): DesktopDecision {
  const calls = liveCalls(snapshot);
  const ringing = calls.find((c) => c.state === 'Ringing' && can(c, 'Answer'));
  if (ringing) return run({ op: 'answer', callId: ringing.id });
  // The call the agent is talking on first, then one being dialled, then one on hold.
  for (const state of ['Established', 'Dialing', 'Held']) {
    const call = calls.find((c) => c.state === state && can(c, 'Hangup'));
    if (call) return run({ op: 'hangup', callId: call.id });
  }
  return refuse(WHAT.answerOrHangUp, calls.length ? 'The call allows neither Answer nor Hang up now.' : 'There is no call to answer or hang up.');
}

function holdRetrieve(snapshot: AgentSnapshot): DesktopDecision {
  const calls = liveCalls(snapshot);
  const talking = calls.find((c) => c.state === 'Established' && can(c, 'Hold'));
  if (talking) return run({ op: 'hold', callId: talking.id });
  const held = calls.find((c) => c.state === 'Held' && can(c, 'Retrieve'));
  if (held) return run({ op: 'retrieve', callId: held.id });
  return refuse(WHAT.holdRetrieve, calls.length ? 'The call can be neither held nor retrieved now.' : 'There is no call to hold or retrieve.');
}

function readyNotReady(snapshot: AgentSnapshot): DesktopDecision {
  const userState = snapshot.device?.userState;
  // Ready → Not Ready (no reason: the header and the tray offer the reasons); anything else → Ready.
  if (userState?.state === 'Ready' && !isAfterCallWork(snapshot)) return run({ op: 'notReady' });
  return run({ op: 'ready' });
}

/**
 * The record the agent can act on, if it is the one they saw (`shown`, from a toast) and it is
 * still offered; otherwise the reason. Without `shown` (a hotkey): the record in hand.
 */
function offeredRecord(snapshot: AgentSnapshot, what: string, shown?: RecordRef): OutboundRecordSnapshot | DesktopDecision {
  const preview = snapshot.previewRecord;
  const record = preview.record;
  const same = record !== undefined && (shown === undefined || String(record.recordHandle) === String(shown.recordHandle));
  if (!record || !same) {
    return refuse(what, shown ? 'That record is no longer in hand (it was dialled, rejected or taken back meanwhile).' : 'There is no preview record in hand.');
  }
  if (preview.phase === 'dialing' || Object.values(snapshot.pendingOperations).some((op) => op.operationName === 'Dial' && op.recordHandle === String(record.recordHandle))) {
    return refuse(what, 'The record is already being dialled.');
  }
  if (preview.phase !== 'offered') return refuse(what, shown ? 'That record is no longer waiting to be dialled (its call has started or it is being closed).' : 'The preview record is not waiting to be dialled.');
  return record;
}

function recordRef(record: OutboundRecordSnapshot): RecordRef {
  return { recordHandle: record.recordHandle };
}

function dial(snapshot: AgentSnapshot, what: string, now: number, shown?: RecordRef, locale?: string): DesktopDecision {
  const record = offeredRecord(snapshot, what, shown);
  if ('kind' in record) return record;
  const hours = callingHoursOf(snapshot);
  if (hours.outside !== 'off' && outsideCallingHours(record, now, hours)) {
    const at = customerLocalTime(record, now, locale);
    const window = `${hours.start}–${hours.end}`;
    return refuse(
      what,
      hours.outside === 'block'
        ? `It is ${at} for the customer, outside the calling hours (${window}): your IT policy blocks the dial.`
        : `It is ${at} for the customer, outside the calling hours (${window}): open the window to dial anyway or reschedule.`,
    );
  }
  return run({ op: 'dialPreviewRecord', record: recordRef(record) });
}

function reject(snapshot: AgentSnapshot, what: string, shown?: RecordRef): DesktopDecision {
  const record = offeredRecord(snapshot, what, shown);
  if ('kind' in record) return record;
  return run({ op: 'rejectRecord', record: recordRef(record) });
}

export interface DecisionContext {
  now: number;
  locale?: string;
}

/** What a global hotkey does now. Show the window always works; everything else needs the server. */
export function hotkeyDecision(action: HotkeyAction, snapshot: AgentSnapshot, context: DecisionContext): DesktopDecision {
  if (action === 'showWindow') return run({ op: 'show' });
  const offline = offlineReason(snapshot);
  if (offline) return refuse(WHAT[action], offline);
  switch (action) {
    case 'answerOrHangUp':
      return answerOrHangUp(snapshot);
    case 'holdRetrieve':
      return holdRetrieve(snapshot);
    case 'readyNotReady':
      return readyNotReady(snapshot);
    case 'dialRecord':
      return dial(snapshot, WHAT.dialRecord, context.now, undefined, context.locale);
    case 'rejectRecord':
      return reject(snapshot, WHAT.rejectRecord);
  }
}

/**
 * A Dial or Reject button of a preview toast, pressed on the record the toast showed: refused when
 * the state changed since (the record was dialled from the window, taken back, or the link is down).
 */
export function recordToastDecision(button: 'dial' | 'reject', shown: RecordRef, snapshot: AgentSnapshot, context: DecisionContext): DesktopDecision {
  const what = WHAT[button];
  const offline = offlineReason(snapshot);
  if (offline) return refuse(what, offline);
  return button === 'dial' ? dial(snapshot, what, context.now, shown, context.locale) : reject(snapshot, what, shown);
}
