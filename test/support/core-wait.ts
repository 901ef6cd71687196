// Intention-named waits for the agent core: resolve on the first snapshot that satisfies a
// predicate (checked immediately and on every change), fail with the last snapshot on timeout.
import type { AgentSession } from '../../main/agent/session';
import type { AgentSnapshot } from '../../main/agent/snapshot';

export function waitForSnapshot(
  session: AgentSession,
  predicate: (snapshot: AgentSnapshot) => boolean,
  { timeoutMs = 10_000, what = 'snapshot condition' }: { timeoutMs?: number; what?: string } = {},
): Promise<AgentSnapshot> {
  if (predicate(session.snapshot)) return Promise.resolve(session.snapshot);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out waiting for ${what}; last snapshot: ${JSON.stringify(session.snapshot, null, 1).slice(0, 3000)}`));
    }, timeoutMs);
    const subscription = session.onDidChange((snapshot) => {
      if (!predicate(snapshot)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(snapshot);
    });
  });
}

/** Polls an external condition (e.g. the simulator's truth) until it holds. */
export async function waitUntil(check: () => boolean, { timeoutMs = 10_000, what = 'condition' } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const waitForConnection = (session: AgentSession, state: AgentSnapshot['connection']['state'], timeoutMs = 10_000): Promise<AgentSnapshot> =>
  waitForSnapshot(session, (s) => s.connection.state === state, { timeoutMs, what: `connection ${state}` });

export const waitForCallState = (session: AgentSession, callId: string, state: string, timeoutMs = 10_000): Promise<AgentSnapshot> =>
  waitForSnapshot(session, (s) => s.calls[callId]?.state === state, { timeoutMs, what: `call ${callId} ${state}` });

export const waitForNoCalls = (session: AgentSession, timeoutMs = 10_000): Promise<AgentSnapshot> =>
  waitForSnapshot(session, (s) => Object.keys(s.calls).length === 0, { timeoutMs, what: 'no calls' });
