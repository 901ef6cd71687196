/**
 * How the app leaves when it quits. The agent is signed out cleanly (EndContactCenterSession) —
 * unless record outcomes are still waiting in the outbox: ending the contact-center session would
 * release those records at OCS, and the outcome could then never be delivered. In that case the
 * session is only closed locally, the outbox is on disk, and the next start delivers it.
 */
import type { AgentSession } from '../agent/session';

export type QuitResult = 'signed-out' | 'kept-for-outbox';

function outboxEmpty(session: AgentSession): boolean {
  return (session.snapshot.outbox ?? []).length === 0;
}

/** Resolves true once the outbox is empty, false when `ms` passes first. */
function waitForEmptyOutbox(session: AgentSession, ms: number): Promise<boolean> {
  if (outboxEmpty(session)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      resolve(false);
    }, ms);
    const subscription = session.onDidChange(() => {
      if (!outboxEmpty(session)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(true);
    });
  });
}

export async function leaveForQuit(session: AgentSession, options: { drainMs?: number } = {}): Promise<QuitResult> {
  await session.flushOutbox().catch(() => undefined);
  const online = session.snapshot.connection.state === 'connected';
  const drained = online ? await waitForEmptyOutbox(session, options.drainMs ?? 5_000) : outboxEmpty(session);
  if (drained) {
    await session.signOut().catch(() => undefined);
    return 'signed-out';
  }
  await session.flushOutbox().catch(() => undefined);
  return 'kept-for-outbox';
}
