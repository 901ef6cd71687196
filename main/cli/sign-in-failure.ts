/** A failed sign-in of the compatibility check, in words (`npm run agent -- --check`). */
import type { ErrorCode, ErrorInfo } from '../gws/errors';

const SIGN_IN_WORDS: Record<ErrorCode, string> = {
  AUTH_FAILED: 'the server refused the user name or password',
  PASSWORD_CHANGE_REQUIRED: 'the server demands a new password for this user before it lets them in',
  UNREACHABLE: 'the server could not be reached: check the URL, the port, the proxy and the firewall',
  CERT_UNTRUSTED: "the server's TLS certificate is not trusted by this machine",
  TIMEOUT: 'the server did not reply in time',
  MALFORMED_REPLY: 'the reply is not what GWS sends: is the URL the GWS server (without /api/v2)?',
  FORBIDDEN: 'the user may not do this: is it an agent (ROLE_AGENT) with a place?',
  VALIDATION: 'the server refused a parameter (an unknown place?)',
  NOT_ALLOWED_IN_STATE: 'the server refused the request in its current state',
  CSRF: 'the server kept refusing the CSRF token',
  SERVER: 'the server reported an internal error',
  SESSION_EXPIRED: 'the HTTP session ended during sign-in',
  OFFLINE: 'the check was stopped before sign-in finished',
  GONE: 'the server no longer knows something the check used',
};

export interface SignInFailure {
  server: string;
  user: string;
  signIn: { ok: false; error: ErrorInfo; explanation: string };
}

export function signInFailure(server: string, user: string, error: ErrorInfo): SignInFailure {
  return { server, user, signIn: { ok: false, error, explanation: SIGN_IN_WORDS[error.code] ?? 'the sign-in failed' } };
}

export function formatSignInFailure(f: SignInFailure): string {
  return `sign-in failed: ${f.signIn.explanation}\n  ${f.signIn.error.code}: ${f.signIn.error.message}\n`;
}
