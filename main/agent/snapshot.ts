/**
 * THE state of an agent session, as the UI renders it. One immutable snapshot, produced only by the
 * pure reducer (reducer.ts). Everything here is plain JSON-serialisable data: no Dates (times are
 * epoch milliseconds), no class instances, no `undefined`-only distinctions the UI relies on.
 * Field names keep GWS's vocabulary (`userState`, `recordHandle`, `callResult`, …).
 */
import type { ErrorInfo } from '../gws/errors';

/** Any JSON value (user data, raw record fields). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Epoch milliseconds. */
export type EpochMs = number;

/**
 * `connecting`: signing in / first handshake. `connected`: notifications flow AND the state was
 * re-read since the link last broke: what the snapshot shows is the server's. `resyncing`: the link
 * is back, the devices and calls are being re-read (retried until it succeeds); until then the calls
 * shown are not confirmed. `reconnecting`: the notification link broke, or the HTTP session is being
 * restored; the core retries with backoff for as long as it takes. `offline`: not signed in (initial
 * state). `signed-out`: the session ended — by the user, or because the server refused the
 * credentials (see `reason`).
 */
export type ConnectionState = 'connecting' | 'connected' | 'resyncing' | 'reconnecting' | 'offline' | 'signed-out';

export interface ConnectionSnapshot {
  state: ConnectionState;
  /** Why the state changed (human readable), e.g. `402::Unknown client`, `signed out by user`. */
  reason?: string;
  since: EpochMs;
  /**
   * While `reconnecting` or `resyncing`: when the link was lost (or the state stopped being
   * confirmed). The UI says "Offline since 10:42" and escalates a long outage.
   */
  offlineSince?: EpochMs;
}

/** Calls (and the agent state) shown are the server's only when connected: otherwise they are not confirmed. */
export function stateConfirmed(snapshot: Pick<AgentSnapshot, 'connection'>): boolean {
  return snapshot.connection.state === 'connected';
}

/**
 * A configured agent state (`GET /api/v2/settings/agent-states`): a Not Ready reason is one of
 * these, set by posting its own `operationName` to the voice channel (gws-api.md §3).
 */
export interface AgentStateOption {
  operationName: string;
  /** `displayName` when the server sends one, else the operationName. */
  displayName: string;
  /** The userState it leads to (`NotReady`, …) when the server says. */
  state?: string;
  /** The reason the userState then carries (`Lunch`). */
  reason?: string;
  workMode?: string;
}

/** Disposition codes (Workspace options `interaction.disposition.*`) and the user-data key they go under. */
/** The alert for a pushed preview record: Workspace's `outbound-callback.ringing-bell` aliases, or none. */
export type AlertSound = 'none' | 'bell' | 'ring' | 'chord' | 'warning';
export const ALERT_SOUNDS = ['none', 'bell', 'ring', 'chord', 'warning'] as const satisfies readonly AlertSound[];

/**
 * Preview pacing as configured (issue 13): a countdown on an offered record that dials it when it
 * ends, and the sound of a pushed record. From the Workspace options (user.previewPacing) or IT's
 * policy (workRules.previewPacing, which wins); preload/pacing-rules.ts decides what is in effect.
 */
export interface PreviewPacingOptions {
  /** Seconds from the offer to the automatic Dial; 0 or absent: off. */
  autoDialSeconds?: number;
  alertSound?: AlertSound;
}

export interface DispositionSettings {
  key: string;
  values: string[];
}

export interface UserSnapshot {
  id: string;
  userName: string;
  firstName: string;
  lastName: string;
  /** The configured agent states (Not Ready reasons); empty if the server lists none. */
  agentStates: AgentStateOption[];
  /** OCS call result names (e.g. `Answer`, `Busy`) offered when completing a record: Workspace's list, else the OCS table. */
  callResults: string[];
  /** Workspace's `outbound.call-result-automatically-selected`, when it names one of `callResults`. */
  defaultCallResult?: string;
  dispositions: DispositionSettings;
  /** Workspace's `outbound.timed-preview-auto-dial` and `outbound-callback.ringing-bell`, when readable. */
  previewPacing?: PreviewPacingOptions;
  /** The raw `settings` object of /me, for anything not modelled above. */
  settings: JsonObject;
}

