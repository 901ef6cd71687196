/**
 * What a global hotkey or a toast's button does in the current snapshot. Pure (a snapshot and the
 * time in, a decision out): either one session operation on the call or record the agent can see,
 * or a refusal with the reason in words, shown as a toast. The session's own guards still run
 * (dial once, capabilities, online): this only picks the target and says "no" early and clearly,
 * in the agent's language (`DecisionContext.language`, English by default).
 */
import type { RecordRef } from '../agent/session-types';
import type { AgentSnapshot, CallSnapshot, OutboundRecordSnapshot } from '../agent/snapshot';
import { createTranslator, type Language, type Translator } from '../../preload/i18n';
import { formatLocale, isAfterCallWork, liveCalls } from './agent-view';
import type { HotkeyAction } from './hotkeys';
import { callingHoursOf, customerLocalTime, outsideCallingHours } from './record-view';

export type DesktopCommand =
  | { op: 'answer' | 'hangup' | 'hold' | 'retrieve'; callId: string }
  | { op: 'dialPreviewRecord' | 'rejectRecord'; record: RecordRef }
  | { op: 'ready' }
  | { op: 'notReady' }
  | { op: 'show' };

/**
 * An action that can be refused, named by its English words (an id, also what the log says): the
 * toast's title is one whole message per action in the agent's language (notification-rules.ts).
 */
export type RefusedAction =
  | 'answer or hang up'
  | 'dial the preview record'
  | 'reject the preview record'
  | 'change your state'
  | 'hold or retrieve the call'
  | 'show the window'
  | 'dial the record'
  | 'reject the record'
  | 'answer the call'
  | 'hang up'
  | 'hold the call'
  | 'retrieve the call'
  | 'go Ready'
  | 'go Not Ready';

export type DesktopDecision =
  | { kind: 'run'; command: DesktopCommand }
  /** `what`: the action refused (its toast is titled "Could not <what>"); `reason`: why, in the agent's language. */
  | { kind: 'refuse'; what: RefusedAction; reason: string };

/** The action of each hotkey and toast button, as a refusal names it. */
const WHAT: Record<HotkeyAction | 'dial' | 'reject', RefusedAction> = {
  answerOrHangUp: 'answer or hang up',
  dialRecord: 'dial the preview record',
  rejectRecord: 'reject the preview record',
  readyNotReady: 'change your state',
  holdRetrieve: 'hold or retrieve the call',
  showWindow: 'show the window',
  dial: 'dial the record',
  reject: 'reject the record',
};

const refuse = (what: RefusedAction, reason: string): DesktopDecision => ({ kind: 'refuse', what, reason });
const run = (command: DesktopCommand): DesktopDecision => ({ kind: 'run', command });

/** Why nothing can be sent now, or undefined when the state is the server's (connected). */
function offlineReason(snapshot: AgentSnapshot, { t }: Translator): string | undefined {
  switch (snapshot.connection.state) {
    case 'connected':
      return snapshot.device ? undefined : t('desktop.reason.notSignedIn');
    case 'reconnecting':
      return t('desktop.reason.reconnecting');
    case 'resyncing':
      return t('desktop.reason.checkingCalls');
    case 'connecting':
      return t('desktop.reason.signingIn');
    default:
      return t('desktop.reason.notSignedIn');
  }
}

const can = (call: CallSnapshot, operation: string) => call.capabilities.includes(operation);

function answerOrHangUp(snapshot: AgentSnapshot, { t }: Translator): DesktopDecision {
  const calls = liveCalls(snapshot);
  const ringing = calls.find((c) => c.state === 'Ringing' && can(c, 'Answer'));
  if (ringing) return run({ op: 'answer', callId: ringing.id });
  // The call the agent is talking on first, then one being dialled, then one on hold.
  for (const state of ['Established', 'Dialing', 'Held']) {
    const call = calls.find((c) => c.state === state && can(c, 'Hangup'));
    if (call) return run({ op: 'hangup', callId: call.id });
  }
  return refuse(WHAT.answerOrHangUp, t(calls.length ? 'desktop.reason.neitherAnswerNorHangUp' : 'desktop.reason.noCallToAnswer'));
}

