/**
 * Error envelopes in words (issue 12 #9): what happened, then what to do. The server's or main's
 * own sentence ("POST /api/v2/…: server error HTTP 503", "socket hang up") is technical detail:
 * the UI puts it behind a "Details" disclosure, and main has logged it.
 *
 * In the language of the `Translator` given (issue 13): the renderer passes `tr()` from
 * state/i18n.svelte (read in a `$derived`, the words follow a change of language); without one,
 * English (Node tests, logs).
 */
import type { ContractError, ErrorCode } from './types';
import { DTMF_RULE, PHONE_NUMBER_RULE } from '../../preload/number-rules';
// The DOM-free translator (not state/i18n.svelte): Node tests read these words too.
import { createTranslator, type MessageKey, type Translator } from '../../preload/i18n';

type Code = ErrorCode | 'FORBIDDEN' | 'CSRF' | 'MALFORMED_REPLY' | 'GONE';

/** Every code this module has words for (a code added to the contract fails the type check here). */
const CODES: Record<Code, true> = {
  SESSION_EXPIRED: true,
  NOT_ALLOWED_IN_STATE: true,
  OFFLINE: true,
  VALIDATION: true,
  SERVER: true,
  AUTH_FAILED: true,
  PASSWORD_CHANGE_REQUIRED: true,
  UNREACHABLE: true,
  CERT_UNTRUSTED: true,
  TIMEOUT: true,
  INTERNAL: true,
  FORBIDDEN: true,
  CSRF: true,
  MALFORMED_REPLY: true,
  GONE: true,
};

const ENGLISH = createTranslator('en');

/**
 * Commands and GWS operation names, as the action that failed: one whole message each
 * ("Could not place the call"), never "Could not" glued to a verb.
 */
const ACTIONS: Record<string, MessageKey> = {
  signIn: 'app.error.action.signIn',
  signOut: 'app.error.action.signOut',
  ready: 'app.error.action.ready',
  notReady: 'app.error.action.notReady',
  afterCallWork: 'app.error.action.afterCallWork',
  Ready: 'app.error.action.ready',
  NotReady: 'app.error.action.notReady',
  AfterCallWork: 'app.error.action.afterCallWork',
  dial: 'app.error.action.dial',
  Dial: 'app.error.action.dial',
  MakeCall: 'app.error.action.dial',
  dialPreviewRecord: 'app.error.action.dialRecord',
  answer: 'app.error.action.answer',
  Answer: 'app.error.action.answer',
  hangup: 'app.error.action.hangup',
  Hangup: 'app.error.action.hangup',
  hold: 'app.error.action.hold',
  Hold: 'app.error.action.hold',
  retrieve: 'app.error.action.retrieve',
  Retrieve: 'app.error.action.retrieve',
  sendDtmf: 'app.error.action.sendDtmf',
  SendDtmf: 'app.error.action.sendDtmf',
  initiateTransfer: 'app.error.action.initiateTransfer',
  InitiateTransfer: 'app.error.action.initiateTransfer',
  completeTransfer: 'app.error.action.completeTransfer',
  CompleteTransfer: 'app.error.action.completeTransfer',
  singleStepTransfer: 'app.error.action.singleStepTransfer',
  SingleStepTransfer: 'app.error.action.singleStepTransfer',
  initiateConference: 'app.error.action.initiateConference',
  InitiateConference: 'app.error.action.initiateConference',
  completeConference: 'app.error.action.completeConference',
  CompleteConference: 'app.error.action.completeConference',
  swapCalls: 'app.error.action.swapCalls',
  SwapCalls: 'app.error.action.swapCalls',
  singleStepConference: 'app.error.action.singleStepConference',
  SingleStepConference: 'app.error.action.singleStepConference',
  startCallRecording: 'app.error.action.startRecording',
  StartCallRecording: 'app.error.action.startRecording',
  stopCallRecording: 'app.error.action.stopRecording',
  StopCallRecording: 'app.error.action.stopRecording',
  setCallDisposition: 'app.error.action.setDisposition',
  SetCallDisposition: 'app.error.action.setDisposition',
  setDoNotDisturb: 'app.error.action.setDoNotDisturb',
  DoNotDisturbOn: 'app.error.action.doNotDisturbOn',
  DoNotDisturbOff: 'app.error.action.doNotDisturbOff',
  setReadyAfterWrapUp: 'app.error.action.setReadyAfterWrapUp',
  attachUserData: 'app.error.action.attachUserData',
  startPreviewSession: 'app.error.action.startSession',
  StartPreviewSession: 'app.error.action.startSession',
  endPreviewSession: 'app.error.action.endSession',
  EndPreviewSession: 'app.error.action.endSession',
  getPreviewRecord: 'app.error.action.getRecord',
  GetPreviewRecord: 'app.error.action.getRecord',
  rejectRecord: 'app.error.action.rejectRecord',
  RejectRecord: 'app.error.action.rejectRecord',
  cancelRecord: 'app.error.action.cancelRecord',
  CancelRecord: 'app.error.action.cancelRecord',
  doNotCallRecord: 'app.error.action.doNotCallRecord',
  DoNotCallRecord: 'app.error.action.doNotCallRecord',
  rescheduleRecord: 'app.error.action.rescheduleRecord',
  RescheduleRecord: 'app.error.action.rescheduleRecord',
  updateRecord: 'app.error.action.updateRecord',
  UpdateRecord: 'app.error.action.updateRecord',
  completeRecord: 'app.error.action.completeRecord',
  CompleteRecord: 'app.error.action.completeRecord',
  getChainedRecords: 'app.error.action.getChainedRecords',
  GetChainedRecords: 'app.error.action.getChainedRecords',
  cancelAutoDial: 'app.error.action.cancelAutoDial',
};

