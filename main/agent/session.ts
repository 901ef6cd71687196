/**
 * The agent session: the facade of the core. It composes the REST client, the notification
 * connection, the decoder, the pure reducer, pending-reply tracking (pending.ts), the outbox
 * delivery (outbox-delivery.ts) and the request builders (gws/requests.ts) into one snapshot with
 * one direction of data:
 *
 *   CometD message → decode → reduce → snapshot → onDidChange listeners → pending replies settle
 *   operation → guards → request builder → POST → pending in the snapshot → result notification
 */
import { randomUUID } from 'node:crypto';
import { fullJitterDelay } from '../gws/backoff';
import { NOTIFICATION_CHANNELS, decodeNotification } from '../gws/decode';
import { GwsError, asGwsError } from '../gws/errors';
import type { GwsReply } from '../gws/http-client';
import { GwsHttpClient } from '../gws/http-client';
import type { HttpTransport } from '../gws/http-transport';
import { nodeTransport } from '../gws/http-transport';
import type { Logger } from '../gws/logger';
import { silentLogger } from '../gws/logger';
import type { Disposable, NotificationConnection, NotificationConnectionFactory } from '../gws/notifications';
import { createCometdConnection } from '../gws/notifications';
import type { GwsRequest } from '../gws/requests';
import * as req from '../gws/requests';
import type { CampaignStore } from './campaign-memory';
import { accountKey, memoryCampaignStore, recallCampaigns, rememberCampaigns } from './campaign-memory';
import type { Clock } from './clock';
import { systemClock } from './clock';
import type { AgentEventInput } from './events';
import type { OperationMeta } from './operations';
import { AgentOperations } from './operations';
import type { OutboxIntent } from './outbox-delivery';
import { requireOnline } from './guards';
import { Outbox, memoryOutboxStore } from './outbox';
import { OutboxDelivery } from './outbox-delivery';
import { PendingReplies } from './pending';
import { LinkRecovery } from './recovery';
import { changedKeys, reduce } from './reducer';
import { contactCenterSessionGone, readCalls, readConfiguredAgentStates, readDevices, readUser } from './server-state';
import type { AgentSession, AgentSessionOptions, OperationAck, SignInParams, WireObservation } from './session-types';
import type { AgentSnapshot, SnapshotKey } from './snapshot';
import { initialSnapshot } from './snapshot';

export type { Clock } from './clock';
export { systemClock } from './clock';
export type * from './session-types';
export type { GwsReply };

export function createAgentSession(options: AgentSessionOptions = {}): AgentSession {
  return new Session(options);
}

class Session extends AgentOperations implements AgentSession {
  private state: AgentSnapshot;
  private readonly listeners = new Set<(snapshot: AgentSnapshot, changes: SnapshotKey[]) => void>();
  protected readonly clock: Clock;
  protected readonly logger: Logger;
  private readonly random: () => number;
  private readonly transport: HttpTransport;
  private readonly connectionFactory: NotificationConnectionFactory;
  private readonly newReferenceId: () => string;
  private readonly requestTimeoutMs: number;
  private readonly backoffOptions: { baseMs?: number; capMs?: number };
  private readonly trustedCertificates: readonly string[];
  private readonly campaignStore: CampaignStore;
  private readonly configuredCampaigns: readonly string[];
  private readonly observer: ((o: WireObservation) => void) | undefined;
  private readonly maxNetworkDelayMs: number | undefined;
  private readonly pending: PendingReplies;
  private readonly delivery: OutboxDelivery;

  private http: GwsHttpClient | undefined;
  private connection: NotificationConnection | undefined;
  private subscriptions: Disposable[] = [];
  private params: SignInParams | undefined;
  private readonly recovery: LinkRecovery;
  private generation = 0;

