/**
 * The pure reducer: `reduce(snapshot, event) → snapshot`. No I/O, no clock (events carry `at`),
 * never mutates its input, keeps the references of unchanged parts (so `changes` can be computed
 * by identity) and never throws on any event the decoder can produce.
 */
import type { GwsNotification } from '../gws/decode';
import type { ErrorInfo } from '../gws/errors';
import type { WireCall, WireCampaign, WireDevice, WireRecord } from '../gws/schemas';
import type { AgentEvent } from './events';
import type {
  AgentSnapshot,
  AgentStateOption,
  CallHistoryEntry,
  CallSnapshot,
  CampaignSnapshot,
  DeviceSnapshot,
  EpochMs,
  LastError,
  PendingOperation,
  SnapshotKey,
} from './snapshot';
import { CALL_HISTORY_LIMIT, initialSnapshot } from './snapshot';
import { optional, own, sameJson, setOwn, toJsonObject, without } from './json';
import { applyRecordEdit, applyRecordMessage, callEndReason, dialChainedRecord, ENDED_CALL_STATES, stampHistoryResult, trackPreviewCall, withPreview, applyAutoDial } from './reducer-records';

export { ENDED_CALL_STATES, toRecord } from './reducer-records';
export { toJsonObject, toJsonValue } from './json';

export function reduce(snapshot: AgentSnapshot, event: AgentEvent): AgentSnapshot {
  switch (event.type) {
    case 'connection': {
      if (snapshot.connection.state === event.state && snapshot.connection.reason === event.reason) return snapshot;
      // The outage began when the state first stopped being confirmed; it ends once connected (re-read).
      const unconfirmed = event.state === 'reconnecting' || event.state === 'resyncing';
      const offlineSince = unconfirmed ? (snapshot.connection.offlineSince ?? event.at) : undefined;
      return {
        ...snapshot,
        connection: { state: event.state, ...(event.reason !== undefined && { reason: event.reason }), since: event.at, ...(offlineSince !== undefined && { offlineSince }) },
      };
    }
    case 'me-loaded': {
      const next = { ...snapshot, user: event.user };
      return applyDevices(next, event.devices, event.at);
    }
    case 'agent-states-loaded':
      return snapshot.user ? { ...snapshot, user: { ...snapshot.user, agentStates: event.agentStates } } : snapshot;
    case 'devices-read':
      return applyDevices(snapshot, event.devices, event.at);
    case 'calls-read':
      return settleDialWithoutCall(applyCallList(snapshot, event.calls, event.at), event.at);
    case 'notification':
      return applyNotification(snapshot, event.notification, event.at);
    case 'operation-started':
      return startOperation(snapshot, event.operation, event.at, event.campaignName, event.callResult);
    case 'operation-accepted': {
      const op = own(snapshot.pendingOperations, event.referenceId);
      if (!op || op.status === 'accepted') return snapshot;
      return { ...snapshot, pendingOperations: { ...snapshot.pendingOperations, [event.referenceId]: { ...op, status: 'accepted' } } };
    }
    case 'operation-failed':
      return failOperation(snapshot, event.referenceId, event.error, event.at);
    case 'operation-confirmed':
      return settle(snapshot, event.referenceId);
    case 'campaigns-known': {
      const added = event.campaigns.filter((c) => !own(snapshot.campaigns, c.name));
      if (added.length === 0) return snapshot;
      const campaigns = { ...snapshot.campaigns };
      for (const c of added) setOwn(campaigns, c.name, c);
      return { ...snapshot, campaigns };
    }
    case 'operation-expired': {
      if (!own(snapshot.pendingOperations, event.referenceId)) return snapshot;
      const expired = snapshot.pendingOperations[event.referenceId];
      const next = { ...snapshot, pendingOperations: without(snapshot.pendingOperations, event.referenceId) };
      // The PreviewRecord (or NoRecordsAvailable) never came (lost with the link): ask again rather than wait forever.
      if (expired?.operationName === 'GetPreviewRecord' && next.previewRecord.phase === 'requested') {
        return withPreview(next, { ...next.previewRecord, phase: 'idle', since: event.at });
      }
      return next;
    }
    case 'outbox':
      return applyOutbox(snapshot, event);
    case 'resource-gone':
      return { ...dropGone(snapshot, event.target, event.id, event.at), lastError: lastError({ code: 'GONE', message: event.message }, event.at) };
    case 'error':
      return { ...snapshot, lastError: lastError(event.error, event.at) };
    case 'record-edited':
      return applyRecordEdit(snapshot, event.recordHandle, event.edit);
    case 'preview-auto-dial':
      return applyAutoDial(snapshot, event.recordHandle, event.autoDial);
    case 'work-rules':
      return sameJson(snapshot.workRules, event.rules) ? snapshot : { ...snapshot, workRules: event.rules };
    case 'clear-error':
      return snapshot.lastError === null ? snapshot : { ...snapshot, lastError: null };
    case 'signed-out': {
      const fresh = initialSnapshot(event.at);
      let history = snapshot.callHistory;
      for (const call of Object.values(snapshot.calls)) history = addHistory(history, call, event.at);
      return {
        ...fresh,
        connection: { state: 'signed-out', reason: event.reason, since: event.at },
        user: snapshot.user,
        lastError: snapshot.lastError,
        callHistory: history,
        // Undelivered record outcomes survive the session: they are sent on the next sign-in.
        outbox: snapshot.outbox ?? [],
        outboxStorageError: snapshot.outboxStorageError ?? null,
        ...optional('workRules', snapshot.workRules),
      };
    }
    default:
      return snapshot;
  }
}

