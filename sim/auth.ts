// Users, HTTP sessions (JSESSIONID cookie) and CSRF tokens (gws-api.md §2).
import type { IncomingMessage } from 'node:http';
import { newSessionId, newUuid } from './ids';

export interface HttpSession {
  id: string;
  userName: string;
  csrfToken: string;
  createdAt: number;
}

export interface UserDirectory {
  checkPassword(userName: string, password: string): boolean;
}

export type AuthResult =
  | { ok: true; session: HttpSession; created: boolean }
  | { ok: false };

export const COOKIE_NAME = 'JSESSIONID';
export const CSRF_HEADER = 'X-CSRF-TOKEN';

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

function basicCredentials(header: string | undefined): { user: string; password: string } | 'absent' | 'malformed' {
  if (header === undefined || header === '') return 'absent';
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) return 'malformed';
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return 'malformed';
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

export class SessionStore {
  private readonly sessions = new Map<string, HttpSession>();

  constructor(private readonly users: UserDirectory) {}

  /** The live session named by the request's JSESSIONID cookie. */
  fromCookie(req: IncomingMessage | undefined): HttpSession | undefined {
    if (req === undefined) return undefined;
    const id = parseCookies(req.headers.cookie)[COOKIE_NAME];
    return id === undefined ? undefined : this.sessions.get(id);
  }

  /**
   * Basic auth wins when present (wrong credentials are refused even with a live cookie);
   * otherwise a live JSESSIONID cookie authenticates.
   */
  authenticate(req: IncomingMessage): AuthResult {
    const creds = basicCredentials(req.headers.authorization);
    const cookieSession = this.fromCookie(req);
    if (creds === 'malformed') return { ok: false };
    if (creds === 'absent') return cookieSession ? { ok: true, session: cookieSession, created: false } : { ok: false };
    if (!this.users.checkPassword(creds.user, creds.password)) return { ok: false };
    if (cookieSession && cookieSession.userName === creds.user) return { ok: true, session: cookieSession, created: false };
    const session: HttpSession = { id: newSessionId(), userName: creds.user, csrfToken: newUuid(), createdAt: Date.now() };
    this.sessions.set(session.id, session);
    return { ok: true, session, created: true };
  }

  csrfValid(req: IncomingMessage, session: HttpSession): boolean {
    if (this.fromCookie(req) !== session) return false;
    return req.headers[CSRF_HEADER.toLowerCase()] === session.csrfToken;
  }

  invalidate(id: string): HttpSession | undefined {
    const s = this.sessions.get(id);
    this.sessions.delete(id);
    return s;
  }

  invalidateUser(userName?: string): HttpSession[] {
    const gone = [...this.sessions.values()].filter((s) => userName === undefined || s.userName === userName);
    for (const s of gone) this.sessions.delete(s.id);
    return gone;
  }

  count(userName: string): number {
    return [...this.sessions.values()].filter((s) => s.userName === userName).length;
  }

  clear(): void {
    this.sessions.clear();
  }
}

export const sessionCookie = (s: HttpSession): string => `${COOKIE_NAME}=${s.id}; Path=/; HttpOnly`;
