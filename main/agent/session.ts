/**
 * The agent session: the public API of the core. Composes the REST client, the notification
 * connection, the decoder and the pure reducer into one snapshot with one direction of data:
 *
 *   CometD message → decode → reduce → snapshot → onDidChange listeners
 *   operation → guards → POST (referenceId) → pending in the snapshot → result notification
 */
import { randomUUID } from 'node:crypto';
import { fullJitterDelay } from '../gws/backoff';
import { NOTIFICATION_CHANNELS, decodeNotification } from '../gws/decode';
import { GwsError } from '../gws/errors';
import type { Credentials, GwsReply } from '../gws/http-client';
import { GwsHttpClient } from '../gws/http-client';
import type { HttpTransport } from '../gws/http-transport';
import { fetchTransport, nodeTransport } from '../gws/http-transport';
import type { Logger } from '../gws/logger';
import { silentLogger } from '../gws/logger';
import type { Disposable, NotificationConnection, NotificationConnectionFactory, NotificationStatus } from '../gws/notifications';
import { createCometdConnection } from '../gws/notifications';
import type { WireCall, WireDevice } from '../gws/schemas';
import { callSchema, callsReplySchema, deviceSchema, devicesReplySchema, meReplySchema } from '../gws/schemas';
import type { AgentEvent } from './events';
import { requireCapability, requireOnline } from './guards';
import type { OutboxEntry, OutboxStore } from './outbox';
import { Outbox, decide, isOutboxOperation, memoryOutboxStore, stateAfterSendFailure } from './outbox';
import { changedKeys, reduce, toJsonObject } from './reducer';
import type {
  AgentSnapshot,
  JsonObject,
  NotReadyReason,
  OperationTarget,
  OutboundRecordSnapshot,
  OutboxEntrySnapshot,
  PendingOperation,
  SnapshotKey,
  UserSnapshot,
} from './snapshot';
import { initialSnapshot } from './snapshot';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

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
  /** How long an accepted operation waits for its notification before it stops being pending. Default 15 s. */
  operationTimeoutMs?: number;
  /** Per HTTP request. Default 10 s. */
  requestTimeoutMs?: number;
  /**
   * Backoff for notification reconnects (the first one included), state re-reads and outbox
   * retries: full jitter, `random() * min(capMs, baseMs * 2^attempt)`. Default 5 s / 10 s
   * (`DEFAULT_BACKOFF`): a restart's reconnect storm from hundreds of agents spreads over 10+ s
   * (docs/reliability.md).
   */
  backoff?: { baseMs?: number; capMs?: number };
  /**
   * Where undelivered record outcomes are kept (docs/reliability.md). Default: in memory only
   * (not durable across a restart); the app passes `fileOutboxStore(...)` from agent/outbox.ts.
   */
  outboxStore?: OutboxStore;
  /**
   * CA certificates (PEM) that IT configured for the GWS server, trusted IN ADDITION to Node's
   * roots by both the REST transport (unless `transport` is given) and the CometD connection.
   * There is deliberately no option that turns certificate verification off.
   */
  trustedCertificates?: readonly string[];
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
 * notification arrives: `'confirmed'`, rejected with a {@link GwsError} on an `Error` notification,
 * or `'unconfirmed'` if nothing matched in time (the operation is then no longer pending).
 */
export interface OperationAck {
  referenceId: string;
  outcome: Promise<'confirmed' | 'unconfirmed'>;
  /**
   * Record outcomes only: not delivered yet (offline, or the reply was lost): the outcome is in the
   * durable outbox (`snapshot.outbox`) and will be delivered once; `outcome` settles then.
   */
  queued?: boolean;
}

export type CallbackType = 'Personal' | 'Campaign';
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
  notReady(reasonCode?: string): Promise<OperationAck>;
  afterCallWork(): Promise<OperationAck>;
  /** Auxiliary work (AuxWork): busy with non-call work, no calls routed. */
  auxWork(): Promise<OperationAck>;
  setDoNotDisturb(on: boolean): Promise<OperationAck>;

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
  swap(callId: string, otherCallId: string): Promise<OperationAck>;
  attachUserData(callId: string, userData: JsonObject): Promise<OperationAck>;
  deleteUserDataPair(callId: string, key: string): Promise<OperationAck>;
  startCallRecording(callId: string): Promise<OperationAck>;
  stopCallRecording(callId: string): Promise<OperationAck>;
  /** SetCallDisposition on the agent's device for a call (live or just released), by its callUuid. */
  setCallDisposition(callUuid: string, disposition: string, dispositionKey?: string): Promise<OperationAck>;
  updateUserData(callId: string, userData: JsonObject): Promise<OperationAck>;

  startPreviewSession(campaignName: string): Promise<OperationAck>;
  endPreviewSession(campaignName: string): Promise<OperationAck>;
  getPreviewRecord(campaignName: string): Promise<OperationAck>;
  /** Dials the current preview record (or the given one): the seed's request plus the record's user data. */
  dialPreviewRecord(record?: OutboundRecordSnapshot): Promise<OperationAck>;
  rejectRecord(): Promise<OperationAck>;
  cancelRecord(): Promise<OperationAck>;
  doNotCall(chainAttribute?: ChainAttribute): Promise<OperationAck>;
  reschedule(callbackType: CallbackType, at: Date | number): Promise<OperationAck>;
  updateRecord(update: RecordUpdate): Promise<OperationAck>;
  /** Default `callResult`: `Answer` if the record's call was established, else `Unknown` (OCS's default). */
  completeRecord(callResult?: string): Promise<OperationAck>;
  getChainedRecords(): Promise<OperationAck>;

  clearError(): void;

  /** Sends a `failed` outbox entry again (same referenceId). */
  retryOutboxEntry(id: string): void;
  /** Drops a `failed` outbox entry (the agent gives up on that outcome). Only failed entries can be discarded. */
  discardOutboxEntry(id: string): void;
  /** Resolves once every outbox change so far is on disk (or its save failed and was reported). */
  flushOutbox(): Promise<void>;

  /** Stops everything without signing out (tests, app quit after signOut failed). */
  dispose(): Promise<void>;
}

interface OperationSpec {
  operationName: string;
  path: string;
  body: Record<string, unknown>;
  target: OperationTarget;
  targetId?: string;
  recordHandle?: string;
  campaignName?: string;
  callResult?: string;
  /** No notification answers this operation (SendDtmf): confirmed on statusCode 0. */
  silent?: boolean;
}

interface Waiter {
  resolve: (value: 'confirmed' | 'unconfirmed') => void;
  reject: (error: GwsError) => void;
  timer: unknown;
}

const RESYNC_ATTEMPTS = 6;

/** An event without its time: `dispatch` stamps it with the injected clock. */
type EventInput = AgentEvent extends infer E ? (E extends AgentEvent ? Omit<E, 'at'> & { at?: number } : never) : never;

export function createAgentSession(options: AgentSessionOptions = {}): AgentSession {
  return new Session(options);
}