/** The top-level keys whose value changed (by identity: the reducer keeps unchanged references). */
export function changedKeys(before: AgentSnapshot, after: AgentSnapshot): SnapshotKey[] {
  if (before === after) return [];
  return (Object.keys(after) as SnapshotKey[]).filter((key) => before[key] !== after[key]);
}

// ---- notifications ------------------------------------------------------------------------------

function applyNotification(s: AgentSnapshot, n: GwsNotification, at: EpochMs): AgentSnapshot {
  switch (n.kind) {
    case 'call':
      return settle(applyCall(s, n.call, at, wrapUpTimeOf(n.extensions)), n.referenceId);
    case 'devices':
      return settle(applyDevices(s, n.devices, at), n.referenceId);
    case 'campaign':
      return settle(applyCampaign(s, n.notificationType, n.campaign), n.referenceId);
    case 'record':
      return settle(learnCampaigns(applyRecordMessage(s, n.notificationType, n.records, n.recordHandle, at), n.records, n.notificationType === 'PreviewRecord'), n.referenceId);
    case 'error': {
      if (n.referenceId !== undefined && own(s.pendingOperations, n.referenceId)) {
        return failOperation(s, n.referenceId, { code: 'SERVER', message: n.message, referenceId: n.referenceId }, at);
      }
      return { ...s, lastError: lastError({ code: 'SERVER', message: n.message, ...(n.referenceId !== undefined && { referenceId: n.referenceId }) }, at) };
    }
    default:
      return s;
  }
}

/**
 * A notification echoing an operation's referenceId confirms it: it is no longer pending. An error
 * a failed operation of the same kind left is gone with it (issue 12 #9: a later Dial that works
 * clears "invalid destination").
 */
function settle(s: AgentSnapshot, referenceId: string | undefined): AgentSnapshot {
  const op = referenceId === undefined ? undefined : own(s.pendingOperations, referenceId);
  if (referenceId === undefined || !op) return s;
  const solved = s.lastError?.operationName !== undefined && s.lastError.operationName === op.operationName;
  return { ...s, pendingOperations: without(s.pendingOperations, referenceId), ...(solved && { lastError: null }) };
}

// ---- calls --------------------------------------------------------------------------------------

/**
 * Does this id name the call? A call's `id` may equal its `connId` in one reply and its `callUuid`
 * in another (gws-api.md §4): a call is matched by any of the three.
 */
function isSameCall(call: Pick<CallSnapshot, 'id' | 'callUuid' | 'connId'>, id: string | undefined): boolean {
  return id !== undefined && id !== '' && (call.id === id || call.callUuid === id || call.connId === id);
}

/** The known call a wire call is (by id, callUuid or connId). */
function findCall(calls: Record<string, CallSnapshot>, wire: Pick<WireCall, 'id' | 'callUuid' | 'connId'>): CallSnapshot | undefined {
  const direct = own(calls, wire.id);
  if (direct) return direct;
  return Object.values(calls).find((c) => isSameCall(c, wire.id) || isSameCall(c, wire.callUuid) || isSameCall(c, wire.connId));
}

