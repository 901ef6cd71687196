/**
 * Error envelopes in words (issue 12 #9): what happened, then what to do. The server's or main's
 * own sentence ("POST /api/v2/…: server error HTTP 503", "socket hang up") is technical detail:
 * the UI puts it behind a "Details" disclosure, and main has logged it.
 */
import type { ContractError, ErrorCode } from './types';

type Code = ErrorCode | 'FORBIDDEN' | 'CSRF' | 'MALFORMED_REPLY' | 'GONE';

/** What happened, when the action is not known (sign-in, a server notice). */
const TITLES: Record<Code, string> = {
  SESSION_EXPIRED: 'Your session expired',
  NOT_ALLOWED_IN_STATE: 'Not possible right now',
  OFFLINE: 'The server cannot be reached right now',
  VALIDATION: 'Please check the input',
  SERVER: 'The server refused the request',
  AUTH_FAILED: 'Wrong username or password',
  PASSWORD_CHANGE_REQUIRED: 'Your password must be changed before you can sign in',
  UNREACHABLE: 'Server not reachable',
  CERT_UNTRUSTED: 'Certificate not trusted',
  TIMEOUT: 'The server did not answer in time',
  INTERNAL: 'Something went wrong in the softphone',
  FORBIDDEN: 'You do not have permission for this',
  CSRF: 'The server refused the request (security check)',
  MALFORMED_REPLY: 'The server sent a reply the softphone does not understand',
  GONE: 'No longer known to the server',
};

/** What to do. */
const ADVICE: Record<Code, string> = {
  SESSION_EXPIRED: 'Sign in again.',
  NOT_ALLOWED_IN_STATE: 'Wait until the call or record allows it, then try again.',
  OFFLINE: 'Check your network. The softphone keeps reconnecting; try again when it says Connected.',
  VALIDATION: 'Correct the highlighted value and try again.',
  SERVER: 'Try again in a moment. If it keeps happening, tell your supervisor.',
  AUTH_FAILED: 'Check your username and password, then sign in again.',
  PASSWORD_CHANGE_REQUIRED: 'Change it in your company’s password tool, then sign in again.',
  UNREACHABLE: 'Check the server URL and your network, then try again.',
  CERT_UNTRUSTED: 'Check the server URL. If it is right, ask IT to install the server’s certificate.',
  TIMEOUT: 'Check whether it happened before trying again.',
  INTERNAL: 'Try again. If it keeps happening, restart the softphone and tell IT.',
  FORBIDDEN: 'Ask your supervisor for access.',
  CSRF: 'Try again. If it keeps happening, sign out and sign in again.',
  MALFORMED_REPLY: 'Try again. If it keeps happening, tell IT.',
  GONE: 'Nothing to do: it was removed from the screen.',
};

/** Commands and GWS operation names, as the action that failed: "Could not <action>". */
const ACTIONS: Record<string, string> = {
  signIn: 'sign in',
  signOut: 'sign out',
  ready: 'change your state to Ready',
  notReady: 'change your state to Not Ready',
  afterCallWork: 'change your state to After Call Work',
  Ready: 'change your state to Ready',
  NotReady: 'change your state to Not Ready',
  AfterCallWork: 'change your state to After Call Work',
  dial: 'place the call',
  Dial: 'place the call',
  MakeCall: 'place the call',
  dialPreviewRecord: 'dial the record',
  answer: 'answer the call',
  Answer: 'answer the call',
  hangup: 'hang up',
  Hangup: 'hang up',
  hold: 'put the call on hold',
  Hold: 'put the call on hold',
  retrieve: 'take the call off hold',
  Retrieve: 'take the call off hold',
  sendDtmf: 'send the tones',
  SendDtmf: 'send the tones',
  initiateTransfer: 'start the transfer',
  InitiateTransfer: 'start the transfer',
  completeTransfer: 'complete the transfer',
  CompleteTransfer: 'complete the transfer',
  singleStepTransfer: 'transfer the call',
  SingleStepTransfer: 'transfer the call',
  initiateConference: 'start the conference',
  InitiateConference: 'start the conference',
  completeConference: 'complete the conference',
  CompleteConference: 'complete the conference',
  swapCalls: 'swap the calls',
  SwapCalls: 'swap the calls',
  singleStepConference: 'add the number to the call',
  SingleStepConference: 'add the number to the call',
  startCallRecording: 'start recording',
  StartCallRecording: 'start recording',
  stopCallRecording: 'stop recording',
  StopCallRecording: 'stop recording',
  setCallDisposition: 'save the disposition',
  SetCallDisposition: 'save the disposition',
  setDoNotDisturb: 'change Do Not Disturb',
  DoNotDisturbOn: 'turn on Do Not Disturb',
  DoNotDisturbOff: 'turn off Do Not Disturb',
  setReadyAfterWrapUp: 'change the setting',
  attachUserData: 'save the call data',
  startPreviewSession: 'start the campaign session',
  StartPreviewSession: 'start the campaign session',
  endPreviewSession: 'end the campaign session',
  EndPreviewSession: 'end the campaign session',
  getPreviewRecord: 'get a record',
  GetPreviewRecord: 'get a record',
  rejectRecord: 'reject the record',
  RejectRecord: 'reject the record',
  cancelRecord: 'cancel the record',
  CancelRecord: 'cancel the record',
  doNotCallRecord: 'mark the record as do not call',
  DoNotCallRecord: 'mark the record as do not call',
  rescheduleRecord: 'reschedule the record',
  RescheduleRecord: 'reschedule the record',
  updateRecord: 'save the record’s fields',
  UpdateRecord: 'save the record’s fields',
  completeRecord: 'complete the record',
  CompleteRecord: 'complete the record',
  getChainedRecords: 'load the customer’s other numbers',
  GetChainedRecords: 'load the customer’s other numbers',
};