  constructor(options: AgentSessionOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.random = options.random ?? Math.random;
    this.trustedCertificates = options.trustedCertificates ?? [];
    this.transport = options.transport ?? nodeTransport({ trustedCertificates: this.trustedCertificates });
    this.connectionFactory = options.notifications ?? createCometdConnection;
    this.newReferenceId = options.newReferenceId ?? randomUUID;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.backoffOptions = options.backoff ?? {};
    this.campaignStore = options.campaignStore ?? memoryCampaignStore();
    this.configuredCampaigns = options.configuredCampaigns ?? [];
    this.observer = options.observer;
    this.maxNetworkDelayMs = options.maxNetworkDelayMs;
    this.state = initialSnapshot(this.clock.now());
    const timeoutMs = options.operationTimeoutMs ?? 15_000;
    this.pending = new PendingReplies(this.clock, timeoutMs, (referenceId) => {
      const op = this.state.pendingOperations[referenceId];
      this.dispatch({ type: 'operation-expired', referenceId });
      // A Dial never confirmed: its outcome is unknown until the calls are re-read (no second Dial meanwhile).
      if (op?.operationName === 'Dial' && op.recordHandle !== undefined) this.settleUnknownDial(op.recordHandle);
    });
    const outbox = new Outbox({
      store: options.outboxStore ?? memoryOutboxStore(),
      onStorageError: (error) => {
        this.logger.error('the outbox could not be saved: entries kept in memory', { error: String(error) });
        this.delivery.publish();
      },
      onStorageRecovered: () => this.delivery.publish(),
    });
    this.delivery = new OutboxDelivery({
      outbox,
      clock: this.clock,
      logger: this.logger,
      backoff: (attempt) => this.backoff(attempt),
      ackTimeoutMs: timeoutMs,
      post: (path, body, operationName) => this.post(path, body, operationName),
      link: () => (this.state.connection.state === 'connected' && this.state.device !== null && this.http !== undefined ? { deviceId: this.state.device.id } : undefined),
      owns: (entry) => this.http !== undefined && this.params !== undefined && entry.userName === this.params.username && entry.serverUrl === this.http.serverUrl,
      dispatch: (event) => this.dispatch(event),
      onAuthFailed: (message) => void this.recovery.recover(message),
      onGone: (entry) => this.recordGone(entry.recordHandle),
      heard: () => this.connection?.heard?.(),
    });
    this.attachWorkRules(options.workRules, (event) => this.dispatch(event));
    this.recovery = new LinkRecovery({
      clock: this.clock,
      logger: this.logger,
      backoff: (attempt) => this.backoff(attempt),
      state: () => this.state,
      dispatch: (event) => this.dispatch(event),
      generation: () => this.generation,
      linkDown: () => {
        // The REST pool's idle sockets may have died with the link: the re-read after link-up goes
        // on new connections (docs/reliability.md: dead links). Acknowledgements travel on that link:
        // an outcome waiting for one may have been applied, and is re-sent once the link is back.
        this.transport.freshSockets?.();
        this.delivery.stop();
      },
      signInAgain: async () => {
        const generation = this.generation;
        this.client().resetSession();
        await this.loadMe();
        if (generation !== this.generation) return;
        await this.connection?.connect();
        if (generation !== this.generation) return;
        // After a re-login the contact-center session may have survived: started only if it is gone.
        const devices = await readDevices((path) => this.get(path), this.logger).catch((error: unknown) => {
          if (error instanceof GwsError && error.code === 'MALFORMED_REPLY') return [];
          throw error;
        });
        if (contactCenterSessionGone(devices)) await this.startContactCenterSession();
      },
      readState: () => this.readState(),
      endSession: async () => {
        await this.teardown();
        this.http = undefined;
        this.params = undefined;
      },
    });
  }

  get snapshot(): AgentSnapshot {
    return this.state;
  }

