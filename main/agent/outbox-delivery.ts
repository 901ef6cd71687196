/**
 * Delivers the durable outbox (outbox.ts) exactly once (docs/reliability.md): every record outcome
 * is written to disk before it is sent, keeps its referenceId, and leaves only on its acknowledgement
 * or when a re-send is refused because the earlier send was applied. No GWS request but the outcome
 * itself is ever made: an HTTP reply proves nothing (gws-api.md §1).
 *
 * Electron-free and sign-in-free: the session gives it a `post`, the current link, and a dispatcher
 * for snapshot events; the unit tests give it fakes.
 */
import { GwsError } from '../gws/errors';
import type { Logger } from '../gws/logger';
import type { Clock } from './clock';
import type { AgentEventInput } from './events';
import type { Outbox, OutboxEntry } from './outbox';
import { MAX_UNANSWERED_RESENDS, classifySendFailure, decide } from './outbox';
import type { OutboxEntrySnapshot } from './snapshot';

export interface OutboxDeliveryDeps {
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  /** Delay before retry number `attempt` (0-based), jittered. */
  backoff: (attempt: number) => number;
  /** How long an accepted outcome waits for its acknowledgement before it is sent again. */
  ackTimeoutMs: number;
  /** POSTs one request; rejects with a GwsError. */
  post: (path: string, body: Record<string, unknown>, operationName: string) => Promise<unknown>;
  /** The device to send from while sending is possible now (signed in, connected); else undefined. */
  link: () => { deviceId: string } | undefined;
  /** May this session send the entry (the signed-in user's, on this server)? */
  owns: (entry: OutboxEntry) => boolean;
  dispatch: (event: AgentEventInput) => void;
  /** A send met 401: the HTTP session must be recovered. */
  onAuthFailed: (message: string) => void;
  /**
   * The server no longer knows the entry's record (statusCode 6 on a send from the outbox, after a
   * state loss): the entry was removed; the session says so and sets the record aside.
   */
  onGone?: (entry: OutboxEntry, error: GwsError) => void;
  /**
   * Optional: a counter of the notification link's answers (CometD `/meta/connect` replies). An
   * acknowledgement is only counted as missing if this moved after the send was accepted: else the
   * link itself may be dead. Then the outcome is re-sent once, uncounted, and waits for the link.
   */
  heard?: () => number | undefined;
}

/** What {@link OutboxDelivery.enqueue} is given: the request and what the UI shows of it. */
export type OutboxIntent = Pick<OutboxEntry, 'referenceId' | 'operationName' | 'recordHandle' | 'campaignName' | 'callResult' | 'path' | 'body' | 'serverUrl' | 'userName'>;

export interface QueuedOutcome {
  referenceId: string;
  outcome: Promise<'confirmed' | 'unconfirmed'>;
  /** Not delivered yet (offline, or the reply was lost): it is in the outbox and will be delivered once. */
  queued?: boolean;
}

type SendResult = { kind: 'accepted' } | { kind: 'retry' } | { kind: 'refused'; error: GwsError } | { kind: 'gone' };

export class OutboxDelivery {
  private readonly busy = new Set<string>();
  private readonly outcomes = new Map<string, { resolve: (v: 'confirmed' | 'unconfirmed') => void; reject: (e: GwsError) => void }>();
  private readonly ackTimers = new Map<string, unknown>();
  /** `heard()` when each accepted entry started waiting for its acknowledgement. */
  private readonly heardAtAccept = new Map<string, number>();
  /** Entries re-sent (uncounted) after an acknowledgement timeout while the link said nothing. */
  private readonly silentResends = new Set<string>();
  private draining = false;
  private drainAgain = false;
  private drainTimer: unknown;
  private drainAttempt = 0;
  /** Bumped by stop(): a send that started before must not change what the next session sees. */
  private generation = 0;

  constructor(private readonly deps: OutboxDeliveryDeps) {
    deps.outbox.loaded.then(
      () => {
        this.publish();
        this.kick();
      },
      () => undefined,
    );
  }

  get loaded(): Promise<void> {
    return this.deps.outbox.loaded;
  }

  /** Writes the intent to the outbox (and disk) first, then sends it at once if it can. */
  async enqueue(intent: OutboxIntent): Promise<QueuedOutcome> {
    const { outbox, clock } = this.deps;
    const now = clock.now();
    const entry: OutboxEntry = { id: intent.referenceId, ...intent, state: 'pending', attempts: 0, createdAt: now, updatedAt: now };
    const outcome = new Promise<'confirmed' | 'unconfirmed'>((resolve, reject) => this.outcomes.set(entry.id, { resolve, reject }));
    outcome.catch(() => undefined); // a caller that ignores the outcome must not crash the process
    await outbox.add(entry);
    this.publish({ queued: { operationName: entry.operationName, recordHandle: entry.recordHandle, ...(entry.callResult !== undefined && { callResult: entry.callResult }) } });
    if (!this.deps.link() || outbox.blockedByEarlier(entry)) {
      this.kick();
      return { referenceId: entry.referenceId, outcome, queued: true };
    }
    const result = await this.send(entry.id, true);
    if (result.kind === 'refused') throw result.error;
    return { referenceId: entry.referenceId, outcome, ...(result.kind !== 'accepted' && { queued: true }) };
  }

