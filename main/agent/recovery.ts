/**
 * Link recovery (docs/reliability.md): what the session does when the notification link goes down,
 * comes back, or loses the HTTP session — and the backoff waits in between, which wake() cuts short.
 *
 * - Link up is not "connected": the devices and calls are re-read first (`resyncing`), retried until
 *   a read that started after the latest link-up succeeds.
 * - Session lost: sign in again with the credentials held in memory, handshake, re-read. Only a
 *   refusal of the credentials (401 / statusCode 20, or a demanded password change) ends the
 *   session; anything else — 5xx, timeouts, a refused handshake, a failed read — is retried with the
 *   capped, jittered backoff for as long as it takes.
 */
import { GwsError, asGwsError, credentialsRefused } from '../gws/errors';
import type { Logger } from '../gws/logger';
import type { NotificationStatus } from '../gws/notifications';
import type { Clock } from './clock';
import type { AgentEventInput } from './events';
import type { AgentSnapshot } from './snapshot';

export interface RecoveryHost {
  readonly clock: Clock;
  readonly logger: Logger;
  backoff(attempt: number): number;
  state(): AgentSnapshot;
  dispatch(event: AgentEventInput): void;
  /** Bumped by every sign-in, sign-out and teardown: work of an older one stops. */
  generation(): number;
  /** The link was found dead: what may have died with it is dropped (REST pool, acknowledgement timers). */
  linkDown(): void;
  /** A new HTTP session (GET /me), the CometD handshake, the contact-center session if it is gone. */
  signInAgain(): Promise<void>;
  /** Devices and calls from the server (gws-api.md §3). */
  readState(): Promise<void>;
  /** The server refused the credentials: tear down, the session ends. */
  endSession(): Promise<void>;
}

export class LinkRecovery {
  private recovering: Promise<void> | undefined;
  private resyncing: Promise<void> | undefined;
  /** Link-ups seen: a re-read counts only if it started after the latest one. */
  private linkUps = 0;
  private timer: unknown;
  private endWait: (() => void) | undefined;

  constructor(private readonly host: RecoveryHost) {}

  /** Signing in again right now (the session's own reads are in progress). */
  get busy(): boolean {
    return this.recovering !== undefined;
  }

  onStatus(status: NotificationStatus): void {
    const { host } = this;
    const current = host.state().connection.state;
    switch (status.state) {
      case 'connected':
        if (this.recovering || current === 'connecting') return; // they read the state themselves
        if (current !== 'connected' || status.rehandshake) {
          this.linkUps += 1;
          host.dispatch({ type: 'connection', state: 'resyncing', reason: status.rehandshake ? 're-handshaken: re-reading the calls' : 'reconnected: re-reading the calls' });
          void this.resync();
        }
        return;
      case 'reconnecting':
        host.linkDown();
        if (current === 'connected' || current === 'resyncing') host.dispatch({ type: 'connection', state: 'reconnecting', reason: status.reason });
        return;
      case 'session-lost':
        void this.recover(status.reason);
        return;
    }
  }

  /** The HTTP session is gone: sign in again, handshake again and re-read, for as long as it takes. */
  recover(reason: string): Promise<void> {
    if (this.recovering) return this.recovering;
    const { host } = this;
    const generation = host.generation();
    this.recovering = (async () => {
      host.dispatch({ type: 'connection', state: 'reconnecting', reason: `session lost (${reason}): signing in again` });
      try {
        for (let attempt = 0; ; attempt += 1) {
          try {
            await host.signInAgain();
            if (generation !== host.generation()) return;
            host.dispatch({ type: 'connection', state: 'resyncing', reason: 'signed in again: re-reading the calls' });
            await host.readState();
            break;
          } catch (error) {
            const gws = asGwsError(error);
            if (generation !== host.generation()) return;
            if (credentialsRefused(gws)) throw gws;
            host.logger.warn('signing in again failed, retrying', { attempt, error: gws.message });
            host.dispatch({ type: 'connection', state: 'reconnecting', reason: `signing in again: ${gws.message}` });
            await this.wait(host.backoff(attempt));
            if (generation !== host.generation()) return;
          }
        }
        host.dispatch({ type: 'connection', state: 'connected', reason: 'signed in again' });
      } catch (error) {
        if (generation !== host.generation()) return;
        const gws = asGwsError(error);
        const expired = new GwsError('SESSION_EXPIRED', `session expired and the server refused to sign in again: ${gws.message}`, {
          ...(gws.statusCode !== undefined && { statusCode: gws.statusCode }),
          ...(gws.httpStatus !== undefined && { httpStatus: gws.httpStatus }),
          cause: gws,
        });
        host.logger.warn('session recovery refused', { error: gws.message });
        await host.endSession();
        host.dispatch({ type: 'error', error: (gws.code === 'PASSWORD_CHANGE_REQUIRED' ? gws : expired).toJSON() });
        host.dispatch({ type: 'signed-out', reason: expired.message });
      } finally {
        this.recovering = undefined;
      }
    })();
    return this.recovering;
  }

  /** Re-reads devices and calls until a read that started after the latest link-up succeeds; `resyncing` meanwhile. */
  resync(): Promise<void> {
    if (this.resyncing) return this.resyncing;
    const { host } = this;
    const generation = host.generation();
    this.resyncing = (async () => {
      for (let attempt = 0; ; ) {
        if (generation !== host.generation() || this.recovering) return;
        // What was published while the link was down is lost, so only a later read shows it.
        const linkUps = this.linkUps;
        try {
          await host.readState();
          if (generation !== host.generation()) return;
          if (linkUps !== this.linkUps) continue;
          if (host.state().connection.state === 'resyncing') host.dispatch({ type: 'connection', state: 'connected', reason: 'calls re-read' });
          return;
        } catch (error) {
          const gws = asGwsError(error);
          if (gws.code === 'AUTH_FAILED') {
            void this.recover(gws.message);
            return;
          }
          host.logger.warn('re-reading state failed, retrying', { attempt, error: gws.message });
          await this.wait(host.backoff(attempt));
          attempt += 1;
        }
      }
    })().finally(() => {
      this.resyncing = undefined;
    });
    return this.resyncing;
  }

  /** A backoff wait in progress (signing in again, re-reading) ends now. */
  cutWait(): void {
    this.stop();
    this.endWait?.();
    this.endWait = undefined;
  }

  /** Teardown: the pending wait's timer is cleared (its loop stops on the generation). */
  stop(): void {
    if (this.timer !== undefined) this.host.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.timer = this.host.clock.setTimeout(resolve, ms);
      this.endWait = resolve;
    });
  }
}
