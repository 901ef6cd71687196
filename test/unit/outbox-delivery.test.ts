// OutboxDelivery on its own — no session, no sign-in: an Outbox over a memory store, a manual clock,
// a scripted `post`, a link the test switches, and a dispatcher that records what the UI would see.
// Queued while offline and sent once the link is up; settled by its acknowledgement; an entry of a
// previous run re-sent with its referenceId (and a refusal then counted as delivered); retry and
// discard of a failed entry; stop() makes an accepted entry unknown. Then the exactly-once property
// against a model OCS, through the real delivery, with lost replies, lost acks and crashes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentEventInput } from '../../main/agent/events';
import type { OutboxEntry, OutboxStore } from '../../main/agent/outbox';
import { MAX_UNANSWERED_RESENDS, Outbox, memoryOutboxStore } from '../../main/agent/outbox';
import type { OutboxIntent } from '../../main/agent/outbox-delivery';
import { OutboxDelivery } from '../../main/agent/outbox-delivery';
import type { Clock } from '../../main/agent/clock';
import { GwsError } from '../../main/gws/errors';
import { ManualClock, flush } from '../support/core-fakes';
import { recordingLogger } from '../support/core-fixtures';

const BACKOFF_MS = 1_000;
const ACK_TIMEOUT_MS = 5_000;

interface Post {
  path: string;
  body: Record<string, unknown>;
  operationName: string;
}

type Reply = () => Promise<unknown>;

function intent(referenceId = 'r1', extra: Partial<OutboxIntent> = {}): OutboxIntent {
  return {
    referenceId,
    operationName: 'CompleteRecord',
    recordHandle: '9',
    campaignName: 'Campaign1',
    callResult: 'Answer',
    path: '/api/v2/me/outbound-records/9',
    body: { operationName: 'CompleteRecord', applicationId: 134, campaignName: 'Campaign1', callingList: 'CL1', callResult: 'Answer' },
    serverUrl: 'http://gws.test',
    userName: 'agent1',
    ...extra,
  };
}

function previous(id: string, state: OutboxEntry['state'], extra: Partial<OutboxEntry> = {}): OutboxEntry {
  return { id, ...intent(id), state, attempts: 1, createdAt: 1, updatedAt: 1, ...extra };
}

const ok: Reply = async () => ({ statusCode: 0 });
const refuse = (statusCode: number, code: GwsError['code'], message = `statusCode ${statusCode}`): Reply => async () => {
  throw new GwsError(code, message, { statusCode, httpStatus: 200 });
};
const fail = (code: GwsError['code'], details: { httpStatus?: number; statusCode?: number } = {}): Reply => async () => {
  throw new GwsError(code, code, details);
};

function harness(options: { store?: OutboxStore & { entries: OutboxEntry[] }; linkUp?: boolean; owns?: (e: OutboxEntry) => boolean; heard?: () => number | undefined } = {}) {
  const store = options.store ?? memoryOutboxStore();
  const clock = new ManualClock();
  const logger = recordingLogger();
  const outbox = new Outbox({ store });
  const events: AgentEventInput[] = [];
  const posts: Post[] = [];
  const replies: Reply[] = [];
  const authFailures: string[] = [];
  const gone: { recordHandle: string; code: string }[] = [];
  const state = { linkUp: options.linkUp ?? true };
  const delivery = new OutboxDelivery({
    outbox,
    clock,
    logger,
    backoff: () => BACKOFF_MS,
    ackTimeoutMs: ACK_TIMEOUT_MS,
    post: async (path, body, operationName) => {
      posts.push({ path, body: structuredClone(body), operationName });
      return (replies.shift() ?? ok)();
    },
    link: () => (state.linkUp ? { deviceId: 'dev-1' } : undefined),
    owns: options.owns ?? (() => true),
    dispatch: (event) => events.push(event),
    onAuthFailed: (message) => authFailures.push(message),
    onGone: (entry, error) => gone.push({ recordHandle: entry.recordHandle, code: error.code }),
    ...(options.heard && { heard: options.heard }),
  });
  /** What the UI shows: the entries of the last `outbox` event. */
  const shown = () => {
    const last = events.filter((e): e is Extract<AgentEventInput, { type: 'outbox' }> => e.type === 'outbox').at(-1);
    return last?.entries ?? [];
  };
  const delivered = () => events.filter((e) => e.type === 'outbox' && e.delivered !== undefined);
  return { store, clock, logger, outbox, events, posts, replies, authFailures, gone, state, delivery, shown, delivered };
}