class Session implements AgentSession {
  private state: AgentSnapshot;
  private readonly listeners = new Set<(snapshot: AgentSnapshot, changes: SnapshotKey[]) => void>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly transport: HttpTransport;
  private readonly connectionFactory: NotificationConnectionFactory;
  private readonly newReferenceId: () => string;
  private readonly operationTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly backoffOptions: { baseMs?: number; capMs?: number };
  private readonly trustedCertificates: readonly string[];

  private http: GwsHttpClient | undefined;
  private connection: NotificationConnection | undefined;
  private subscriptions: Disposable[] = [];
  private credentials: Credentials | undefined;
  private params: SignInParams | undefined;
  private readonly waiters = new Map<string, Waiter>();
  private readonly dialsInFlight = new Map<string, Promise<OperationAck>>();
  private recovering: Promise<void> | undefined;
  private resyncing: Promise<void> | undefined;
  private resyncTimer: unknown;
  private generation = 0;

  // Durable outbox (record outcomes) — docs/reliability.md.
  private readonly outbox: Outbox;
  private readonly outboxBusy = new Set<string>();
  private readonly outboxOutcomes = new Map<string, { resolve: (v: 'confirmed' | 'unconfirmed') => void; reject: (e: GwsError) => void }>();
  private readonly outboxAckTimers = new Map<string, unknown>();
  /** referenceIds of probes (GetChainedRecord): their notifications are not shown. */
  private readonly probeRefs = new Set<string>();
  private draining = false;
  private drainAgain = false;
  private drainTimer: unknown;
  private drainAttempt = 0;
  /** Preview records whose last Dial has an unknown outcome → the read number after which it is known. */
  private readonly dialUnknown = new Map<string, number>();
  private readsStarted = 0;

  constructor(options: AgentSessionOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.random = options.random ?? Math.random;
    this.trustedCertificates = options.trustedCertificates ?? [];
    this.transport = options.transport ?? (this.trustedCertificates.length > 0 ? nodeTransport({ trustedCertificates: this.trustedCertificates }) : fetchTransport());
    this.connectionFactory = options.notifications ?? createCometdConnection;
    this.newReferenceId = options.newReferenceId ?? randomUUID;
    this.operationTimeoutMs = options.operationTimeoutMs ?? 15_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.backoffOptions = options.backoff ?? {};
    this.state = initialSnapshot(this.clock.now());
    this.outbox = new Outbox({
      store: options.outboxStore ?? memoryOutboxStore(),
      onStorageError: (error) => {
        this.logger.error('the outbox could not be saved: entries kept in memory', { error: String(error) });
        this.publishOutbox();
      },
      onStorageRecovered: () => this.publishOutbox(),
    });
    void this.outbox.loaded.then(() => {
      this.publishOutbox();
      this.kickDrain();
    });
  }

  get snapshot(): AgentSnapshot {
    return this.state;
  }

