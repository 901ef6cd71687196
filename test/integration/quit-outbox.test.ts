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
import { recordInWrapUp } from '../support/core-sim';
import { waitForConnection, waitForSnapshot } from '../support/core-wait';
import { signedInWithOutbox, useSimulator } from '../support/sim-fixtures';

const CAMPAIGN = 'Collections_Preview';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quit-'));
});

// After the fixture's own afterEach (hooks run in reverse): the sessions are disposed first.
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fx = useSimulator({ per: 'test' });

const signedIn = async (): Promise<AgentSession> => fx.track(await signedInWithOutbox(fx.sim, fileOutboxStore(join(dir, 'outbox.json')), CAMPAIGN));

const ended = () => fx.sim.control.requests().filter((r) => (r.body as { operationName?: string } | undefined)?.operationName === 'EndContactCenterSession');

describe('quitting the app', () => {
  it('signs the agent out cleanly when nothing waits in the outbox', async () => {
    const s = await signedIn();
    expect(await leaveForQuit(s)).toBe('signed-out');
    expect(ended()).toHaveLength(1);
    expect(fx.sim.control.state().agents.find((a) => a.userName === 'agent1')?.contactCenterSession).toBe(false);
  });

  it('keeps the contact-center session when an outcome could not be delivered, and the next start delivers it once', async () => {
    const s = await signedIn();
    await recordInWrapUp(s, CAMPAIGN);
    fx.sim.control.cutNetwork({ ms: 2_500 });
    await waitForConnection(s, 'reconnecting');
    // Still cut until the quit is decided, however slow a loaded machine is; healed right after.
    fx.sim.control.cutNetwork({ ms: 120_000 });
    const ack = await s.completeRecord('Answer');
    expect(ack.queued).toBe(true);

    expect(await leaveForQuit(s, { drainMs: 200 })).toBe('kept-for-outbox');
    fx.sim.control.healNetwork();
    await s.dispose();
    expect(ended()).toHaveLength(0);
    const onDisk = JSON.parse(await readFile(join(dir, 'outbox.json'), 'utf8')) as { entries: Array<{ referenceId: string }> };
    expect(onDisk.entries.map((e) => e.referenceId)).toEqual([ack.referenceId]);

    // The next start: same store, a new session; the outcome reaches OCS exactly once.
    const next = await signedIn();
    await waitForSnapshot(next, (x) => (x.outbox ?? []).length === 0, { what: 'outbox delivered', timeoutMs: 15_000 });
    const completes = fx.sim.control
      .requests()
      .filter((r) => (r.body as { operationName?: string } | undefined)?.operationName === 'CompleteRecord' && r.statusCode === 0);
    expect(completes).toHaveLength(1);
  });
});
