/**
 * The compatibility check's verdict (`npm run agent -- --check`): pure, electron-free, unit-tested.
 * `buildCompatReport` reads what the session saw on the wire (WireObservation, in arrival order) and
 * the snapshot after sign-in, and says what this GWS server configures and which dialect of each
 * unconfirmed behaviour it speaks (docs/gws-compatibility.md; the dialect names are the simulator's,
 * docs/simulator.md, so a server's verdict can be replayed with `npm run sim -- --dialect ...`).
 * `formatCompatReport` renders it as text for a human; the CLI prints the object itself for `--json`.
 */
import type { WireObservation } from '../agent/session-types';
import type { AgentSnapshot, JsonObject } from '../agent/snapshot';
import {
  CALL_RESULT_DEFAULT_OPTION,
  CALL_RESULT_VALUES_OPTION,
  DISPOSITION_KEY_OPTION,
  DISPOSITION_VALUES_OPTION,
  OCS_CALL_RESULTS,
  WORKSPACE_SECTION,
  optionList,
  readCallResults,
  workspaceOptions,
  PUSHED_RECORD_BELL_OPTION,
  readPreviewPacing,
  TIMED_PREVIEW_OPTION,
} from '../agent/user-settings';
import { silentLogger } from '../gws/logger';

// ---- the report ---------------------------------------------------------------------------------

export type DialectKey = 'errors' | 'participants' | 'records' | 'campaignReplay' | 'referenceIdEcho' | 'callIdInReads';

/** One behaviour: the simulator dialect value it matched, or why none was decided. */
export interface DialectVerdict {
  /** A simulator dialect value (`message`, `strings`, …), `mixed` (both forms seen), `other`, or `not-observed`. */
  matched: string;
  /** What a person reads: `ErrorMessage`, `not observed`, … */
  summary: string;
  /** The evidence, or what would make it observable. */
  detail: string;
}

export interface ProbeStep {
  name: string;
  ok: boolean;
  detail: string;
}

export type ServerVersion = { ok: true; version: string } | { ok: false; reason: string };

export type CampaignSource = 'announced-on-sign-in' | 'announced-later' | 'learnt-from-record' | 'configured' | 'remembered-or-configured';

export interface CompatReport {
  server: string;
  user: string;
  place?: string;
  signIn: { ok: true; device?: { dn: string; userState: string } };
  serverVersion: ServerVersion;
  agentStates: {
    /** `server`: listed; `empty`: the GET answered an empty list; `missing`: the GET failed or had no `settings` array. */
    source: 'server' | 'empty' | 'missing';
    states: Array<{ operationName: string; displayName: string; reason?: string }>;
    /** Entries the server listed that the app cannot use (no operationName). */
    skipped: number;
  };
  workspace: {
    /** `settings["interaction-workspace"]` was present in `/me`. */
    present: boolean;
    callResults: { values: string[]; source: 'workspace' | 'ocs-table'; ignored: string[] };
    defaultCallResult: { configured?: string; used?: string };
    disposition: { key: string; keySource: 'workspace' | 'default'; values: string[] };
    /** Preview pacing as read (undefined: not set or unreadable), and the options' raw values. */
    previewPacing: { autoDialSeconds?: number; alertSound?: string; timedOption?: string; bellOption?: string };
    otherOptions: string[];
  };
  campaigns: Array<{ name: string; dialingMode: string; state: string; source: CampaignSource }>;
  dialects: Record<DialectKey, DialectVerdict>;
  probes: ProbeStep[];
  /** What IT should look at. */
  warnings: string[];
}

export interface CompatReportInput {
  server: string;
  user: string;
  place?: string;
  /** Every WireObservation, in the order the session reported it (the check may append its own GET replies). */
  observations: readonly WireObservation[];
  /** The snapshot after sign-in and the waits (before signing out). */
  snapshot: AgentSnapshot;
  serverVersion: ServerVersion;
  /** Campaign names the check was told IT configures (`--campaign`). */
  configuredCampaigns?: readonly string[];
  probes?: readonly ProbeStep[];
}

