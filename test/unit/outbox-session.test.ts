// The outbox inside the agent session (fake GWS, fake notifications, manual clock): queued while
// the link is down, the same referenceId on every attempt, probe before a re-send of an unknown
// outcome, refusals, ENOSPC shown in the snapshot, retry/discard of a failed entry.
import { describe, expect, it } from 'vitest';
import type { OutboxEntry, OutboxStore } from '../../main/agent/outbox';
import { memoryOutboxStore } from '../../main/agent/outbox';
import { createAgentSession } from '../../main/agent/session';
import { TransportFailure } from '../../main/gws/http-transport';
import { campaignMessage, recordMessage } from '../support/core-fixtures';
import { ManualClock, fakeConnections, fakeGws, flush } from '../support/core-fakes';

async function withRecord(store: OutboxStore = memoryOutboxStore()) {
  const gws = fakeGws();
  const conns = fakeConnections();
  const clock = new ManualClock();
  let n = 0;
  const session = createAgentSession({ transport: gws, notifications: conns.factory, clock, random: () => 0.5, newReferenceId: () => `ref-${++n}`, outboxStore: store, operationTimeoutMs: 5_000, backoff: { baseMs: 500, capMs: 30_000 } });
  await session.signIn({ serverUrl: 'http://gws.test', username: 'agent1', password: 'agent1', place: 'Place_5001' });
  conns.last().publish('/v2/me/outbound', campaignMessage('CampaignStarted'));
  conns.last().publish('/v2/me/outbound', recordMessage('PreviewRecord'));
  const completes = () => gws.requests.filter((r) => r.method === 'POST' && r.json?.['operationName'] === 'CompleteRecord');
  const probes = () => gws.requests.filter((r) => r.method === 'POST' && r.json?.['operationName'] === 'GetChainedRecord');
  return { session, gws, conns, clock, store, completes, probes };
}

const lost = (): never => {
  throw new TransportFailure('unreachable', 'socket hang up');
};