  /** Is this referenceId an outbox entry's? Then its notification is handled here. */
  owns(referenceId: string): boolean {
    return this.deps.outbox.get(referenceId) !== undefined;
  }

  /** The acknowledgement (or a refusal) carrying an entry's referenceId arrived. */
  onNotification(referenceId: string, kind: 'ack' | 'error', message?: string): void {
    const entry = this.deps.outbox.get(referenceId);
    if (!entry) return;
    this.clearAckTimer(entry.id);
    const decision = decide(entry, { notification: kind });
    if (decision === 'drop') {
      this.delivered(entry, kind === 'ack' ? 'acknowledged' : `a re-send was refused (${message ?? 'no reason given'}): the earlier send was applied`);
      return;
    }
    this.fail(entry, new GwsError('SERVER', message ?? `${entry.operationName} failed`, { operationName: entry.operationName, referenceId }));
  }

  /** Sends a `failed` entry again (same referenceId). */
  retry(id: string): void {
    const entry = this.deps.outbox.get(id);
    if (!entry) throw new GwsError('NOT_ALLOWED_IN_STATE', `no outbox entry ${id}`);
    if (entry.state !== 'failed') throw new GwsError('NOT_ALLOWED_IN_STATE', `outbox entry ${id} is ${entry.state}, not failed`);
    this.update(id, { state: entry.mayBeApplied === true ? 'unknown' : 'pending', resends: 0, lastError: undefined });
    this.publish();
    this.kick();
  }

  /** Drops a `failed` entry (the agent gives up on that outcome). */
  discard(id: string): void {
    const entry = this.deps.outbox.get(id);
    if (!entry) throw new GwsError('NOT_ALLOWED_IN_STATE', `no outbox entry ${id}`);
    if (entry.state !== 'failed') throw new GwsError('NOT_ALLOWED_IN_STATE', `outbox entry ${id} is ${entry.state}: only a failed entry can be discarded`);
    this.deps.outbox.remove(id);
    this.deps.logger.warn('outbox entry discarded by the agent', { id, operationName: entry.operationName, recordHandle: entry.recordHandle });
    this.publish();
  }

  flush(): Promise<void> {
    return this.deps.outbox.flush();
  }

  /** Sign-out or link loss of the session: timers stop; an outcome waiting for its acknowledgement may have been applied. */
  stop(): void {
    this.generation += 1;
    if (this.drainTimer !== undefined) this.deps.clock.clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    for (const [id, timer] of this.ackTimers) {
      this.deps.clock.clearTimeout(timer);
      if (this.deps.outbox.get(id)?.state === 'accepted') this.update(id, { state: 'unknown', mayBeApplied: true });
    }
    if (this.ackTimers.size > 0) this.publish();
    this.ackTimers.clear();
    this.heardAtAccept.clear();
    this.silentResends.clear();
  }

  /** Sends what can go now (called when the session is back online, and after every change). */
  kick(): void {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    if (!this.deps.link() || !this.deps.outbox.entries.some((e) => this.deps.owns(e) && e.state !== 'failed' && e.state !== 'accepted')) return;
    this.draining = true;
    void this.drainOnce()
      .catch((error: unknown) => this.deps.logger.error('outbox delivery failed', { error: String(error) }))
      .finally(() => {
        this.draining = false;
        if (this.drainAgain) {
          this.drainAgain = false;
          this.kick();
        }
      });
  }

  publish(extra: { queued?: { operationName: string; recordHandle: string; callResult?: string }; delivered?: { operationName: string; recordHandle: string } } = {}): void {
    const { outbox } = this.deps;
    this.deps.dispatch({ type: 'outbox', entries: outbox.entries.map(outboxSnapshot), storageError: outbox.storageError, ...extra });
  }

  // ---- internals ----

  private update(id: string, patch: Partial<OutboxEntry>): void {
    this.deps.outbox.update(id, { ...patch, updatedAt: this.deps.clock.now() });
  }