describe('OutboxDelivery', () => {
  it('keeps an outcome entered while offline queued (on disk first) and sends it on kick() once the link is up', async () => {
    const h = harness({ linkUp: false });
    await h.delivery.loaded;
    const queued = await h.delivery.enqueue(intent());
    expect(queued).toMatchObject({ referenceId: 'r1', queued: true });
    expect(h.posts).toHaveLength(0);
    expect(h.store.entries).toEqual([expect.objectContaining({ id: 'r1', referenceId: 'r1', state: 'pending', attempts: 0 })]);
    expect(h.shown()).toEqual([expect.objectContaining({ id: 'r1', state: 'pending', operationName: 'CompleteRecord', recordHandle: '9', callResult: 'Answer' })]);
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'outbox', queued: { operationName: 'CompleteRecord', recordHandle: '9', callResult: 'Answer' } }));
    h.delivery.kick(); // still offline: nothing happens
    h.clock.advance(60_000);
    await flush();
    expect(h.posts).toHaveLength(0);

    h.state.linkUp = true;
    h.delivery.kick();
    await flush();
    expect(h.posts).toEqual([
      {
        path: '/api/v2/me/outbound-records/9',
        operationName: 'CompleteRecord',
        body: { operationName: 'CompleteRecord', applicationId: 134, campaignName: 'Campaign1', callingList: 'CL1', callResult: 'Answer', devicePath: '/devices/dev-1', referenceId: 'r1' },
      },
    ]);
    expect(h.shown()).toEqual([expect.objectContaining({ id: 'r1', state: 'sending', attempts: 1 })]);
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'operation-accepted', referenceId: 'r1' }));
  });

  it('is settled by its acknowledgement: the entry leaves the outbox and the disk, the outcome is confirmed, no re-send follows', async () => {
    const h = harness();
    await h.delivery.loaded;
    const queued = await h.delivery.enqueue(intent());
    expect(queued.queued).toBeUndefined();
    expect(h.posts).toHaveLength(1);
    h.delivery.onNotification('r1', 'ack');
    await expect(queued.outcome).resolves.toBe('confirmed');
    expect(h.shown()).toEqual([]);
    expect(h.delivered()).toEqual([expect.objectContaining({ delivered: { operationName: 'CompleteRecord', recordHandle: '9' } })]);
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'operation-confirmed', referenceId: 'r1' }));
    await h.delivery.flush();
    expect(h.store.entries).toEqual([]);
    h.clock.advance(10 * ACK_TIMEOUT_MS);
    await flush();
    expect(h.posts).toHaveLength(1);
    expect(h.delivery.owns('r1')).toBe(false);
  });

  it('an acknowledgement that beats the HTTP reply settles it too', async () => {
    const h = harness();
    await h.delivery.loaded;
    h.replies.push(async () => {
      h.delivery.onNotification('r1', 'ack');
      return { statusCode: 0 };
    });
    const queued = await h.delivery.enqueue(intent());
    await expect(queued.outcome).resolves.toBe('confirmed');
    expect(h.shown()).toEqual([]);
    h.clock.advance(10 * ACK_TIMEOUT_MS);
    await flush();
    expect(h.posts).toHaveLength(1);
  });

  it('a refusal of a first send that beats the HTTP reply keeps it failed: never re-sent, never counted as delivered', async () => {
    const h = harness();
    await h.delivery.loaded;
    h.replies.push(async () => {
      h.delivery.onNotification('r1', 'error', 'Invalid call result');
      return { statusCode: 0 };
    });
    const queued = await h.delivery.enqueue(intent());
    await expect(queued.outcome).rejects.toMatchObject({ message: 'Invalid call result' });
    expect(h.outbox.get('r1')).toMatchObject({ state: 'failed' });
    h.clock.advance(10 * ACK_TIMEOUT_MS);
    await flush();
    expect(h.posts).toHaveLength(1);
    expect(h.delivered()).toEqual([]);
    expect(h.shown()).toEqual([expect.objectContaining({ id: 'r1', state: 'failed' })]);
  });

  it('re-sends an entry of a previous run that was in flight, with its referenceId; a refusal then counts as delivered', async () => {
    const store = memoryOutboxStore([previous('old-1', 'sending')]);
    const h = harness({ store, linkUp: false });
    await h.delivery.loaded;
    await flush();
    expect(h.outbox.get('old-1')).toMatchObject({ state: 'unknown', mayBeApplied: true });
    expect(h.shown()).toEqual([expect.objectContaining({ id: 'old-1', state: 'pending', verifying: true })]);
    expect(h.posts).toHaveLength(0);

    h.state.linkUp = true;
    h.delivery.kick();
    await flush();
    expect(h.posts.map((p) => p.body['referenceId'])).toEqual(['old-1']);
    expect(h.shown()).toEqual([expect.objectContaining({ id: 'old-1', state: 'sending', attempts: 2 })]);
    // OCS applied the earlier send: the record is processed and refuses this one.
    h.delivery.onNotification('old-1', 'error', 'Record 9 is already processed');
    expect(h.shown()).toEqual([]);
    expect(h.delivered()).toHaveLength(1);
    expect(h.events.some((e) => e.type === 'operation-failed')).toBe(false);
    await h.delivery.flush();
    expect(store.entries).toEqual([]);
    h.clock.advance(10 * ACK_TIMEOUT_MS);
    await flush();
    expect(h.posts).toHaveLength(1);
  });

  it('an entry of a previous run waiting for its acknowledgement, refused synchronously (statusCode 6) on re-send, is delivered', async () => {
    const store = memoryOutboxStore([previous('old-1', 'accepted')]);
    const h = harness({ store });
    h.replies.push(refuse(6, 'VALIDATION', 'Record 9 not found'));
    await h.delivery.loaded;
    await flush();
    expect(h.posts.map((p) => p.body['referenceId'])).toEqual(['old-1']);
    expect(h.shown()).toEqual([]);
    expect(h.delivered()).toHaveLength(1);
  });

  it('a pending entry of a previous run was never sent: a refusal of it is a refusal (failed, kept for the agent)', async () => {
    const store = memoryOutboxStore([previous('old-1', 'pending', { attempts: 0 })]);
    const h = harness({ store });
    h.replies.push(refuse(1, 'VALIDATION', 'Call result not valid'));
    await h.delivery.loaded;
    await flush();
    expect(h.posts).toHaveLength(1);
    expect(h.shown()).toEqual([expect.objectContaining({ id: 'old-1', state: 'failed', lastError: { code: 'VALIDATION', message: 'Call result not valid' } })]);
    expect(h.delivered()).toHaveLength(0);
    expect(h.gone).toEqual([]);
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'operation-failed', referenceId: 'old-1' }));
  });

  it('a never-sent entry refused with statusCode 6 (the server lost the record) leaves the outbox as gone, reported, never applied', async () => {
    const store = memoryOutboxStore([previous('old-1', 'pending', { attempts: 0 })]);
    const h = harness({ store });
    h.replies.push(refuse(6, 'VALIDATION', 'Record 9 not found'));
    await h.delivery.loaded;
    await flush();
    expect(h.posts).toHaveLength(1);
    expect(h.shown()).toEqual([]);
    expect(h.store.entries).toEqual([]);
    expect(h.delivered()).toHaveLength(0);
    expect(h.gone).toEqual([{ recordHandle: '9', code: 'VALIDATION' }]);
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'operation-failed', referenceId: 'old-1' }));
    h.clock.advance(10 * 60_000);
    await flush();
    expect(h.posts).toHaveLength(1);
  });

  it('does not count an acknowledgement as missing while the notification link answered nothing (it may be dead): re-sent once, then it waits, never failed', async () => {
    let heard = 0;
    const h = harness({ heard: () => heard });
    await h.delivery.loaded;
    await h.delivery.enqueue(intent()); // accepted every time, never acknowledged
    // A black hole: the long poll answers nothing for 3 × the bound.
    for (let i = 1; i <= 3 * MAX_UNANSWERED_RESENDS; i += 1) {
      h.clock.advance(ACK_TIMEOUT_MS);
      await flush();
    }
    expect(h.posts).toHaveLength(2);
    expect(h.outbox.get('r1')).toMatchObject({ state: 'accepted' });
    expect(h.outbox.get('r1')?.resends ?? 0).toBe(0);
    // The link is found dead: the session stops the delivery, the entry may have been applied and
    // is re-sent once when the link is back.
    h.delivery.stop();
    expect(h.outbox.get('r1')).toMatchObject({ state: 'unknown', mayBeApplied: true });
    h.delivery.kick();
    await flush();
    expect(h.posts).toHaveLength(3);
    // The link answers between timeouts from now on: each unanswered re-send counts, the bound holds.
    for (let i = 1; i <= MAX_UNANSWERED_RESENDS; i += 1) {
      heard += 1;
      h.clock.advance(ACK_TIMEOUT_MS);
      await flush();
      expect(h.outbox.get('r1')?.resends).toBe(i);
      expect(h.posts).toHaveLength(3 + i);
    }
    heard += 1;
    h.clock.advance(ACK_TIMEOUT_MS);
    await flush();
    expect(h.shown()).toEqual([expect.objectContaining({ state: 'failed', lastError: expect.objectContaining({ code: 'TIMEOUT' }) })]);
  });

  it('sends only the entries it owns', async () => {
    const store = memoryOutboxStore([previous('mine', 'pending'), previous('theirs', 'pending', { userName: 'agent2', recordHandle: '10', path: '/api/v2/me/outbound-records/10' })]);
    const h = harness({ store, owns: (e) => e.userName === 'agent1' });
    await h.delivery.loaded;
    await flush();
    expect(h.posts.map((p) => p.body['referenceId'])).toEqual(['mine']);
    expect(h.outbox.get('theirs')).toMatchObject({ state: 'pending', attempts: 1 });
  });

  it('sends a later outcome for a record only after the earlier one was accepted', async () => {
    const h = harness({ linkUp: false });
    await h.delivery.loaded;
    await h.delivery.enqueue(intent('u1', { operationName: 'UpdateRecord', body: { operationName: 'UpdateRecord', phoneNumber: '5002' } }));
    await h.delivery.enqueue(intent('c1'));
    h.replies.push(fail('UNREACHABLE'));
    h.state.linkUp = true;
    h.delivery.kick();
    await flush();
    expect(h.posts.map((p) => p.body['referenceId'])).toEqual(['u1']); // c1 waits behind the unknown u1
    h.clock.advance(BACKOFF_MS);
    await flush();
    expect(h.posts.map((p) => p.body['referenceId'])).toEqual(['u1', 'u1', 'c1']);
  });

  it('a first send refused by GWS (statusCode 10) rejects the caller and keeps nothing', async () => {
    const h = harness();
    await h.delivery.loaded;
    h.replies.push(refuse(10, 'VALIDATION', 'Unknown callResult'));
    await expect(h.delivery.enqueue(intent())).rejects.toMatchObject({ code: 'VALIDATION', statusCode: 10 });
    expect(h.shown()).toEqual([]);
    await h.delivery.flush();
    expect(h.store.entries).toEqual([]);
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'operation-failed', referenceId: 'r1' }));
  });

  it('503 {"statusCode":4} keeps it pending (nothing was done) and sends it again after the backoff', async () => {
    const h = harness();
    await h.delivery.loaded;
    h.replies.push(fail('SERVER', { httpStatus: 503, statusCode: 4 }));
    const queued = await h.delivery.enqueue(intent());
    expect(queued.queued).toBe(true);
    expect(h.outbox.get('r1')).toMatchObject({ state: 'pending', lastError: { code: 'SERVER' } });
    expect(h.outbox.get('r1')?.mayBeApplied).toBeUndefined();
    h.clock.advance(BACKOFF_MS - 1);
    await flush();
    expect(h.posts).toHaveLength(1);
    h.clock.advance(1);
    await flush();
    expect(h.posts.map((p) => p.body['referenceId'])).toEqual(['r1', 'r1']);
    expect(h.outbox.get('r1')).toMatchObject({ state: 'accepted', attempts: 2 });
  });

  it('a 401 keeps the entry and asks the session to sign in again', async () => {
    const h = harness();
    await h.delivery.loaded;
    h.replies.push(fail('AUTH_FAILED', { httpStatus: 401, statusCode: 20 }));
    const queued = await h.delivery.enqueue(intent());
    expect(queued.queued).toBe(true);
    expect(h.authFailures).toEqual(['AUTH_FAILED']);
    expect(h.outbox.get('r1')).toMatchObject({ state: 'pending' });
  });

  it('retries a failed entry with the same referenceId when the agent asks, and refuses to retry anything else', async () => {
    const h = harness({ linkUp: false });
    await h.delivery.loaded;
    const queued = await h.delivery.enqueue(intent());
    h.replies.push(refuse(2, 'NOT_ALLOWED_IN_STATE', 'not now'));
    h.state.linkUp = true;
    h.delivery.kick();
    await flush();
    await expect(queued.outcome).rejects.toMatchObject({ code: 'NOT_ALLOWED_IN_STATE' });
    expect(h.shown()).toEqual([expect.objectContaining({ id: 'r1', state: 'failed', lastError: { code: 'NOT_ALLOWED_IN_STATE', message: 'not now' } })]);
    h.clock.advance(10 * 60_000);
    await flush();
    expect(h.posts).toHaveLength(1); // a failed entry waits for the agent

    expect(() => h.delivery.retry('nope')).toThrow(GwsError);
    h.delivery.retry('r1');
    await flush();
    expect(h.posts.map((p) => p.body['referenceId'])).toEqual(['r1', 'r1']);
    expect(h.outbox.get('r1')).toMatchObject({ state: 'accepted', attempts: 2 });
    expect(h.outbox.get('r1')?.lastError).toBeUndefined();
    expect(() => h.delivery.retry('r1')).toThrow(/not failed/);
    expect(() => h.delivery.discard('r1')).toThrow(/only a failed entry/);
  });

  it('discards a failed entry when the agent gives up on it (logged)', async () => {
    const store = memoryOutboxStore([previous('old-1', 'failed', { lastError: { code: 'VALIDATION', message: 'x' } })]);
    const h = harness({ store });
    await h.delivery.loaded;
    await flush();
    expect(h.posts).toHaveLength(0);
    expect(() => h.delivery.discard('nope')).toThrow(GwsError);
    h.delivery.discard('old-1');
    expect(h.shown()).toEqual([]);
    await h.delivery.flush();
    expect(store.entries).toEqual([]);
    expect(h.logger.entries).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringMatching(/discarded/), fields: expect.objectContaining({ id: 'old-1' }) }));
    expect(h.delivered()).toHaveLength(0);
  });

  it('after the first send and MAX_UNANSWERED_RESENDS re-sends were accepted and never answered, shows it as failed; retried, a refusal then is delivery', async () => {
    const h = harness();
    await h.delivery.loaded;
    await h.delivery.enqueue(intent()); // statusCode 0 every time, and no acknowledgement ever
    for (let i = 1; i <= MAX_UNANSWERED_RESENDS; i += 1) {
      h.clock.advance(ACK_TIMEOUT_MS);
      await flush();
      expect(h.posts).toHaveLength(1 + i);
      expect(h.outbox.get('r1')?.state).toBe('accepted');
    }
    h.clock.advance(ACK_TIMEOUT_MS);
    await flush();
    expect(h.posts).toHaveLength(1 + MAX_UNANSWERED_RESENDS);
    expect(h.posts.every((p) => p.body['referenceId'] === 'r1')).toBe(true);
    expect(h.shown()).toEqual([expect.objectContaining({ state: 'failed', lastError: expect.objectContaining({ code: 'TIMEOUT' }) })]);
    h.clock.advance(10 * 60_000);
    await flush();
    expect(h.posts).toHaveLength(1 + MAX_UNANSWERED_RESENDS); // not re-sent in a loop
    h.replies.push(refuse(6, 'VALIDATION', 'Record 9 not found'));
    h.delivery.retry('r1');
    await flush();
    expect(h.posts).toHaveLength(2 + MAX_UNANSWERED_RESENDS);
    expect(h.shown()).toEqual([]);
    expect(h.delivered()).toHaveLength(1);
  });

  it('timeouts and 503s are retried with the backoff for as long as it takes, never shown as failed', async () => {
    const h = harness();
    await h.delivery.loaded;
    for (let i = 0; i < 10; i += 1) h.replies.push(fail('TIMEOUT'), fail('SERVER', { httpStatus: 503, statusCode: 4 }));
    const queued = await h.delivery.enqueue(intent());
    expect(queued.queued).toBe(true);
    for (let i = 0; i < 20; i += 1) {
      expect(h.outbox.get('r1')?.state).not.toBe('failed');
      h.clock.advance(BACKOFF_MS);
      await flush();
    }
    expect(h.posts).toHaveLength(21);
    expect(h.posts.every((p) => p.body['referenceId'] === 'r1')).toBe(true);
    expect(h.outbox.get('r1')).toMatchObject({ state: 'accepted', mayBeApplied: true });
    h.delivery.onNotification('r1', 'ack');
    await expect(queued.outcome).resolves.toBe('confirmed');
  });

  it('stop() turns an accepted entry into unknown: no timer runs, and the next link re-sends it with its referenceId', async () => {
    const h = harness();
    await h.delivery.loaded;
    await h.delivery.enqueue(intent());
    expect(h.outbox.get('r1')).toMatchObject({ state: 'accepted' });
    h.state.linkUp = false;
    h.delivery.stop();
    expect(h.outbox.get('r1')).toMatchObject({ state: 'unknown', mayBeApplied: true });
    h.clock.advance(10 * ACK_TIMEOUT_MS);
    await flush();
    expect(h.posts).toHaveLength(1);
    h.state.linkUp = true;
    h.delivery.kick();
    await flush();
    expect(h.posts.map((p) => p.body['referenceId'])).toEqual(['r1', 'r1']);
    // A refusal of this re-send means the first one was applied.
    h.delivery.onNotification('r1', 'error', 'Record 9 is already processed');
    expect(h.outbox.entries).toEqual([]);
    expect(h.delivered()).toHaveLength(1);
  });
});