/** GWS user states; other strings may appear and are passed through. */
export type UserStateName = 'Ready' | 'NotReady' | 'LoggedOut' | 'Unknown' | (string & {});

export interface UserStateSnapshot {
  /** The GWS userState id (Ready, NotReady, AfterCallWork, AuxWork have fixed ids). */
  id?: string;
  state: UserStateName;
  /** What to show, e.g. `Ready`, `Not Ready`, `AfterCallWork`. */
  displayName: string;
  /** The reason of a configured Not Ready state (`reason`, or `reasonCode` on some servers). */
  reason?: string;
  /** `AfterCallWork`, `AuxWork`, `ManualIn`, `AutoIn`, … */
  workMode?: string;
  /** The configured agent state (user.agentStates) this state is, matched by its reason: what the UI shows as chosen. */
  operationName?: string;
  /** When the state, reason or work mode last changed. */
  since: EpochMs;
}

export interface DeviceSnapshot {
  id: string;
  /** The agent's extension (`phoneNumber` of the device). */
  dn: string;
  deviceState?: string;
  userState: UserStateSnapshot;
  doNotDisturb: boolean;
  capabilities: string[];
}

export type CallStateName = 'Dialing' | 'Ringing' | 'Established' | 'Held' | 'Released' | 'Completed' | (string & {});
export type CallType = 'Internal' | 'Inbound' | 'Outbound' | 'Consult' | (string & {});

export interface ParticipantSnapshot {
  phoneNumber: string;
  formattedPhoneNumber?: string;
  name?: string;
}

export interface CallSnapshot {
  /** Opaque GWS call id. */
  id: string;
  state: CallStateName;
  /** When `state` last changed. */
  stateSince: EpochMs;
  /** When the core first saw the call. */
  startedAt: EpochMs;
  /** When the call was first Established, if it was. */
  establishedAt?: EpochMs;
  callType: CallType;
  callUuid?: string;
  connId?: string;
  participants: ParticipantSnapshot[];
  ani?: string;
  dnis?: string;
  /** The operations GWS allows on this call now; the core refuses anything else locally. */
  capabilities: string[];
  userData: JsonObject;
  /** Seconds, as last reported by GWS. */
  duration?: number;
  muted: boolean;
  /** The outbound record this call dials (from `GSW_RECORD_HANDLE` in user data), as a string. */
  recordHandle?: string;
  campaignName?: string;
  /** The server's `recordingState`, as sent (gws-api.md §4 names it; its values are not confirmed). */
  recordingState?: string;
  /**
   * THE answer to "is this call being recorded?": `recordingState` when it reads as one
   * (`Recording`/`Started`/`On`… or `Stopped`/`Off`/`Paused`…), else the capabilities (Stop offered
   * and Start not). The renderer's indicator and the tray read this, never the raw field.
   */
  recording?: boolean;
  /** Seconds of wrap-up after this call, when the server sends `extensions.WrapUpTime` (gws-api.md §4). */
  wrapUpTime?: number;
}

export interface CampaignSnapshot {
  name: string;
  dialingMode: 'Preview' | 'PushPreview' | 'Progressive' | 'Predictive' | (string & {});
  /** `Loaded`, `Started`, `Stopped`, … as GWS reports it. */
  state: string;
  groupName?: string;
  description?: string;
  applicationId?: number;
  devicePath?: string;
  /** A preview session is open for this agent (PreviewSessionStarted … PreviewSessionEnded). */
  previewSessionActive: boolean;
}