  private async drainOnce(): Promise<void> {
    for (const listed of [...this.deps.outbox.entries]) {
      if (!this.deps.link()) return;
      const entry = this.deps.outbox.get(listed.id);
      if (!entry || !this.deps.owns(entry) || this.busy.has(entry.id)) continue;
      const decision = decide(entry, { blockedByEarlier: this.deps.outbox.blockedByEarlier(entry) });
      if (decision === 'fail') {
        this.fail(entry, new GwsError('TIMEOUT', `No answer from the server after ${MAX_UNANSWERED_RESENDS} attempts: check in the campaign whether this outcome was applied, then retry or discard it`, { operationName: entry.operationName, referenceId: entry.referenceId }));
      } else if (decision === 'send') {
        const result = await this.send(entry.id, false);
        if (result.kind === 'retry') return;
      }
    }
  }

  /** Retry later with the jittered backoff (after a transient failure). */
  private schedule(): void {
    if (this.drainTimer !== undefined) return;
    const delay = this.deps.backoff(this.drainAttempt);
    this.drainAttempt += 1;
    this.drainTimer = this.deps.clock.setTimeout(() => {
      this.drainTimer = undefined;
      this.kick();
    }, delay);
  }

  /** One POST of an entry, with its referenceId. `first`: a refusal is thrown to the caller and the entry dropped. */
  private async send(id: string, first: boolean): Promise<SendResult> {
    const { outbox, clock, logger } = this.deps;
    const entry = outbox.get(id);
    const link = this.deps.link();
    if (!entry) return { kind: 'gone' };
    if (!link || this.busy.has(id)) return { kind: 'retry' };
    const generation = this.generation;
    const resend = entry.state === 'unknown' || entry.state === 'sending' || entry.state === 'accepted';
    this.busy.add(id);
    try {
      this.update(id, { state: 'sending', attempts: entry.attempts + 1, ...(resend && { mayBeApplied: true }) });
      this.publish();
      // On disk as `sending` before it leaves: after a crash it is `unknown` (may have been applied).
      await outbox.flush();
      if (generation !== this.generation || !outbox.get(id)) {
        if (outbox.get(id)) this.update(id, { state: 'unknown', mayBeApplied: true });
        return { kind: 'retry' };
      }
      this.deps.dispatch({
        type: 'operation-started',
        operation: { referenceId: entry.referenceId, operationName: entry.operationName, target: 'record', targetId: entry.recordHandle, status: 'sending', startedAt: clock.now(), recordHandle: entry.recordHandle },
        ...(entry.campaignName !== undefined && { campaignName: entry.campaignName }),
        ...(entry.callResult !== undefined && { callResult: entry.callResult }),
      });
      try {
        await this.deps.post(entry.path, { ...entry.body, devicePath: `/devices/${link.deviceId}`, referenceId: entry.referenceId }, entry.operationName);
      } catch (error) {
        return this.afterSendFailure(id, asGwsError(error, entry), first);
      }
      this.drainAttempt = 0;
      // The acknowledgement (or a refusal) beat the HTTP reply: it settled the entry already.
      if (outbox.get(id)?.state !== 'sending') return { kind: 'accepted' };
      this.update(id, { state: 'accepted', lastError: undefined });
      this.deps.dispatch({ type: 'operation-accepted', referenceId: entry.referenceId });
      this.publish();
      const heard = this.deps.heard?.();
      if (heard !== undefined) this.heardAtAccept.set(id, heard);
      this.ackTimers.set(id, clock.setTimeout(() => this.onAckTimeout(id), this.deps.ackTimeoutMs));
      logger.info('record outcome accepted, waiting for its acknowledgement', { operationName: entry.operationName, recordHandle: entry.recordHandle, referenceId: entry.referenceId, resend });
      return { kind: 'accepted' };
    } finally {
      this.busy.delete(id);
      // Later entries (and entries behind this one) may go now; a failed one waits for its backoff timer.
      const state = outbox.get(id)?.state;
      if (state !== 'unknown' && state !== 'pending') this.kick();
    }
  }

  private afterSendFailure(id: string, error: GwsError, first: boolean): SendResult {
    const entry = this.deps.outbox.get(id);
    if (!entry) return { kind: 'gone' };
    const next = classifySendFailure(entry, error);
    if (next !== 'failed') this.deps.dispatch({ type: 'operation-expired', referenceId: entry.referenceId });
    if (next === 'delivered') {
      this.delivered(entry, `a re-send was refused (${error.message}): the earlier send was applied`);
      return { kind: 'accepted' };
    }
    if (next === 'failed' && !first && error.statusCode === 6) {
      this.gone(entry, error);
      return { kind: 'refused', error };
    }
    if (next === 'failed') {
      if (first) {
        // The agent is looking at it: the call rejects like any refused operation, nothing is kept.
        this.deps.dispatch({ type: 'operation-failed', referenceId: entry.referenceId, error: error.toJSON() });
        this.outcomes.get(id)?.reject(error);
        this.outcomes.delete(id);
        this.deps.outbox.remove(id);
        this.publish();
      } else {
        this.fail(entry, error);
      }
      return { kind: 'refused', error };
    }
    // Not refused: kept and sent again later — never dropped.
    this.update(id, { state: next, lastError: { code: error.code, message: error.message }, ...(next === 'unknown' && { mayBeApplied: true }) });
    this.publish();
    this.deps.logger.warn('record outcome not delivered yet: kept in the outbox', { operationName: entry.operationName, recordHandle: entry.recordHandle, code: error.code, state: next });
    if (error.code === 'AUTH_FAILED') this.deps.onAuthFailed(error.message);
    this.schedule();
    return { kind: 'retry' };
  }