/** Contract argument names as the forms label them. */
const FIELD_LABELS: Record<string, MessageKey> = {
  serverUrl: 'app.field.serverUrl',
  username: 'app.field.username',
  password: 'app.field.password',
  place: 'app.field.place',
  phoneNumber: 'app.field.phoneNumber',
  digits: 'app.field.digits',
  at: 'app.field.at',
  callResult: 'app.field.callResult',
  note: 'app.field.note',
};

/**
 * The contract's own problem sentences (preload/contract.ts, preload/number-rules.ts), each as a
 * whole message with the field; any other problem is shown as the contract wrote it.
 */
const ISSUE_MESSAGES: Record<string, MessageKey> = {
  'must not be empty': 'app.error.issue.empty',
  'is too long': 'app.error.issue.tooLong',
  'must be an http:// or https:// URL': 'app.error.issue.url',
  [PHONE_NUMBER_RULE]: 'app.error.issue.phoneNumber',
  [DTMF_RULE]: 'app.error.issue.dtmf',
  'must be a record handle': 'app.error.issue.recordHandle',
  'must be an OCS call result name': 'app.error.issue.callResult',
};

function issueText(issue: { path: string; message: string }, { t }: Translator): string {
  const labelKey = Object.hasOwn(FIELD_LABELS, issue.path) ? FIELD_LABELS[issue.path] : undefined;
  const field = labelKey ? t(labelKey) : issue.path;
  const known = Object.hasOwn(ISSUE_MESSAGES, issue.message) ? ISSUE_MESSAGES[issue.message] : undefined;
  return known ? t(known, { field }) : t('app.error.issue.other', { field, problem: issue.message });
}

/** Server sentences that have a plainer reading (`app.error.known.<id>.*`), and what to do about them. */
const KNOWN_MESSAGES: { pattern: RegExp; id: 'invalidNumber' | 'busy' | 'overloaded' | 'connectionBroke'; advice: MessageKey }[] = [
  { pattern: /invalid (destination|number|phone|called)|unknown (number|dn)/i, id: 'invalidNumber', advice: 'app.error.known.invalidNumber.advice' },
  { pattern: /\bbusy\b/i, id: 'busy', advice: 'app.error.known.busy.advice' },
  { pattern: /HTTP 50[234]|service unavailable|bad gateway/i, id: 'overloaded', advice: 'app.error.advice.SERVER' },
  { pattern: /socket hang up|ECONNRESET|ECONNREFUSED|network/i, id: 'connectionBroke', advice: 'app.error.known.connectionBroke.advice' },
];

export interface ErrorText {
  /** What happened, in words. */
  title: string;
  /** What to do about it. */
  advice: string;
  /** The technical sentence (server or main), for the "Details" disclosure; empty when it adds nothing. */
  detail: string;
}

/** What `describeError` needs: an envelope's error or the snapshot's `lastError`. */
export interface DescribableError {
  code: string;
  message: string;
  issues?: ContractError['issues'];
  operationName?: string;
}

/**
 * `action` is the command (or GWS operation) that failed, if known; the error's own
 * `operationName` is used otherwise. `translator`: the agent's language (`tr()`), else English.
 */
export function describeError(error: DescribableError, action?: string, translator: Translator = ENGLISH): ErrorText {
  const { t } = translator;
  const code: Code = Object.hasOwn(CODES, error.code) ? (error.code as Code) : 'INTERNAL';
  const doing = actionKey(action) ?? actionKey(error.operationName);
  const message = error.message?.trim() ?? '';
  const known = KNOWN_MESSAGES.find((k) => k.pattern.test(message));
  let title = doing && code !== 'GONE' && code !== 'SESSION_EXPIRED' ? t(doing) : t(`app.error.title.${code}`);
  let advice = t(`app.error.advice.${code}`);
  let detail = message;
  if (code === 'VALIDATION' && error.issues?.length) {
    // The form's own words: shown, not hidden.
    advice = t('app.error.issues', { issues: error.issues.map((issue) => issueText(issue, translator)).join('; ') });
    detail = '';
  } else if (code === 'GONE' && message) {
    // The core writes these for the agent (“That call is no longer known to the server…”).
    advice = message;
    detail = '';
  } else if (known && (code === 'SERVER' || code === 'OFFLINE' || code === 'INTERNAL')) {
    title = doing ? t('app.error.withReason', { title, reason: t(`app.error.known.${known.id}.inline`) }) : t(`app.error.known.${known.id}.title`);
    advice = t(known.advice);
  }
  if (detail === title || detail.replace(/\.$/, '') === title.replace(/\.$/, '')) detail = '';
  return { title, advice, detail };
}

/** One sentence (no detail): for places that show a single line. */
export function errorSentence(error: DescribableError, action?: string, translator: Translator = ENGLISH): string {
  const { title, advice } = describeError(error, action, translator);
  return translator.t('app.error.sentence', { title, advice });
}

function actionKey(name: string | undefined): MessageKey | undefined {
  return name !== undefined && Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
}