  onDidChange(listener: (snapshot: AgentSnapshot, changes: SnapshotKey[]) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private dispatch(event: EventInput): void {
    const full = { ...event, at: event.at ?? this.clock.now() } as AgentEvent;
    const before = this.state;
    const after = reduce(before, full);
    if (after === before) return;
    this.state = after;
    const changes = changedKeys(before, after);
    if (changes.length === 0) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(after, changes);
      } catch (error) {
        this.logger.error('a snapshot listener threw', { error: String(error) });
      }
    }
    // Back online: deliver what the outbox holds.
    if (changes.includes('connection') && after.connection.state === 'connected') this.kickDrain();
  }

  private backoff(attempt: number): number {
    return fullJitterDelay(attempt, { ...this.backoffOptions, random: this.random });
  }

  // ---- sign in / out ------------------------------------------------------------------------------

  async signIn(params: SignInParams): Promise<void> {
    const current = this.state.connection.state;
    if (current !== 'offline' && current !== 'signed-out') {
      throw new GwsError('NOT_ALLOWED_IN_STATE', `already ${current}`);
    }
    await this.outbox.loaded;
    this.generation += 1;
    this.params = params;
    this.credentials = { username: params.username, password: params.password };
    this.http = new GwsHttpClient({
      serverUrl: params.serverUrl,
      transport: this.transport,
      credentials: this.credentials,
      timeoutMs: this.requestTimeoutMs,
      logger: this.logger,
    });
    this.dispatch({ type: 'clear-error' });
    this.dispatch({ type: 'connection', state: 'connecting', reason: 'signing in' });
    try {
      // gws-api.md §2: GET /me → CometD handshake → subscribe → StartContactCenterSession.
      await this.loadMe();
      await this.openNotifications();
      await this.startContactCenterSession();
      await this.readState();
      this.dispatch({ type: 'connection', state: 'connected', reason: 'signed in' });
    } catch (error) {
      const gws = asGwsError(error);
      await this.teardown();
      this.dispatch({ type: 'error', error: gws.toJSON() });
      this.dispatch({ type: 'connection', state: 'offline', reason: gws.message });
      throw gws;
    }
  }

  async signOut(): Promise<void> {
    const http = this.http;
    if (http && this.state.connection.state !== 'offline' && this.state.connection.state !== 'signed-out') {
      try {
        // Also invalidates the HTTP session (gws-api.md §3), so it goes before the CometD disconnect.
        await http.post('/api/v2/me', { operationName: 'EndContactCenterSession' });
      } catch (error) {
        this.logger.warn('EndContactCenterSession failed', { error: String(error) });
      }
    }
    await this.teardown();
    this.dispatch({ type: 'signed-out', reason: 'signed out by user' });
  }

  async dispose(): Promise<void> {
    await this.teardown();
    this.listeners.clear();
  }

  private async teardown(): Promise<void> {
    this.generation += 1;
    for (const sub of this.subscriptions) sub.dispose();
    this.subscriptions = [];
    const connection = this.connection;
    this.connection = undefined;
    if (this.resyncTimer !== undefined) this.clock.clearTimeout(this.resyncTimer);
    this.resyncTimer = undefined;
    if (this.drainTimer !== undefined) this.clock.clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    for (const [id, timer] of this.outboxAckTimers) {
      this.clock.clearTimeout(timer);
      // Accepted but not acknowledged: checked with the server on the next sign-in.
      const entry = this.outbox.get(id);
      if (entry?.state === 'accepted') this.outbox.update(id, { state: 'unknown', updatedAt: this.clock.now() });
    }
    this.outboxAckTimers.clear();
    this.dialUnknown.clear();
    for (const [referenceId, waiter] of this.waiters) {
      this.clock.clearTimeout(waiter.timer);
      waiter.resolve('unconfirmed');
      this.waiters.delete(referenceId);
    }
    if (connection) await connection.disconnect().catch(() => undefined);
  }

  private async loadMe(): Promise<void> {
    const reply = await this.client().get('/api/v2/me?subresources=*');
    const parsed = meReplySchema.safeParse(reply);
    if (!parsed.success) throw new GwsError('MALFORMED_REPLY', `GET /api/v2/me: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}`);
    const user = parsed.data.user;
    const settings = toJsonObject(user.settings ?? {});
    const snapshot: UserSnapshot = {
      id: user.id,
      userName: user.userName,
      firstName: user.firstName,
      lastName: user.lastName,
      notReadyReasons: findNotReadyReasons(settings),
      callResults: findCallResults(settings),
      settings,
    };
    this.dispatch({ type: 'me-loaded', user: snapshot, devices: parseList(user.devices ?? [], deviceSchema.safeParse, this.logger) });
  }

  private async openNotifications(): Promise<void> {
    const http = this.client();
    const connection = this.connectionFactory({
      url: http.url('/api/v2/notifications'),
      channels: NOTIFICATION_CHANNELS,
      cookies: { header: (url) => http.cookieHeader(url), store: (url, header) => http.storeSetCookie(url, header) },
      logger: this.logger,
      backoff: (attempt) => this.backoff(attempt),
      ...(this.trustedCertificates.length > 0 && { trustedCertificates: this.trustedCertificates }),
    });
    this.connection = connection;
    const generation = this.generation;
    this.subscriptions.push(
      connection.onMessage((channel, data) => {
        if (generation === this.generation) this.onNotification(channel, data);
      }),
      connection.onStatus((status) => {
        if (generation === this.generation) this.onConnectionStatus(status);
      }),
    );
    await connection.connect();
  }

  private async startContactCenterSession(): Promise<void> {
    const place = this.params?.place;
    await this.client().post('/api/v2/me', {
      operationName: 'StartContactCenterSession',
      channels: ['voice'],
      ...(place !== undefined && place !== '' && { place }),
      referenceId: this.newReferenceId(),
    });
  }

  /** gws-api.md §3 RecoveringExistingState: the server's devices and calls replace ours. */
  private async readState(): Promise<void> {
    const http = this.client();
    this.readsStarted += 1;
    const read = this.readsStarted;
    const devices = devicesReplySchema.safeParse(await http.get('/api/v2/me/devices?fields=*'));
    if (!devices.success) throw new GwsError('MALFORMED_REPLY', 'GET /api/v2/me/devices: no devices array');
    const calls = callsReplySchema.safeParse(await http.get('/api/v2/me/calls?fields=*'));
    if (!calls.success) throw new GwsError('MALFORMED_REPLY', 'GET /api/v2/me/calls: no calls array');
    this.dispatch({ type: 'devices-read', devices: parseList<WireDevice>(devices.data.devices, deviceSchema.safeParse, this.logger) });
    this.dispatch({ type: 'calls-read', calls: parseList<WireCall>(calls.data.calls, callSchema.safeParse, this.logger) });
    // A call list read after a Dial with an unknown outcome settles it: listed → dialled, else not.
    for (const [handle, failedBefore] of this.dialUnknown) if (failedBefore < read) this.dialUnknown.delete(handle);
  }

  // ---- notifications and recovery -----------------------------------------------------------------

  private onNotification(channel: string, data: unknown): void {
    const notification = decodeNotification(channel, data, this.logger);
    if (!notification) return;
    const referenceId = 'referenceId' in notification ? notification.referenceId : undefined;
    if (referenceId !== undefined && this.probeRefs.has(referenceId)) return; // a probe's own reply: not for the UI
    this.dispatch({ type: 'notification', notification });
    if (referenceId === undefined) return;
    if (this.outbox.get(referenceId)) {
      this.onOutboxNotification(referenceId, notification.kind === 'error' ? 'error' : 'ack', notification.kind === 'error' ? notification.message : undefined);
      return;
    }
    const waiter = this.waiters.get(referenceId);
    if (!waiter) return;
    this.waiters.delete(referenceId);
    this.clock.clearTimeout(waiter.timer);
    if (notification.kind === 'error') {
      waiter.reject(new GwsError('SERVER', notification.message, { referenceId }));
    } else {
      waiter.resolve('confirmed');
    }
  }

  private onConnectionStatus(status: NotificationStatus): void {
    switch (status.state) {
      case 'connected':
        if (this.recovering) return; // recovery reads state itself when it is done
        if (this.state.connection.state === 'reconnecting' || status.rehandshake) {
          this.dispatch({ type: 'connection', state: 'connected', reason: status.rehandshake ? 're-handshaken' : 'reconnected' });
          void this.resync();
        }
        return;
      case 'reconnecting':
        if (this.state.connection.state === 'connected') this.dispatch({ type: 'connection', state: 'reconnecting', reason: status.reason });
        return;
      case 'session-lost':
        void this.recover(status.reason);
        return;
    }
  }

  /**
   * The HTTP session is gone: sign in again with the credentials held in memory — once — then
   * handshake again and re-read. If that fails the session ends as `signed-out` with the reason.
   */
  private recover(reason: string): Promise<void> {
    if (this.recovering) return this.recovering;
    const generation = this.generation;
    this.recovering = (async () => {
      this.dispatch({ type: 'connection', state: 'reconnecting', reason: `session lost (${reason}): signing in again` });
      try {
        // "Once" is about the credentials: a refusal (401/403) ends the session at once, but a
        // server that is still failing (5xx, reset, timeout — e.g. right after a restart) is
        // retried with the jittered backoff a few times (docs/reliability.md).
        for (let attempt = 0; ; attempt += 1) {
          try {
            const http = this.client();
            http.resetSession();
            await this.loadMe();
            if (generation !== this.generation) return;
            await this.connection?.connect();
            if (generation !== this.generation) return;
            await this.ensureContactCenterSession();
            await this.readState();
            break;
          } catch (error) {
            const gws = asGwsError(error);
            if (generation !== this.generation) return;
            if (!outcomeUnknown(gws) || attempt >= RESYNC_ATTEMPTS - 1) throw gws;
            this.logger.warn('signing in again failed, retrying', { attempt, error: gws.message });
            await new Promise<void>((resolve) => {
              this.resyncTimer = this.clock.setTimeout(resolve, this.backoff(attempt));
            });
            if (generation !== this.generation) return;
          }
        }
        this.dispatch({ type: 'connection', state: 'connected', reason: 'signed in again' });
      } catch (error) {
        if (generation !== this.generation) return;
        const gws = asGwsError(error);
        const expired = new GwsError('SESSION_EXPIRED', `session expired and signing in again failed: ${gws.message}`, {
          ...(gws.statusCode !== undefined && { statusCode: gws.statusCode }),
          ...(gws.httpStatus !== undefined && { httpStatus: gws.httpStatus }),
          cause: gws,
        });
        this.logger.warn('session recovery failed', { error: gws.message });
        await this.teardown();
        this.dispatch({ type: 'error', error: expired.toJSON() });
        this.dispatch({ type: 'signed-out', reason: expired.message });
      } finally {
        this.recovering = undefined;
      }
    })();
    return this.recovering;
  }

  /** After a re-login the contact-center session may have survived; start it only if the device says logged out. */
  private async ensureContactCenterSession(): Promise<void> {
    const devices = devicesReplySchema.safeParse(await this.client().get('/api/v2/me/devices?fields=*'));
    const device = devices.success ? parseList<WireDevice>(devices.data.devices, deviceSchema.safeParse, this.logger)[0] : undefined;
    if (!device?.userState || device.userState.state === 'LoggedOut') await this.startContactCenterSession();
  }

  /** Re-reads devices and calls, retrying with backoff (idempotent GETs only). */
  private resync(): Promise<void> {
    if (this.resyncing) return this.resyncing;
    const generation = this.generation;
    this.resyncing = (async () => {
      for (let attempt = 0; attempt < RESYNC_ATTEMPTS; attempt += 1) {
        if (generation !== this.generation) return;
        try {
          await this.readState();
          return;
        } catch (error) {
          const gws = asGwsError(error);
          if (gws.code === 'AUTH_FAILED') {
            void this.recover(gws.message);
            return;
          }
          this.logger.warn('re-reading state failed', { attempt, error: gws.message });
          if (attempt === RESYNC_ATTEMPTS - 1) {
            this.dispatch({ type: 'error', error: gws.toJSON() });
            return;
          }
          await new Promise<void>((resolve) => {
            this.resyncTimer = this.clock.setTimeout(resolve, this.backoff(attempt));
          });
        }
      }
    })().finally(() => {
      this.resyncing = undefined;
    });
    return this.resyncing;
  }

  // ---- operations ---------------------------------------------------------------------------------

  private client(): GwsHttpClient {
    if (!this.http) throw new GwsError('OFFLINE', 'not signed in');
    return this.http;
  }

  private deviceId(operationName: string): string {
    requireOnline(this.state, operationName);
    return (this.state.device as { id: string }).id;
  }

  private async perform(spec: OperationSpec): Promise<OperationAck> {
    requireOnline(this.state, spec.operationName);
    const http = this.client();
    const referenceId = this.newReferenceId();
    const operation: PendingOperation = {
      referenceId,
      operationName: spec.operationName,
      target: spec.target,
      ...(spec.targetId !== undefined && { targetId: spec.targetId }),
      status: 'sending',
      startedAt: this.clock.now(),
      ...(spec.recordHandle !== undefined && { recordHandle: spec.recordHandle }),
    };
    this.dispatch({
      type: 'operation-started',
      operation,
      ...(spec.campaignName !== undefined && { campaignName: spec.campaignName }),
      ...(spec.callResult !== undefined && { callResult: spec.callResult }),
    });
    let outcome!: Promise<'confirmed' | 'unconfirmed'>;
    if (!spec.silent) {
      outcome = new Promise((resolve, reject) => {
        const timer = this.clock.setTimeout(() => {
          this.waiters.delete(referenceId);
          this.dispatch({ type: 'operation-expired', referenceId });
          resolve('unconfirmed');
        }, this.operationTimeoutMs);
        this.waiters.set(referenceId, { resolve, reject, timer });
      });
      outcome.catch(() => undefined); // a caller that ignores the outcome must not crash the process
    }
    try {
      await http.post(spec.path, { ...spec.body, referenceId }, { operationName: spec.operationName });
    } catch (error) {
      const gws = asGwsError(error, { operationName: spec.operationName, referenceId });
      const waiter = this.waiters.get(referenceId);
      if (waiter) {
        this.clock.clearTimeout(waiter.timer);
        this.waiters.delete(referenceId);
        waiter.resolve('unconfirmed');
      }
      this.dispatch({ type: 'operation-failed', referenceId, error: gws.toJSON() });
      if (gws.code === 'AUTH_FAILED') void this.recover(gws.message);
      throw gws;
    }
    if (spec.silent) {
      this.dispatch({ type: 'operation-expired', referenceId });
      return { referenceId, outcome: Promise.resolve('confirmed') };
    }
    if (this.waiters.has(referenceId)) this.dispatch({ type: 'operation-accepted', referenceId });
    return { referenceId, outcome };
  }

  private voice(operationName: string, extra: Record<string, unknown> = {}): Promise<OperationAck> {
    return this.guarded(() => ({
      operationName,
      path: '/api/v2/me/channels/voice',
      body: { operationName, ...extra },
      target: 'channel',
      targetId: 'voice',
    }));
  }

  private callOp(callId: string, operationName: string, extra: Record<string, unknown> = {}, silent = false): Promise<OperationAck> {
    return this.guarded(() => {
      requireOnline(this.state, operationName);
      requireCapability(this.state, callId, operationName);
      return {
        operationName,
        path: `/api/v2/me/calls/${encodeURIComponent(callId)}`,
        body: { operationName, ...extra },
        target: 'call',
        targetId: callId,
        silent,
      };
    });
  }

  /** Runs the guards synchronously, turning their refusal into a rejected promise (nothing sent). */
  private guarded(build: () => OperationSpec): Promise<OperationAck> {
    let spec: OperationSpec;
    try {
      spec = build();
    } catch (error) {
      return Promise.reject(asGwsError(error));
    }
    return this.perform(spec);
  }

  ready(workMode?: 'ManualIn' | 'AutoIn'): Promise<OperationAck> {
    return this.voice('Ready', workMode !== undefined ? { workmode: workMode } : {});
  }

  notReady(reasonCode?: string): Promise<OperationAck> {
    return this.voice('NotReady', reasonCode !== undefined && reasonCode !== '' ? { reasonCode } : {});
  }

  afterCallWork(): Promise<OperationAck> {
    return this.voice('AfterCallWork');
  }

  auxWork(): Promise<OperationAck> {
    return this.voice('AuxWork');
  }

  setDoNotDisturb(on: boolean): Promise<OperationAck> {
    return this.guarded(() => {
      const operationName = on ? 'DoNotDisturbOn' : 'DoNotDisturbOff';
      const deviceId = this.deviceId(operationName);
      return { operationName, path: `/api/v2/me/devices/${encodeURIComponent(deviceId)}`, body: { operationName }, target: 'device', targetId: deviceId };
    });
  }

  dial(phoneNumber: string, userData?: JsonObject): Promise<OperationAck> {
    return this.guarded(() => {
      const deviceId = this.deviceId('Dial');
      const number = validNumber(phoneNumber, 'Dial');
      return {
        operationName: 'Dial',
        path: `/api/v2/me/devices/${encodeURIComponent(deviceId)}/calls`,
        body: { operationName: 'Dial', destination: { phoneNumber: number }, ...(userData && { userData }) },
        target: 'device',
        targetId: deviceId,
      };
    });
  }

  answer(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'Answer');
  }

  hangup(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'Hangup');
  }

  hold(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'Hold');
  }

  retrieve(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'Retrieve');
  }

  sendDtmf(callId: string, digits: string): Promise<OperationAck> {
    if (!/^[0-9*#A-Da-d]+$/.test(digits)) {
      return Promise.reject(new GwsError('VALIDATION', 'DTMF digits must be 0-9, *, # or A-D', { operationName: 'SendDtmf' }));
    }
    // GWS answers SendDtmf with no notification: statusCode 0 is the confirmation.
    return this.callOp(callId, 'SendDtmf', { dtmfDigits: digits }, true);
  }

  initiateTransfer(callId: string, phoneNumber: string, userData?: JsonObject): Promise<OperationAck> {
    return this.destinationOp(callId, 'InitiateTransfer', phoneNumber, userData);
  }

  singleStepTransfer(callId: string, phoneNumber: string, userData?: JsonObject): Promise<OperationAck> {
    return this.destinationOp(callId, 'SingleStepTransfer', phoneNumber, userData);
  }

  initiateConference(callId: string, phoneNumber: string, userData?: JsonObject): Promise<OperationAck> {
    return this.destinationOp(callId, 'InitiateConference', phoneNumber, userData);
  }

  singleStepConference(callId: string, phoneNumber: string, userData?: JsonObject): Promise<OperationAck> {
    return this.destinationOp(callId, 'SingleStepConference', phoneNumber, userData);
  }

  private destinationOp(callId: string, operationName: string, phoneNumber: string, userData?: JsonObject): Promise<OperationAck> {
    return this.guarded(() => {
      const number = validNumber(phoneNumber, operationName);
      requireOnline(this.state, operationName);
      requireCapability(this.state, callId, operationName);
      return {
        operationName,
        path: `/api/v2/me/calls/${encodeURIComponent(callId)}`,
        body: { operationName, destination: { phoneNumber: number }, ...(userData && { userData }) },
        target: 'call',
        targetId: callId,
      };
    });
  }

  completeTransfer(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'CompleteTransfer');
  }

  completeConference(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'CompleteConference');
  }

  swap(callId: string, otherCallId: string): Promise<OperationAck> {
    const other = this.state.calls[otherCallId];
    const otherCallUri = this.http && other ? this.http.url(`/api/v2/me/calls/${encodeURIComponent(otherCallId)}`) : undefined;
    return this.callOp(callId, 'SwapCalls', otherCallUri !== undefined ? { otherCallUri } : {});
  }

  attachUserData(callId: string, userData: JsonObject): Promise<OperationAck> {
    return this.callOp(callId, 'AttachUserData', { userData });
  }

  updateUserData(callId: string, userData: JsonObject): Promise<OperationAck> {
    return this.callOp(callId, 'UpdateUserData', { userData });
  }

  deleteUserDataPair(callId: string, key: string): Promise<OperationAck> {
    if (key.trim() === '') return Promise.reject(new GwsError('VALIDATION', 'DeleteUserDataPair: the key must not be empty', { operationName: 'DeleteUserDataPair' }));
    return this.callOp(callId, 'DeleteUserDataPair', { key });
  }

  startCallRecording(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'StartCallRecording');
  }

  stopCallRecording(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'StopCallRecording');
  }

  setCallDisposition(callUuid: string, disposition: string, dispositionKey = 'DispositionCode'): Promise<OperationAck> {
    return this.guarded(() => {
      const operationName = 'SetCallDisposition';
      if (callUuid.trim() === '' || disposition.trim() === '') throw new GwsError('VALIDATION', 'SetCallDisposition needs a callUuid and a disposition', { operationName });
      requireOnline(this.state, operationName);
      const deviceId = this.deviceId(operationName);
      return {
        operationName,
        path: `/api/v2/me/devices/${encodeURIComponent(deviceId)}`,
        body: { operationName, callUuid, disposition, dispositionKey },
        target: 'device',
        targetId: deviceId,
      };
    });
  }

  // ---- outbound -----------------------------------------------------------------------------------

  private campaignOp(campaignName: string, operationName: string): Promise<OperationAck> {
    return this.guarded(() => {
      const deviceId = this.deviceId(operationName);
      const campaign = this.state.campaigns[campaignName];
      if (!campaign) throw new GwsError('NOT_ALLOWED_IN_STATE', `${operationName}: unknown campaign ${campaignName}`, { operationName });
      return {
        operationName,
        path: `/api/v2/me/outbound-campaigns/${encodeURIComponent(campaignName)}`,
        body: {
          operationName,
          ...(campaign.applicationId !== undefined && { applicationId: campaign.applicationId }),
          devicePath: `/devices/${deviceId}`,
          campaignName,
        },
        target: 'campaign',
        targetId: campaignName,
        campaignName,
      };
    });
  }

  startPreviewSession(campaignName: string): Promise<OperationAck> {
    return this.campaignOp(campaignName, 'StartPreviewSession');
  }

  endPreviewSession(campaignName: string): Promise<OperationAck> {
    return this.campaignOp(campaignName, 'EndPreviewSession');
  }

  getPreviewRecord(campaignName: string): Promise<OperationAck> {
    const phase = this.state.previewRecord.phase;
    if (phase !== 'idle' && phase !== 'done' && phase !== 'offered') {
      return Promise.reject(new GwsError('NOT_ALLOWED_IN_STATE', `GetPreviewRecord: the current record is ${phase}`, { operationName: 'GetPreviewRecord' }));
    }
    return this.campaignOp(campaignName, 'GetPreviewRecord');
  }

  dialPreviewRecord(record?: OutboundRecordSnapshot): Promise<OperationAck> {
    const target = record ?? this.state.previewRecord.record;
    if (!target) return Promise.reject(new GwsError('NOT_ALLOWED_IN_STATE', 'Dial: no preview record', { operationName: 'Dial' }));
    const handle = String(target.recordHandle);
    const inFlight = this.dialsInFlight.get(handle);
    if (inFlight) return inFlight; // the same Dial is already on its way: send nothing
    const preview = this.state.previewRecord;
    const isCurrent = preview.record !== undefined && String(preview.record.recordHandle) === handle;
    if (isCurrent && preview.phase !== 'offered') {
      return Promise.reject(new GwsError('NOT_ALLOWED_IN_STATE', `Dial: record ${handle} is ${preview.phase}`, { operationName: 'Dial' }));
    }
    const pending = Object.values(this.state.pendingOperations).some((op) => op.operationName === 'Dial' && op.recordHandle === handle);
    if (pending) return Promise.reject(new GwsError('NOT_ALLOWED_IN_STATE', `Dial: record ${handle} is already being dialled`, { operationName: 'Dial' }));
    if (this.dialUnknown.has(handle)) {
      // The last Dial's reply was lost: dialling again could call the customer twice. The calls
      // are being re-read; once they are, the record is either on a call or may be dialled again.
      return Promise.reject(new GwsError('NOT_ALLOWED_IN_STATE', `Dial: the outcome of the last Dial of record ${handle} is unknown; re-reading the calls`, { operationName: 'Dial' }));
    }
    const promise = this.guarded(() => {
      const deviceId = this.deviceId('Dial');
      return {
        operationName: 'Dial',
        path: `/api/v2/me/devices/${encodeURIComponent(deviceId)}/calls`,
        body: previewDialBody(deviceId, target),
        target: 'device',
        targetId: deviceId,
        recordHandle: handle,
      };
    })
      .catch((error: unknown) => {
        if (error instanceof GwsError && outcomeUnknown(error)) this.settleUnknownDial(handle);
        throw error;
      })
      .finally(() => this.dialsInFlight.delete(handle));
    this.dialsInFlight.set(handle, promise);
    return promise;
  }

  private recordOp(operationName: string, extra: (record: OutboundRecordSnapshot) => Record<string, unknown>, callResult?: string): Promise<OperationAck> {
    const build = (): OperationSpec => {
      const deviceId = this.deviceId(operationName);
      const preview = this.state.previewRecord;
      const record = preview.record;
      if (!record || preview.phase === 'done' || preview.phase === 'idle' || preview.phase === 'requested') {
        throw new GwsError('NOT_ALLOWED_IN_STATE', `${operationName}: no preview record in hand`, { operationName });
      }
      if (preview.phase === 'completing') throw new GwsError('NOT_ALLOWED_IN_STATE', `${operationName}: the record is being completed`, { operationName });
      const handle = String(record.recordHandle);
      const campaignName = record.campaignName ?? preview.campaignName;
      const applicationId = record.applicationId ?? (campaignName !== undefined ? this.state.campaigns[campaignName]?.applicationId : undefined);
      return {
        operationName,
        path: `/api/v2/me/outbound-records/${encodeURIComponent(handle)}`,
        body: {
          operationName,
          ...(applicationId !== undefined && { applicationId }),
          devicePath: `/devices/${deviceId}`,
          ...(campaignName !== undefined && { campaignName }),
          ...(record.callingList !== undefined && { callingList: record.callingList }),
          ...extra(record),
        },
        target: 'record',
        targetId: handle,
        recordHandle: handle,
        ...(campaignName !== undefined && { campaignName }),
        ...(callResult !== undefined && { callResult }),
      };
    };
    if (!isOutboxOperation(operationName)) return this.guarded(build);
    let spec: OperationSpec;
    try {
      spec = build();
    } catch (error) {
      return Promise.reject(asGwsError(error));
    }
    return this.enqueue(spec);
  }

  rejectRecord(): Promise<OperationAck> {
    return this.recordOp('RejectRecord', () => ({}));
  }

  cancelRecord(): Promise<OperationAck> {
    return this.recordOp('CancelRecord', () => ({}));
  }

  doNotCall(chainAttribute: ChainAttribute = 'AllChain'): Promise<OperationAck> {
    return this.recordOp('DoNotCallRecord', () => ({ chainAttribute }));
  }

  reschedule(callbackType: CallbackType, at: Date | number): Promise<OperationAck> {
    const ms = at instanceof Date ? at.getTime() : at;
    if (!Number.isFinite(ms) || ms < 0) {
      return Promise.reject(new GwsError('VALIDATION', 'RescheduleRecord: not a valid time', { operationName: 'RescheduleRecord' }));
    }
    return this.recordOp('RescheduleRecord', () => ({ callbackType, timestamp: Math.floor(ms / 1000) }));
  }

  updateRecord(update: RecordUpdate): Promise<OperationAck> {
    return this.recordOp('UpdateRecord', () => ({ ...update }));
  }

  completeRecord(callResult?: string): Promise<OperationAck> {
    const preview = this.state.previewRecord;
    const call = preview.callId !== undefined ? this.state.calls[preview.callId] : undefined;
    const answered = preview.phase === 'on-call' || preview.phase === 'wrap-up' ? (call?.establishedAt !== undefined || this.historyAnswered(preview.callId)) : false;
    const result = callResult ?? (answered ? 'Answer' : 'Unknown');
    const phoneNumber = preview.record?.phoneNumber;
    return this.recordOp('CompleteRecord', () => ({ callResult: result, ...(phoneNumber && { phoneNumber }) }), result);
  }

  private historyAnswered(callId: string | undefined): boolean {
    return callId !== undefined && this.state.callHistory.some((h) => h.callId === callId && h.result === 'Answered');
  }

  getChainedRecords(): Promise<OperationAck> {
    return this.recordOp('GetChainedRecord', () => ({}));
  }

  clearError(): void {
    this.dispatch({ type: 'clear-error' });
  }

  // ---- durable outbox (docs/reliability.md) --------------------------------------------------------

  retryOutboxEntry(id: string): void {
    const entry = this.outbox.get(id);
    if (!entry) throw new GwsError('NOT_ALLOWED_IN_STATE', `no outbox entry ${id}`);
    if (entry.state !== 'failed') throw new GwsError('NOT_ALLOWED_IN_STATE', `outbox entry ${id} is ${entry.state}, not failed`);
    this.outbox.update(id, { state: 'pending', lastError: undefined, updatedAt: this.clock.now() });
    this.publishOutbox();
    this.kickDrain();
  }

  discardOutboxEntry(id: string): void {
    const entry = this.outbox.get(id);
    if (!entry) throw new GwsError('NOT_ALLOWED_IN_STATE', `no outbox entry ${id}`);
    if (entry.state !== 'failed') throw new GwsError('NOT_ALLOWED_IN_STATE', `outbox entry ${id} is ${entry.state}: only a failed entry can be discarded`);
    this.outbox.remove(id);
    this.logger.warn('outbox entry discarded by the agent', { id, operationName: entry.operationName, recordHandle: entry.recordHandle });
    this.publishOutbox();
  }

  flushOutbox(): Promise<void> {
    return this.outbox.flush();
  }

  private publishOutbox(extra: { queued?: { operationName: string; recordHandle: string; callResult?: string }; delivered?: { operationName: string; recordHandle: string } } = {}): void {
    this.dispatch({ type: 'outbox', entries: this.outbox.entries.map(outboxSnapshot), storageError: this.outbox.storageError, ...extra });
  }

  /** Whose outbox entries this session may send now: the signed-in user's, on this server. */
  private owns(entry: OutboxEntry): boolean {
    return this.http !== undefined && this.params !== undefined && entry.userName === this.params.username && entry.serverUrl === this.http.serverUrl;
  }

  private canSendOutbox(): boolean {
    return this.state.connection.state === 'connected' && this.state.device !== null && this.http !== undefined;
  }

  /** Writes the intent to the outbox (and disk) first, then sends it at once if online. */
  private async enqueue(spec: OperationSpec): Promise<OperationAck> {
    const http = this.client();
    const referenceId = this.newReferenceId();
    const now = this.clock.now();
    const entry: OutboxEntry = {
      id: referenceId,
      referenceId,
      operationName: spec.operationName as OutboxEntry['operationName'],
      recordHandle: spec.recordHandle ?? spec.targetId ?? '',
      ...(spec.campaignName !== undefined && { campaignName: spec.campaignName }),
      ...(spec.callResult !== undefined && { callResult: spec.callResult }),
      path: spec.path,
      body: toJsonObject(spec.body),
      serverUrl: http.serverUrl,
      userName: this.params?.username ?? '',
      state: 'pending',
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    };
    const outcome = new Promise<'confirmed' | 'unconfirmed'>((resolve, reject) => this.outboxOutcomes.set(entry.id, { resolve, reject }));
    outcome.catch(() => undefined); // a caller that ignores the outcome must not crash the process
    await this.outbox.add(entry);
    this.publishOutbox({ queued: { operationName: entry.operationName, recordHandle: entry.recordHandle, ...(entry.callResult !== undefined && { callResult: entry.callResult }) } });
    if (!this.canSendOutbox() || this.outbox.blockedByEarlier(entry)) {
      this.kickDrain();
      return { referenceId, outcome, queued: true };
    }
    const result = await this.sendEntry(entry.id, true);
    if (result.kind === 'refused') throw result.error;
    return { referenceId, outcome, ...(result.kind !== 'accepted' && { queued: true }) };
  }

  /** One POST of an entry, with its referenceId. `first`: a refusal is thrown to the caller and the entry dropped. */
  private async sendEntry(id: string, first: boolean): Promise<{ kind: 'accepted' } | { kind: 'retry' } | { kind: 'refused'; error: GwsError } | { kind: 'gone' }> {
    const entry = this.outbox.get(id);
    const http = this.http;
    const device = this.state.device;
    if (!entry) return { kind: 'gone' };
    if (!http || !device || !this.canSendOutbox() || this.outboxBusy.has(id)) return { kind: 'retry' };
    const generation = this.generation;
    this.outboxBusy.add(id);
    try {
      this.outbox.update(id, { state: 'sending', attempts: entry.attempts + 1, updatedAt: this.clock.now() });
      this.publishOutbox();
      // On disk as `sending` before it leaves: after a crash it is `unknown`, never blindly re-sent.
      await this.outbox.flush();
      if (generation !== this.generation || !this.outbox.get(id)) {
        if (this.outbox.get(id)) this.outbox.update(id, { state: 'unknown', updatedAt: this.clock.now() });
        return { kind: 'retry' };
      }
      this.dispatch({
        type: 'operation-started',
        operation: {
          referenceId: entry.referenceId,
          operationName: entry.operationName,
          target: 'record',
          targetId: entry.recordHandle,
          status: 'sending',
          startedAt: this.clock.now(),
          recordHandle: entry.recordHandle,
        },
        ...(entry.campaignName !== undefined && { campaignName: entry.campaignName }),
        ...(entry.callResult !== undefined && { callResult: entry.callResult }),
      });
      const body = { ...entry.body, devicePath: `/devices/${device.id}`, referenceId: entry.referenceId };
      try {
        await http.post(entry.path, body, { operationName: entry.operationName });
      } catch (error) {
        const gws = asGwsError(error, { operationName: entry.operationName, referenceId: entry.referenceId });
        const next = stateAfterSendFailure(gws);
        if (next === 'failed') {
          this.dispatch({ type: 'operation-failed', referenceId: entry.referenceId, error: gws.toJSON() });
          this.outboxOutcomes.get(id)?.reject(gws);
          this.outboxOutcomes.delete(id);
          if (first) {
            // The agent is looking at it: the call rejects like any refused operation, nothing is kept.
            this.outbox.remove(id);
          } else {
            this.outbox.update(id, { state: 'failed', lastError: { code: gws.code, message: gws.message }, updatedAt: this.clock.now() });
          }
          this.publishOutbox();
          return { kind: 'refused', error: gws };
        }
        // Not refused: kept (pending or unknown) and retried later — never dropped.
        this.dispatch({ type: 'operation-expired', referenceId: entry.referenceId });
        if (this.outbox.get(id)) {
          this.outbox.update(id, { state: next, lastError: { code: gws.code, message: gws.message }, updatedAt: this.clock.now() });
        }
        this.publishOutbox();
        this.logger.warn('record outcome not delivered yet: kept in the outbox', { operationName: entry.operationName, recordHandle: entry.recordHandle, code: gws.code, state: next });
        if (gws.code === 'AUTH_FAILED') void this.recover(gws.message);
        this.scheduleDrain();
        return { kind: 'retry' };
      }
      this.drainAttempt = 0;
      if (!this.outbox.get(id)) return { kind: 'accepted' }; // the acknowledgement beat the HTTP reply
      this.outbox.update(id, { state: 'accepted', lastError: undefined, updatedAt: this.clock.now() });
      this.dispatch({ type: 'operation-accepted', referenceId: entry.referenceId });
      this.publishOutbox();
      this.outboxAckTimers.set(
        id,
        this.clock.setTimeout(() => this.onAckTimeout(id), this.operationTimeoutMs),
      );
      return { kind: 'accepted' };
    } finally {
      this.outboxBusy.delete(id);
      // Later entries (and entries behind this one) may go now; a failed one waits for its backoff timer.
      if (this.outbox.get(id)?.state !== 'unknown' && this.outbox.get(id)?.state !== 'pending') this.kickDrain();
    }
  }

  private onAckTimeout(id: string): void {
    this.outboxAckTimers.delete(id);
    const entry = this.outbox.get(id);
    if (!entry || entry.state !== 'accepted') return;
    this.dispatch({ type: 'operation-expired', referenceId: entry.referenceId });
    if (decide(entry, { ackTimedOut: true }) === 'drop') {
      this.delivered(entry, 'accepted (statusCode 0), no acknowledgement');
      return;
    }
    // An ending outcome without its acknowledgement: ask the server before anything else.
    this.outbox.update(id, { state: 'unknown', updatedAt: this.clock.now() });
    this.publishOutbox();
    this.kickDrain();
  }

  private onOutboxNotification(referenceId: string, kind: 'ack' | 'error', message?: string): void {
    const entry = this.outbox.get(referenceId);
    if (!entry) return;
    const timer = this.outboxAckTimers.get(entry.id);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    this.outboxAckTimers.delete(entry.id);
    if (decide(entry, { notification: kind }) === 'drop') {
      this.delivered(entry, 'acknowledged');
      return;
    }
    const error = new GwsError('SERVER', message ?? `${entry.operationName} failed`, { operationName: entry.operationName, referenceId });
    this.outbox.update(entry.id, { state: 'failed', lastError: { code: error.code, message: error.message }, updatedAt: this.clock.now() });
    this.outboxOutcomes.get(entry.id)?.reject(error);
    this.outboxOutcomes.delete(entry.id);
    this.publishOutbox();
    this.kickDrain();
  }

  /** The outcome is applied: the entry leaves the outbox. */
  private delivered(entry: OutboxEntry, how: string): void {
    if (!this.outbox.remove(entry.id)) return;
    this.logger.info('record outcome delivered', { operationName: entry.operationName, recordHandle: entry.recordHandle, referenceId: entry.referenceId, how });
    this.outboxOutcomes.get(entry.id)?.resolve('confirmed');
    this.outboxOutcomes.delete(entry.id);
    this.publishOutbox({ delivered: { operationName: entry.operationName, recordHandle: entry.recordHandle } });
    this.kickDrain();
  }

  /**
   * Is the record still held by this agent? GetChainedRecord on it: statusCode 0 → held; 6 (not a
   * record this agent holds) or 2 (already finalized) → not held; anything else → unknown.
   */
  private async probe(entry: OutboxEntry): Promise<'held' | 'not-held' | 'unknown'> {
    const http = this.http;
    const device = this.state.device;
    if (!http || !device) return 'unknown';
    const referenceId = this.newReferenceId();
    this.probeRefs.add(referenceId);
    const { applicationId, campaignName } = entry.body;
    const body = {
      operationName: 'GetChainedRecord',
      ...(applicationId !== undefined && { applicationId }),
      devicePath: `/devices/${device.id}`,
      ...(campaignName !== undefined && { campaignName }),
      referenceId,
    };
    try {
      await http.post(entry.path, body, { operationName: 'GetChainedRecord' });
      return 'held';
    } catch (error) {
      const gws = asGwsError(error);
      if (gws.statusCode === 6 || gws.statusCode === 2) return 'not-held';
      return 'unknown';
    } finally {
      this.clock.setTimeout(() => this.probeRefs.delete(referenceId), 60_000);
    }
  }

  private kickDrain(): void {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    if (!this.canSendOutbox() || !this.outbox.entries.some((e) => this.owns(e) && e.state !== 'failed' && e.state !== 'accepted')) return;
    this.draining = true;
    void this.drainOnce()
      .catch((error: unknown) => this.logger.error('outbox delivery failed', { error: String(error) }))
      .finally(() => {
        this.draining = false;
        if (this.drainAgain) {
          this.drainAgain = false;
          this.kickDrain();
        }
      });
  }

  /** Retry later with the jittered backoff (after a transient failure). */
  private scheduleDrain(): void {
    if (this.drainTimer !== undefined) return;
    const delay = this.backoff(this.drainAttempt);
    this.drainAttempt += 1;
    this.drainTimer = this.clock.setTimeout(() => {
      this.drainTimer = undefined;
      this.kickDrain();
    }, delay);
  }

  private async drainOnce(): Promise<void> {
    for (const listed of [...this.outbox.entries]) {
      if (!this.canSendOutbox()) return;
      const entry = this.outbox.get(listed.id);
      if (!entry || !this.owns(entry) || this.outboxBusy.has(entry.id)) continue;
      let decision = decide(entry, { blockedByEarlier: this.outbox.blockedByEarlier(entry) });
      if (decision === 'probe') {
        this.outboxBusy.add(entry.id);
        let probe: 'held' | 'not-held' | 'unknown';
        try {
          probe = await this.probe(entry);
        } finally {
          this.outboxBusy.delete(entry.id);
        }
        const current = this.outbox.get(entry.id);
        if (!current) continue; // the acknowledgement arrived meanwhile
        if (probe === 'unknown') {
          this.scheduleDrain();
          return;
        }
        decision = decide(current, { probe, ackTimedOut: true });
      }
      if (decision === 'drop') this.delivered(entry, 'the record is no longer held');
      else if (decision === 'send') {
        const result = await this.sendEntry(entry.id, false);
        if (result.kind === 'retry') return;
      }
    }
  }

  /** A Dial's reply was lost: refuse re-dials of the record until a calls re-read that started afterwards. */
  private settleUnknownDial(handle: string): void {
    this.dialUnknown.set(handle, this.readsStarted);
    const reread = (attempt: number): void => {
      if (!this.dialUnknown.has(handle) || attempt > 20) return;
      void this.resync().then(() => {
        if (this.dialUnknown.has(handle)) this.clock.setTimeout(() => reread(attempt + 1), this.backoff(attempt));
      });
    };
    reread(0);
  }
}