const RECORDING_ON = /^(recording|started|start|on|active|true|resumed)$/i;
const RECORDING_OFF = /^(stopped|stop|off|inactive|false|paused|none|notrecording)$/i;

/** Whether a call is recorded: its `recordingState` when readable, else what its capabilities offer. */
export function isRecording(state: string | undefined, capabilities: readonly string[]): boolean {
  const value = state?.trim() ?? '';
  if (RECORDING_ON.test(value)) return true;
  if (RECORDING_OFF.test(value)) return false;
  return capabilities.includes('StopCallRecording') && !capabilities.includes('StartCallRecording');
}

/** `extensions.WrapUpTime` in seconds (a number or a numeric string), when usable. */
function wrapUpTimeOf(extensions: Record<string, unknown> | undefined): number | undefined {
  const raw = extensions?.['WrapUpTime'];
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

function applyCall(s: AgentSnapshot, wire: WireCall, at: EpochMs, wrapUpTime?: number): AgentSnapshot {
  const prev = findCall(s.calls, wire);
  const call = toCall(wire, prev, at, wrapUpTime);
  if (ENDED_CALL_STATES.has(call.state)) {
    if (!prev) return s;
    return endCalls(s, [call], at);
  }
  const next = { ...s, calls: { ...s.calls, [call.id]: call } };
  return trackPreviewCall(next, call, at);
}

/** Replaces the calls with the server's list (recovery). Calls not listed are over. */
function applyCallList(s: AgentSnapshot, wires: WireCall[], at: EpochMs): AgentSnapshot {
  const calls: Record<string, CallSnapshot> = {};
  for (const wire of wires) {
    const call = toCall(wire, findCall(s.calls, wire), at);
    if (!ENDED_CALL_STATES.has(call.state)) setOwn(calls, call.id, call);
  }
  const ended = Object.values(s.calls)
    .filter((c) => !own(calls, c.id))
    .map((c) => ({ ...c, state: 'Released', stateSince: at }));
  let next: AgentSnapshot = { ...s, calls: sameJson(calls, s.calls) ? s.calls : calls };
  for (const call of Object.values(calls)) next = trackPreviewCall(next, call, at);
  next = endCalls(next, ended, at, true);
  return changedKeys(s, next).length === 0 ? s : next;
}

function endCalls(s: AgentSnapshot, ended: CallSnapshot[], at: EpochMs, alreadyRemoved = false): AgentSnapshot {
  if (ended.length === 0) return s;
  let calls = s.calls;
  if (!alreadyRemoved) {
    calls = { ...calls };
    for (const call of ended) delete calls[call.id];
  }
  let history = s.callHistory;
  let next: AgentSnapshot = { ...s, calls };
  for (const call of ended) {
    history = addHistory(history, call, at);
    next = trackPreviewCall(next, call, at);
  }
  return { ...next, callHistory: history };
}

function toCall(wire: WireCall, prev: CallSnapshot | undefined, at: EpochMs, wrapUpTime?: number): CallSnapshot {
  const userData = toJsonObject(wire.userData);
  const handle = userData['GSW_RECORD_HANDLE'];
  const campaign = userData['GSW_CAMPAIGN_NAME'];
  const recordHandle = typeof handle === 'string' || typeof handle === 'number' ? String(handle) : prev?.recordHandle;
  const campaignName = typeof campaign === 'string' ? campaign : prev?.campaignName;
  const establishedAt = prev?.establishedAt ?? (wire.state === 'Established' ? at : undefined);
  return {
    // The first id seen stays the call's key: a later reply may name it by its other id.
    id: prev?.id ?? wire.id,
    state: wire.state,
    stateSince: prev && prev.state === wire.state ? prev.stateSince : at,
    startedAt: prev?.startedAt ?? at,
    ...(establishedAt !== undefined && { establishedAt }),
    callType: wire.callType ?? prev?.callType ?? 'Internal',
    ...optional('callUuid', wire.callUuid ?? prev?.callUuid),
    ...optional('connId', wire.connId ?? prev?.connId),
    participants: wire.participants.map((p) => ({
      phoneNumber: p.phoneNumber ?? p.formattedPhoneNumber ?? p.digits ?? p.e164Number ?? '',
      ...optional('formattedPhoneNumber', p.formattedPhoneNumber),
      ...optional('name', p.name),
    })),
    ...optional('ani', wire.ani ?? prev?.ani),
    ...optional('dnis', wire.dnis ?? prev?.dnis),
    capabilities: [...wire.capabilities],
    userData,
    ...optional('duration', wire.duration !== undefined && Number.isFinite(wire.duration) ? wire.duration : prev?.duration),
    muted: wire.mute === 'On',
    ...optional('recordHandle', recordHandle),
    ...optional('campaignName', campaignName),
    ...optional('recordingState', wire.recordingState ?? prev?.recordingState),
    recording: isRecording(wire.recordingState ?? prev?.recordingState, wire.capabilities),
    ...optional('wrapUpTime', wrapUpTime ?? prev?.wrapUpTime),
  };
}

function addHistory(history: CallHistoryEntry[], call: CallSnapshot, at: EpochMs): CallHistoryEntry[] {
  if (history.some((h) => h.callId === call.id)) return history;
  const party = call.participants[0];
  const number = party?.phoneNumber || (call.callType === 'Inbound' ? call.ani : call.dnis) || call.dnis || call.ani || '';
  const since = call.establishedAt ?? at;
  const entry: CallHistoryEntry = {
    callId: call.id,
    ...optional('callUuid', call.callUuid),
    number,
    ...optional('name', party?.name),
    callType: call.callType,
    // Not connected: say why when the server's release data does (Busy, NoAnswer, AnsweringMachine).
    result: call.establishedAt !== undefined ? 'Answered' : call.callType === 'Inbound' ? 'Missed' : (callEndReason(call) ?? 'NotConnected'),
    startedAt: call.startedAt,
    durationSec: call.establishedAt !== undefined ? Math.max(0, Math.round((at - since) / 1000)) : 0,
    ...optional('recordHandle', call.recordHandle),
    endedAt: at,
    ...optional('wrapUpTime', call.wrapUpTime),
  };
  return [entry, ...history].slice(0, CALL_HISTORY_LIMIT);
}

// ---- device -------------------------------------------------------------------------------------

function applyDevices(s: AgentSnapshot, devices: WireDevice[], at: EpochMs): AgentSnapshot {
  if (devices.length === 0) return s;
  const wire = (s.device && devices.find((d) => d.id === s.device?.id)) ?? devices[0];
  if (!wire) return s;
  const prev = s.device && s.device.id === wire.id ? s.device : null;
  const us = wire.userState;
  const prevUs = prev?.userState;
  const reason = us?.reason ?? us?.reasonCode;
  const configured = us && us.state !== 'Ready' ? matchAgentState(s.user?.agentStates ?? [], reason, us.displayName) : undefined;
  const userState = us
    ? {
        ...optional('id', us.id),
        state: us.state,
        displayName: us.displayName ?? us.workMode ?? us.state,
        ...optional('reason', reason),
        ...optional('workMode', us.workMode),
        ...optional('operationName', configured?.operationName),
        since:
          prevUs && prevUs.state === us.state && prevUs.reason === (us.reason ?? us.reasonCode) && prevUs.workMode === us.workMode && prevUs.id === us.id
            ? prevUs.since
            : at,
      }
    : (prevUs ?? { state: 'Unknown', displayName: 'Unknown', since: at });
  const device: DeviceSnapshot = {
    id: wire.id,
    dn: wire.phoneNumber ?? wire.e164Number ?? prev?.dn ?? '',
    ...optional('deviceState', wire.deviceState ?? prev?.deviceState),
    userState,
    doNotDisturb: wire.doNotDisturb !== undefined ? wire.doNotDisturb === 'On' : (prev?.doNotDisturb ?? false),
    capabilities: [...wire.capabilities],
  };
  if (prev && sameJson(prev, device)) return s;
  return { ...s, device };
}

/** The configured agent state a userState is: by its reason (or a reason naming the operation), else by display name. */
function matchAgentState(states: readonly AgentStateOption[], reason: string | undefined, displayName: string | undefined): AgentStateOption | undefined {
  if (reason !== undefined && reason !== '') {
    const byReason = states.find((c) => c.reason === reason) ?? states.find((c) => c.operationName === reason);
    if (byReason) return byReason;
  }
  return displayName !== undefined ? states.find((c) => c.displayName === displayName && c.reason === undefined) : undefined;
}

// ---- campaigns ----------------------------------------------------------------------------------

function applyCampaign(s: AgentSnapshot, notificationType: string, wire: WireCampaign): AgentSnapshot {
  const prev = own(s.campaigns, wire.name);
  if (notificationType === 'CampaignUnloaded') {
    if (!prev) return s;
    return { ...s, campaigns: without(s.campaigns, wire.name) };
  }
  const active =
    notificationType === 'PreviewSessionStarted' ? true : notificationType === 'PreviewSessionEnded' || notificationType === 'CampaignStopped' ? false : (prev?.previewSessionActive ?? false);
  const campaign: CampaignSnapshot = {
    name: wire.name,
    dialingMode: wire.dialingMode ?? prev?.dialingMode ?? 'Preview',
    state: wire.state ?? (notificationType.startsWith('Campaign') ? notificationType.slice('Campaign'.length) : (prev?.state ?? 'Unknown')),
    ...optional('groupName', wire.groupName ?? prev?.groupName),
    ...optional('description', wire.description ?? prev?.description),
    ...optional('applicationId', wire.applicationId ?? prev?.applicationId),
    ...optional('devicePath', wire.devicePath ?? prev?.devicePath),
    previewSessionActive: active,
  };
  if (prev && sameJson(prev, campaign)) return s;
  return { ...s, campaigns: { ...s.campaigns, [campaign.name]: campaign } };
}

/** A record names its campaign (`campaignName` or `GSW_CAMPAIGN_NAME`): a campaign not listed yet is learned from it. */
function learnCampaigns(s: AgentSnapshot, records: WireRecord[], inSession: boolean): AgentSnapshot {
  let next = s;
  for (const record of records) {
    const name = record.campaignName;
    if (name === undefined || name === '' || own(next.campaigns, name)) continue;
    const campaign: CampaignSnapshot = {
      name,
      dialingMode: 'Preview',
      state: 'Started',
      ...optional('applicationId', record.applicationId),
      // A preview record is only handed out within a preview session.
      previewSessionActive: inSession,
    };
    const campaigns = { ...next.campaigns };
    setOwn(campaigns, name, campaign);
    next = { ...next, campaigns };
  }
  return next;
}

// ---- operations ---------------------------------------------------------------------------------

function startOperation(s: AgentSnapshot, op: PendingOperation, at: EpochMs, campaignName?: string, callResult?: string): AgentSnapshot {
  const next = { ...s, pendingOperations: { ...s.pendingOperations, [op.referenceId]: op } };
  const p = s.previewRecord;
  switch (op.operationName) {
    case 'GetPreviewRecord':
      return withPreview(next, { phase: 'requested', since: at, ...optional('campaignName', campaignName ?? op.targetId), chainedRecords: [] });
    case 'Dial':
      if (op.recordHandle !== undefined && p.record && String(p.record.recordHandle) === op.recordHandle && p.phase === 'offered') {
        return withPreview(next, { ...p, phase: 'dialing', since: at });
      }
      if (op.recordHandle !== undefined) {
        const chained = dialChainedRecord(p, op.recordHandle, at);
        if (chained) return withPreview(next, chained);
      }
      return next;
    case 'CompleteRecord':
      if (p.record) return withPreview(next, { ...p, phase: 'completing', since: at, ...optional('callResult', callResult) });
      return next;
    default:
      return next;
  }
}

function failOperation(s: AgentSnapshot, referenceId: string, error: ErrorInfo, at: EpochMs): AgentSnapshot {
  const op = own(s.pendingOperations, referenceId);
  const next: AgentSnapshot = {
    ...s,
    pendingOperations: op ? without(s.pendingOperations, referenceId) : s.pendingOperations,
    lastError: lastError({ ...error, referenceId, ...(op && error.operationName === undefined && { operationName: op.operationName }) }, at),
  };
  const p = next.previewRecord;
  if (op?.operationName === 'Dial' && op.recordHandle !== undefined && p.phase === 'dialing' && !p.callId) {
    return withPreview(next, { ...p, phase: 'offered', since: at });
  }
  if (op?.operationName === 'CompleteRecord' && p.phase === 'completing') {
    const { callResult: _dropped, ...rest } = p;
    return withPreview(next, { ...rest, phase: p.callId ? 'wrap-up' : 'offered', since: at });
  }
  if (op?.operationName === 'GetPreviewRecord' && p.phase === 'requested') {
    return withPreview(next, { ...p, phase: 'idle', since: at });
  }
  return next;
}

// ---- a server that lost its state ----------------------------------------------------------------

/** Drops what the server no longer knows: the agent can go on (get the next record) without signing out. */
function dropGone(s: AgentSnapshot, target: 'record' | 'call' | 'campaign', id: string, at: EpochMs): AgentSnapshot {
  switch (target) {
    case 'call': {
      const call = own(s.calls, id) ?? Object.values(s.calls).find((c) => isSameCall(c, id));
      return call ? endCalls(s, [{ ...call, state: 'Released', stateSince: at }], at) : s;
    }
    case 'record': {
      const p = s.previewRecord;
      if (!p.record || String(p.record.recordHandle) !== id) return s;
      return withPreview(s, { phase: 'idle', since: at, ...optional('campaignName', p.campaignName), chainedRecords: [], lastNotification: 'RecordGone' });
    }
    case 'campaign':
      return own(s.campaigns, id) ? { ...s, campaigns: without(s.campaigns, id) } : s;
  }
}

/**
 * A record shown as being dialled with no call for it and no Dial waiting for a reply: the Dial's
 * confirmation was lost (or its reply timed out) and the server's call list, just read, has no call
 * of it — so nothing is being dialled, and the agent may dial again (never stuck 'dialing').
 */
function settleDialWithoutCall(s: AgentSnapshot, at: EpochMs): AgentSnapshot {
  const p = s.previewRecord;
  if (p.phase !== 'dialing' || p.callId !== undefined || !p.record) return s;
  const handle = String(p.record.recordHandle);
  if (Object.values(s.pendingOperations).some((op) => op.operationName === 'Dial' && op.recordHandle === handle)) return s;
  return withPreview(s, { ...p, phase: 'offered', since: at });
}

// ---- outbox -------------------------------------------------------------------------------------

const ENDING_OUTCOMES = new Set(['CompleteRecord', 'DoNotCallRecord', 'RescheduleRecord']);

function applyOutbox(s: AgentSnapshot, event: Extract<AgentEvent, { type: 'outbox' }>): AgentSnapshot {
  const sameEntries = sameJson(s.outbox ?? [], event.entries);
  let next: AgentSnapshot = sameEntries ? s : { ...s, outbox: event.entries };
  if ((s.outboxStorageError ?? null) !== event.storageError) next = { ...next, outboxStorageError: event.storageError };
  const p = next.previewRecord;
  const current = p.record ? String(p.record.recordHandle) : undefined;
  const queued = event.queued;
  if (queued && queued.operationName === 'CompleteRecord' && queued.recordHandle === current && p.phase !== 'done' && p.phase !== 'completing') {
    next = withPreview(next, { ...p, phase: 'completing', since: event.at, ...optional('callResult', queued.callResult) });
  }
  const delivered = event.delivered;
  if (delivered && ENDING_OUTCOMES.has(delivered.operationName) && delivered.recordHandle === current && next.previewRecord.phase !== 'done') {
    const q = next.previewRecord;
    next = withPreview(next, { ...q, phase: 'done', since: event.at });
    if (delivered.operationName === 'CompleteRecord' && q.callResult) next = stampHistoryResult(next, current, q.callResult);
  }
  // `completing` lasts while the outcome is on its way: once it failed, or the agent discarded it,
  // the record is back where it was, so the agent can choose again (never a dead end).
  const r = next.previewRecord;
  if (r.phase === 'completing' && !event.entries.some((e) => e.recordHandle === current && ENDING_OUTCOMES.has(e.operationName) && e.state !== 'failed')) {
    const { callResult: _dropped, ...rest } = r;
    next = withPreview(next, { ...rest, phase: r.callId ? 'wrap-up' : 'offered', since: event.at });
  }
  return next;
}

function lastError(error: ErrorInfo, at: EpochMs): LastError {
  return { ...error, at };
}

