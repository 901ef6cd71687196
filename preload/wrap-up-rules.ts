/**
 * "Is the agent in After Call Work, and when does the wrap-up time run out?" — ONE answer for the
 * session's return to Ready (main/agent/after-call-work.ts), the tray (main/desktop/tray-state.ts)
 * and the renderer's countdown (renderer/lib/wrap-up.ts). Dependency-free, with the contract.
 */
import type { AgentSnapshot, EpochMs, UserStateSnapshot } from '../main/agent/snapshot';

export function inAfterCallWork(us: Pick<UserStateSnapshot, 'state' | 'workMode'> | undefined | null): boolean {
  return us?.workMode === 'AfterCallWork' || us?.state === 'AfterCallWork';
}

/**
 * When the wrap-up window of the last call closes: its end plus its `WrapUpTime` (gws-api.md §4),
 * while the agent is in After Call Work that began before the window closed and no call is live.
 * Undefined otherwise (no WrapUpTime from the server, another state, a later manual ACW).
 */
export function wrapUpEndsAt(s: Pick<AgentSnapshot, 'device' | 'calls' | 'callHistory'>): EpochMs | undefined {
  const us = s.device?.userState;
  if (!us || !inAfterCallWork(us)) return undefined;
  if (Object.values(s.calls).some((c) => c.state !== 'Released' && c.state !== 'Completed')) return undefined;
  const last = s.callHistory[0];
  if (last?.endedAt === undefined || last.wrapUpTime === undefined || last.wrapUpTime <= 0) return undefined;
  const endsAt = last.endedAt + last.wrapUpTime * 1000;
  return endsAt > us.since ? endsAt : undefined;
}
