/**
 * What the session reads from the server (idempotent GETs, gws-api.md §2–3): the user with its
 * Workspace options and configured agent states, and the devices and calls that replace ours after
 * a (re)connect. Plain functions over a GET: the session decides when.
 */
import { parseList } from '../gws/decode';
import { GwsError } from '../gws/errors';
import type { GwsReply } from '../gws/http-client';
import type { Logger } from '../gws/logger';
import type { WireCall, WireDevice } from '../gws/schemas';
import { agentStatesReplySchema, callSchema, callsReplySchema, deviceSchema, devicesReplySchema, meReplySchema } from '../gws/schemas';
import { toJsonObject } from './reducer';
import type { UserSnapshot } from './snapshot';
import { readAgentStates, readCallResults, readDispositions, readPreviewPacing, workspaceOptions } from './user-settings';

export type Get = (path: string) => Promise<GwsReply>;

/**
 * GET /me (with its settings) and, unless `agentStates: false` (the caller reads them alongside
 * something else), the configured agent states.
 */
export async function readUser(get: Get, logger: Logger, read: { agentStates?: boolean } = {}): Promise<{ user: UserSnapshot; devices: WireDevice[] }> {
  const parsed = meReplySchema.safeParse(await get('/api/v2/me?subresources=*'));
  if (!parsed.success) throw new GwsError('MALFORMED_REPLY', `GET /api/v2/me: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}`);
  const user = parsed.data.user;
  const settings = toJsonObject(user.settings ?? {});
  const options = workspaceOptions(settings);
  const { callResults, defaultCallResult } = readCallResults(options, logger);
  const previewPacing = readPreviewPacing(options, logger);
  return {
    user: {
      id: user.id,
      userName: user.userName,
      firstName: user.firstName,
      lastName: user.lastName,
      agentStates: read.agentStates === false ? [] : await readConfiguredAgentStates(get, logger),
      callResults,
      ...(defaultCallResult !== undefined && { defaultCallResult }),
      dispositions: readDispositions(options),
      ...(previewPacing !== undefined && { previewPacing }),
      settings,
    },
    devices: parseList(user.devices ?? [], deviceSchema.safeParse, logger),
  };
}

/** The configured agent states (gws-api.md §3). A server without them still signs in: no reasons offered. */
export async function readConfiguredAgentStates(get: Get, logger: Logger): Promise<UserSnapshot['agentStates']> {
  try {
    const parsed = agentStatesReplySchema.safeParse(await get('/api/v2/settings/agent-states'));
    if (parsed.success) return readAgentStates(parsed.data.settings, logger);
    logger.warn('GET /api/v2/settings/agent-states: no settings array; no Not Ready reasons offered');
  } catch (error) {
    if (error instanceof GwsError && (error.code === 'AUTH_FAILED' || error.code === 'PASSWORD_CHANGE_REQUIRED')) throw error;
    logger.warn('the configured agent states could not be read; no Not Ready reasons offered', { error: String(error) });
  }
  return [];
}

export async function readDevices(get: Get, logger: Logger): Promise<WireDevice[]> {
  const devices = devicesReplySchema.safeParse(await get('/api/v2/me/devices?fields=*'));
  if (!devices.success) throw new GwsError('MALFORMED_REPLY', 'GET /api/v2/me/devices: no devices array');
  return parseList<WireDevice>(devices.data.devices, deviceSchema.safeParse, logger);
}

export async function readCalls(get: Get, logger: Logger): Promise<WireCall[]> {
  const calls = callsReplySchema.safeParse(await get('/api/v2/me/calls?fields=*'));
  if (!calls.success) throw new GwsError('MALFORMED_REPLY', 'GET /api/v2/me/calls: no calls array');
  return parseList<WireCall>(calls.data.calls, callSchema.safeParse, logger);
}

/** The agent's contact-center session is gone at the server (its device logged out, or no device). */
export function contactCenterSessionGone(devices: readonly WireDevice[]): boolean {
  const device = devices[0];
  return !device?.userState || device.userState.state === 'LoggedOut';
}