/** An outbound (preview) record as the server offered it. */
export interface OutboundRecordSnapshot {
  /** As GWS sent it (number or string): posted back unchanged on Dial. */
  recordHandle: number | string;
  chainId?: number | string;
  phoneNumber: string;
  phoneType?: string;
  campaignName?: string;
  callingList?: string;
  applicationId?: number;
  outboundCallerId?: string;
  timeZone?: string;
  /** The calling list's custom fields. */
  otherFields: JsonObject;
  /** OCS user data (`GSW_*` keys, `InteractionType`, custom fields), set on the call when dialling. */
  userData: JsonObject;
  /** The record exactly as received minus `userData`: the `outboundRecord` of the Dial request. */
  wire: JsonObject;
}

/**
 * Lifecycle of the current preview record:
 * `idle` → `requested` (GetPreviewRecord sent) → `offered` (PreviewRecord arrived) → `dialing`
 * (Dial sent / call Dialing) → `on-call` (Established) → `wrap-up` (call released) → `completing`
 * (CompleteRecord sent) → `done` (acknowledged). Reject/Cancel/DoNotCall/Reschedule also end in `done`.
 */
export type PreviewPhase = 'idle' | 'requested' | 'offered' | 'dialing' | 'on-call' | 'wrap-up' | 'completing' | 'done';

export interface PreviewRecordSnapshot {
  phase: PreviewPhase;
  since: EpochMs;
  campaignName?: string;
  record?: OutboundRecordSnapshot;
  /** The call dialling this record, once known. */
  callId?: string;
  /**
   * The customer was reached: the record's call was established. THE answer to "was the call
   * answered?" — the default call result, the wrap-up form and the history all read it.
   */
  answered?: boolean;
  /** Records of the same chain (GetChainedRecord). */
  chainedRecords: OutboundRecordSnapshot[];
  /** The `callResult` sent with CompleteRecord. */
  callResult?: string;
  /**
   * What the server already knows of this record's result: the `GSW_CALL_RESULT` of its call as
   * the server released it (Busy, NoAnswer, AnsweringMachine…), else the record's own. Kept until
   * the record is closed: wrap-up shows it and preselects it.
   */
  serverCallResult?: string;
  /** Offered without the agent asking (a push preview campaign, a scheduled callback): the alert sound plays. */
  pushed?: boolean;
  /** The automatic Dial's countdown, while it runs: it dials at `at` (preview pacing). */
  autoDial?: { at: EpochMs; seconds: number };
  /** The last outbound acknowledgement (`RecordProcessedAcknowledge`, `NoRecordsAvailable`, …). */
  lastNotification?: string;
}

export type OperationTarget = 'me' | 'channel' | 'device' | 'call' | 'campaign' | 'record';

/** An operation sent to GWS whose result notification has not arrived yet. */
export interface PendingOperation {
  referenceId: string;
  operationName: string;
  target: OperationTarget;
  /** Call id, device id, campaign name or record handle. */
  targetId?: string;
  /** `sending`: HTTP request in flight. `accepted`: statusCode 0, waiting for the notification. */
  status: 'sending' | 'accepted';
  startedAt: EpochMs;
  /** For Dial of a preview record. */
  recordHandle?: string;
}

/**
 * A record outcome (CompleteRecord, RescheduleRecord, DoNotCallRecord, UpdateRecord) kept in the
 * durable outbox until the server acknowledged it (docs/reliability.md). The UI shows these as
 * "pending" (not yet delivered), "sending" (in flight or waiting for the acknowledgement) or
 * "failed" (refused by the server: the agent retries or discards it).
 */
export interface OutboxEntrySnapshot {
  id: string;
  referenceId: string;
  operationName: 'CompleteRecord' | 'RescheduleRecord' | 'DoNotCallRecord' | 'UpdateRecord';
  recordHandle: string;
  campaignName?: string;
  callResult?: string;
  state: 'pending' | 'sending' | 'failed';
  /** `pending` because the reply or acknowledgement of an earlier send was lost: sent again; a refusal then means it was applied. */
  verifying?: boolean;
  attempts: number;
  lastError?: { code: string; message: string };
  createdAt: EpochMs;
}

