/**
 * Every request body the app sends, one pure builder per operation: the only place a body shape
 * lives. Each names the gws-api.md section (and through it the Genesys page) it follows; the unit
 * test `test/unit/gws-requests.test.ts` holds each against the reference's tables.
 *
 * A builder never adds `referenceId`: the caller stamps it (outbound operations are documented to
 * echo it; elsewhere it is harmless and helps the server's logs).
 */
export interface GwsRequest {
  operationName: string;
  path: string;
  body: Record<string, unknown>;
}

type UserData = Record<string, unknown>;

const enc = encodeURIComponent;
const ME = '/api/v2/me';
const VOICE = '/api/v2/me/channels/voice';
const callPath = (callId: string): string => `/api/v2/me/calls/${enc(callId)}`;
const devicePath = (deviceId: string): string => `/devices/${deviceId}`;

const op = (operationName: string, path: string, extra: Record<string, unknown> = {}): GwsRequest => ({ operationName, path, body: { operationName, ...extra } });

// ---- §3 session and agent state ---------------------------------------------------------------

/** StartContactCenterSession [StartContactCenterSession 8.5.2]; `place` optional (the agent's default place). */
export function startContactCenterSession(place?: string): GwsRequest {
  return op('StartContactCenterSession', ME, { channels: ['voice'], ...(place !== undefined && place !== '' && { place }) });
}

/** EndContactCenterSession: the LAST step of a sign-out (it invalidates the HTTP session). */
export function endContactCenterSession(): GwsRequest {
  return op('EndContactCenterSession', ME);
}

/** Ready with an optional `workmode` [AgentStateReady]. */
export function ready(workMode?: 'ManualIn' | 'AutoIn'): GwsRequest {
  return op('Ready', VOICE, workMode !== undefined ? { workmode: workMode } : {});
}

/**
 * NotReady, AfterCallWork, AuxWork, or a configured agent state by its own operationName
 * (`OutToLunch`) [SettingAgentStateChannel 8.5.1]. No reason field exists: the state IS the reason.
 */
export function agentState(operationName: string): GwsRequest {
  return op(operationName, VOICE);
}

/** DoNotDisturbOn / DoNotDisturbOff on the device. */
export function doNotDisturb(deviceId: string, on: boolean): GwsRequest {
  return op(on ? 'DoNotDisturbOn' : 'DoNotDisturbOff', `/api/v2/me/devices/${enc(deviceId)}`);
}

// ---- §4 voice ----------------------------------------------------------------------------------

/** Dial a number from the device [CallsDial]. */
export function dial(deviceId: string, phoneNumber: string, userData?: UserData): GwsRequest {
  return op('Dial', `/api/v2/me/devices/${enc(deviceId)}/calls`, { destination: { phoneNumber }, ...(userData && { userData }) });
}

/** Dial Preview Record (the seed): `devicePath` and the record as `outboundRecord`, plus its user data on the call. */
export function dialPreviewRecord(deviceId: string, outboundRecord: UserData, userData: UserData): GwsRequest {
  return op('Dial', `/api/v2/me/devices/${enc(deviceId)}/calls`, { devicePath: devicePath(deviceId), outboundRecord, userData });
}

/** The call operations without parameters: Answer, Hangup, Hold, Retrieve, CompleteTransfer, CompleteConference, StartCallRecording, StopCallRecording. */
export function callOperation(callId: string, operationName: string): GwsRequest {
  return op(operationName, callPath(callId));
}

/** SendDtmf takes `digits` [CallsSendDTMF 8.5.2]. */
export function sendDtmf(callId: string, digits: string): GwsRequest {
  return op('SendDtmf', callPath(callId), { digits });
}

/** InitiateTransfer, InitiateConference, SingleStepTransfer, SingleStepConference. */
export function toDestination(callId: string, operationName: string, phoneNumber: string, userData?: UserData): GwsRequest {
  return op(operationName, callPath(callId), { destination: { phoneNumber }, ...(userData && { userData }) });
}

/** SwapCalls with the other call's URI. */
export function swapCalls(callId: string, otherCallUri?: string): GwsRequest {
  return op('SwapCalls', callPath(callId), otherCallUri !== undefined ? { otherCallUri } : {});
}

/** AttachUserData (adds) or UpdateUserData (overwrites). */
export function userDataOperation(callId: string, operationName: 'AttachUserData' | 'UpdateUserData', userData: UserData): GwsRequest {
  return op(operationName, callPath(callId), { userData });
}