  private onAckTimeout(id: string): void {
    this.ackTimers.delete(id);
    const entry = this.deps.outbox.get(id);
    if (!entry || entry.state !== 'accepted') return;
    const ending = decide(entry, { ackTimedOut: true }) !== 'drop';
    const heardBefore = this.heardAtAccept.get(id);
    const silent = heardBefore !== undefined && this.deps.heard?.() === heardBefore;
    if (ending && silent && this.silentResends.has(id)) {
      // The link has answered nothing since the last re-send either: the acknowledgement may be
      // stuck in a dead long poll. Wait another period instead of re-sending into it: the link
      // answers (a held poll returns within the server's timeout) or is found dead, and then
      // stop() marks the entry unknown and it is re-sent once after the reconnect.
      this.ackTimers.set(id, this.deps.clock.setTimeout(() => this.onAckTimeout(id), this.deps.ackTimeoutMs));
      return;
    }
    this.heardAtAccept.delete(id);
    this.deps.dispatch({ type: 'operation-expired', referenceId: entry.referenceId });
    if (!ending) {
      this.delivered(entry, 'accepted (statusCode 0), no acknowledgement');
      return;
    }
    // An ending outcome without its acknowledgement: sent again (a processed record refuses it).
    // Counted only if the link answered meanwhile — then the acknowledgement is really missing, and
    // such re-sends are bounded. A re-send while the link was silent is free, once per silence.
    if (silent) this.silentResends.add(id);
    else this.silentResends.delete(id);
    this.update(id, { state: 'unknown', mayBeApplied: true, resends: (entry.resends ?? 0) + (silent ? 0 : 1) });
    this.publish();
    this.kick();
  }

  private clearAckTimer(id: string): void {
    this.heardAtAccept.delete(id);
    this.silentResends.delete(id);
    const timer = this.ackTimers.get(id);
    if (timer !== undefined) this.deps.clock.clearTimeout(timer);
    this.ackTimers.delete(id);
  }

  private fail(entry: OutboxEntry, error: GwsError): void {
    this.update(entry.id, { state: 'failed', lastError: { code: error.code, message: error.message } });
    this.outcomes.get(entry.id)?.reject(error);
    this.outcomes.delete(entry.id);
    this.deps.dispatch({ type: 'operation-failed', referenceId: entry.referenceId, error: error.toJSON() });
    this.publish();
    this.kick();
  }

  /** The server no longer knows the record: the entry leaves the outbox, never applied, and the session says so. */
  private gone(entry: OutboxEntry, error: GwsError): void {
    if (!this.deps.outbox.remove(entry.id)) return;
    this.clearAckTimer(entry.id);
    this.deps.logger.warn('record outcome dropped: the server no longer knows the record', { operationName: entry.operationName, recordHandle: entry.recordHandle, referenceId: entry.referenceId });
    this.outcomes.get(entry.id)?.reject(error);
    this.outcomes.delete(entry.id);
    this.deps.dispatch({ type: 'operation-failed', referenceId: entry.referenceId, error: error.toJSON() });
    this.publish();
    this.deps.onGone?.(entry, error);
    this.kick();
  }

  /** The outcome is applied: the entry leaves the outbox. */
  private delivered(entry: OutboxEntry, how: string): void {
    if (!this.deps.outbox.remove(entry.id)) return;
    this.clearAckTimer(entry.id);
    this.deps.logger.info('record outcome delivered', { operationName: entry.operationName, recordHandle: entry.recordHandle, referenceId: entry.referenceId, how });
    this.deps.dispatch({ type: 'operation-confirmed', referenceId: entry.referenceId });
    this.outcomes.get(entry.id)?.resolve('confirmed');
    this.outcomes.delete(entry.id);
    this.publish({ delivered: { operationName: entry.operationName, recordHandle: entry.recordHandle } });
    this.kick();
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

function asGwsError(error: unknown, entry: OutboxEntry): GwsError {
  if (error instanceof GwsError) return error;
  return new GwsError('SERVER', error instanceof Error ? error.message : String(error), { operationName: entry.operationName, referenceId: entry.referenceId });
}
