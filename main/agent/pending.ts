/**
 * Pending-reply tracking: an operation GWS accepted (statusCode 0) waits here for the notification
 * that shows its result (gws-api.md §1, AsynchronousEvents).
 *
 * Only outbound operations are documented to echo `referenceId` (§4): a voice or agent-state
 * operation is confirmed by the state change it causes (Hold → the call is Held, Ready → the
 * device's userState is Ready, SendDtmf → DtmfSent …). An echoed referenceId confirms anything.
 *
 * A failure arrives as an ErrorMessage whose fields are not public: it is matched by referenceId,
 * else by the call it names, else by the record it names, else — with no id at all — it is taken
 * as the answer to the most recent operation still waiting.
 */
import type { GwsNotification } from '../gws/decode';
import { GwsError } from '../gws/errors';
import type { Clock } from './clock';
import type { AgentSnapshot, OperationTarget } from './snapshot';

export type Outcome = 'confirmed' | 'unconfirmed';

/** Does this notification (already applied: `after`) show the operation's result? */
export type Confirmation = (notification: GwsNotification, after: AgentSnapshot) => boolean;

export interface PendingSpec {
  referenceId: string;
  operationName: string;
  target: OperationTarget;
  targetId?: string;
  /** How the result shows without a referenceId echo; none: only the echo (or the timeout) settles it. */
  confirm?: Confirmation;
  /** The target's other ids (a call's callUuid and connId): an ErrorMessage may name it by any. */
  aliases?: readonly string[];
}

interface Waiter extends PendingSpec {
  resolve: (outcome: Outcome) => void;
  reject: (error: GwsError) => void;
  timer: unknown;
  order: number;
}

export interface Settled {
  confirmed: string[];
  failed?: { referenceId: string; operationName: string; error: GwsError };
}

export class PendingReplies {
  private readonly waiters = new Map<string, Waiter>();
  private counter = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    /** Nothing matched in time: the operation is no longer shown as pending. */
    private readonly onExpired: (referenceId: string) => void,
  ) {}

  /** Waits for the result; resolves `unconfirmed` after the timeout, rejects on a matched error. */
  add(spec: PendingSpec): Promise<Outcome> {
    const outcome = new Promise<Outcome>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        if (!this.waiters.delete(spec.referenceId)) return;
        this.onExpired(spec.referenceId);
        resolve('unconfirmed');
      }, this.timeoutMs);
      this.counter += 1;
      this.waiters.set(spec.referenceId, { ...spec, resolve, reject, timer, order: this.counter });
    });
    outcome.catch(() => undefined); // a caller that ignores the outcome must not crash the process
    return outcome;
  }

  has(referenceId: string): boolean {
    return this.waiters.has(referenceId);
  }

  /** The request failed or was never sent: nothing will answer it. */
  abandon(referenceId: string): void {
    const waiter = this.take(referenceId);
    waiter?.resolve('unconfirmed');
  }

  /** Settles what a notification answers. Call after the reducer applied it (`after`). */
  settle(notification: GwsNotification, after: AgentSnapshot): Settled {
    if (notification.kind === 'error') {
      const waiter = this.blame(notification);
      if (!waiter) return { confirmed: [] };
      this.take(waiter.referenceId);
      const error = new GwsError('SERVER', notification.message, { operationName: waiter.operationName, referenceId: waiter.referenceId });
      waiter.reject(error);
      return { confirmed: [], failed: { referenceId: waiter.referenceId, operationName: waiter.operationName, error } };
    }
    const referenceId = 'referenceId' in notification ? notification.referenceId : undefined;
    const confirmed: string[] = [];
    for (const waiter of [...this.waiters.values()]) {
      const echoed = referenceId !== undefined && referenceId === waiter.referenceId;
      if (!echoed && !safeConfirm(waiter.confirm, notification, after)) continue;
      this.take(waiter.referenceId);
      waiter.resolve('confirmed');
      confirmed.push(waiter.referenceId);
    }
    return { confirmed };
  }

  /** Sign-out or teardown: every waiter resolves `unconfirmed`. */
  clear(): void {
    for (const referenceId of [...this.waiters.keys()]) this.abandon(referenceId);
  }

  private take(referenceId: string): Waiter | undefined {
    const waiter = this.waiters.get(referenceId);
    if (!waiter) return undefined;
    this.waiters.delete(referenceId);
    this.clock.clearTimeout(waiter.timer);
    return waiter;
  }

  /** Which waiting operation an error answers (see the module comment). */
  private blame(error: Extract<GwsNotification, { kind: 'error' }>): Waiter | undefined {
    if (error.referenceId !== undefined) return this.waiters.get(error.referenceId);
    const waiting = [...this.waiters.values()].sort((a, b) => b.order - a.order);
    if (error.callId !== undefined) {
      return (
        waiting.find((w) => w.target === 'call' && (w.targetId === error.callId || w.aliases?.includes(error.callId as string) === true)) ??
        // A failed Dial names the call it could not make: the newest Dial is the one that failed.
        waiting.find((w) => w.operationName === 'Dial') ??
        waiting.find((w) => w.target === 'call')
      );
    }
    if (error.recordHandle !== undefined) return waiting.find((w) => w.target === 'record' && w.targetId === error.recordHandle);
    return waiting[0];
  }
}

function safeConfirm(confirm: Confirmation | undefined, notification: GwsNotification, after: AgentSnapshot): boolean {
  if (!confirm) return false;
  try {
    return confirm(notification, after);
  } catch {
    return false;
  }
}
