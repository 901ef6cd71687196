// The durable outbox against the simulator: record outcomes entered while the network is cut, or
// whose reply is lost, or left behind by a core that stopped, reach the server exactly once and
// leave the outbox only once their acknowledgement (or the record's release) is seen.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileOutboxStore } from '../../main/agent/outbox';
import type { OutboxStore } from '../../main/agent/outbox';
import type { AgentSession } from '../../main/agent/session';
import { createAgentSession } from '../../main/agent/session';
import type { LoggedRequest } from '../../sim';
import { recordInWrapUp as recordInWrapUpShared, waitForPreviewPhase } from '../support/core-sim';
import { waitForConnection, waitForSnapshot } from '../support/core-wait';
import { signedInWithOutbox, useSimulator } from '../support/sim-fixtures';

const CAMPAIGN = 'Collections_Preview';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outbox-'));
});

// After the fixture's own afterEach (hooks run in reverse): the sessions are disposed first.
afterEach(async () => {
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

const fx = useSimulator({ per: 'test' });

const signedIn = async (store: OutboxStore): Promise<AgentSession> => fx.track(await signedInWithOutbox(fx.sim, store, CAMPAIGN));

const recordInWrapUp = (s: AgentSession) => recordInWrapUpShared(s, CAMPAIGN);

const op = (r: LoggedRequest): string | undefined => (r.body as { operationName?: string } | undefined)?.operationName;
const ref = (r: LoggedRequest): unknown => (r.body as { referenceId?: unknown } | undefined)?.referenceId;
const processedCompletes = (handle: string) =>
  fx.sim.control.requests().filter((r) => op(r) === 'CompleteRecord' && r.path.endsWith(`/outbound-records/${handle}`) && r.statusCode === 0);

function recordTruth(handle: string): { status: string; callResult?: string } | undefined {
  const campaign = fx.sim.control.state().campaigns.find((c) => c['name'] === CAMPAIGN) as { records: Array<{ recordHandle: number; status: string; callResult?: string }> };
  return campaign.records.find((r) => String(r.recordHandle) === handle);
}

describe('outbox against the simulator', () => {
  it('keeps a CompleteRecord entered while the network is cut and delivers it exactly once when it is back', async () => {
    const s = await signedIn(fileOutboxStore(join(dir, 'outbox.json')));
    const handle = await recordInWrapUp(s);
    fx.sim.control.cutNetwork({ ms: 1_500 });
    await waitForConnection(s, 'reconnecting');
    const ack = await s.completeRecord('Answer');
    expect(ack.queued).toBe(true);
    // Pending while the network is cut — or already on its way if the 1.5 s cut ended meanwhile (a
    // loaded machine): either way it is in the outbox, once.
    expect(s.snapshot.outbox).toEqual([expect.objectContaining({ id: ack.referenceId, operationName: 'CompleteRecord', recordHandle: handle, state: expect.stringMatching(/^(pending|sending)$/), callResult: 'Answer' })]);
    expect(s.snapshot.previewRecord.phase).toBe('completing');
    const onDisk = JSON.parse(await readFile(join(dir, 'outbox.json'), 'utf8')) as { entries: Array<{ referenceId: string }> };
    expect(onDisk.entries.map((e) => e.referenceId)).toEqual([ack.referenceId]);

    await expect(ack.outcome).resolves.toBe('confirmed');
    await waitForSnapshot(s, (x) => (x.outbox ?? []).length === 0 && x.previewRecord.phase === 'done', { what: 'outbox drained', timeoutMs: 15_000 });
    const completes = processedCompletes(handle);
    expect(completes).toHaveLength(1);
    expect(ref(completes[0] as LoggedRequest)).toBe(ack.referenceId);
    expect(s.snapshot.previewRecord.lastNotification).toBe('RecordProcessedAcknowledge');
    expect(recordTruth(handle)).toMatchObject({ status: 'Completed', callResult: 'Answer' });
    await s.flushOutbox();
    expect((JSON.parse(await readFile(join(dir, 'outbox.json'), 'utf8')) as { entries: unknown[] }).entries).toEqual([]);
  });

  it('does not send again a CompleteRecord whose reply was lost after the server applied it', async () => {
    const s = await signedIn(fileOutboxStore(join(dir, 'outbox.json')));
    const handle = await recordInWrapUp(s);
    fx.sim.control.cutNetwork({ ms: 1_000, afterNext: '/api/v2/me/outbound-records/' });
    const ack = await s.completeRecord('Answer');
    expect(ack.queued).toBe(true); // the reply never came: outcome unknown
    await expect(ack.outcome).resolves.toBe('confirmed');
    await waitForSnapshot(s, (x) => (x.outbox ?? []).length === 0, { what: 'outbox drained', timeoutMs: 15_000 });
    await waitForPreviewPhase(s, 'done');
    const sent = fx.sim.control.requests().filter((r) => op(r) === 'CompleteRecord');
    expect(sent).toHaveLength(1); // its acknowledgement settled it: never re-sent
    expect(processedCompletes(handle)).toHaveLength(1);
    expect(recordTruth(handle)).toMatchObject({ status: 'Completed' });
  });

  it('sends again a CompleteRecord whose acknowledgement was lost; the processed record refuses it and it is applied once', async () => {
    const s = await signedIn(fileOutboxStore(join(dir, 'outbox.json')));
    const handle = await recordInWrapUp(s);
    fx.sim.control.dropAcks({ count: 1, operationName: 'CompleteRecord' });
    const ack = await s.completeRecord('Answer');
    await expect(ack.outcome).resolves.toBe('confirmed');
    await waitForPreviewPhase(s, 'done');
    const sent = fx.sim.control.requests().filter((r) => op(r) === 'CompleteRecord');
    expect(sent.map(ref)).toEqual([ack.referenceId, ack.referenceId]);
    expect(fx.sim.control.state().outcomes.filter((o) => o.recordHandle === Number(handle))).toHaveLength(1);
    expect(fx.sim.control.state().refusedDuplicateOutcomes).toBe(1);
    expect(recordTruth(handle)).toMatchObject({ status: 'Completed', callResult: 'Answer' });
    expect(s.snapshot.lastError).toBeNull(); // "already processed" is a success here, not an error to show
    expect(sent.filter((r) => op(r) === 'GetChainedRecord')).toHaveLength(0);
  });

  it('re-sends, with the same referenceId, an outcome refused by a 5xx burst, once the server answers', async () => {
    const s = await signedIn(fileOutboxStore(join(dir, 'outbox.json')));
    const handle = await recordInWrapUp(s);
    fx.sim.control.failNext({ count: 3, pathPrefix: '/api/v2/me/outbound-records/' });
    const ack = await s.completeRecord('Busy');
    expect(ack.queued).toBe(true);
    await expect(ack.outcome).resolves.toBe('confirmed');
    const all = fx.sim.control.requests().filter((r) => r.path.endsWith(`/outbound-records/${handle}`));
    const completes = all.filter((r) => op(r) === 'CompleteRecord');
    expect(new Set(completes.map(ref))).toEqual(new Set([ack.referenceId]));
    expect(completes.filter((r) => r.statusCode === 0)).toHaveLength(1);
    expect(recordTruth(handle)).toMatchObject({ status: 'Completed', callResult: 'Busy' });
  });

  it('a restarted core (new session, same store) delivers the pending entry once', async () => {
    const path = join(dir, 'outbox.json');
    const first = await signedIn(fileOutboxStore(path));
    const handle = await recordInWrapUp(first);
    fx.sim.control.cutNetwork({ ms: 1_200 });
    await waitForConnection(first, 'reconnecting');
    const ack = await first.completeRecord('Answer');
    expect(ack.queued).toBe(true);
    await first.flushOutbox();
    await first.dispose(); // the app quits (or crashes) with the outcome undelivered
    await new Promise((r) => setTimeout(r, 1_300)); // the network is back

    const second = fx.track(createAgentSession({ outboxStore: fileOutboxStore(path), backoff: { baseMs: 100, capMs: 800 }, requestTimeoutMs: 3_000 }));
    await waitForSnapshot(second, (x) => (x.outbox ?? []).length === 1, { what: 'pending entry shown before sign-in' });
    expect(second.snapshot.outbox?.[0]).toMatchObject({ id: ack.referenceId, state: 'pending', recordHandle: handle });
    await second.signIn({ serverUrl: fx.sim.url, username: 'agent1', password: 'agent1' });
    await waitForSnapshot(second, (x) => (x.outbox ?? []).length === 0, { what: 'delivered after restart', timeoutMs: 15_000 });
    const completes = processedCompletes(handle);
    expect(completes).toHaveLength(1);
    expect(ref(completes[0] as LoggedRequest)).toBe(ack.referenceId);
    expect(fx.sim.control.requests().filter((r) => op(r) === 'CompleteRecord')).toHaveLength(1);
    expect(recordTruth(handle)).toMatchObject({ status: 'Completed', callResult: 'Answer' });
    await second.flushOutbox();
    expect((JSON.parse(await readFile(path, 'utf8')) as { entries: unknown[] }).entries).toEqual([]);
  });
});