export function deleteUserDataPair(callId: string, key: string): GwsRequest {
  return op('DeleteUserDataPair', callPath(callId), { key });
}

/**
 * SetCallDisposition on the call [CallsSetCallDisposition]: `callUri`, `callUuid`, `disposition`,
 * and `dispositionKey` only when one is configured (else the server's configured key applies).
 */
export function setCallDisposition(callId: string, fields: { callUri: string; callUuid: string; disposition: string; dispositionKey?: string }): GwsRequest {
  return op('SetCallDisposition', callPath(callId), {
    callUri: fields.callUri,
    callUuid: fields.callUuid,
    disposition: fields.disposition,
    ...(fields.dispositionKey !== undefined && fields.dispositionKey !== '' && { dispositionKey: fields.dispositionKey }),
  });
}

// ---- §6 outbound -------------------------------------------------------------------------------

export interface OutboundCommon {
  deviceId: string;
  campaignName?: string;
  applicationId?: number;
  callingList?: string;
}

function outboundFields(common: OutboundCommon): Record<string, unknown> {
  return {
    ...(common.applicationId !== undefined && { applicationId: common.applicationId }),
    devicePath: devicePath(common.deviceId),
    ...(common.campaignName !== undefined && { campaignName: common.campaignName }),
    ...(common.callingList !== undefined && { callingList: common.callingList }),
  };
}

/** StartPreviewSession, EndPreviewSession, GetPreviewRecord on `/me/outbound-campaigns/{campaignName}`. */
export function campaignOperation(operationName: 'StartPreviewSession' | 'EndPreviewSession' | 'GetPreviewRecord', campaignName: string, common: Omit<OutboundCommon, 'campaignName' | 'callingList'>): GwsRequest {
  return op(operationName, `/api/v2/me/outbound-campaigns/${enc(campaignName)}`, outboundFields({ ...common, campaignName }));
}

export type RecordOperationName = 'RejectRecord' | 'CancelRecord' | 'CompleteRecord' | 'UpdateRecord' | 'DoNotCallRecord' | 'RescheduleRecord' | 'GetChainedRecord';

function recordOp(operationName: RecordOperationName, recordHandle: string, common: OutboundCommon, extra: Record<string, unknown> = {}): GwsRequest {
  return op(operationName, `/api/v2/me/outbound-records/${enc(recordHandle)}`, { ...outboundFields(common), ...extra });
}

export function rejectRecord(recordHandle: string, common: OutboundCommon): GwsRequest {
  return recordOp('RejectRecord', recordHandle, common);
}

export function cancelRecord(recordHandle: string, common: OutboundCommon): GwsRequest {
  return recordOp('CancelRecord', recordHandle, common);
}

/** CompleteRecord: `callResult` is sent as the OCS name; `phoneNumber` the number dialled. */
export function completeRecord(recordHandle: string, common: OutboundCommon, callResult: string, phoneNumber?: string): GwsRequest {
  return recordOp('CompleteRecord', recordHandle, common, { callResult, ...(phoneNumber !== undefined && phoneNumber !== '' && { phoneNumber }) });
}

export interface RecordUpdateFields {
  phoneNumber?: string;
  timeZone?: string;
  phoneType?: string;
  from?: number;
  until?: number;
  otherFields?: Record<string, unknown>;
}

export function updateRecord(recordHandle: string, common: OutboundCommon, update: RecordUpdateFields): GwsRequest {
  return recordOp('UpdateRecord', recordHandle, common, { ...update });
}

export function doNotCallRecord(recordHandle: string, common: OutboundCommon, chainAttribute: 'AllChain' | 'RecordOnly'): GwsRequest {
  return recordOp('DoNotCallRecord', recordHandle, common, { chainAttribute });
}

/** RescheduleRecord: `timestamp` in epoch SECONDS. */
export function rescheduleRecord(recordHandle: string, common: OutboundCommon, callbackType: 'Personal' | 'Campaign', atMs: number): GwsRequest {
  return recordOp('RescheduleRecord', recordHandle, common, { callbackType, timestamp: Math.floor(atMs / 1000) });
}

export function getChainedRecord(recordHandle: string, common: OutboundCommon): GwsRequest {
  return recordOp('GetChainedRecord', recordHandle, common);
}