function outboxSnapshot(entry: OutboxEntry): OutboxEntrySnapshot {
  const state = entry.state === 'failed' ? 'failed' : entry.state === 'sending' || entry.state === 'accepted' ? 'sending' : 'pending';
  return {
    id: entry.id,
    referenceId: entry.referenceId,
    operationName: entry.operationName,
    recordHandle: entry.recordHandle,
    ...(entry.campaignName !== undefined && { campaignName: entry.campaignName }),
    ...(entry.callResult !== undefined && { callResult: entry.callResult }),
    state,
    ...(entry.state === 'unknown' && { verifying: true }),
    attempts: entry.attempts,
    ...(entry.lastError !== undefined && { lastError: entry.lastError }),
    createdAt: entry.createdAt,
  };
}

/** The server may have acted on a request that failed this way (its reply was lost or is not trustworthy). */
function outcomeUnknown(error: GwsError): boolean {
  return error.code === 'TIMEOUT' || error.code === 'UNREACHABLE' || error.code === 'MALFORMED_REPLY' || (error.code === 'SERVER' && (error.httpStatus ?? 0) >= 500);
}

/** The seed's Dial of a preview record (seed-dial-preview-record.txt) plus the record's user data. */
export function previewDialBody(deviceId: string, record: OutboundRecordSnapshot): Record<string, unknown> {
  return {
    operationName: 'Dial',
    devicePath: `/devices/${deviceId}`,
    outboundRecord: record.wire,
    userData: record.userData,
  };
}