// ---- exactly once through the real delivery, against a model OCS ----------------------------------

type Fate = 'ok' | 'offline' | 'backend-down' | 'lost-before' | 'reply-lost' | 'reply-timeout' | 'reply-5xx-html' | 'forwarded-lost' | 'crash-before' | 'crash-after';
type Refusal = 'async-error' | 'sync-2' | 'sync-6';
type NoteFate = 'deliver' | 'lose' | 'delay';

interface Step {
  /** GWS accepts every send and nothing ever answers (CometD silently broken). */
  silent?: boolean;
  notes: NoteFate[];
  advance: 0 | typeof BACKOFF_MS | typeof ACK_TIMEOUT_MS;
  restart: boolean;
  agentRetries: boolean;
  linkDown: boolean;
}

const fateArb = fc.constantFrom<Fate>('ok', 'ok', 'offline', 'backend-down', 'lost-before', 'reply-lost', 'reply-timeout', 'reply-5xx-html', 'forwarded-lost', 'crash-before', 'crash-after');
const anyStep: fc.Arbitrary<Step> = fc.record({
  notes: fc.array(fc.constantFrom<NoteFate>('deliver', 'lose', 'delay'), { maxLength: 3 }),
  advance: fc.constantFrom<Step['advance']>(0, BACKOFF_MS, ACK_TIMEOUT_MS),
  restart: fc.boolean(),
  agentRetries: fc.boolean(),
  linkDown: fc.boolean(),
});
/** A stretch where GWS accepts and nothing answers while acknowledgement timeouts run out: tests the re-send bound. */
const silence: fc.Arbitrary<Step[]> = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.boolean()).map(([length, agentRetries]) =>
  Array.from({ length }, () => ({ silent: true, notes: ['lose', 'lose', 'lose'], advance: ACK_TIMEOUT_MS, restart: false, agentRetries, linkDown: false })),
);
const stepsArb: fc.Arbitrary<Step[]> = fc.array(fc.oneof({ weight: 3, arbitrary: anyStep.map((step) => [step]) }, { weight: 1, arbitrary: silence }), { maxLength: 20 }).map((chunks) => chunks.flat());

