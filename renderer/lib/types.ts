/**
 * The snapshot's part types, derived from the contract's `AgentSnapshot` (the contract re-exports
 * only the whole snapshot, and the renderer may not import main/).
 */
import type { AgentSnapshot } from '../../preload/contract';

export type {
  AgentSnapshot,
  AppInfo,
  CommandArgs,
  CommandName,
  ContractError,
  Envelope,
  ErrorCode,
  SettingsView,
  SoftphoneApi,
} from '../../preload/contract';

export type ConnectionSnapshot = AgentSnapshot['connection'];
export type UserSnapshot = NonNullable<AgentSnapshot['user']>;
export type AgentStateOption = UserSnapshot['agentStates'][number];
export type DeviceSnapshot = NonNullable<AgentSnapshot['device']>;
export type CallSnapshot = AgentSnapshot['calls'][string];
export type CampaignSnapshot = AgentSnapshot['campaigns'][string];
export type PreviewRecordSnapshot = AgentSnapshot['previewRecord'];
export type OutboundRecordSnapshot = NonNullable<PreviewRecordSnapshot['record']>;
export type JsonObject = OutboundRecordSnapshot['otherFields'];
export type JsonValue = JsonObject[string];
export type PendingOperation = AgentSnapshot['pendingOperations'][string];
export type LastError = NonNullable<AgentSnapshot['lastError']>;
export type CallHistoryEntry = AgentSnapshot['callHistory'][number];
export type OutboxEntry = NonNullable<AgentSnapshot['outbox']>[number];

/** Stands in for a record that just went away while a card is being torn down. */
export const NO_RECORD: OutboundRecordSnapshot = Object.freeze({ recordHandle: 0, phoneNumber: '', otherFields: {}, userData: {}, wire: {} });

/** The pushed record's alert (preview pacing). */
export type AlertSound = NonNullable<NonNullable<UserSnapshot['previewPacing']>['alertSound']>;
export type AutoDial = NonNullable<PreviewRecordSnapshot['autoDial']>;
