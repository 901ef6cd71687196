/**
 * The public API of the agent session (session.ts): what the app, the CLI, the soak and the bench
 * program against. Kept apart from the implementation so the facade stays readable.
 */
import type { HttpTransport } from '../gws/http-transport';
import type { Logger } from '../gws/logger';
import type { Disposable, NotificationConnectionFactory } from '../gws/notifications';
import type { CampaignStore } from './campaign-memory';
import type { Clock } from './clock';
import type { OutboxStore } from './outbox';
import type { WorkRulesInput } from './work-rules';
import type { AgentSnapshot, JsonObject, SnapshotKey } from './snapshot';

/** What the session saw on the wire, for the compatibility check (`npm run agent -- --check`). */
export type WireObservation =
  | { kind: 'notification'; channel: string; data: unknown }
  | { kind: 'reply'; method: 'GET' | 'POST'; path: string; body: unknown; operationName?: string };

export interface AgentSessionOptions {
  /** REST transport; default: Node's fetch. */
  transport?: HttpTransport;
  /** Notification connection factory; default: the official cometd client. */
  notifications?: NotificationConnectionFactory;
  clock?: Clock;
  logger?: Logger;
  /** In [0, 1): backoff jitter. */
  random?: () => number;
  /** referenceId generator; default `randomUUID`. */
  newReferenceId?: () => string;
  /** How long an accepted operation waits for the notification that shows its result. Default 15 s. */
  operationTimeoutMs?: number;
  /** Per HTTP request. Default 10 s. */
  requestTimeoutMs?: number;
  /**
   * Backoff for notification reconnects (the first one included), state re-reads and outbox
   * retries: full jitter, `random() * min(capMs, baseMs * 2^attempt)`. Default 5 s / 10 s
   * (`DEFAULT_BACKOFF`): a restart's reconnect storm from hundreds of agents spreads over 10+ s.
   */
  backoff?: { baseMs?: number; capMs?: number };
  /** Where undelivered record outcomes are kept (docs/reliability.md). Default: in memory only. */
  outboxStore?: OutboxStore;
  /** Where the campaign list is remembered between sessions (gws-api.md §6). Default: in memory only. */
  campaignStore?: CampaignStore;
  /** Campaign names IT configured: offered even when the server announces none. */
  configuredCampaigns?: readonly string[];
  /** IT policy `workRules`: After Call Work at the end of a record's call, calling hours (work-rules.ts). */
  workRules?: WorkRulesInput;
  /**
   * CA certificates (PEM) that IT configured for the GWS server, trusted IN ADDITION to Node's
   * roots by the REST transport (unless `transport` is given) and the CometD connection.
   */
  trustedCertificates?: readonly string[];
  /** CometD's maxNetworkDelay (default DEFAULT_MAX_NETWORK_DELAY_MS, docs/reliability.md "Dead links"); for measurements. */
  maxNetworkDelayMs?: number;
  /** Sees every notification and every successful reply as received (the compatibility check). */
  observer?: (observation: WireObservation) => void;
}

export interface SignInParams {
  serverUrl: string;
  username: string;
  password: string;
  /** Default: the agent's default place. */
  place?: string;
}

/**
 * What an accepted operation returns: GWS said statusCode 0. `outcome` settles when the result
 * shows: `'confirmed'` (the state change it asked for, or its referenceId echoed), rejected with a
 * GwsError on an ErrorMessage, or `'unconfirmed'` if nothing matched in time.
 */
export interface OperationAck {
  referenceId: string;
  outcome: Promise<'confirmed' | 'unconfirmed'>;
  /** Record outcomes only: not delivered yet; the outcome is in the durable outbox and will be delivered once. */
  queued?: boolean;
}

export type CallbackType = 'Personal' | 'Campaign';

/**
 * The record a caller (the UI, the tray, a toast, a hotkey, the CLI) showed the agent and acts on.
 * The session refuses the operation if it is not the record in hand (or, where the operation allows
 * it, another number of its chain, found by handle or by `phoneNumber`): what the agent saw is what
 * is acted on. Omitted: the record in hand.
 */
export interface RecordRef {
  recordHandle: string | number;
  phoneNumber?: string;
}

/** CompleteRecord's workflow around the outcome itself. */
export interface CompleteOptions {
  /** Saved on the record first, as its `AgentNote` field (the outbox keeps the two in order). */
  note?: string;
  /** Ask for the campaign's next record once OCS acknowledged this one. */
  getNext?: boolean;
  record?: RecordRef;
}
export type ChainAttribute = 'AllChain' | 'RecordOnly';

export interface RecordUpdate {
  callingList?: string;
  phoneNumber?: string;
  timeZone?: string;
  phoneType?: string;
  from?: number;
  until?: number;
  otherFields?: JsonObject;
}

export interface AgentSession {
  /** The current snapshot (immutable). */
  readonly snapshot: AgentSnapshot;
  /** Called after every change with the new snapshot and the top-level keys that changed. */
  onDidChange(listener: (snapshot: AgentSnapshot, changes: SnapshotKey[]) => void): Disposable;

