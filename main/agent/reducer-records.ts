/**
 * The preview-record part of the pure reducer: the record in hand and its chain, its lifecycle
 * along with the call that dials it, what the server already knows about its result, and edits
 * the server accepted. Same rules as reducer.ts: pure, never mutates, keeps unchanged references.
 */
import type { WireRecord } from '../gws/schemas';
import { callResultName } from '../../preload/call-result-codes';
import { optional, sameJson, toJsonObject } from './json';
import type { AgentSnapshot, CallSnapshot, EpochMs, JsonObject, OutboundRecordSnapshot, PreviewPhase, PreviewRecordSnapshot } from './snapshot';

/** A call in one of these states is over: GWS no longer lists it, so neither does the snapshot. */
export const ENDED_CALL_STATES: ReadonlySet<string> = new Set(['Released', 'Completed']);

const ENDING_ACKNOWLEDGEMENTS = new Set([
  'RecordProcessedAcknowledge',
  'RecordRejectAcknowledge',
  'RecordCancelAcknowledge',
  'DoNotCallAcknowledge',
  'ScheduledRecordRescheduleAcknowledge',
]);

/** Fields of a record the agent may edit (UpdateRecord), as the server accepted them. */
export interface RecordEdit {
  phoneNumber?: string;
  phoneType?: string;
  timeZone?: string;
  otherFields?: JsonObject;
}

/** Why a call the server released ended, when its release data says (`GSW_CALL_RESULT`: Busy, NoAnswer, AnsweringMachine…). */
export function callEndReason(call: Pick<CallSnapshot, 'userData'>): string | undefined {
  return callResultName(call.userData['GSW_CALL_RESULT']);
}

export function applyRecordMessage(s: AgentSnapshot, type: string, records: WireRecord[], handle: string | undefined, at: EpochMs): AgentSnapshot {
  const p = s.previewRecord;
  if (type === 'PreviewRecord') {
    const record = records[0];
    if (!record) return s;
    const snap = toRecord(record);
    const campaignName = snap.campaignName ?? p.campaignName;
    const known = callResultName(snap.userData['GSW_CALL_RESULT']);
    return withPreview(s, {
      phase: 'offered',
      since: at,
      ...optional('campaignName', campaignName),
      record: snap,
      chainedRecords: [],
      ...optional('serverCallResult', known),
      // Not asked for (no GetPreviewRecord in flight): pushed by the campaign or a scheduled callback.
      ...(p.phase !== 'requested' && { pushed: true }),
      lastNotification: type,
    });
  }
  if (type === 'NoRecordsAvailable') {
    return withPreview(s, { phase: 'idle', since: at, ...optional('campaignName', p.campaignName), chainedRecords: [], lastNotification: type });
  }
  if (type === 'ChainedRecord' || type === 'ChainedRecords') {
    const known = new Set([p.record, ...p.chainedRecords].filter((r) => r !== undefined).map((r) => String(r.recordHandle)));
    const added = records.map(toRecord).filter((r) => !known.has(String(r.recordHandle)));
    return withPreview(s, { ...p, chainedRecords: [...p.chainedRecords, ...added], lastNotification: type });
  }
  const current = p.record ? String(p.record.recordHandle) : undefined;
  const matches = handle === undefined || current === undefined || handle === current;
  if (ENDING_ACKNOWLEDGEMENTS.has(type) && matches && p.record) {
    const next = withPreview(s, { ...p, phase: 'done', since: at, lastNotification: type });
    return type === 'RecordProcessedAcknowledge' && p.callResult ? stampHistoryResult(next, current, p.callResult) : next;
  }
  if (ENDING_ACKNOWLEDGEMENTS.has(type) && handle !== undefined && p.chainedRecords.some((r) => String(r.recordHandle) === handle)) {
    // Another number of the chain was closed on its own (Do not call → this number only): it can no longer be dialled.
    return withPreview(s, { ...p, chainedRecords: p.chainedRecords.filter((r) => String(r.recordHandle) !== handle), lastNotification: type });
  }
  return withPreview(s, { ...p, lastNotification: type });
}

export function stampHistoryResult(s: AgentSnapshot, handle: string | undefined, callResult: string): AgentSnapshot {
  if (handle === undefined) return s;
  const index = s.callHistory.findIndex((h) => h.recordHandle === handle);
  const entry = s.callHistory[index];
  if (!entry) return s;
  const callHistory = [...s.callHistory];
  callHistory[index] = { ...entry, result: callResult };
  return { ...s, callHistory };
}

/** The automatic Dial's countdown on the record offered now (another record, or none offered: unchanged). */
export function applyAutoDial(s: AgentSnapshot, handle: string, autoDial: { at: EpochMs; seconds: number } | undefined): AgentSnapshot {
  const p = s.previewRecord;
  if (!p.record || String(p.record.recordHandle) !== handle) return s;
  if (sameJson(p.autoDial, autoDial)) return s;
  const { autoDial: _previous, ...rest } = p;
  return withPreview(s, autoDial && p.phase === 'offered' ? { ...rest, autoDial } : rest);
}

