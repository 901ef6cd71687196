/** Error envelopes in words: the agent reads what happened, not a code. */
import type { ContractError, ErrorCode } from './types';

/**
 * The contract's codes, plus the core's own that can reach `lastError` in the snapshot
 * (FORBIDDEN, CSRF, MALFORMED_REPLY). An unknown code reads as INTERNAL.
 */
const TITLES: Record<ErrorCode | 'FORBIDDEN' | 'CSRF' | 'MALFORMED_REPLY' | 'GONE', string> = {
  SESSION_EXPIRED: 'Your session expired. Please sign in again.',
  NOT_ALLOWED_IN_STATE: 'Not possible right now',
  OFFLINE: 'Offline – the server cannot be reached right now',
  VALIDATION: 'Please check the input',
  SERVER: 'The server refused the request',
  AUTH_FAILED: 'Wrong username or password',
  PASSWORD_CHANGE_REQUIRED: 'Your password must be changed before you can sign in',
  UNREACHABLE: 'Server not reachable',
  CERT_UNTRUSTED: 'Certificate not trusted',
  TIMEOUT: 'The server did not answer in time',
  INTERNAL: 'Something went wrong in the softphone',
  FORBIDDEN: 'You do not have permission for this',
  CSRF: 'The server refused the request (security token)',
  MALFORMED_REPLY: 'The server sent an unexpected reply',
  GONE: 'No longer known to the server',
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

export interface ErrorText {
  title: string;
  /** The server's or main's own sentence, when it adds something to the title. */
  detail: string;
}

/** What `describeError` needs: an envelope's error or the snapshot's `lastError`. */
export interface DescribableError {
  code: string;
  message: string;
  issues?: ContractError['issues'];
}

export function describeError(error: DescribableError): ErrorText {
  const title = (TITLES as Record<string, string>)[error.code] ?? TITLES.INTERNAL;
  let detail = error.message?.trim() ?? '';
  if (error.code === 'VALIDATION' && error.issues?.length) {
    detail = error.issues.map((issue) => `${FIELD_LABELS[issue.path] ?? issue.path} ${issue.message}`).join('; ');
  }
  if (detail === title || detail.replace(/\.$/, '') === title.replace(/\.$/, '')) detail = '';
  return { title, detail };
}

export function errorSentence(error: DescribableError): string {
  const { title, detail } = describeError(error);
  return detail ? `${title}: ${detail}` : title;
}
