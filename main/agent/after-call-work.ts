/**
 * After Call Work is the client's job in GWS (Workspace does it): when a preview record's call
 * ends, the agent goes to After Call Work so no new call is routed during wrap-up; when the record
 * is closed (Complete, Reschedule, Do not call), the agent goes back to the state they had before,
 * or Ready (IT's `workRules`). If the agent changed state during wrap-up, that choice is kept.
 */
import { systemClock, type Clock } from './clock';
import type { OperationAck } from './session-types';
import type { AgentSnapshot, EpochMs, SnapshotKey, UserStateSnapshot } from './snapshot';
import { DEFAULT_WORK_RULES } from './work-rules';
import { inAfterCallWork, wrapUpEndsAt } from '../../preload/wrap-up-rules';

export interface AfterCallWorkHost {
  readonly snapshot: AgentSnapshot;
  onDidChange(listener: (snapshot: AgentSnapshot, changes: SnapshotKey[]) => void): { dispose(): void };
  afterCallWork(): Promise<OperationAck>;
  ready(): Promise<OperationAck>;
  notReady(operationName?: string): Promise<OperationAck>;
}

/** The state to return to after wrap-up. */
export type ReturnState = Pick<UserStateSnapshot, 'state' | 'operationName' | 'workMode'>;

const WRAP_UP = new Set(['wrap-up', 'completing']);

/** Where to go once the record is closed: the earlier state, or Ready per the rules. */
export function stateAfterWrapUp(before: ReturnState, afterComplete: 'previous' | 'ready'): ReturnState {
  if (afterComplete === 'ready' || before.state === 'Ready' || inAfterCallWork(before)) return { state: 'Ready' };
  return before;
}

/** The one definition (preload/wrap-up-rules.ts), shared with the tray and the renderer. */
export { inAfterCallWork, wrapUpEndsAt };

export function watchAfterCallWork(host: AfterCallWorkHost, clock: Clock = systemClock): { dispose(): void } {
  let phase = host.snapshot.previewRecord.phase;
  let returnTo: ReturnState | undefined;
  const quietly = (op: Promise<OperationAck>) => void op.then((ack) => ack.outcome).catch(() => undefined);

  // Back to Ready when the wrap-up time runs out (the agent's or IT's `readyAfterWrapUp`).
  let armed: { endsAt: EpochMs; timer: unknown } | undefined;
  const disarm = () => {
    if (armed) clock.clearTimeout(armed.timer);
    armed = undefined;
  };
  const readyWhenDue = (s: AgentSnapshot) => {
    const endsAt = s.workRules?.readyAfterWrapUp?.enabled && s.connection.state === 'connected' ? wrapUpEndsAt(s) : undefined;
    if (endsAt === armed?.endsAt) return;
    disarm();
    if (endsAt === undefined) return;
    const timer = clock.setTimeout(() => {
      armed = undefined;
      const now = host.snapshot;
      if (!now.workRules?.readyAfterWrapUp?.enabled || now.connection.state !== 'connected' || wrapUpEndsAt(now) !== endsAt) return;
      quietly(host.ready());
    }, Math.max(0, endsAt - clock.now()));
    armed = { endsAt, timer };
  };

  const subscription = host.onDidChange((s, changes) => {
    if (changes.some((key) => key === 'device' || key === 'calls' || key === 'callHistory' || key === 'workRules' || key === 'connection')) readyWhenDue(s);
    if (changes.includes('connection') && s.connection.state === 'signed-out') returnTo = undefined;
    if (!changes.includes('previewRecord')) return;
    const before = phase;
    phase = s.previewRecord.phase;
    const rules = s.workRules ?? DEFAULT_WORK_RULES;
    const us = s.device?.userState;
    if (phase === 'wrap-up' && !WRAP_UP.has(before)) {
      if (!rules.afterCallWork || !us || inAfterCallWork(us) || s.connection.state !== 'connected') return;
      returnTo = { state: us.state, ...(us.operationName !== undefined && { operationName: us.operationName }), ...(us.workMode !== undefined && { workMode: us.workMode }) };
      quietly(host.afterCallWork());
      return;
    }
    if (WRAP_UP.has(before) && !WRAP_UP.has(phase) && returnTo) {
      const target = stateAfterWrapUp(returnTo, rules.afterComplete);
      returnTo = undefined;
      // The agent chose another state during wrap-up: that choice stands.
      if (!inAfterCallWork(s.device?.userState)) return;
      if (target.state === 'Ready') quietly(host.ready());
      else quietly(host.notReady(target.operationName ?? (target.workMode === 'AuxWork' ? 'AuxWork' : undefined)));
    }
  });
  return {
    dispose() {
      disarm();
      subscription.dispose();
    },
  };
}