interface Process {
  outbox: Outbox;
  delivery: OutboxDelivery;
  alive: boolean;
}

async function exactlyOnce(fates: Fate[], refusals: Refusal[], steps: Step[]): Promise<void> {
  const disk = memoryOutboxStore();
  const clock = new ManualClock();
  let processed = false;
  let applied = 0;
  let inFlight: Array<{ kind: 'ack' | 'error'; message?: string }> = [];
  let crashed = false;
  let linkUp = true;
  /** Posts answered statusCode 0 since the agent last retried, and app restarts in that time. */
  let acceptedSinceRetry = 0;
  let restartsSinceRetry = 0;
  let silent = false;

  /** One run of the app: its own view of the disk and of the clock, inert once it has crashed. */
  const start = (): Process => {
    const proc = { alive: true } as Process;
    const store: OutboxStore = { load: () => disk.load(), save: (entries) => (proc.alive ? disk.save(entries) : Promise.resolve()) };
    const procClock: Clock = { now: () => clock.now(), setTimeout: (fn, ms) => clock.setTimeout(() => proc.alive && fn(), ms), clearTimeout: (t) => clock.clearTimeout(t) };
    proc.outbox = new Outbox({ store });
    proc.delivery = new OutboxDelivery({
      outbox: proc.outbox,
      clock: procClock,
      logger: recordingLogger(),
      backoff: () => BACKOFF_MS,
      ackTimeoutMs: ACK_TIMEOUT_MS,
      post: async () => {
        if (!proc.alive) return new Promise<never>(() => undefined);
        const reply = await ocs();
        acceptedSinceRetry += 1;
        return reply;
      },
      link: () => (proc.alive && linkUp ? { deviceId: 'dev-1' } : undefined),
      owns: () => true,
      dispatch: () => undefined,
      onAuthFailed: () => undefined,
    });
    return proc;
  };

  /** One POST reaching (or not) the model OCS; resolves with statusCode 0 or rejects as GWS would. */
  const ocs = async (): Promise<unknown> => {
    const fate = silent ? 'ok' : (fates.shift() ?? 'ok');
    const refusal = silent ? 'async-error' : (refusals.shift() ?? 'async-error');
    const receive = (): 'ok' | 2 | 6 => {
      if (!processed) {
        processed = true;
        applied += 1;
        inFlight.push({ kind: 'ack' });
        return 'ok';
      }
      if (refusal === 'async-error') {
        inFlight.push({ kind: 'error', message: 'Record 9 is already processed' });
        return 'ok';
      }
      return refusal === 'sync-2' ? 2 : 6;
    };
    switch (fate) {
      case 'offline':
        throw new GwsError('OFFLINE', 'not connected');
      case 'backend-down':
        throw new GwsError('SERVER', 'Voice service is not available at this time', { httpStatus: 503, statusCode: 4 });
      case 'lost-before':
        throw new GwsError('UNREACHABLE', 'socket hang up');
      case 'crash-before':
        crashed = true;
        return new Promise<never>(() => undefined);
      case 'forwarded-lost':
        return { statusCode: 0 };
      default: {
        const answer = receive();
        if (fate === 'crash-after') {
          crashed = true;
          return new Promise<never>(() => undefined);
        }
        if (fate === 'reply-lost') throw new GwsError('UNREACHABLE', 'socket hang up');
        if (fate === 'reply-timeout') throw new GwsError('TIMEOUT', 'no reply in time');
        if (fate === 'reply-5xx-html') throw new GwsError('SERVER', 'HTTP 502', { httpStatus: 502 });
        if (answer === 'ok') return { statusCode: 0 };
        throw new GwsError(answer === 2 ? 'NOT_ALLOWED_IN_STATE' : 'VALIDATION', `statusCode ${answer}`, { httpStatus: 200, statusCode: answer });
      }
    }
  };

  let proc = start();
  await proc.delivery.loaded;
  void proc.delivery.enqueue(intent()).catch(() => undefined);
  await flush();

  const restart = async (): Promise<void> => {
    proc.alive = false;
    proc.delivery.stop();
    inFlight = []; // a new CometD session: notifications for the old one are gone
    crashed = false;
    restartsSinceRetry += 1;
    proc = start();
    await proc.delivery.loaded;
    await flush();
  };

  const check = (): boolean => {
    expect(applied).toBeLessThanOrEqual(1);
    const entry = proc.outbox.get('r1');
    if (entry === undefined) {
      expect(applied).toBe(1); // left the outbox: applied, exactly once
      return true;
    }
    // Re-sends are bounded: the first send and MAX_UNANSWERED_RESENDS re-sends accepted and left
    // unanswered, then it waits for the agent (an accepted send cut short by a restart is not unanswered).
    expect(acceptedSinceRetry).toBeLessThanOrEqual(1 + MAX_UNANSWERED_RESENDS + restartsSinceRetry);
    return false;
  };

  const healthy: Step = { notes: [], advance: ACK_TIMEOUT_MS, restart: false, agentRetries: true, linkDown: false };
  for (let i = 0; i < steps.length + 15; i += 1) {
    const scripted = i < steps.length;
    const step = steps[i] ?? healthy;
    silent = step.silent === true;
    if (crashed || step.restart) await restart();
    if (check()) return;
    linkUp = !step.linkDown;
    const arriving = inFlight.filter((_, k) => (scripted ? (step.notes[k] ?? 'delay') : 'deliver') === 'deliver');
    inFlight = inFlight.filter((_, k) => (scripted ? (step.notes[k] ?? 'delay') : 'deliver') === 'delay');
    for (const note of arriving) proc.delivery.onNotification('r1', note.kind, note.message);
    if (check()) return;
    if (step.agentRetries && proc.outbox.get('r1')?.state === 'failed') {
      acceptedSinceRetry = 0;
      restartsSinceRetry = 0;
      proc.delivery.retry('r1');
    }
    proc.delivery.kick();
    clock.advance(step.advance);
    await flush();
    if (check()) return;
  }
  if (crashed) await restart();
  expect.unreachable(`never delivered: ${JSON.stringify(proc.outbox.get('r1'))}, applied ${applied}`);
}

describe('OutboxDelivery against an OCS that refuses a second outcome', () => {
  it('applies a CompleteRecord exactly once, never loses it and bounds the re-sends, whatever is lost or crashes (property)', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fateArb, { maxLength: 25 }), fc.array(fc.constantFrom<Refusal>('async-error', 'sync-2', 'sync-6'), { maxLength: 25 }), stepsArb, async (fates, refusals, steps) => {
        await exactlyOnce([...fates], [...refusals], steps);
      }),
      { numRuns: 300 },
    );
  });
});
