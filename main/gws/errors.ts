/**
 * Typed errors of the core. Every failure that reaches a caller (and `lastError` in the snapshot)
 * carries a `code` the UI can act on, plus whatever GWS said (`statusCode`, `statusMessage`) and the
 * HTTP status when there was one.
 */

export const ERROR_CODES = [
  /** The HTTP session is gone and signing in again with the held credentials failed. */
  'SESSION_EXPIRED',
  /** The call's `capabilities` (or the core's own state) do not allow this now; nothing was sent. */
  'NOT_ALLOWED_IN_STATE',
  /** Not connected / not signed in: nothing was sent. */
  'OFFLINE',
  /** A parameter was refused (GWS statusCode 1, 10, 11, 18, 19, 6) or failed local validation. */
  'VALIDATION',
  /** GWS reported an internal failure (statusCode 4, 7, 9, 12–17, HTTP 5xx) or an `Error` notification. */
  'SERVER',
  /** Wrong user name or password (statusCode 20 / HTTP 401 while signing in). */
  'AUTH_FAILED',
  /** The server demands a new password for this user before it lets them in (statusCode 8). */
  'PASSWORD_CHANGE_REQUIRED',
  /** No permission for this operation (statusCode 3, 5). */
  'FORBIDDEN',
  /** The server kept refusing the CSRF token even after re-reading it once. */
  'CSRF',
  /** Connection refused, DNS failure, reset: the server cannot be reached. */
  'UNREACHABLE',
  /** The server's TLS certificate is not trusted by this machine. */
  'CERT_UNTRUSTED',
  /** No reply in time. For a POST the outcome is unknown: it is never retried blindly. */
  'TIMEOUT',
  /** The reply was not the JSON GWS sends. */
  'MALFORMED_REPLY',
  /** The server no longer knows the record, call or campaign (statusCode 6 on it): the client dropped it. */
  'GONE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface GwsErrorDetails {
  statusCode?: number;
  statusMessage?: string;
  httpStatus?: number;
  operationName?: string;
  referenceId?: string;
  cause?: unknown;
}

export class GwsError extends Error {
  override readonly name = 'GwsError';
  readonly code: ErrorCode;
  readonly statusCode?: number;
  readonly statusMessage?: string;
  readonly httpStatus?: number;
  readonly operationName?: string;
  readonly referenceId?: string;

  constructor(code: ErrorCode, message: string, details: GwsErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.statusCode !== undefined) this.statusCode = details.statusCode;
    if (details.statusMessage !== undefined) this.statusMessage = details.statusMessage;
    if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus;
    if (details.operationName !== undefined) this.operationName = details.operationName;
    if (details.referenceId !== undefined) this.referenceId = details.referenceId;
  }

  /** Plain JSON for the snapshot / IPC (errors do not serialise on their own). */
  toJSON(): ErrorInfo {
    return {
      code: this.code,
      message: this.message,
      ...(this.statusCode !== undefined && { statusCode: this.statusCode }),
      ...(this.statusMessage !== undefined && { statusMessage: this.statusMessage }),
      ...(this.httpStatus !== undefined && { httpStatus: this.httpStatus }),
      ...(this.operationName !== undefined && { operationName: this.operationName }),
      ...(this.referenceId !== undefined && { referenceId: this.referenceId }),
    };
  }
}

/** The serialisable form of a {@link GwsError}. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  statusCode?: number;
  statusMessage?: string;
  httpStatus?: number;
  operationName?: string;
  referenceId?: string;
}

/** Maps a non-zero GWS `statusCode` (ReturnValues 8.5.2) to the code the UI acts on. */
export function codeForStatusCode(statusCode: number): ErrorCode {
  switch (statusCode) {
    case 2:
      return 'NOT_ALLOWED_IN_STATE';
    case 1:
    case 6:
    case 10:
    case 11:
    case 18:
    case 19:
      return 'VALIDATION';
    case 3:
    case 5:
      return 'FORBIDDEN';
    case 8:
      return 'PASSWORD_CHANGE_REQUIRED';
    case 20:
      return 'SESSION_EXPIRED';
    default:
      return 'SERVER';
  }
}

/** What the agent reads for statusCode 8 (ReturnValues 8.5.2 "change password demanded"). */
export const PASSWORD_CHANGE_MESSAGE =
  'The contact center requires a new password for this account. Change it with your usual password tool (or ask your supervisor), then sign in again.';

/**
 * THE rule for "did the server possibly act on a request that failed?" (gws-api.md §1): no reply
 * (timeout, reset, unreachable), a reply that is not GWS's JSON, or a 5xx without a GWS body. A
 * reply that carries a non-zero `statusCode` — even with HTTP 503 — says nothing was done.
 */
export function mayHaveActed(error: { code: ErrorCode; httpStatus?: number; statusCode?: number }): boolean {
  switch (error.code) {
    case 'TIMEOUT':
    case 'UNREACHABLE':
    case 'MALFORMED_REPLY':
      return true;
    case 'SERVER':
      return (error.httpStatus ?? 0) >= 500 && error.statusCode === undefined;
    default:
      return false;
  }
}

/** Any thrown value as a GwsError, naming the operation and referenceId when it did not yet. */
export function asGwsError(error: unknown, details: { operationName?: string; referenceId?: string } = {}): GwsError {
  if (error instanceof GwsError) {
    if ((details.operationName && !error.operationName) || (details.referenceId && !error.referenceId)) {
      return new GwsError(error.code, error.message, {
        ...(error.statusCode !== undefined && { statusCode: error.statusCode }),
        ...(error.statusMessage !== undefined && { statusMessage: error.statusMessage }),
        ...(error.httpStatus !== undefined && { httpStatus: error.httpStatus }),
        operationName: error.operationName ?? details.operationName,
        referenceId: error.referenceId ?? details.referenceId,
        cause: error.cause,
      });
    }
    return error;
  }
  return new GwsError('SERVER', error instanceof Error ? error.message : String(error), { ...details, cause: error });
}

/** The only failures that end a session: the server refused these credentials (docs/reliability.md). */
export function credentialsRefused(error: GwsError): boolean {
  return error.code === 'AUTH_FAILED' || error.code === 'PASSWORD_CHANGE_REQUIRED';
}
