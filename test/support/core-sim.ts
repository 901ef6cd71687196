// Checks and waits of the core integration tests: the session's view against the simulator's
// truth. Starting the simulator and signing in: sim-fixtures.ts.
import { expect } from 'vitest';
import type { AgentSession } from '../../main/agent/session';
import type { Simulator } from '../../sim';
import { waitForCallState, waitForSnapshot, waitUntil } from './core-wait';

/** Kept here for the files that import it from core-sim (its home is sim-fixtures.ts). */
export { FAST_TIMINGS } from './sim-fixtures';

type CallView = Record<string, { state: string; capabilities: string[] }>;

export function serverCalls(sim: Simulator, user: string): CallView {
  const agent = sim.control.state().agents.find((a) => a.userName === user);
  return Object.fromEntries((agent?.calls ?? []).map((c) => [String(c['id']), { state: String(c['state']), capabilities: [...(c['capabilities'] as string[])].sort() }]));
}

export function snapshotCalls(session: AgentSession): CallView {
  return Object.fromEntries(Object.values(session.snapshot.calls).map((c) => [c.id, { state: c.state, capabilities: [...c.capabilities].sort() }]));
}

/** The snapshot's calls equal the server's (ids, states, capabilities). */
export async function waitForCallsToMatchServer(session: AgentSession, sim: Simulator, user = 'agent1', timeoutMs = 10_000): Promise<void> {
  await waitUntil(() => JSON.stringify(snapshotCalls(session)) === JSON.stringify(serverCalls(sim, user)), { timeoutMs, what: 'snapshot calls = server calls' }).catch((error: Error) => {
    throw new Error(`${error.message}\nsnapshot: ${JSON.stringify(snapshotCalls(session))}\nserver: ${JSON.stringify(serverCalls(sim, user))}`);
  });
  expect(snapshotCalls(session)).toEqual(serverCalls(sim, user));
}

/** Every operation POST carries a referenceId and none reached the server twice. */
export function expectNoOperationSentTwice(sim: Simulator): void {
  const refs = sim.control
    .requests()
    .filter((r) => r.method === 'POST' && r.status !== 403)
    .map((r) => (r.body as { referenceId?: unknown } | undefined)?.referenceId)
    .filter((ref) => ref !== undefined);
  expect(new Set(refs).size).toBe(refs.length);
}

export const waitForPreviewPhase = (session: AgentSession, phase: string, timeoutMs = 10_000) =>
  waitForSnapshot(session, (s) => s.previewRecord.phase === phase, { timeoutMs, what: `preview ${phase}` });

export async function newInboundCall(sim: Simulator, session: AgentSession, to = 'agent1', from = '+15551234567'): Promise<string> {
  const id = sim.control.inboundCall({ to, from });
  await waitForSnapshot(session, (s) => s.calls[id]?.state === 'Ringing', { what: `inbound call ${id} ringing` });
  return id;
}

/** An inbound call, answered and Established. Returns its id. */
export async function answeredInboundCall(sim: Simulator, session: AgentSession): Promise<string> {
  const id = await newInboundCall(sim, session);
  await session.answer(id);
  await waitForCallState(session, id, 'Established');
  return id;
}

/** A preview record dialled and hung up: in wrap-up, ready to be completed. Returns its handle. */
export async function recordInWrapUp(session: AgentSession, campaign: string): Promise<string> {
  await session.startPreviewSession(campaign);
  await waitForSnapshot(session, (x) => x.campaigns[campaign]?.previewSessionActive === true, { what: 'preview session' });
  await session.getPreviewRecord(campaign);
  await waitForPreviewPhase(session, 'offered');
  await session.dialPreviewRecord();
  await waitForPreviewPhase(session, 'on-call');
  await session.hangup(session.snapshot.previewRecord.callId ?? '');
  await waitForPreviewPhase(session, 'wrap-up');
  return String(session.snapshot.previewRecord.record?.recordHandle);
}