function validNumber(phoneNumber: string, operationName: string): string {
  const trimmed = phoneNumber.trim();
  if (!/^\+?[0-9*#][0-9*#\s().-]*$/.test(trimmed)) {
    throw new GwsError('VALIDATION', `${operationName}: "${phoneNumber}" is not a phone number`, { operationName });
  }
  return trimmed;
}

function asGwsError(error: unknown, details: { operationName?: string; referenceId?: string } = {}): GwsError {
  if (error instanceof GwsError) {
    if ((details.operationName && !error.operationName) || (details.referenceId && !error.referenceId)) {
      return new GwsError(error.code, error.message, {
        ...(error.statusCode !== undefined && { statusCode: error.statusCode }),
        ...(error.statusMessage !== undefined && { statusMessage: error.statusMessage }),
        ...(error.httpStatus !== undefined && { httpStatus: error.httpStatus }),
        operationName: error.operationName ?? details.operationName,
        referenceId: error.referenceId ?? details.referenceId,
        cause: error.cause,
      });
    }
    return error;
  }
  return new GwsError('SERVER', error instanceof Error ? error.message : String(error), { ...details, cause: error });
}

function parseList<T>(items: unknown[], parse: (item: unknown) => { success: true; data: T } | { success: false }, logger: Logger): T[] {
  const out: T[] = [];
  for (const item of items) {
    const parsed = parse(item);
    if (parsed.success) out.push(parsed.data);
    else logger.warn('dropped a malformed item of a GET reply');
  }
  return out;
}

/** Not-ready reasons from /me settings: any array of `{code|name|key, displayName|name}` under a key naming them. */
export function findNotReadyReasons(settings: JsonObject): NotReadyReason[] {
  const list = findList(settings, /not.?ready.?reason|reason.?codes?/i);
  const out: NotReadyReason[] = [];
  for (const item of list) {
    if (typeof item === 'string') out.push({ code: item, displayName: item });
    else if (item && typeof item === 'object' && !Array.isArray(item)) {
      const code = item['code'] ?? item['key'] ?? item['name'];
      const name = item['displayName'] ?? item['name'] ?? code;
      if (typeof code === 'string' && typeof name === 'string') out.push({ code, displayName: name });
    }
  }
  return out;
}

/** Call result names from /me settings (strings or `{name}` objects) under a key naming them. */
export function findCallResults(settings: JsonObject): string[] {
  return findList(settings, /call.?results?/i).flatMap((item) => {
    if (typeof item === 'string') return [item];
    if (item && typeof item === 'object' && !Array.isArray(item) && typeof item['name'] === 'string') return [item['name']];
    return [];
  });
}

function findList(value: JsonObject, key: RegExp, depth = 0): (JsonObject[string])[] {
  for (const [k, v] of Object.entries(value)) {
    if (key.test(k) && Array.isArray(v)) return v;
  }
  if (depth >= 2) return [];
  for (const v of Object.values(value)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const found = findList(v, key, depth + 1);
      if (found.length > 0) return found;
    }
  }
  return [];
}

export type { GwsReply };