/** The last error the agent should see: what the core's typed error said, and when. */
export interface LastError extends ErrorInfo {
  at: EpochMs;
}

export interface CallHistoryEntry {
  callId: string;
  /** For SetCallDisposition after the call was released. */
  callUuid?: string;
  /** The other party's number. */
  number: string;
  name?: string;
  callType: CallType;
  /** `Answered`, `Missed`, `NotConnected`, or the record's `callResult` when completed. */
  result: string;
  startedAt: EpochMs;
  /** Seconds between Established (or start) and release. */
  durationSec: number;
  recordHandle?: string;
  /** When the call ended (the core saw it released). */
  endedAt?: EpochMs;
  /** The call's `extensions.WrapUpTime` (seconds), when the server sent one: the wrap-up window after it. */
  wrapUpTime?: number;
}

export interface AgentSnapshot {
  connection: ConnectionSnapshot;
  user: UserSnapshot | null;
  device: DeviceSnapshot | null;
  /** Live calls by id, exactly the calls the server reports (Completed calls are removed). */
  calls: Record<string, CallSnapshot>;
  /**
   * Campaigns the agent takes part in, by name: from `/v2/me/outbound` campaign messages, from any
   * record that names one, from the list remembered from earlier sessions and from IT's
   * configuration (gws-api.md §6: a server need not announce them on sign-in).
   */
  campaigns: Record<string, CampaignSnapshot>;
  previewRecord: PreviewRecordSnapshot;
  pendingOperations: Record<string, PendingOperation>;
  lastError: LastError | null;
  /** Newest first, at most {@link CALL_HISTORY_LIMIT}. */
  callHistory: CallHistoryEntry[];
  /**
   * Record outcomes not yet acknowledged by the server, oldest first (the durable outbox). Kept
   * across sign-out. Optional only so older hand-written fixtures stay valid: the session always sets it.
   */
  outbox?: OutboxEntrySnapshot[];
  /** Set while the outbox cannot be written to disk (entries are then only in memory). */
  outboxStorageError?: string | null;
  /** IT's rules for after-call work and calling hours (work-rules.ts); absent in older fixtures = the defaults. */
  workRules?: WorkRules;
}

/**
 * Hours in which a customer may be called, in the customer's own time zone, `HH:MM` (24 h;
 * `end` excluded). `outside`: `ask` the agent to confirm a dial outside them, `block` it, or `off`.
 */
export interface CallingHours {
  start: string;
  end: string;
  outside: 'ask' | 'block' | 'off';
}

/** What the client does for the agent around a call (IT policy `workRules`, docs/it-deployment.md). */
export interface WorkRules {
  /** Go to After Call Work when a record's call ends (the client's job in GWS). */
  afterCallWork: boolean;
  /** When the record is closed after that: back to the state the agent had before, or `ready`. */
  afterComplete: 'previous' | 'ready';
  callingHours: CallingHours;
  /**
   * Back to Ready when the wrap-up time (the call's `WrapUpTime`) runs out while still in After
   * Call Work. Absent = off. `locked`: IT set it (policy), the agent cannot change it.
   */
  readyAfterWrapUp?: { enabled: boolean; locked: boolean };
  /** IT's preview pacing (policy `workRules.previewAutoDialSeconds`, `workRules.previewAlertSound`): wins over Workspace's. */
  previewPacing?: PreviewPacingOptions;
}

export type SnapshotKey = keyof AgentSnapshot;

export const CALL_HISTORY_LIMIT = 100;

export function initialSnapshot(at: EpochMs): AgentSnapshot {
  return {
    connection: { state: 'offline', since: at },
    user: null,
    device: null,
    calls: {},
    campaigns: {},
    previewRecord: { phase: 'idle', since: at, chainedRecords: [] },
    pendingOperations: {},
    lastError: null,
    callHistory: [],
    outbox: [],
    outboxStorageError: null,
  };
}
