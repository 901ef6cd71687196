/**
 * Remembering the sign-in: the desktop's sign-in command (`rememberingSignIn`) signs the session in,
 * then stores the server URL, username and place, and — when the agent asked for it and the OS can
 * encrypt — the password (SettingsRepository never writes it in plain text). Settings locked by
 * policy cannot be overridden by a sign-in request. An explicit function the composition root
 * hands to the core as its `signIn` handler: the session itself is not wrapped.
 */
import type { AgentSession, SignInParams } from '../agent/session';
import { GwsError } from '../gws/errors';
import type { Logger } from '../gws/logger';
import type { ResolvedSettings } from './policy';
import { isLocked } from './policy';
import type { SettingsRepository } from './settings';

export interface SignInMemoryDeps {
  repository: SettingsRepository;
  resolved(): ResolvedSettings;
  log: Logger;
}

/** Refuses a sign-in that contradicts a locked setting (only a tampered renderer would send one). */
function checkLockedSignIn(params: SignInParams, resolved: ResolvedSettings): void {
  const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
  if (isLocked(resolved, 'serverUrl') && !sameUrl(params.serverUrl, resolved.values.serverUrl)) {
    throw new GwsError('VALIDATION', 'The server address is set by your IT department and cannot be changed.');
  }
  if (isLocked(resolved, 'place') && params.place !== undefined && params.place !== '' && params.place !== resolved.values.place) {
    throw new GwsError('VALIDATION', 'The place is set by your IT department and cannot be changed.');
  }
}

async function rememberSignIn(params: SignInParams, deps: SignInMemoryDeps): Promise<void> {
  const resolved = deps.resolved();
  const { repository } = deps;
  if (!isLocked(resolved, 'serverUrl')) repository.set('serverUrl', params.serverUrl);
  repository.set('username', params.username);
  if (!isLocked(resolved, 'place')) repository.set('place', params.place || undefined);
  const result = await repository.rememberPassword(params.password, resolved.values.rememberPassword);
  if (result !== 'stored' && result !== 'not-stored:disabled') deps.log.warn('password not remembered', { reason: result });
}

export function rememberingSignIn(session: Pick<AgentSession, 'signIn'>, deps: SignInMemoryDeps): (params: SignInParams) => Promise<void> {
  return async (params) => {
    const resolved = deps.resolved();
    checkLockedSignIn(params, resolved);
    const place = isLocked(resolved, 'place') ? resolved.values.place : params.place;
    const effective: SignInParams = { ...params, ...(place ? { place } : {}) };
    await session.signIn(effective);
    await rememberSignIn(effective, deps).catch((error: unknown) => deps.log.warn('could not store sign-in settings', { error: String(error) }));
  };
}

/** At start: signs in with the remembered password, when everything needed is stored. */
export async function signInWithRememberedPassword(session: Pick<AgentSession, 'signIn'>, deps: SignInMemoryDeps): Promise<boolean> {
  const { values } = deps.resolved();
  if (!values.rememberPassword || !values.serverUrl || !values.username) return false;
  const password = await deps.repository.password();
  if (!password) return false;
  try {
    await session.signIn({ serverUrl: values.serverUrl, username: values.username, password, ...(values.place && { place: values.place }) });
    return true;
  } catch (error) {
    deps.log.warn('automatic sign-in failed', { error: error instanceof Error ? error.message : String(error) });
    return false;
  }
}