/** Moves the preview lifecycle along with the call that dials the current record. */
export function trackPreviewCall(s: AgentSnapshot, call: CallSnapshot, at: EpochMs): AgentSnapshot {
  const p = s.previewRecord;
  if (!p.record || call.recordHandle === undefined || call.recordHandle !== String(p.record.recordHandle)) return s;
  if (p.phase === 'completing' || p.phase === 'done' || p.phase === 'idle') return s;
  let phase: PreviewPhase = p.phase;
  const ended = ENDED_CALL_STATES.has(call.state);
  if (ended) phase = 'wrap-up';
  else if (call.state === 'Established' || call.state === 'Held') phase = 'on-call';
  else if (p.phase !== 'on-call' && p.phase !== 'wrap-up') phase = 'dialing';
  // The server's result for the call (busy, no answer, answering machine) is kept until wrap-up reads it.
  const serverCallResult = ended ? (callEndReason(call) ?? p.serverCallResult) : p.serverCallResult;
  const answered = p.answered === true || call.establishedAt !== undefined || call.state === 'Established' || call.state === 'Held';
  if (phase === p.phase && p.callId === call.id && serverCallResult === p.serverCallResult && answered === (p.answered === true)) return s;
  return withPreview(s, { ...p, phase, since: phase === p.phase ? p.since : at, callId: call.id, ...optional('serverCallResult', serverCallResult), ...(answered && { answered: true }) });
}

/**
 * The agent dials another number of the chain: each number is its own record, so that record
 * becomes the one in hand (the outcome, do-not-call and the call's result act on it) and the
 * number it replaces goes back to the chain.
 */
export function dialChainedRecord(p: PreviewRecordSnapshot, handle: string, at: EpochMs): PreviewRecordSnapshot | undefined {
  if (!p.record || p.phase !== 'offered') return undefined;
  const chained = p.chainedRecords.find((r) => String(r.recordHandle) === handle);
  if (!chained) return undefined;
  const rest = p.chainedRecords.filter((r) => r !== chained);
  const { serverCallResult: _theOtherNumbers, ...base } = p;
  const known = callResultName(chained.userData['GSW_CALL_RESULT']);
  return { ...base, phase: 'dialing', since: at, record: chained, chainedRecords: [p.record, ...rest], ...optional('serverCallResult', known) };
}

/** An UpdateRecord the server confirmed: the record (in hand or of its chain) shows the new values. */
export function applyRecordEdit(s: AgentSnapshot, handle: string, edit: RecordEdit): AgentSnapshot {
  const p = s.previewRecord;
  const update = (r: OutboundRecordSnapshot): OutboundRecordSnapshot => {
    if (String(r.recordHandle) !== handle) return r;
    const otherFields = { ...r.otherFields, ...(edit.otherFields ?? {}) };
    const top = { ...optional('phoneNumber', edit.phoneNumber), ...optional('phoneType', edit.phoneType), ...optional('timeZone', edit.timeZone) };
    // The Dial posts `wire` back: it must carry the new values too.
    const wire: JsonObject = { ...r.wire, ...toJsonObject(top), ...(edit.otherFields !== undefined && { otherFields: otherFields }) };
    return { ...r, ...top, otherFields, wire };
  };
  if (!p.record) return s;
  const record = update(p.record);
  const chainedRecords = p.chainedRecords.map(update);
  return withPreview(s, { ...p, record, chainedRecords });
}

export function withPreview(s: AgentSnapshot, previewRecord: PreviewRecordSnapshot): AgentSnapshot {
  // The automatic Dial's countdown belongs to an offered record only: dialled, set aside or closed, it stops.
  if (previewRecord.autoDial && previewRecord.phase !== 'offered') {
    const { autoDial: _stopped, ...rest } = previewRecord;
    previewRecord = rest;
  }
  return sameJson(s.previewRecord, previewRecord) ? s : { ...s, previewRecord };
}

export function toRecord(wire: WireRecord): OutboundRecordSnapshot {
  const json = toJsonObject(wire);
  const { userData: _userData, ...rest } = json;
  return {
    recordHandle: wire.recordHandle,
    ...optional('chainId', wire.chainId),
    phoneNumber: wire.phoneNumber ?? '',
    ...optional('phoneType', wire.phoneType),
    ...optional('campaignName', wire.campaignName),
    ...optional('callingList', wire.callingList),
    ...optional('applicationId', wire.applicationId),
    ...optional('outboundCallerId', wire.outboundCallerId),
    ...optional('timeZone', wire.timeZone),
    otherFields: toJsonObject(wire.otherFields ?? {}),
    userData: toJsonObject(wire.userData ?? {}),
    wire: rest,
  };
}
