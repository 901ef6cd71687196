// The outbox inside the agent session (fake GWS, fake notifications, manual clock): queued while
// the link is down, the same referenceId on every attempt, a re-send instead of a probe (a processed
// record refuses a second outcome: that refusal means "delivered before"), re-sends bounded,
// refusals, 503 + statusCode 4, ENOSPC shown in the snapshot, retry/discard of a failed entry.
import { describe, expect, it } from 'vitest';
import type { OutboxEntry, OutboxStore } from '../../main/agent/outbox';
import { MAX_UNANSWERED_RESENDS, memoryOutboxStore } from '../../main/agent/outbox';
import { createAgentSession } from '../../main/agent/session';
import { TransportFailure } from '../../main/gws/http-transport';
import { RECORD, campaignMessage, recordMessage } from '../support/core-fixtures';
import { ManualClock, fakeConnections, fakeGws, flush } from '../support/core-fakes';

/** The preview record of the ErrorMessage samples: handle 9. */
const RECORD_9 = { ...RECORD, recordHandle: 9, userData: { ...RECORD.userData, GSW_RECORD_HANDLE: 9 } };

async function withRecord(store: OutboxStore = memoryOutboxStore(), record: unknown = RECORD) {
  const gws = fakeGws();
  const conns = fakeConnections();
  const clock = new ManualClock();
  let n = 0;
  const session = createAgentSession({ transport: gws, notifications: conns.factory, clock, random: () => 0.5, newReferenceId: () => `ref-${++n}`, outboxStore: store, operationTimeoutMs: 5_000, backoff: { baseMs: 500, capMs: 30_000 } });
  await session.signIn({ serverUrl: 'http://gws.test', username: 'agent1', password: 'agent1', place: 'Place_5001' });
  conns.last().publish('/v2/me/outbound', campaignMessage('CampaignStarted'));
  conns.last().publish('/v2/me/outbound', recordMessage('PreviewRecord', record));
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

  it('re-sends an outcome whose HTTP reply was lost with the same referenceId, and never asks GetChainedRecord', async () => {
    const t = await withRecord();
    t.gws.handler = (r) => (r.json?.['operationName'] === 'CompleteRecord' ? lost() : undefined);
    const ack = await t.session.completeRecord('Answer');
    expect(ack).toMatchObject({ referenceId: 'ref-2', queued: true });
    expect(t.session.snapshot.outbox?.[0]).toMatchObject({ state: 'pending', verifying: true, lastError: { code: 'UNREACHABLE' } });
    expect(t.session.snapshot.lastError).toBeNull(); // kept and sent again: not an error for the agent
    expect(t.session.snapshot.previewRecord.phase).toBe('completing');
    t.gws.handler = undefined;
    t.clock.advance(1_000);
    await flush();
    expect(t.completes().map((r) => r.json?.['referenceId'])).toEqual(['ref-2', 'ref-2']);
    expect(t.completes()[1]?.json).toMatchObject({ callResult: 'Answer', devicePath: '/devices/dev-1', callingList: 'CL1' });
    expect(t.probes()).toHaveLength(0);
    expect(t.session.snapshot.outbox?.[0]).toMatchObject({ state: 'sending', attempts: 2 });
    t.conns.last().publish('/v2/me/outbound', recordMessage('RecordProcessedAcknowledge', undefined, 'ref-2'));
    await expect(ack.outcome).resolves.toBe('confirmed');
    expect(t.session.snapshot.outbox).toEqual([]);
    expect(t.session.snapshot.previewRecord.phase).toBe('done');
    t.clock.advance(60_000);
    await flush();
    expect(t.completes()).toHaveLength(2);
    expect(t.probes()).toHaveLength(0);
  });

  it('counts a re-send refused by an ErrorMessage ("already processed") as delivered', async () => {
    const t = await withRecord(memoryOutboxStore(), RECORD_9);
    t.gws.handler = (r) => (r.json?.['operationName'] === 'CompleteRecord' ? lost() : undefined); // applied by OCS, the reply lost
    const ack = await t.session.completeRecord('Busy');
    t.gws.handler = undefined;
    t.clock.advance(1_000);
    await flush();
    expect(t.completes().map((r) => [r.path, r.json?.['referenceId']])).toEqual([
      ['/api/v2/me/outbound-records/9', 'ref-2'],
      ['/api/v2/me/outbound-records/9', 'ref-2'],
    ]);
    t.conns.last().publish('/v2/me/outbound', { messageType: 'ErrorMessage', referenceId: 'ref-2', errorMessage: 'Record 9 is already processed' });
    await flush();
    await expect(ack.outcome).resolves.toBe('confirmed');
    expect(t.session.snapshot.outbox).toEqual([]);
    expect(t.session.snapshot.previewRecord).toMatchObject({ phase: 'done', callResult: 'Busy' });
    expect(t.session.snapshot.lastError).toBeNull(); // delivered: not an error to show the agent
    t.clock.advance(60_000);
    await flush();
    expect(t.completes()).toHaveLength(2); // not sent a third time
    expect(t.probes()).toHaveLength(0);
  });

  it('counts a re-send refused synchronously with statusCode 6 as delivered', async () => {
    const t = await withRecord(memoryOutboxStore(), RECORD_9);
    t.gws.handler = (r) => (r.json?.['operationName'] === 'CompleteRecord' ? { status: 504, body: '<html>gateway timeout</html>' } : undefined);
    const ack = await t.session.completeRecord();
    expect(t.session.snapshot.outbox?.[0]).toMatchObject({ state: 'pending', verifying: true, lastError: { code: 'SERVER' } });
    t.gws.handler = (r) => (r.json?.['operationName'] === 'CompleteRecord' ? { body: '{"statusCode":6,"statusMessage":"Record 9 not found"}' } : undefined);
    t.clock.advance(1_000);
    await flush();
    expect(t.completes().map((r) => r.json?.['referenceId'])).toEqual(['ref-2', 'ref-2']);
    await expect(ack.outcome).resolves.toBe('confirmed');
    expect(t.session.snapshot.outbox).toEqual([]);
    expect(t.session.snapshot.previewRecord).toMatchObject({ phase: 'done', callResult: 'Unknown' });
    expect(t.session.snapshot.lastError).toBeNull();
  });

  it(`re-sends an outcome with no acknowledgement in time, and shows it as failed after ${MAX_UNANSWERED_RESENDS} unanswered re-sends`, async () => {
    const t = await withRecord();
    const ack = await t.session.completeRecord('Answer');
    expect(ack.queued).toBeUndefined();
    for (let i = 1; i <= MAX_UNANSWERED_RESENDS; i += 1) {
      t.clock.advance(5_000); // operationTimeoutMs: no RecordProcessedAcknowledge
      await flush();
      expect(t.completes()).toHaveLength(1 + i);
      expect(t.session.snapshot.outbox?.[0]?.state).toBe('sending');
    }
    t.clock.advance(5_000);
    await flush();
    expect(t.completes().map((r) => r.json?.['referenceId'])).toEqual(Array.from({ length: 1 + MAX_UNANSWERED_RESENDS }, () => 'ref-2'));
    expect(t.session.snapshot.outbox).toEqual([expect.objectContaining({ id: 'ref-2', state: 'failed', attempts: 1 + MAX_UNANSWERED_RESENDS, lastError: expect.objectContaining({ code: 'TIMEOUT' }) })]);
    await expect(ack.outcome).rejects.toMatchObject({ code: 'TIMEOUT' });
    // Not re-sent in a loop: it waits for the agent.
    t.clock.advance(10 * 60_000);
    await flush();
    expect(t.completes()).toHaveLength(1 + MAX_UNANSWERED_RESENDS);
    expect(t.probes()).toHaveLength(0);
    // The agent retries: the same referenceId again; a refusal now means the outcome was applied before.
    t.gws.handler = (r) => (r.json?.['operationName'] === 'CompleteRecord' ? { body: '{"statusCode":2,"statusMessage":"Record 431 is not in a valid state"}' } : undefined);
    t.session.retryOutboxEntry('ref-2');
    await flush();
    expect(t.completes()).toHaveLength(2 + MAX_UNANSWERED_RESENDS);
    expect(t.completes().at(-1)?.json?.['referenceId']).toBe('ref-2');
    expect(t.session.snapshot.outbox).toEqual([]);
  });

  it('keeps an outcome answered 503 {"statusCode":4} pending (nothing was done) and sends it again later', async () => {
    const t = await withRecord();
    t.gws.handler = (r) => (r.json?.['operationName'] === 'CompleteRecord' ? { status: 503, body: '{"statusCode":4,"statusMessage":"Voice service is not available at this time"}' } : undefined);
    const ack = await t.session.completeRecord('Answer');
    expect(ack.queued).toBe(true);
    const entry = t.session.snapshot.outbox?.[0];
    expect(entry).toMatchObject({ id: 'ref-2', state: 'pending', lastError: { code: 'SERVER' } });
    expect(entry?.verifying).toBeUndefined(); // nothing was done: no earlier send may have been applied
    expect(t.session.snapshot.lastError).toBeNull();
    expect(t.session.snapshot.previewRecord.phase).toBe('completing');
    t.gws.handler = undefined;
    t.clock.advance(1_000);
    await flush();
    expect(t.completes().map((r) => r.json?.['referenceId'])).toEqual(['ref-2', 'ref-2']);
    expect(t.session.snapshot.outbox?.[0]).toMatchObject({ state: 'sending', attempts: 2 });
    t.conns.last().publish('/v2/me/outbound', recordMessage('RecordProcessedAcknowledge', undefined, 'ref-2'));
    await expect(ack.outcome).resolves.toBe('confirmed');
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

  it('an outcome that ran out of re-sends and was discarded gives the record back to the agent (never stuck completing): Get record works', async () => {
    const t = await withRecord();
    await t.session.completeRecord('Answer');
    expect(t.session.snapshot.previewRecord.phase).toBe('completing');
    for (let i = 0; i <= MAX_UNANSWERED_RESENDS; i += 1) {
      t.clock.advance(5_000);
      await flush();
    }
    expect(t.session.snapshot.outbox?.[0]).toMatchObject({ state: 'failed' });
    expect(t.session.snapshot.previewRecord.phase).toBe('offered');
    t.session.discardOutboxEntry('ref-2');
    await flush();
    expect(t.session.snapshot.outbox).toEqual([]);
    expect(t.session.snapshot.previewRecord).toMatchObject({ phase: 'offered', record: expect.objectContaining({ recordHandle: 431 }) });
    expect(t.session.snapshot.previewRecord.callResult).toBeUndefined();
    // The record is the agent's again: another outcome (here Reject) closes it, then Get record works.
    await expect(t.session.getPreviewRecord('Campaign1')).rejects.toMatchObject({ code: 'NOT_ALLOWED_IN_STATE' });
    await expect(t.session.rejectRecord()).resolves.toMatchObject({ referenceId: expect.any(String) });
  });

  it('an outcome re-sent from the outbox and refused with statusCode 6 (the server lost the record) is dropped with a GONE notice', async () => {
    const t = await withRecord();
    t.conns.last().status({ state: 'reconnecting', reason: 'down' });
    await t.session.completeRecord('Answer');
    t.gws.handler = (r) => (r.json?.['operationName'] === 'CompleteRecord' ? { body: '{"statusCode":6,"statusMessage":"Record 431 not found"}' } : undefined);
    t.conns.last().status({ state: 'connected', rehandshake: false });
    await flush();
    t.clock.advance(60_000);
    await flush();
    expect(t.completes()).toHaveLength(1);
    expect(t.session.snapshot.outbox).toEqual([]);
    expect(t.session.snapshot.previewRecord).toMatchObject({ phase: 'idle', lastNotification: 'RecordGone' });
    expect(t.session.snapshot.lastError).toMatchObject({ code: 'GONE', message: expect.stringContaining('Record 431') });
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

  it('shows entries of a previous run before sign-in, re-sends the interrupted one with its referenceId, and sends only the signed-in user’s', async () => {
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
    expect(gws.requests).toHaveLength(0); // nothing is sent before sign-in
    // old-3 was in flight when the app stopped: OCS applied it, so a re-send is refused.
    gws.handler = (r) => (r.json?.['referenceId'] === 'old-3' ? { body: '{"statusCode":6,"statusMessage":"Record 431 not found"}' } : undefined);
    await session.signIn({ serverUrl: 'http://gws.test', username: 'agent1', password: 'agent1' });
    await flush();
    const posts = gws.requests.filter((r) => r.method === 'POST').map((r) => `${String(r.json?.['operationName'])} ${String(r.json?.['referenceId'])}`);
    expect(posts.filter((p) => p.startsWith('CompleteRecord'))).toEqual(['CompleteRecord old-1', 'CompleteRecord old-3']);
    expect(posts.filter((p) => p.startsWith('GetChainedRecord'))).toEqual([]);
    expect(session.snapshot.outbox?.map((e) => e.id)).toEqual(['old-1', 'old-2']); // old-3 delivered by its earlier send
    expect(session.snapshot.outbox?.find((e) => e.id === 'old-2')).toMatchObject({ state: 'pending', attempts: 1 });
  });
});