  signIn(params: SignInParams): Promise<void>;
  signOut(): Promise<void>;

  ready(workMode?: 'ManualIn' | 'AutoIn'): Promise<OperationAck>;
  /** Not Ready; with a configured agent state's operationName (`OutToLunch`), that state (gws-api.md §3). */
  notReady(operationName?: string): Promise<OperationAck>;
  afterCallWork(): Promise<OperationAck>;
  /** Auxiliary work (AuxWork): busy with non-call work, no calls routed. */
  auxWork(): Promise<OperationAck>;
  setDoNotDisturb(on: boolean): Promise<OperationAck>;
  /** Back to Ready when the wrap-up time runs out (work rules); throws NOT_ALLOWED_IN_STATE when IT set it. */
  setReadyAfterWrapUp(enabled: boolean): void;
  /** Stops the automatic Dial's countdown on the offered record (preview pacing); refused when none runs. */
  cancelAutoDial(): void;

  dial(phoneNumber: string, userData?: JsonObject): Promise<OperationAck>;
  answer(callId: string): Promise<OperationAck>;
  hangup(callId: string): Promise<OperationAck>;
  hold(callId: string): Promise<OperationAck>;
  retrieve(callId: string): Promise<OperationAck>;
  sendDtmf(callId: string, digits: string): Promise<OperationAck>;
  initiateTransfer(callId: string, phoneNumber: string, userData?: JsonObject): Promise<OperationAck>;
  completeTransfer(callId: string): Promise<OperationAck>;
  singleStepTransfer(callId: string, phoneNumber: string, userData?: JsonObject): Promise<OperationAck>;
  singleStepConference(callId: string, phoneNumber: string, userData?: JsonObject): Promise<OperationAck>;
  initiateConference(callId: string, phoneNumber: string, userData?: JsonObject): Promise<OperationAck>;
  completeConference(callId: string): Promise<OperationAck>;
  swapCalls(callId: string, otherCallId: string): Promise<OperationAck>;
  attachUserData(callId: string, userData: JsonObject): Promise<OperationAck>;
  deleteUserDataPair(callId: string, key: string): Promise<OperationAck>;
  startCallRecording(callId: string): Promise<OperationAck>;
  stopCallRecording(callId: string): Promise<OperationAck>;
  /**
   * SetCallDisposition on a live or just-released call (by the id the snapshot or the call history
   * knows it by). The key defaults to Workspace's `interaction.disposition.key-name`.
   */
  setCallDisposition(callId: string, disposition: string, dispositionKey?: string): Promise<OperationAck>;
  updateUserData(callId: string, userData: JsonObject): Promise<OperationAck>;

  /** Any campaign name: a listed one, or one IT configured that the server never announced. */
  startPreviewSession(campaignName: string): Promise<OperationAck>;
  endPreviewSession(campaignName: string): Promise<OperationAck>;
  getPreviewRecord(campaignName: string): Promise<OperationAck>;
  /** Dials the record in hand, or the number of its chain named: the seed's request plus the record's user data. */
  dialPreviewRecord(record?: RecordRef): Promise<OperationAck>;
  rejectRecord(record?: RecordRef): Promise<OperationAck>;
  cancelRecord(record?: RecordRef): Promise<OperationAck>;
  /** `RecordOnly` with `record`: that number of the chain (the one shown); `AllChain` marks every number. */
  doNotCallRecord(chainAttribute?: ChainAttribute, record?: RecordRef): Promise<OperationAck>;
  /** Refused unless `at` is in the future (by the session's clock). */
  rescheduleRecord(callbackType: CallbackType, at: Date | number, record?: RecordRef): Promise<OperationAck>;
  updateRecord(update: RecordUpdate, record?: RecordRef): Promise<OperationAck>;
  /** Default `callResult`: `Answer` if the record's call was established, else `Unknown` (OCS's default). */
  completeRecord(callResult?: string, options?: CompleteOptions): Promise<OperationAck>;
  getChainedRecords(record?: RecordRef): Promise<OperationAck>;

  clearError(): void;

  /**
   * The OS resumed from sleep, the screen was unlocked or the network changed: a long poll held on
   * the old network may be dead without anyone knowing. Reconnects on new sockets and re-reads at
   * once (a backoff wait in progress is cut short) instead of waiting for the poll to time out.
   * Ignored while signed out.
   */
  wake(reason: string): void;

  /** Sends a `failed` outbox entry again (same referenceId). */
  retryOutboxEntry(id: string): void;
  /** Drops a `failed` outbox entry (the agent gives up on that outcome). */
  discardOutboxEntry(id: string): void;
  /** Resolves once every outbox change so far is on disk (or its save failed and was reported). */
  flushOutbox(): Promise<void>;

  /** Stops everything without signing out (tests, app quit after signOut failed). */
  dispose(): Promise<void>;
}