/** Contract argument names as the forms label them. */
const FIELD_LABELS: Record<string, string> = {
  serverUrl: 'Server URL',
  username: 'Username',
  password: 'Password',
  place: 'Place',
  phoneNumber: 'Number',
  digits: 'Tones',
  at: 'Call back time',
  callResult: 'Call result',
  note: 'Note',
};

/** Server sentences that have a plainer reading, and what to do about them. */
const KNOWN_MESSAGES: { pattern: RegExp; reason: string; advice: string }[] = [
  { pattern: /invalid (destination|number|phone|called)|unknown (number|dn)/i, reason: 'The number is not valid.', advice: 'Check the number and dial again.' },
  { pattern: /\bbusy\b/i, reason: 'The line is busy.', advice: 'Try again later.' },
  { pattern: /HTTP 50[234]|service unavailable|bad gateway/i, reason: 'The server is overloaded or restarting.', advice: 'Try again in a moment. If it keeps happening, tell your supervisor.' },
  { pattern: /socket hang up|ECONNRESET|ECONNREFUSED|network/i, reason: 'The connection to the server broke.', advice: 'Try again when the softphone says Connected.' },
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
 * `operationName` is used otherwise.
 */
export function describeError(error: DescribableError, action?: string): ErrorText {
  const code = (error.code in TITLES ? error.code : 'INTERNAL') as Code;
  const doing = ACTIONS[action ?? ''] ?? ACTIONS[error.operationName ?? ''];
  const message = error.message?.trim() ?? '';
  const known = KNOWN_MESSAGES.find((k) => k.pattern.test(message));
  let title = doing && code !== 'GONE' && code !== 'SESSION_EXPIRED' ? `Could not ${doing}` : TITLES[code];
  let advice = ADVICE[code];
  let detail = message;
  if (code === 'VALIDATION' && error.issues?.length) {
    // The form's own words: shown, not hidden.
    advice = `${error.issues.map((issue) => `${FIELD_LABELS[issue.path] ?? issue.path} ${issue.message}`).join('; ')}.`;
    detail = '';
  } else if (code === 'GONE' && message) {
    // The core writes these for the agent (“That call is no longer known to the server…”).
    advice = message;
    detail = '';
  } else if (known && (code === 'SERVER' || code === 'OFFLINE' || code === 'INTERNAL')) {
    title = doing ? `${title}: ${lowerFirst(known.reason)}` : known.reason.replace(/\.$/, '');
    advice = known.advice;
  }
  if (detail === title || detail.replace(/\.$/, '') === title.replace(/\.$/, '')) detail = '';
  return { title, advice, detail };
}

/** One sentence (no detail): for places that show a single line. */
export function errorSentence(error: DescribableError, action?: string): string {
  const { title, advice } = describeError(error, action);
  return `${title}. ${advice}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, '');
}