export const DIALECT_ORDER: readonly DialectKey[] = ['errors', 'participants', 'records', 'campaignReplay', 'referenceIdEcho', 'callIdInReads'];

const DIALECT_TITLES: Record<DialectKey, string> = {
  errors: 'errors',
  participants: 'participants',
  records: 'records',
  campaignReplay: 'campaign replay on sign-in',
  referenceIdEcho: 'referenceId echo (voice/agent state)',
  callIdInReads: 'call id in reads',
};

// ---- reading the wire ----------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

interface SeenNotification {
  index: number;
  channel: string;
  data: Obj;
  messageType?: string;
  notificationType?: string;
}

function notifications(observations: readonly WireObservation[]): SeenNotification[] {
  const out: SeenNotification[] = [];
  observations.forEach((o, index) => {
    if (o.kind !== 'notification') return;
    const data = obj(o.data);
    if (!data) return;
    const messageType = str(data['messageType']);
    const notificationType = str(data['notificationType']);
    out.push({ index, channel: o.channel, data, ...(messageType !== undefined && { messageType }), ...(notificationType !== undefined && { notificationType }) });
  });
  return out;
}

const isError = (n: SeenNotification): boolean => n.messageType === 'ErrorMessage' || n.notificationType === 'Error';

/** Index of the first outbound operation the check itself sent (campaign or record POST), else Infinity. */
function firstOutboundOperation(observations: readonly WireObservation[]): number {
  const i = observations.findIndex((o) => o.kind === 'reply' && o.method === 'POST' && /^\/api\/v2\/me\/outbound-(campaigns|records)\//.test(o.path));
  return i < 0 ? Number.POSITIVE_INFINITY : i;
}

/** Call objects the server sent: in notifications (`call`) and in GET /me/calls reads. */
function notifiedCalls(seen: readonly SeenNotification[]): Obj[] {
  return seen.filter((n) => n.messageType === 'CallStateChangeMessage' && !isError(n)).flatMap((n) => (obj(n.data['call']) ? [obj(n.data['call']) as Obj] : []));
}

function readCalls(observations: readonly WireObservation[]): Obj[] {
  const out: Obj[] = [];
  for (const o of observations) {
    if (o.kind !== 'reply' || o.method !== 'GET' || !o.path.startsWith('/api/v2/me/calls')) continue;
    const body = obj(o.body);
    if (!body) continue;
    const list = Array.isArray(body['calls']) ? body['calls'] : obj(body['call']) ? [body['call']] : [];
    for (const item of list) {
      const call = obj(item);
      if (call) out.push(call);
    }
  }
  return out;
}

function recordsOf(n: SeenNotification): Obj[] {
  const raw = [n.data['record'], ...(Array.isArray(n.data['records']) ? n.data['records'] : [])];
  return raw.map(obj).filter((r): r is Obj => r !== undefined);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function countBy(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([k, v]) => `${v} ${k}`).join(', ');
}

// ---- the six behaviours --------------------------------------------------------------------------

function classifyErrors(seen: readonly SeenNotification[]): DialectVerdict {
  const errors = seen.filter(isError);
  const messages = errors.filter((n) => n.messageType === 'ErrorMessage');
  const older = errors.filter((n) => n.messageType !== 'ErrorMessage');
  const where = (list: readonly SeenNotification[]) => countBy(list.map((n) => `${n.messageType ?? '(no messageType)'} on ${n.channel}`));
  if (messages.length > 0 && older.length === 0) {
    return { matched: 'message', summary: 'ErrorMessage', detail: `${where(messages)} (messageType "ErrorMessage", ErrorHandling 8.5.2)` };
  }
  if (older.length > 0 && messages.length === 0) {
    return { matched: 'notification', summary: 'notificationType "Error"', detail: `${where(older)} with notificationType "Error" (the older form)` };
  }
  if (older.length > 0) return { matched: 'mixed', summary: 'both forms', detail: `${where(messages)}; ${where(older)} with notificationType "Error"` };
  return { matched: 'not-observed', summary: 'not observed', detail: 'no operation failed during the check (opt in: --probe-error NUMBER dials a number the switch refuses)' };
}

function classifyParticipants(calls: readonly Obj[]): DialectVerdict {
  let objects = 0;
  let strings = 0;
  let info = 0;
  for (const call of calls) {
    const list = Array.isArray(call['participants']) ? call['participants'] : [];
    for (const p of list) {
      if (typeof p === 'string') strings += 1;
      else if (obj(p)) objects += 1;
    }
    if (Array.isArray(call['participantsInfo'])) info += 1;
  }
  const from = `${plural(calls.length, 'call resource')}`;
  if (objects > 0 && strings === 0) return { matched: 'objects', summary: 'objects', detail: `${plural(objects, 'participant')} as {phoneNumber, …} objects in ${from}` };
  if (strings > 0 && objects === 0) {
    return { matched: 'strings', summary: 'strings', detail: `${plural(strings, 'participant')} as phone-number strings in ${from}${info > 0 ? ', with participantsInfo (HTCC 8.5.0)' : ''}` };
  }
  if (strings > 0) return { matched: 'mixed', summary: 'both forms', detail: `${objects} as objects, ${strings} as strings in ${from}` };
  return { matched: 'not-observed', summary: 'not observed', detail: calls.length > 0 ? `${from} without participants` : 'no call was seen (opt in: --probe-dial NUMBER)' };
}

function classifyRecords(seen: readonly SeenNotification[]): DialectVerdict {
  let topLevel = 0;
  let userDataOnly = 0;
  let other = 0;
  for (const n of seen) {
    if (n.messageType !== 'OutboundRecordMessage' && n.messageType !== 'OutboundRecordsMessage') continue;
    for (const record of recordsOf(n)) {
      if (record['recordHandle'] !== undefined) topLevel += 1;
      else if (obj(record['userData'])?.['GSW_RECORD_HANDLE'] !== undefined) userDataOnly += 1;
      else other += 1;
    }
  }
  if (topLevel + userDataOnly + other === 0) return { matched: 'not-observed', summary: 'not observed', detail: 'no record was seen (opt in: --probe-record CAMPAIGN)' };
  if (topLevel > 0 && userDataOnly === 0 && other === 0) return { matched: 'top-level', summary: 'top-level fields', detail: `${plural(topLevel, 'record')} with recordHandle, phoneNumber, … beside userData` };
  if (userDataOnly > 0 && topLevel === 0 && other === 0) return { matched: 'user-data', summary: 'userData only', detail: `${plural(userDataOnly, 'record')} with only userData (GSW_RECORD_HANDLE, GSW_PHONE, …)` };
  if (other > 0 && topLevel === 0 && userDataOnly === 0) return { matched: 'other', summary: 'unreadable', detail: `${plural(other, 'record')} with neither recordHandle nor userData.GSW_RECORD_HANDLE: the app cannot use them` };
  return { matched: 'mixed', summary: 'both forms', detail: `${topLevel} with top-level fields, ${userDataOnly} with userData only, ${other} unreadable` };
}

const REPLAY_TYPES = new Set(['CampaignStarted', 'CampaignLoaded']);

function classifyCampaignReplay(seen: readonly SeenNotification[], before: number): DialectVerdict {
  const replayed = seen.filter((n) => n.index < before && n.messageType === 'OutboundCampaignMessage' && REPLAY_TYPES.has(n.notificationType ?? ''));
  if (replayed.length > 0) {
    const names = [...new Set(replayed.map((n) => str(obj(n.data['campaign'])?.['name']) ?? '?'))];
    return { matched: 'on', summary: 'seen', detail: `${countBy(replayed.map((n) => n.notificationType ?? ''))} after sign-in (${names.join(', ')})` };
  }
  return {
    matched: 'off',
    summary: 'not seen',
    detail: 'no CampaignStarted/CampaignLoaded after sign-in (also the case when the agent\'s group takes part in no running campaign): agents see only remembered or configured campaigns until a record names one',
  };
}

const CAMPAIGN_STATUS_TYPES = new Set(['CampaignLoaded', 'CampaignStarted', 'CampaignStopped', 'CampaignUnloaded', 'CampaignModeChanged']);
const VOICE_TYPES = new Set(['DeviceStateChangeMessage', 'CallStateChangeMessage']);

function classifyReferenceIdEcho(seen: readonly SeenNotification[]): DialectVerdict {
  const voice = seen.filter((n) => VOICE_TYPES.has(n.messageType ?? '') && !isError(n));
  const echoed = voice.filter((n) => str(n.data['referenceId']) !== undefined);
  // Answers to the agent's own outbound operations (not campaign status changes, which no request causes).
  const outbound = seen.filter((n) => (n.messageType === 'OutboundCampaignMessage' || n.messageType === 'OutboundRecordMessage') && !isError(n) && !CAMPAIGN_STATUS_TYPES.has(n.notificationType ?? ''));
  const outboundEchoed = outbound.filter((n) => str(n.data['referenceId']) !== undefined).length;
  const also = outbound.length > 0 ? `; outbound: ${outboundEchoed} of ${outbound.length} echoed` : '';
  if (voice.length === 0) return { matched: 'not-observed', summary: 'not observed', detail: `no device or call notification was seen${also}` };
  if (echoed.length > 0) {
    return { matched: 'all', summary: 'seen', detail: `${echoed.length} of ${plural(voice.length, 'device/call notification')} carried a referenceId (${countBy(echoed.map((n) => n.messageType ?? ''))})${also}` };
  }
  return { matched: 'outbound-only', summary: 'none', detail: `none of ${plural(voice.length, 'device/call notification')} carried a referenceId (as documented: only outbound operations echo it)${also}` };
}

function classifyCallIdInReads(read: readonly Obj[], notified: readonly Obj[]): DialectVerdict {
  if (read.length === 0) return { matched: 'not-observed', summary: 'not observed', detail: 'no call was read (GET /api/v2/me/calls listed none; opt in: --probe-dial NUMBER)' };
  const kinds = read.map((call) => {
    const id = str(call['id']);
    if (id !== undefined && id === str(call['callUuid'])) return 'callUuid';
    if (id !== undefined && id === str(call['connId'])) return 'connId';
    return 'other';
  });
  const distinct = [...new Set(kinds)];
  const notifiedUuid = notified.filter((c) => str(c['id']) !== undefined && str(c['id']) === str(c['callUuid'])).length;
  const also = notified.length > 0 ? `; notifications: id = callUuid in ${notifiedUuid} of ${notified.length}` : '';
  const detail = `${plural(read.length, 'call')} read: ${countBy(kinds.map((k) => (k === 'other' ? 'id equal to neither' : `id = ${k}`)))}${also}`;
  if (distinct.length === 1 && distinct[0] !== 'other') return { matched: distinct[0] ?? 'other', summary: `equals ${distinct[0] ?? ''}`, detail };
  if (distinct.length === 1) return { matched: 'other', summary: 'equals neither callUuid nor connId', detail };
  return { matched: 'mixed', summary: 'varies', detail };
}

// ---- configuration -------------------------------------------------------------------------------

function agentStatesOf(input: CompatReportInput): CompatReport['agentStates'] {
  const states = (input.snapshot.user?.agentStates ?? []).map((s) => ({ operationName: s.operationName, displayName: s.displayName, ...(s.reason !== undefined && { reason: s.reason }) }));
  const reply = input.observations.find((o) => o.kind === 'reply' && o.method === 'GET' && o.path === '/api/v2/settings/agent-states');
  const listed = reply?.kind === 'reply' ? obj(reply.body)?.['settings'] : undefined;
  if (!Array.isArray(listed)) return { source: states.length > 0 ? 'server' : 'missing', states, skipped: 0 };
  return { source: states.length > 0 ? 'server' : 'empty', states, skipped: Math.max(0, listed.length - states.length) };
}

function workspaceOf(snapshot: AgentSnapshot): CompatReport['workspace'] {
  const settings: JsonObject = snapshot.user?.settings ?? {};
  const section = settings[WORKSPACE_SECTION];
  const present = section !== null && typeof section === 'object' && !Array.isArray(section);
  const options = workspaceOptions(settings);
  const { callResults, source } = readCallResults(options, silentLogger);
  const ignored = optionList(options[CALL_RESULT_VALUES_OPTION]).filter((name) => !Object.hasOwn(OCS_CALL_RESULTS, name));
  const configuredDefault = options[CALL_RESULT_DEFAULT_OPTION];
  const keyOption = options[DISPOSITION_KEY_OPTION];
  const known = new Set([CALL_RESULT_VALUES_OPTION, CALL_RESULT_DEFAULT_OPTION, DISPOSITION_KEY_OPTION, DISPOSITION_VALUES_OPTION, TIMED_PREVIEW_OPTION, PUSHED_RECORD_BELL_OPTION]);
  const pacing = readPreviewPacing(options);
  const raw = (value: JsonObject[string] | undefined) => (value === undefined || value === null ? undefined : String(value).slice(0, 80));
  const timedOption = raw(options[TIMED_PREVIEW_OPTION]);
  const bellOption = raw(options[PUSHED_RECORD_BELL_OPTION]);
  return {
    present,
    callResults: { values: snapshot.user?.callResults ?? callResults, source, ignored },
    defaultCallResult: {
      ...(typeof configuredDefault === 'string' && configuredDefault.trim() !== '' && { configured: configuredDefault.trim() }),
      ...(snapshot.user?.defaultCallResult !== undefined && { used: snapshot.user.defaultCallResult }),
    },
    disposition: {
      key: snapshot.user?.dispositions.key ?? 'DispositionCode',
      keySource: typeof keyOption === 'string' && keyOption.trim() !== '' ? 'workspace' : 'default',
      values: snapshot.user?.dispositions.values ?? [],
    },
    previewPacing: {
      ...(pacing?.autoDialSeconds !== undefined && { autoDialSeconds: pacing.autoDialSeconds }),
      ...(pacing?.alertSound !== undefined && { alertSound: pacing.alertSound }),
      ...(timedOption !== undefined && { timedOption }),
      ...(bellOption !== undefined && { bellOption }),
    },
    otherOptions: Object.keys(options).filter((k) => !known.has(k)).sort(),
  };
}

function campaignsOf(input: CompatReportInput, seen: readonly SeenNotification[], before: number): CompatReport['campaigns'] {
  const configured = new Set(input.configuredCampaigns ?? []);
  const campaignName = (n: SeenNotification): string | undefined => str(obj(n.data['campaign'])?.['name']);
  const recordNames = new Set(
    seen.flatMap((n) => recordsOf(n).map((r) => str(r['campaignName']) ?? str(obj(r['userData'])?.['GSW_CAMPAIGN_NAME']))).filter((x): x is string => x !== undefined),
  );
  return Object.values(input.snapshot.campaigns)
    .map((c) => {
      const messages = seen.filter((n) => n.messageType === 'OutboundCampaignMessage' && campaignName(n) === c.name);
      const source: CampaignSource = messages.some((n) => n.index < before && REPLAY_TYPES.has(n.notificationType ?? ''))
        ? 'announced-on-sign-in'
        : messages.length > 0
          ? 'announced-later'
          : recordNames.has(c.name)
            ? 'learnt-from-record'
            : configured.has(c.name)
              ? 'configured'
              : 'remembered-or-configured';
      return { name: c.name, dialingMode: c.dialingMode, state: c.state, source };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function warningsOf(report: Omit<CompatReport, 'warnings'>): string[] {
  const w: string[] = [];
  if (report.agentStates.states.length === 0) w.push('No agent states: agents will see no Not Ready reasons (GET /api/v2/settings/agent-states missing or empty).');
  if (report.agentStates.skipped > 0) w.push(`${plural(report.agentStates.skipped, 'agent state')} without an operationName ignored.`);
  if (!report.workspace.present) w.push(`No "${WORKSPACE_SECTION}" section in /api/v2/me settings: call results fall back to the OCS table, disposition key to DispositionCode, no disposition codes.`);
  else if (report.workspace.callResults.source === 'ocs-table') w.push(`${CALL_RESULT_VALUES_OPTION} missing or without an OCS call result name: agents are offered the OCS table.`);
  if (report.workspace.callResults.ignored.length > 0) w.push(`${CALL_RESULT_VALUES_OPTION} names that are not OCS call results, ignored: ${report.workspace.callResults.ignored.join(', ')}.`);
  const d = report.workspace.defaultCallResult;
  if (d.configured !== undefined && d.used === undefined) w.push(`${CALL_RESULT_DEFAULT_OPTION} "${d.configured}" is not among the offered call results: no result is preselected (OCS records Unknown when none is sent).`);
  if (report.workspace.present && report.workspace.disposition.values.length === 0) w.push(`${DISPOSITION_VALUES_OPTION} is empty: agents are offered no disposition codes.`);
  if (report.campaigns.length === 0) w.push('No campaign known: unless the server announces campaigns, agents need campaign names configured by IT.');
  if (report.serverVersion.ok === false) w.push(`Server version unknown: ${report.serverVersion.reason}.`);
  for (const p of report.probes) if (!p.ok) w.push(`Probe "${p.name}" failed: ${p.detail}`);
  return w;
}

/** The structured report. Pure: never throws on what a server sent. */
export function buildCompatReport(input: CompatReportInput): CompatReport {
  const seen = notifications(input.observations);
  const before = firstOutboundOperation(input.observations);
  const device = input.snapshot.device;
  const base: Omit<CompatReport, 'warnings'> = {
    server: input.server,
    user: input.user,
    ...(input.place !== undefined && input.place !== '' && { place: input.place }),
    signIn: { ok: true, ...(device && { device: { dn: device.dn, userState: device.userState.displayName || device.userState.state } }) },
    serverVersion: input.serverVersion,
    agentStates: agentStatesOf(input),
    workspace: workspaceOf(input.snapshot),
    campaigns: campaignsOf(input, seen, before),
    dialects: {
      errors: classifyErrors(seen),
      participants: classifyParticipants([...notifiedCalls(seen), ...readCalls(input.observations)]),
      records: classifyRecords(seen),
      campaignReplay: classifyCampaignReplay(seen, before),
      referenceIdEcho: classifyReferenceIdEcho(seen),
      callIdInReads: classifyCallIdInReads(readCalls(input.observations), notifiedCalls(seen)),
    },
    probes: [...(input.probes ?? [])],
  };
  return { ...base, warnings: warningsOf(base) };
}

/** The simulator flag that reproduces what was observed (only the behaviours that were decided). */
export function simulatorDialect(report: CompatReport): string {
  const decided = DIALECT_ORDER.map((k) => [k, report.dialects[k].matched] as const).filter(([, v]) => v !== 'not-observed' && v !== 'mixed' && v !== 'other');
  return decided.map(([k, v]) => `${k}=${v}`).join(',');
}

// ---- text ----------------------------------------------------------------------------------------

const SOURCE_WORDS: Record<CampaignSource, string> = {
  'announced-on-sign-in': 'announced by the server on sign-in',
  'announced-later': 'not announced on sign-in; named by the server later (e.g. PreviewSessionStarted)',
  'learnt-from-record': 'learnt from a record that names it',
  configured: 'configured only (not announced by the server)',
  'remembered-or-configured': 'remembered or configured only (not announced by the server)',
};

function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => `${indent}${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd());
}

export function formatCompatReport(r: CompatReport): string {
  const lines: string[] = [];
  lines.push(`GWS compatibility check: ${r.server} as ${r.user}${r.place ? ` (place ${r.place})` : ''}`);
  lines.push(`Sign-in: OK${r.signIn.device ? ` (device ${r.signIn.device.dn}, ${r.signIn.device.userState})` : ' (no device reported)'}`);
  lines.push(`Server version: ${r.serverVersion.ok ? r.serverVersion.version : `unknown (${r.serverVersion.reason})`}`);
  lines.push('');

  if (r.agentStates.states.length === 0) {
    lines.push('Agent states: none (GET /api/v2/settings/agent-states missing or empty: agents will see no Not Ready reasons)');
    lines.push(`  the GET ${r.agentStates.source === 'empty' ? 'answered an empty list' : 'failed or had no settings array'}`);
  } else {
    lines.push(`Agent states (GET /api/v2/settings/agent-states): ${r.agentStates.states.length}`);
    lines.push(...table(r.agentStates.states.map((s) => [s.operationName, s.displayName, s.reason !== undefined ? `reason ${s.reason}` : 'no reason'])));
    if (r.agentStates.skipped > 0) lines.push(`  (${plural(r.agentStates.skipped, 'entry')} without an operationName ignored)`);
  }
  lines.push('');

  const w = r.workspace;
  lines.push(`Workspace options (settings["${WORKSPACE_SECTION}"] of /api/v2/me): ${w.present ? 'found' : 'none'}`);
  lines.push(
    `  call results:      ${w.callResults.values.join(', ')}`,
    `                     ${w.callResults.source === 'workspace' ? `from Workspace (${CALL_RESULT_VALUES_OPTION})` : `from the OCS fallback table (${CALL_RESULT_VALUES_OPTION} missing or unusable)`}`,
  );
  if (w.callResults.ignored.length > 0) lines.push(`                     ignored (not OCS names): ${w.callResults.ignored.join(', ')}`);
  const d = w.defaultCallResult;
  lines.push(
    `  default result:    ${d.used ?? 'none preselected'}${d.configured !== undefined ? ` (${CALL_RESULT_DEFAULT_OPTION} = ${d.configured}${d.used === undefined ? ', not an offered result' : ''})` : ` (${CALL_RESULT_DEFAULT_OPTION} not set)`}`,
  );
  lines.push(`  disposition key:   ${w.disposition.key} (${w.disposition.keySource === 'workspace' ? DISPOSITION_KEY_OPTION : 'default: not configured'})`);
  lines.push(`  disposition codes: ${w.disposition.values.length > 0 ? w.disposition.values.join(', ') : 'none'}`);
  const p = w.previewPacing;
  lines.push(
    `  automatic dial:    ${p.autoDialSeconds ? `after ${p.autoDialSeconds} s` : 'off'} (${p.timedOption !== undefined ? `${TIMED_PREVIEW_OPTION} = ${p.timedOption}${p.autoDialSeconds === undefined ? ', not a number of seconds: ignored' : ''}` : `${TIMED_PREVIEW_OPTION} not set`}; IT's policy wins)`,
    `  pushed record:     ${p.alertSound ?? 'chord (default)'} (${p.bellOption !== undefined ? `${PUSHED_RECORD_BELL_OPTION} = ${p.bellOption}` : `${PUSHED_RECORD_BELL_OPTION} not set`})`,
  );
  if (w.otherOptions.length > 0) lines.push(`  other options:     ${w.otherOptions.join(', ')}`);
  lines.push('');

  if (r.campaigns.length === 0) lines.push('Campaigns: none known');
  else {
    lines.push(`Campaigns: ${r.campaigns.length}`);
    lines.push(...table(r.campaigns.map((c) => [c.name, c.dialingMode, SOURCE_WORDS[c.source]])));
  }
  lines.push('');

  lines.push('Dialects (what this server sent; docs/gws-compatibility.md):');
  const rows = table(DIALECT_ORDER.map((k) => [DIALECT_TITLES[k], r.dialects[k].summary, r.dialects[k].matched === 'not-observed' ? '' : `[${k}=${r.dialects[k].matched}]`]));
  DIALECT_ORDER.forEach((k, i) => lines.push(rows[i] ?? '', `      ${r.dialects[k].detail}`));
  const flag = simulatorDialect(r);
  if (flag !== '') lines.push(`  to rehearse on the simulator: npm run sim -- --dialect ${flag}`);
  lines.push('');

  if (r.probes.length === 0) lines.push('Probes: none (opt in: --probe-dial NUMBER, --probe-error NUMBER, --probe-record CAMPAIGN)');
  else {
    lines.push('Probes:');
    lines.push(...table(r.probes.map((p) => [p.ok ? 'ok' : 'FAILED', p.name, p.detail])));
  }
  lines.push('');

  if (r.warnings.length === 0) lines.push('Warnings: none');
  else {
    lines.push('Warnings:');
    for (const warning of r.warnings) lines.push(`  - ${warning}`);
  }
  return `${lines.join('\n')}\n`;
}
