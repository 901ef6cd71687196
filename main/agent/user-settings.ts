/**
 * What the server configures for the agent, read from two places (gws-api.md §3, §6):
 * - the configured agent states, `GET /api/v2/settings/agent-states` (a Not Ready reason is a state
 *   with an operationName of its own);
 * - the Workspace options, string values under `/me` `settings["interaction-workspace"]`: the call
 *   results an agent may pick and the disposition codes.
 * Pure functions: they never throw on what a server sends; what they cannot read is skipped and logged.
 */
import type { Logger } from '../gws/logger';
import { agentStateSettingSchema } from '../gws/schemas';
import type { AgentStateOption, AlertSound, DispositionSettings, JsonObject, JsonValue, PreviewPacingOptions } from './snapshot';

/** OCS call results by name (gws-api.md §6): offered when Workspace configures none. */
export const OCS_CALL_RESULTS: Readonly<Record<string, number>> = {
  Ok: 0, Transferred: 1, Conferenced: 2, GeneralError: 3, SystemError: 4, RemoteRelease: 5, Busy: 6,
  NoAnswer: 7, SitDetected: 8, AnsweringMachine: 9, AllTrunksBusy: 10, SitInvalidNum: 11, Fax: 17,
  Abandoned: 21, Dropped: 26, DroppedNoAnswer: 27, Unknown: 28, Answer: 33, WrongParty: 40,
  DoNotCall: 51, CancelRecord: 52, WrongNumber: 53,
};

/** The fallback list, in the order an agent most often needs them. */
export const FALLBACK_CALL_RESULTS: readonly string[] = [
  'Answer', 'Busy', 'NoAnswer', 'AnsweringMachine', 'WrongParty', 'WrongNumber', 'Fax', 'SitInvalidNum',
  'Dropped', 'DroppedNoAnswer', 'RemoteRelease', 'Transferred', 'Conferenced', 'GeneralError', 'Unknown',
];

export const WORKSPACE_SECTION = 'interaction-workspace';
export const CALL_RESULT_VALUES_OPTION = 'outbound.call-result-values';
export const CALL_RESULT_DEFAULT_OPTION = 'outbound.call-result-automatically-selected';
export const DISPOSITION_KEY_OPTION = 'interaction.disposition.key-name';
export const DISPOSITION_VALUES_OPTION = 'interaction.disposition.values';
const DEFAULT_DISPOSITION_KEY = 'DispositionCode';
/** Seconds before an offered preview record is dialled (Workspace's timed preview; IW OutboundOptions). */
export const TIMED_PREVIEW_OPTION = 'outbound.timed-preview-auto-dial';
/** The sound of a scheduled callback pushed as a preview, `ALIAS|priority|duration` (IWWDep/IntOutboundCampaigns 8.5.2). */
export const PUSHED_RECORD_BELL_OPTION = 'outbound-callback.ringing-bell';

/** The agent-states reply's entries; an entry without an operationName is skipped and logged. */
export function readAgentStates(entries: readonly unknown[], logger: Logger): AgentStateOption[] {
  const out: AgentStateOption[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const parsed = agentStateSettingSchema.safeParse(entry);
    if (!parsed.success) {
      logger.warn('skipped an agent state without an operationName', { index });
      return;
    }
    const s = parsed.data;
    if (seen.has(s.operationName)) return;
    seen.add(s.operationName);
    const reason = s.reason ?? s.reasonCode;
    out.push({
      operationName: s.operationName,
      displayName: s.displayName?.trim() || s.operationName,
      ...(s.state !== undefined && { state: s.state }),
      ...(reason !== undefined && { reason }),
      ...(s.workMode !== undefined && { workMode: s.workMode }),
    });
  });
  return out;
}

/** The Workspace options section of `/me` settings (an empty object when absent or not an object). */
export function workspaceOptions(settings: JsonObject): JsonObject {
  const section = settings[WORKSPACE_SECTION];
  return section !== null && typeof section === 'object' && !Array.isArray(section) ? section : {};
}

/** A Workspace option as a list: a comma-separated string (the documented form) or, tolerated, an array of strings. */
export function optionList(value: JsonValue | undefined): string[] {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const out: string[] = [];
  for (const item of items) {
    const name = item.trim();
    if (name !== '' && !out.includes(name)) out.push(name);
  }
  return out;
}

function optionString(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The call results the agent may pick: Workspace's list (known OCS names only), else the OCS table. */
export function readCallResults(options: JsonObject, logger: Logger): { callResults: string[]; defaultCallResult?: string; source: 'workspace' | 'ocs-table' } {
  const configured = optionList(options[CALL_RESULT_VALUES_OPTION]);
  const known = configured.filter((name) => Object.hasOwn(OCS_CALL_RESULTS, name));
  if (known.length < configured.length) logger.warn('ignored call results that are not OCS call result names', { ignored: configured.filter((n) => !known.includes(n)) });
  const callResults = known.length > 0 ? known : [...FALLBACK_CALL_RESULTS];
  const preferred = optionString(options[CALL_RESULT_DEFAULT_OPTION]);
  const defaultCallResult = preferred !== undefined && callResults.includes(preferred) ? preferred : undefined;
  return { callResults, ...(defaultCallResult !== undefined && { defaultCallResult }), source: known.length > 0 ? 'workspace' : 'ocs-table' };
}

/** Disposition codes and the user-data key they are stored under. */
export function readDispositions(options: JsonObject): DispositionSettings {
  return {
    key: optionString(options[DISPOSITION_KEY_OPTION]) ?? DEFAULT_DISPOSITION_KEY,
    values: optionList(options[DISPOSITION_VALUES_OPTION]),
  };
}

const BELL_ALIASES: Readonly<Record<string, AlertSound>> = { BELL: 'bell', RING: 'ring', CHORD: 'chord', WARNING: 'warning' };

/**
 * Workspace's preview pacing (gws-api.md §6). The countdown's value form is not confirmed: a whole
 * number of seconds is read from a number or a string (`"10"`, `"10s"`); 0, a negative value
 * (Workspace's "off") or anything else means no countdown. The bell is `ALIAS|priority|duration`:
 * a known alias (BELL, RING, CHORD, WARNING) picks that sound; a file or URL (which this app does
 * not fetch) plays the bell; an empty value plays nothing.
 */
export function readPreviewPacing(options: JsonObject, logger?: Logger): PreviewPacingOptions | undefined {
  const out: PreviewPacingOptions = {};
  const timed = options[TIMED_PREVIEW_OPTION];
  if (timed !== undefined && timed !== null) {
    const match = typeof timed === 'number' ? String(timed) : typeof timed === 'string' ? (/^\s*(-?\d+)\s*s?\s*$/i.exec(timed)?.[1] ?? '') : '';
    const seconds = match === '' ? NaN : Number(match);
    if (Number.isInteger(seconds)) out.autoDialSeconds = Math.max(0, seconds);
    else logger?.warn(`ignored ${TIMED_PREVIEW_OPTION}: not a number of seconds`, { value: String(timed).slice(0, 40) });
  }
  const bell = options[PUSHED_RECORD_BELL_OPTION];
  if (typeof bell === 'string') {
    const first = bell.split('|')[0]?.trim() ?? '';
    out.alertSound = first === '' ? 'none' : (BELL_ALIASES[first.toUpperCase()] ?? 'bell');
  }
  return out.autoDialSeconds !== undefined || out.alertSound !== undefined ? out : undefined;
}
