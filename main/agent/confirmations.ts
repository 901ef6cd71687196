/**
 * How each operation's result shows when no `referenceId` is echoed (gws-api.md §4: only outbound
 * operations are documented to echo it). Pure: built from the snapshot at the time the operation is
 * sent, evaluated against each notification after the reducer applied it.
 */
import type { GwsNotification } from '../gws/decode';
import type { WireCall } from '../gws/schemas';
import type { Confirmation } from './pending';
import type { AgentSnapshot, AgentStateOption } from './snapshot';

/** Every id the call is known by now (its key, callUuid, connId): a later message may use any of them. */
function callIds(snapshot: AgentSnapshot, callId: string): Set<string> {
  const call = Object.hasOwn(snapshot.calls, callId) ? snapshot.calls[callId] : undefined;
  return new Set([callId, call?.callUuid, call?.connId].filter((x): x is string => typeof x === 'string' && x !== ''));
}

function names(ids: Set<string>, call: WireCall): boolean {
  return ids.has(call.id) || (call.callUuid !== undefined && ids.has(call.callUuid)) || (call.connId !== undefined && ids.has(call.connId));
}

const ENDED = new Set(['Released', 'Completed']);

/** A call operation: the call reaches one of `states`, or (no states) any message about the call with `notificationType`. */
function onCall(snapshot: AgentSnapshot, callId: string, test: (n: Extract<GwsNotification, { kind: 'call' }>) => boolean): Confirmation {
  const ids = callIds(snapshot, callId);
  return (n) => n.kind === 'call' && names(ids, n.call) && test(n);
}

/** A call the snapshot did not have before appears (Dial, InitiateTransfer, InitiateConference). */
function newCall(snapshot: AgentSnapshot, test: (call: WireCall) => boolean = () => true): Confirmation {
  const known = new Set<string>();
  for (const call of Object.values(snapshot.calls)) for (const id of callIds(snapshot, call.id)) known.add(id);
  return (n) => n.kind === 'call' && !names(known, n.call) && !ENDED.has(n.call.state) && test(n.call);
}

function anyOf(...confirmations: Confirmation[]): Confirmation {
  return (n, after) => confirmations.some((c) => c(n, after));
}

/** The device's userState after a devices message. */
function deviceState(test: (after: AgentSnapshot) => boolean): Confirmation {
  return (n, after) => n.kind === 'devices' && after.device !== null && test(after);
}

export function confirmCallOperation(snapshot: AgentSnapshot, callId: string, operationName: string): Confirmation {
  switch (operationName) {
    case 'Answer':
    case 'Retrieve':
      return onCall(snapshot, callId, (n) => n.call.state === 'Established');
    case 'Hold':
      return onCall(snapshot, callId, (n) => n.call.state === 'Held');
    case 'Hangup':
    case 'SingleStepTransfer':
      return onCall(snapshot, callId, (n) => ENDED.has(n.call.state));
    case 'SendDtmf':
      return onCall(snapshot, callId, (n) => n.notificationType === 'DtmfSent');
    case 'AttachUserData':
    case 'UpdateUserData':
    case 'DeleteUserDataPair':
    case 'SetCallDisposition':
      return onCall(snapshot, callId, (n) => n.notificationType === 'AttachedDataChanged');
    case 'InitiateTransfer':
    case 'InitiateConference':
      return anyOf(newCall(snapshot), onCall(snapshot, callId, (n) => n.notificationType !== 'DtmfSent'));
    default:
      // Complete*, SwapCalls, SingleStepConference, Start/StopCallRecording: the call changed.
      return onCall(snapshot, callId, (n) => n.notificationType !== 'DtmfSent');
  }
}

/** A manual Dial: a new call. A preview Dial: the call carrying the record's handle. */
export function confirmDial(snapshot: AgentSnapshot, recordHandle?: string): Confirmation {
  if (recordHandle === undefined) return newCall(snapshot);
  return newCall(snapshot, (call) => {
    const handle = call.userData['GSW_RECORD_HANDLE'];
    return handle === undefined || String(handle) === recordHandle;
  });
}

/** Ready, NotReady, AfterCallWork, AuxWork, or a configured state. */
export function confirmAgentState(operationName: string, configured?: AgentStateOption): Confirmation {
  if (configured) {
    return deviceState(({ device }) => {
      const us = device?.userState;
      if (!us) return false;
      if (configured.state !== undefined && us.state !== configured.state) return false;
      if (configured.reason !== undefined && us.reason !== configured.reason) return false;
      return configured.state !== undefined || configured.reason !== undefined || us.state !== 'Ready';
    });
  }
  switch (operationName) {
    case 'Ready':
      return deviceState(({ device }) => device?.userState.state === 'Ready');
    case 'AfterCallWork':
      return deviceState(({ device }) => device?.userState.workMode === 'AfterCallWork' || device?.userState.state === 'AfterCallWork');
    case 'AuxWork':
      return deviceState(({ device }) => device?.userState.workMode === 'AuxWork' || device?.userState.state === 'NotReady');
    default:
      return deviceState(({ device }) => device?.userState.state === 'NotReady');
  }
}

export function confirmDoNotDisturb(on: boolean): Confirmation {
  return deviceState(({ device }) => device?.doNotDisturb === on);
}

const CAMPAIGN_RESULTS: Record<string, readonly string[]> = {
  StartPreviewSession: ['PreviewSessionStarted'],
  EndPreviewSession: ['PreviewSessionEnded'],
  GetPreviewRecord: ['PreviewRecord', 'NoRecordsAvailable'],
};

/** Outbound operations echo referenceId; these also settle them if a server does not. */
export function confirmCampaignOperation(operationName: string, campaignName: string): Confirmation {
  const expected = CAMPAIGN_RESULTS[operationName] ?? [];
  return (n) => {
    if (n.kind === 'campaign') return expected.includes(n.notificationType) && n.campaign.name === campaignName;
    if (n.kind === 'record') return expected.includes(n.notificationType) && (n.records[0]?.campaignName === undefined || n.records[0].campaignName === campaignName);
    return false;
  };
}

const RECORD_RESULTS: Record<string, string> = {
  RejectRecord: 'RecordRejectAcknowledge',
  CancelRecord: 'RecordCancelAcknowledge',
  CompleteRecord: 'RecordProcessedAcknowledge',
  UpdateRecord: 'UpdateCallCompletionStatsAcknowledge',
  DoNotCallRecord: 'DoNotCallAcknowledge',
  RescheduleRecord: 'ScheduledRecordRescheduleAcknowledge',
  GetChainedRecord: 'ChainedRecordsDataEnd',
};

export function confirmRecordOperation(operationName: string, recordHandle: string): Confirmation {
  const expected = RECORD_RESULTS[operationName];
  return (n) => n.kind === 'record' && n.notificationType === expected && (n.recordHandle === undefined || n.recordHandle === recordHandle);
}

/** The acknowledgement notification type of a record operation (outbox). */
export function acknowledgementOf(operationName: string): string | undefined {
  return RECORD_RESULTS[operationName];
}