describe('outbox in the session', () => {
  it('queues an outcome entered while reconnecting and sends it once, same referenceId, when connected', async () => {
    const t = await withRecord();
    t.conns.last().status({ state: 'reconnecting', reason: 'HTTP 0' });
    const ack = await t.session.completeRecord('Answer');
    expect(ack).toMatchObject({ referenceId: 'ref-2', queued: true });
    expect(t.completes()).toHaveLength(0);
    expect(t.session.snapshot.outbox).toEqual([expect.objectContaining({ id: 'ref-2', state: 'pending', operationName: 'CompleteRecord', recordHandle: '431', attempts: 0 })]);
    expect(t.session.snapshot.previewRecord.phase).toBe('completing');
    expect((t.store as ReturnType<typeof memoryOutboxStore>).entries).toHaveLength(1); // on "disk" before anything is sent
    t.conns.last().status({ state: 'connected', rehandshake: true });
    await flush();
    expect(t.completes()).toHaveLength(1);
    expect(t.completes()[0]?.json).toMatchObject({ referenceId: 'ref-2', callResult: 'Answer', devicePath: '/devices/dev-1' });
    expect(t.session.snapshot.outbox?.[0]).toMatchObject({ state: 'sending', attempts: 1 });
    t.conns.last().publish('/v2/me/outbound', recordMessage('RecordProcessedAcknowledge', undefined, 'ref-2'));
    await expect(ack.outcome).resolves.toBe('confirmed');
    expect(t.session.snapshot.outbox).toEqual([]);
    expect(t.session.snapshot.previewRecord.phase).toBe('done');
    await t.session.flushOutbox();
    expect((t.store as ReturnType<typeof memoryOutboxStore>).entries).toEqual([]);
  });

  it('probes before re-sending an outcome whose reply was lost, and drops it when the record is no longer held', async () => {
    const t = await withRecord();
    t.gws.handler = (r) => (r.json?.['operationName'] === 'CompleteRecord' ? lost() : undefined);
    const ack = await t.session.completeRecord();
    expect(ack.queued).toBe(true);
    expect(t.session.snapshot.outbox?.[0]).toMatchObject({ state: 'pending', verifying: true, lastError: { code: 'UNREACHABLE' } });
    expect(t.session.snapshot.lastError).toBeNull(); // kept and retried: not an error for the agent
    t.gws.handler = (r) => (r.json?.['operationName'] === 'GetChainedRecord' ? { body: '{"statusCode":6,"statusMessage":"Record 431 not found"}' } : undefined);
    t.clock.advance(1_000);
    await flush();
    expect(t.probes()).toHaveLength(1);
    expect(t.completes()).toHaveLength(1); // never sent again
    await expect(ack.outcome).resolves.toBe('confirmed');
    expect(t.session.snapshot.outbox).toEqual([]);
    expect(t.session.snapshot.previewRecord.phase).toBe('done');
  });

  it('re-sends with the same referenceId when the probe shows the record still held', async () => {
    const t = await withRecord();
    t.gws.handler = (r) => (r.json?.['operationName'] === 'CompleteRecord' ? { status: 503, body: '<html>503</html>' } : undefined);
    await t.session.completeRecord();
    t.gws.handler = undefined; // the probe answers 0 (held), the re-send is accepted
    t.clock.advance(1_000);
    await flush();
    expect(t.probes()).toHaveLength(1);
    expect(t.completes().map((r) => r.json?.['referenceId'])).toEqual(['ref-2', 'ref-2']);
    expect(t.session.snapshot.outbox?.[0]).toMatchObject({ state: 'sending', attempts: 2 });
  });

  it('after an accepted outcome gets no acknowledgement, asks the server instead of re-sending', async () => {
    const t = await withRecord();
    await t.session.completeRecord();
    t.gws.handler = (r) => (r.json?.['operationName'] === 'GetChainedRecord' ? { body: '{"statusCode":2,"statusMessage":"Record 431 (Completed)"}' } : undefined);
    t.clock.advance(5_000);
    await flush();
    expect(t.completes()).toHaveLength(1);
    expect(t.probes()).toHaveLength(1);
    expect(t.session.snapshot.outbox).toEqual([]);
  });

  it('rejects a refused first send like any operation and keeps nothing', async () => {
    const t = await withRecord();
    t.gws.handler = (r) => (r.json?.['operationName'] === 'CompleteRecord' ? { body: '{"statusCode":10,"statusMessage":"Unknown callResult"}' } : undefined);
    await expect(t.session.completeRecord('Nope')).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(t.session.snapshot.outbox).toEqual([]);
    expect(t.session.snapshot.previewRecord.phase).toBe('offered');
    expect(t.session.snapshot.lastError).toMatchObject({ code: 'VALIDATION', operationName: 'CompleteRecord' });
  });

  it('keeps an outcome refused on a later attempt as failed until the agent retries or discards it', async () => {
    const t = await withRecord();
    t.conns.last().status({ state: 'reconnecting', reason: 'down' });
    const ack = await t.session.completeRecord();
    t.gws.handler = (r) => (r.json?.['operationName'] === 'CompleteRecord' ? { body: '{"statusCode":2,"statusMessage":"not now"}' } : undefined);
    t.conns.last().status({ state: 'connected', rehandshake: false });
    await flush();
    await expect(ack.outcome).rejects.toMatchObject({ code: 'NOT_ALLOWED_IN_STATE' });
    expect(t.session.snapshot.outbox?.[0]).toMatchObject({ state: 'failed', lastError: { code: 'NOT_ALLOWED_IN_STATE' } });
    expect(() => t.session.discardOutboxEntry('nope')).toThrow();
    t.gws.handler = undefined;
    t.session.retryOutboxEntry('ref-2');
    await flush();
    expect(t.completes().map((r) => r.json?.['referenceId'])).toEqual(['ref-2', 'ref-2']);
    expect(t.session.snapshot.outbox?.[0]).toMatchObject({ state: 'sending' });
    expect(() => t.session.discardOutboxEntry('ref-2')).toThrow(/only a failed entry/);
  });

  it('shows a full disk in the snapshot and keeps the entry in memory', async () => {
    const store: OutboxStore = {
      load: async () => [],
      save: async () => {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    };
    const t = await withRecord(store);
    t.conns.last().status({ state: 'reconnecting', reason: 'down' });
    await t.session.completeRecord();
    expect(t.session.snapshot.outboxStorageError).toMatch(/ENOSPC/);
    expect(t.session.snapshot.outbox).toHaveLength(1);
  });

  it('shows entries of a previous run before sign-in and sends only the signed-in user’s', async () => {
    const old = (id: string, userName: string, state: OutboxEntry['state']): OutboxEntry => ({
      id,
      referenceId: id,
      operationName: 'CompleteRecord',
      recordHandle: '431',
      path: '/api/v2/me/outbound-records/431',
      body: { operationName: 'CompleteRecord', callingList: 'CL1', callResult: 'Unknown' },
      serverUrl: 'http://gws.test',
      userName,
      state,
      attempts: 1,
      createdAt: 1,
      updatedAt: 1,
    });
    const store = memoryOutboxStore([old('old-1', 'agent1', 'pending'), old('old-2', 'agent2', 'pending'), old('old-3', 'agent1', 'sending')]);
    const gws = fakeGws();
    const conns = fakeConnections();
    const session = createAgentSession({ transport: gws, notifications: conns.factory, clock: new ManualClock(), outboxStore: store });
    await flush();
    expect(session.snapshot.outbox?.map((e) => [e.id, e.state, e.verifying ?? false])).toEqual([
      ['old-1', 'pending', false],
      ['old-2', 'pending', false],
      ['old-3', 'pending', true],
    ]);
    await session.signIn({ serverUrl: 'http://gws.test', username: 'agent1', password: 'agent1' });
    await flush();
    const posts = gws.requests.filter((r) => r.method === 'POST').map((r) => `${String(r.json?.['operationName'])} ${String(r.json?.['referenceId'])}`);
    // old-1 sent; old-3 (in flight when the app stopped) is probed (held → sent with its referenceId); old-2 is not ours.
    expect(posts.filter((p) => p.startsWith('CompleteRecord'))).toEqual(['CompleteRecord old-1', 'CompleteRecord old-3']);
    expect(posts.filter((p) => p.startsWith('GetChainedRecord'))).toHaveLength(1);
    expect(session.snapshot.outbox?.find((e) => e.id === 'old-2')).toMatchObject({ state: 'pending' });
  });
});
