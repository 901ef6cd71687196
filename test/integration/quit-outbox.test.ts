// Quitting the app (main/app/quit.ts): the agent is signed out cleanly, except while a record
// outcome still waits in the outbox — ending the contact-center session would release the record
// at OCS and the outcome could never be delivered. Then the session is kept at the server, the
// outbox is on disk, and the next start delivers it exactly once.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileOutboxStore } from '../../main/agent/outbox';
import type { AgentSession } from '../../main/agent/session';
import { leaveForQuit } from '../../main/app/quit';
import { startSimulator, type Simulator } from '../../sim';
import { FAST_TIMINGS, recordInWrapUp, signedInWithOutbox } from '../support/core-sim';
import { waitForConnection, waitForSnapshot } from '../support/core-wait';

const CAMPAIGN = 'Collections_Preview';
let sim: Simulator;
let dir: string;
const sessions: AgentSession[] = [];

beforeEach(async () => {
  sim = await startSimulator({ port: 0, timings: FAST_TIMINGS });
  dir = await mkdtemp(join(tmpdir(), 'quit-'));
});

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.dispose();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

async function signedIn(): Promise<AgentSession> {
  const s = await signedInWithOutbox(sim, fileOutboxStore(join(dir, 'outbox.json')), CAMPAIGN);
  sessions.push(s);
  return s;
}

const ended = () => sim.control.requests().filter((r) => (r.body as { operationName?: string } | undefined)?.operationName === 'EndContactCenterSession');

describe('quitting the app', () => {
  it('signs the agent out cleanly when nothing waits in the outbox', async () => {
    const s = await signedIn();
    expect(await leaveForQuit(s)).toBe('signed-out');
    expect(ended()).toHaveLength(1);
    expect(sim.control.state().agents.find((a) => a.userName === 'agent1')?.contactCenterSession).toBe(false);
  });

  it('keeps the contact-center session when an outcome could not be delivered, and the next start delivers it once', async () => {
    const s = await signedIn();
    await recordInWrapUp(s, CAMPAIGN);
    sim.control.cutNetwork({ ms: 2_500 });
    await waitForConnection(s, 'reconnecting');
    const ack = await s.completeRecord('Answer');
    expect(ack.queued).toBe(true);

    expect(await leaveForQuit(s, { drainMs: 200 })).toBe('kept-for-outbox');
    await s.dispose();
    expect(ended()).toHaveLength(0);
    const onDisk = JSON.parse(await readFile(join(dir, 'outbox.json'), 'utf8')) as { entries: Array<{ referenceId: string }> };
    expect(onDisk.entries.map((e) => e.referenceId)).toEqual([ack.referenceId]);

    // The next start: same store, a new session; the outcome reaches OCS exactly once.
    const next = await signedIn();
    await waitForSnapshot(next, (x) => (x.outbox ?? []).length === 0, { what: 'outbox delivered', timeoutMs: 15_000 });
    const completes = sim.control
      .requests()
      .filter((r) => (r.body as { operationName?: string } | undefined)?.operationName === 'CompleteRecord' && r.statusCode === 0);
    expect(completes).toHaveLength(1);
  });
});