  onDidChange(listener: (snapshot: AgentSnapshot, changes: SnapshotKey[]) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private dispatch(event: AgentEventInput): void {
    const before = this.state;
    const after = reduce(before, { ...event, at: event.at ?? this.clock.now() } as Parameters<typeof reduce>[1]);
    if (after === before) return;
    this.state = after;
    const changes = changedKeys(before, after);
    if (changes.length === 0) return;
    for (const listener of [...this.listeners]) {
      try {
        // The state now, not `after`: a listener before this one may have dispatched (the preview
        // pacer, an operation sent from a watcher), and a later listener must not be handed the
        // older value of a key that nested change already published.
        listener(this.state, changes);
      } catch (error) {
        this.logger.error('a snapshot listener threw', { error: String(error) });
      }
    }
    if (changes.includes('campaigns') && after.user && this.http && after.connection.state !== 'signed-out') void rememberCampaigns(this.campaignStore, accountKey(this.client().serverUrl, after.user.userName), after, this.logger);
    // Back online: deliver what the outbox holds.
    if (changes.includes('connection') && after.connection.state === 'connected') this.delivery.kick();
  }

  protected backoff(attempt: number): number {
    return fullJitterDelay(attempt, { ...this.backoffOptions, random: this.random });
  }

  // ---- REST, observed -------------------------------------------------------------------------

  private async get(path: string): Promise<GwsReply> {
    const reply = await this.client().get(path);
    this.observer?.({ kind: 'reply', method: 'GET', path, body: reply });
    return reply;
  }

  private async post(path: string, body: Record<string, unknown>, operationName: string): Promise<GwsReply> {
    const reply = await this.client().post(path, body, { operationName });
    this.observer?.({ kind: 'reply', method: 'POST', path, body: reply, operationName });
    return reply;
  }

  private client(): GwsHttpClient {
    if (!this.http) throw new GwsError('OFFLINE', 'not signed in');
    return this.http;
  }

  // ---- sign in / out --------------------------------------------------------------------------

  async signIn(params: SignInParams): Promise<void> {
    const current = this.state.connection.state;
    if (current !== 'offline' && current !== 'signed-out') throw new GwsError('NOT_ALLOWED_IN_STATE', `already ${current}`);
    await this.delivery.loaded;
    this.generation += 1;
    this.params = params;
    this.http = new GwsHttpClient({
      serverUrl: params.serverUrl,
      transport: this.transport,
      credentials: { username: params.username, password: params.password },
      timeoutMs: this.requestTimeoutMs,
      logger: this.logger,
    });
    this.dispatch({ type: 'clear-error' });
    this.dispatch({ type: 'connection', state: 'connecting', reason: 'signing in' });
    try {
      // gws-api.md §2: GET /me → CometD handshake → subscribe → StartContactCenterSession. The
      // configured agent states are read while the handshake runs (one round trip less).
      const get = (path: string): Promise<GwsReply> => this.get(path);
      const { user, devices } = await readUser(get, this.logger, { agentStates: false });
      this.dispatch({ type: 'me-loaded', user, devices });
      const agentStates = readConfiguredAgentStates(get, this.logger);
      agentStates.catch(() => undefined); // awaited below; the handshake may fail first
      const campaigns = await recallCampaigns(this.campaignStore, accountKey(this.client().serverUrl, params.username), this.configuredCampaigns);
      this.dispatch({ type: 'campaigns-known', campaigns });
      await this.openNotifications();
      this.dispatch({ type: 'agent-states-loaded', agentStates: await agentStates });
      await this.startContactCenterSession();
      await this.readState();
      this.dispatch({ type: 'connection', state: 'connected', reason: 'signed in' });
    } catch (error) {
      const gws = asGwsError(error);
      await this.teardown();
      this.http = undefined;
      this.dispatch({ type: 'error', error: gws.toJSON() });
      this.dispatch({ type: 'connection', state: 'offline', reason: gws.message });
      throw gws;
    }
  }

  /** gws-api.md §2: unsubscribe and disconnect CometD, then EndContactCenterSession as the LAST step. */
  async signOut(): Promise<void> {
    const http = this.http;
    const live = this.state.connection.state !== 'offline' && this.state.connection.state !== 'signed-out';
    await this.teardown();
    if (http && live) {
      const end = req.endContactCenterSession();
      await http.post(end.path, end.body, { operationName: end.operationName }).catch((error: unknown) => this.logger.warn('EndContactCenterSession failed', { error: String(error) }));
    }
    // Credentials do not outlive the session.
    this.http = undefined;
    this.params = undefined;
    this.dispatch({ type: 'signed-out', reason: 'signed out by user' });
  }

  async dispose(): Promise<void> {
    await this.teardown();
    await this.delivery.flush(); // nothing of the outbox is left half-written behind it
    this.listeners.clear();
  }

  private async teardown(): Promise<void> {
    this.generation += 1;
    for (const sub of this.subscriptions) sub.dispose();
    this.subscriptions = [];
    const connection = this.connection;
    this.connection = undefined;
    this.recovery.stop();
    this.delivery.stop();
    this.dialUnknown.clear();
    this.pending.clear();
    if (connection) await connection.disconnect().catch(() => undefined);
  }

  private async loadMe(): Promise<void> {
    const { user, devices } = await readUser((path) => this.get(path), this.logger);
    this.dispatch({ type: 'me-loaded', user, devices });
  }

  private async openNotifications(): Promise<void> {
    const http = this.client();
    const connection = this.connectionFactory({
      url: http.url('/api/v2/notifications'),
      channels: NOTIFICATION_CHANNELS,
      cookies: { header: (url) => http.cookieHeader(url), store: (url, header) => http.storeSetCookie(url, header) },
      headers: () => http.csrfHeaders(),
      ...(this.maxNetworkDelayMs !== undefined && { maxNetworkDelayMs: this.maxNetworkDelayMs }),
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
        if (generation === this.generation) this.recovery.onStatus(status);
      }),
    );
    await connection.connect();
  }