function holdRetrieve(snapshot: AgentSnapshot, { t }: Translator): DesktopDecision {
  const calls = liveCalls(snapshot);
  const talking = calls.find((c) => c.state === 'Established' && can(c, 'Hold'));
  if (talking) return run({ op: 'hold', callId: talking.id });
  const held = calls.find((c) => c.state === 'Held' && can(c, 'Retrieve'));
  if (held) return run({ op: 'retrieve', callId: held.id });
  return refuse(WHAT.holdRetrieve, t(calls.length ? 'desktop.reason.neitherHoldNorRetrieve' : 'desktop.reason.noCallToHold'));
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
function offeredRecord(snapshot: AgentSnapshot, what: RefusedAction, { t }: Translator, shown?: RecordRef): OutboundRecordSnapshot | DesktopDecision {
  const preview = snapshot.previewRecord;
  const record = preview.record;
  const same = record !== undefined && (shown === undefined || String(record.recordHandle) === String(shown.recordHandle));
  if (!record || !same) {
    return refuse(what, t(shown ? 'desktop.reason.recordGone' : 'desktop.reason.noRecord'));
  }
  if (preview.phase === 'dialing' || Object.values(snapshot.pendingOperations).some((op) => op.operationName === 'Dial' && op.recordHandle === String(record.recordHandle))) {
    return refuse(what, t('desktop.reason.alreadyDialling'));
  }
  if (preview.phase !== 'offered') return refuse(what, t(shown ? 'desktop.reason.recordNoLongerWaiting' : 'desktop.reason.recordNotWaiting'));
  return record;
}

function recordRef(record: OutboundRecordSnapshot): RecordRef {
  return { recordHandle: record.recordHandle };
}

function dial(snapshot: AgentSnapshot, what: RefusedAction, now: number, tr: Translator, shown?: RecordRef, locale?: string): DesktopDecision {
  const record = offeredRecord(snapshot, what, tr, shown);
  if ('kind' in record) return record;
  const hours = callingHoursOf(snapshot);
  if (hours.outside !== 'off' && outsideCallingHours(record, now, hours)) {
    const values = { time: customerLocalTime(record, now, formatLocale(tr.language, locale)), start: hours.start, end: hours.end };
    return refuse(what, tr.t(hours.outside === 'block' ? 'desktop.reason.outsideHoursBlocked' : 'desktop.reason.outsideHoursWarn', values));
  }
  return run({ op: 'dialPreviewRecord', record: recordRef(record) });
}

function reject(snapshot: AgentSnapshot, what: RefusedAction, tr: Translator, shown?: RecordRef): DesktopDecision {
  const record = offeredRecord(snapshot, what, tr, shown);
  if ('kind' in record) return record;
  return run({ op: 'rejectRecord', record: recordRef(record) });
}

export interface DecisionContext {
  now: number;
  /** The agent's regional locale for times, used when it is one of `language`. */
  locale?: string;
  /** The language refusals are worded in; English without it. */
  language?: Language;
}

/** What a global hotkey does now. Show the window always works; everything else needs the server. */
export function hotkeyDecision(action: HotkeyAction, snapshot: AgentSnapshot, context: DecisionContext): DesktopDecision {
  if (action === 'showWindow') return run({ op: 'show' });
  const tr = createTranslator(context.language ?? 'en');
  const offline = offlineReason(snapshot, tr);
  if (offline) return refuse(WHAT[action], offline);
  switch (action) {
    case 'answerOrHangUp':
      return answerOrHangUp(snapshot, tr);
    case 'holdRetrieve':
      return holdRetrieve(snapshot, tr);
    case 'readyNotReady':
      return readyNotReady(snapshot);
    case 'dialRecord':
      return dial(snapshot, WHAT.dialRecord, context.now, tr, undefined, context.locale);
    case 'rejectRecord':
      return reject(snapshot, WHAT.rejectRecord, tr);
  }
}

/**
 * A Dial or Reject button of a preview toast, pressed on the record the toast showed: refused when
 * the state changed since (the record was dialled from the window, taken back, or the link is down).
 */
export function recordToastDecision(button: 'dial' | 'reject', shown: RecordRef, snapshot: AgentSnapshot, context: DecisionContext): DesktopDecision {
  const what = WHAT[button];
  const tr = createTranslator(context.language ?? 'en');
  const offline = offlineReason(snapshot, tr);
  if (offline) return refuse(what, offline);
  return button === 'dial' ? dial(snapshot, what, context.now, tr, shown, context.locale) : reject(snapshot, what, tr, shown);
}