  private async startContactCenterSession(): Promise<void> {
    const start = req.startContactCenterSession(this.params?.place);
    await this.post(start.path, { ...start.body, referenceId: this.newReferenceId() }, start.operationName);
  }

  /** gws-api.md §3 RecoveringExistingState: the server's devices and calls replace ours. */
  private async readState(): Promise<void> {
    this.readsStarted += 1;
    const read = this.readsStarted;
    const get = (path: string): Promise<GwsReply> => this.get(path);
    // Devices and calls at once (one round trip less); the calls do not depend on the devices.
    const [first, calls] = await Promise.all([readDevices(get, this.logger), readCalls(get, this.logger)]);
    let devices = first;
    if (this.state.device && contactCenterSessionGone(devices)) {
      // The server lost the agent's contact-center session (a restart without its state): start it again.
      this.logger.warn('the contact-center session is gone at the server: starting it again');
      await this.startContactCenterSession();
      devices = await readDevices(get, this.logger);
    }
    this.dispatch({ type: 'devices-read', devices });
    this.dispatch({ type: 'calls-read', calls });
    // A call list read after a Dial with an unknown outcome settles it: listed → dialled, else not.
    for (const [handle, failedBefore] of this.dialUnknown) if (failedBefore < read) this.dialUnknown.delete(handle);
  }

  // ---- notifications and recovery -------------------------------------------------------------

  private onNotification(channel: string, data: unknown): void {
    this.observer?.({ kind: 'notification', channel, data });
    const notification = decodeNotification(channel, data, this.logger);
    if (!notification) return;
    const referenceId = 'referenceId' in notification ? notification.referenceId : undefined;
    if (referenceId !== undefined && this.delivery.owns(referenceId)) {
      // A refusal of a record outcome is the delivery's to judge: a re-send refused because the
      // record was processed already is a success, not an error to show.
      if (notification.kind !== 'error') this.dispatch({ type: 'notification', notification });
      this.delivery.onNotification(referenceId, notification.kind === 'error' ? 'error' : 'ack', notification.kind === 'error' ? notification.message : undefined);
      return;
    }
    this.dispatch({ type: 'notification', notification });
    const settled = this.pending.settle(notification, this.state);
    for (const id of settled.confirmed) this.dispatch({ type: 'operation-confirmed', referenceId: id });
    if (settled.failed) this.dispatch({ type: 'operation-failed', referenceId: settled.failed.referenceId, error: settled.failed.error.toJSON() });
  }

  wake(reason: string): void {
    const state = this.state.connection.state;
    if (this.http === undefined || state === 'signed-out' || state === 'connecting') return;
    this.logger.info('woken: reconnecting and re-reading now', { reason, connection: state });
    this.transport.freshSockets?.();
    this.connection?.wake?.();
    this.recovery.cutWait(); // a sign-in or re-read waiting for its backoff goes now
  }

  protected resync(): Promise<void> {
    return this.recovery.resync();
  }

  // ---- operations -----------------------------------------------------------------------------

  /** Runs the guards and builds the request synchronously (a refusal sends nothing), then sends it. */
  protected perform(build: () => { request: GwsRequest; meta: OperationMeta }): Promise<OperationAck> {
    let built: { request: GwsRequest; meta: OperationMeta };
    try {
      built = build();
      requireOnline(this.state, built.request.operationName);
    } catch (error) {
      return Promise.reject(asGwsError(error));
    }
    return this.send(built.request, built.meta);
  }

  protected async send(request: GwsRequest, meta: OperationMeta): Promise<OperationAck> {
    const { operationName } = request;
    const referenceId = this.newReferenceId();
    this.dispatch({
      type: 'operation-started',
      operation: {
        referenceId,
        operationName,
        target: meta.target,
        ...(meta.targetId !== undefined && { targetId: meta.targetId }),
        status: 'sending',
        startedAt: this.clock.now(),
        ...(meta.recordHandle !== undefined && { recordHandle: meta.recordHandle }),
      },
      ...(meta.campaignName !== undefined && { campaignName: meta.campaignName }),
      ...(meta.callResult !== undefined && { callResult: meta.callResult }),
    });
    const outcome = meta.silent
      ? Promise.resolve<'confirmed'>('confirmed')
      : this.pending.add({ referenceId, operationName, target: meta.target, ...(meta.targetId !== undefined && { targetId: meta.targetId }), ...(meta.confirm && { confirm: meta.confirm }), aliases: this.aliasesOf(meta) });
    try {
      await this.post(request.path, { ...request.body, referenceId }, operationName);
    } catch (error) {
      const gws = asGwsError(error, { operationName, referenceId });
      this.pending.abandon(referenceId);
      this.dispatch({ type: 'operation-failed', referenceId, error: gws.toJSON() });
      if (gws.code === 'AUTH_FAILED') void this.recovery.recover(gws.message);
      this.dropIfGone(meta, gws);
      // "Not valid for the current state": the server's state may differ from ours (it may have lost
      // it): re-read it (and start the contact-center session again if it is gone).
      if (gws.statusCode === 2 && this.state.connection.state === 'connected') void this.resync();
      throw gws;
    }
    if (meta.silent) this.dispatch({ type: 'operation-confirmed', referenceId });
    else if (this.pending.has(referenceId)) this.dispatch({ type: 'operation-accepted', referenceId });
    return { referenceId, outcome };
  }

  /** A call's callUuid and connId: an ErrorMessage may name it by either. */
  private aliasesOf(meta: OperationMeta): string[] {
    if (meta.target !== 'call' || meta.targetId === undefined || !Object.hasOwn(this.state.calls, meta.targetId)) return [];
    const call = this.state.calls[meta.targetId];
    return [call?.callUuid, call?.connId].filter((id): id is string => id !== undefined && id !== '');
  }

  protected callUri(callId: string): string {
    return this.client().url(`/api/v2/me/calls/${encodeURIComponent(callId)}`);
  }

  protected async enqueueOutcome(intent: Omit<OutboxIntent, 'referenceId' | 'serverUrl' | 'userName'>): Promise<OperationAck> {
    try {
      return await this.delivery.enqueue({ ...intent, referenceId: this.newReferenceId(), serverUrl: this.client().serverUrl, userName: this.params?.username ?? '' });
    } catch (error) {
      const gws = asGwsError(error);
      this.dropIfGone({ target: 'record', targetId: intent.recordHandle, recordHandle: intent.recordHandle }, gws);
      throw gws;
    }
  }

  /**
   * statusCode 6 ("resource not found") on a record, call or campaign: the server no longer knows
   * it (restarted without its state, or reset). It is dropped with a notice so the agent can go on.
   */
  private dropIfGone(meta: Pick<OperationMeta, 'target' | 'targetId' | 'recordHandle'>, error: GwsError): void {
    if (error.statusCode !== 6) return;
    const record = meta.recordHandle ?? (meta.target === 'record' ? meta.targetId : undefined);
    if (record !== undefined) this.recordGone(record);
    else if (meta.target === 'call' && meta.targetId !== undefined) {
      this.logger.warn('the server no longer knows a call: dropped', { callId: meta.targetId });
      this.dispatch({ type: 'resource-gone', target: 'call', id: meta.targetId, message: 'That call is no longer known to the server, so it was removed. It may still be up on your phone.' });
      void this.resync();
    } else if (meta.target === 'campaign' && meta.targetId !== undefined) {
      this.logger.warn('the server no longer knows a campaign: dropped', { campaignName: meta.targetId });
      this.dispatch({ type: 'resource-gone', target: 'campaign', id: meta.targetId, message: `Campaign ${meta.targetId} is no longer known to the server, so it was removed from the list.` });
    }
  }

  /** statusCode 6 on a record: set aside if in hand, and the agent is told either way. */
  private recordGone(recordHandle: string): void {
    const inHand = this.state.previewRecord.record !== undefined && String(this.state.previewRecord.record.recordHandle) === recordHandle;
    this.logger.warn('the server no longer knows a record: dropped', { recordHandle, inHand });
    const message = inHand
      ? `Record ${recordHandle} is no longer known to the server (it may have restarted or been reset), so it was set aside. Get the next record.`
      : `Record ${recordHandle} is no longer known to the server (it may have restarted or been reset): what was sent for it was not applied.`;
    this.dispatch({ type: 'resource-gone', target: 'record', id: recordHandle, message });
  }

  clearError(): void {
    this.dispatch({ type: 'clear-error' });
  }

  // ---- durable outbox (outbox-delivery.ts) ----------------------------------------------------

  retryOutboxEntry(id: string): void {
    this.delivery.retry(id);
  }

  discardOutboxEntry(id: string): void {
    this.delivery.discard(id);
  }

  flushOutbox(): Promise<void> {
    return this.delivery.flush();
  }
}

export { previewDial, previewDialBody } from './operations';
