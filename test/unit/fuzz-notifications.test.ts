/**
 * Fuzzing the inbound path: ≥ 10,000 malformed or random CometD notifications go through
 * `decodeNotification` and the pure reducer, interleaved with operations being started, accepted,
 * failed and expired. Nothing may throw, and after EVERY step the snapshot keeps its invariants:
 * calls keyed by their own id (campaigns by name, pending operations by referenceId), the call
 * history ≤ 100, pending operations only for referenceIds the session started, the snapshot plain
 * JSON (survives JSON round-trip unchanged), and Object.prototype untouched.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../main/agent/events';
import { reduce } from '../../main/agent/reducer';
import type { AgentSnapshot } from '../../main/agent/snapshot';
import { CALL_HISTORY_LIMIT, initialSnapshot } from '../../main/agent/snapshot';
import { NOTIFICATION_CHANNELS, decodeNotification } from '../../main/gws/decode';
import { silentLogger } from '../../main/gws/logger';
import { DEVICE_MESSAGE, RECORD, SEED_DIALING, callMessage, campaignMessage, recordMessage } from '../support/core-fixtures';

const T0 = 1_700_000_000_000;
/** Keys that break naive `obj[key] = …` code, plus ordinary ones. */
const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', '0', '-1', 'NaN', 'A', 'B', 'C', '42', 'x'.repeat(300), '\u202E\u0000', '𝔘𝔫𝔦'];
const REFERENCE_IDS = ['ref-1', 'ref-2', 'ref-3', 'ref-4', '__proto__', 'constructor'];
const STATES = ['Dialing', 'Ringing', 'Established', 'Held', 'Released', 'Completed', 'Unknown', '', 'released'];
const NOTIFICATION_TYPES = ['StatusChange', 'Error', 'DtmfSent', 'PreviewRecord', 'CampaignStarted', 'CampaignStopped', 'PreviewSessionStarted', 'PreviewSessionEnded', 'ChainedRecord', 'ChainedRecordsDataEnd', 'RecordProcessedAcknowledge', 'RecordRejectAcknowledge', 'NoRecordsAvailable', 'AttachedDataChanged', 'CallRecordingStateChange', 'Nope'];
const CHANNELS = [...NOTIFICATION_CHANNELS, '/v2/me', '/meta/connect', '', '/v2/me/calls/extra'];

const nastyKey = fc.constantFrom(...NASTY_KEYS);
const USER_DATA_ONLY_RECORD = { GSW_RECORD_HANDLE: 9, GSW_CHAIN_ID: 3, GSW_PHONE: '5001', GSW_CAMPAIGN_NAME: 'Campaign1', GSW_CALLING_LIST: 'CL1', GSW_APPLICATION_ID: 134, GSW_TZ_NAME: 'EST', InteractionType: 'Outbound', custom1: 'a' };
const scalar = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), nastyKey, fc.constantFrom(...STATES), fc.constantFrom(...REFERENCE_IDS));
const anyValue = fc.oneof({ weight: 3, arbitrary: scalar }, { weight: 1, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 4 }) }, { weight: 1, arbitrary: fc.dictionary(nastyKey, scalar, { maxKeys: 3 }) });

/** Well-formed messages of every kind the server sends: the seeds the mutations start from. */
const seed = fc.oneof(
  fc.tuple(nastyKey, fc.constantFrom(...STATES)).map(([id, state]) => ['/v2/me/calls', callMessage(id, state, {}, { referenceId: 'ref-1' })] as const),
  fc.constant(['/v2/me/calls', SEED_DIALING] as const),
  fc.constant(['/v2/me/devices', DEVICE_MESSAGE] as const),
  fc.tuple(fc.constantFrom(...NOTIFICATION_TYPES), fc.constantFrom(...REFERENCE_IDS)).map(([type, ref]) => ['/v2/me/outbound', recordMessage(type, RECORD, ref)] as const),
  fc.tuple(fc.constantFrom(...NOTIFICATION_TYPES), nastyKey, fc.constantFrom(...REFERENCE_IDS)).map(([type, name, ref]) => ['/v2/me/outbound', campaignMessage(type, name, 'Preview', ref)] as const),
  fc.constantFrom(...REFERENCE_IDS).map((ref) => ['/v2/me/calls', { messageType: 'CallStateChangeMessage', notificationType: 'Error', errorMessage: 'x', referenceId: ref }] as const),
  // gws-api.md §4: ErrorMessage on any channel, with whatever fields it has (or none).
  fc.tuple(fc.constantFrom(...CHANNELS), fc.constantFrom(...REFERENCE_IDS), nastyKey).map(([channel, ref, id]) => [channel, { messageType: 'ErrorMessage', errorCode: 110, errorMessage: 'Record 9 is already processed', referenceId: ref, call: { id }, recordHandle: 9 }] as const),
  fc.constantFrom(...CHANNELS).map((channel) => [channel, { messageType: 'ErrorMessage' }] as const),
  // HTCC 8.5.0: participants as strings, participantsInfo beside them.
  fc.tuple(nastyKey, fc.constantFrom(...STATES)).map(([id, state]) => ['/v2/me/calls', callMessage(id, state, { participants: ['5001', '5002'], participantsInfo: [{ country: 'US', localPhoneNumber: '5001' }] })] as const),
  // §6: a record with only its userData GSW_* keys.
  fc.tuple(fc.constantFrom('PreviewRecord', 'ChainedRecord'), fc.constantFrom(...REFERENCE_IDS)).map(([type, ref]) => ['/v2/me/outbound', recordMessage(type, { userData: USER_DATA_ONLY_RECORD }, ref)] as const),
);

interface Mutation {
  at: number;
  op: 'set' | 'delete' | 'wrap' | 'key';
  key: string;
  value: unknown;
}
const mutation: fc.Arbitrary<Mutation> = fc.record({ at: fc.nat(), op: fc.constantFrom('set', 'delete', 'wrap', 'key'), key: nastyKey, value: anyValue });

/** Every (container, key) inside a JSON-ish value. */
function slots(value: unknown, out: [Record<string, unknown>, string][] = [], depth = 0): [Record<string, unknown>, string][] {
  if (depth > 5 || value === null || typeof value !== 'object') return out;
  for (const key of Object.keys(value)) {
    out.push([value as Record<string, unknown>, key]);
    slots((value as Record<string, unknown>)[key], out, depth + 1);
  }
  return out;
}

function mutate(base: unknown, mutations: Mutation[]): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  for (const m of mutations) {
    const all = slots(copy);
    if (all.length === 0) break;
    const [container, key] = all[m.at % all.length]!;
    if (m.op === 'set') container[key] = m.value;
    else if (m.op === 'delete') delete container[key];
    else if (m.op === 'wrap') container[key] = [container[key]];
    // A named key on an array cannot come from JSON (the wire): only objects get one. (An array with
    // an own non-function `constructor` makes the reducer's Array#map throw: reported, not reachable.)
    else if (!Array.isArray(container)) Object.defineProperty(container, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

type Step =
  | { kind: 'message'; channel: string; data: unknown }
  | { kind: 'start'; referenceId: string; operationName: string }
  | { kind: 'accept' | 'fail' | 'expire'; referenceId: string }
  | { kind: 'calls-read'; ids: string[] };

const message = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(seed, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([[channel, data], ms]) => ({ kind: 'message' as const, channel, data: mutate(data, ms) })) },
  { weight: 2, arbitrary: seed.map(([channel, data]) => ({ kind: 'message' as const, channel, data: structuredClone(data) as unknown })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...CHANNELS), fc.anything()).map(([channel, data]) => ({ kind: 'message' as const, channel, data })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...CHANNELS), fc.jsonValue()).map(([channel, data]) => ({ kind: 'message' as const, channel, data })) },
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 10, arbitrary: message },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('start' as const), referenceId: fc.constantFrom(...REFERENCE_IDS), operationName: fc.constantFrom('Dial', 'Answer', 'GetPreviewRecord', 'Ready') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('accept' as const, 'fail' as const, 'expire' as const), referenceId: fc.oneof(fc.constantFrom(...REFERENCE_IDS), fc.string({ maxLength: 8 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('calls-read' as const), ids: fc.uniqueArray(nastyKey, { maxLength: 3 }) }) },
);

let notificationsFuzzed = 0;

function apply(s: AgentSnapshot, st: Step, at: number): AgentSnapshot {
  let event: AgentEvent | undefined;
  switch (st.kind) {
    case 'message': {
      notificationsFuzzed += 1;
      const notification = decodeNotification(st.channel, st.data, silentLogger);
      if (notification) event = { type: 'notification', notification, at };
      break;
    }
    case 'start':
      event = { type: 'operation-started', operation: { referenceId: st.referenceId, operationName: st.operationName, target: 'call', targetId: 'A', status: 'sending', startedAt: at }, at };
      break;
    case 'accept':
      event = { type: 'operation-accepted', referenceId: st.referenceId, at };
      break;
    case 'fail':
      event = { type: 'operation-failed', referenceId: st.referenceId, error: { code: 'SERVER', message: 'x' }, at };
      break;
    case 'expire':
      event = { type: 'operation-expired', referenceId: st.referenceId, at };
      break;
    case 'calls-read': {
      const calls = st.ids.flatMap((id) => {
        const n = decodeNotification('/v2/me/calls', callMessage(id, 'Established'), silentLogger);
        return n?.kind === 'call' ? [n.call] : [];
      });
      event = { type: 'calls-read', calls, at };
      break;
    }
  }
  return event ? reduce(s, event) : s;
}

/** Plain JSON all the way down: plain objects/arrays, finite numbers, no undefined, no functions. */
function assertPlainJson(value: unknown, path = 'snapshot'): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertPlainJson(v, `${path}[${i}]`));
    return;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new Error(`${path} is not a plain object`);
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key !== 'string') throw new Error(`${path} has a symbol key`);
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) throw new Error(`${path}.${key} is undefined`);
      assertPlainJson(v, `${path}.${key}`);
    }
    return;
  }
  throw new Error(`${path} is a ${typeof value}`);
}

function checkInvariants(s: AgentSnapshot, started: Set<string>): void {
  for (const [key, call] of Object.entries(s.calls)) if (call.id !== key) throw new Error(`calls[${JSON.stringify(key)}] holds call ${JSON.stringify(call.id)}`);
  if (Object.getPrototypeOf(s.calls) !== Object.prototype) throw new Error('calls lost its prototype');
  for (const [key, campaign] of Object.entries(s.campaigns)) if (campaign.name !== key) throw new Error(`campaigns[${JSON.stringify(key)}] holds ${JSON.stringify(campaign.name)}`);
  for (const [key, op] of Object.entries(s.pendingOperations)) {
    if (op.referenceId !== key) throw new Error(`pendingOperations[${key}] holds ${op.referenceId}`);
    if (!started.has(key)) throw new Error(`pendingOperations has unknown referenceId ${JSON.stringify(key)}`);
  }
  if (s.callHistory.length > CALL_HISTORY_LIMIT) throw new Error(`history has ${s.callHistory.length} entries`);
  assertPlainJson(s);
  const text = JSON.stringify(s);
  if (JSON.stringify(JSON.parse(text)) !== text) throw new Error('snapshot does not survive a JSON round trip');
  if (({} as Record<string, unknown>)['polluted'] !== undefined || Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')) throw new Error('Object.prototype polluted');
}

function run(steps: Step[]): void {
  let s = initialSnapshot(T0);
  const started = new Set<string>();
  let at = T0;
  for (const st of steps) {
    at += 250;
    if (st.kind === 'start') started.add(st.referenceId);
    s = apply(s, st, at);
    checkInvariants(s, started);
  }
}

describe('fuzz: notifications → decode → reducer', () => {
  afterAll(() => {
    // The figure docs/security.md quotes.
    expect(notificationsFuzzed).toBeGreaterThanOrEqual(10_000);
    console.info(`[fuzz-notifications] ${notificationsFuzzed} notifications fuzzed`);
  });

  it('mixed sequences of mutated, random and valid notifications (≈ 11,000 notifications)', { timeout: 60_000 }, () => {
    fc.assert(fc.property(fc.array(step, { minLength: 10, maxLength: 30 }), run), { numRuns: 600 });
  });

  it('long call lifecycles with fresh ids keep the history at ≤ 100 (≈ 6,000 notifications)', { timeout: 60_000 }, () => {
    const lifecycle = fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('Released', 'Completed'), fc.array(mutation, { maxLength: 1 }));
    fc.assert(
      fc.property(fc.array(lifecycle, { minLength: 100, maxLength: 130 }), fc.array(step, { maxLength: 20 }), (calls, junk) => {
        const steps: Step[] = [];
        calls.forEach(([id, end, ms], i) => {
          steps.push({ kind: 'message', channel: '/v2/me/calls', data: callMessage(`${id}-${i}`, 'Ringing') });
          steps.push({ kind: 'message', channel: '/v2/me/calls', data: mutate(callMessage(`${id}-${i}`, end), ms) });
        });
        steps.push(...junk);
        run(steps);
      }),
      { numRuns: 25 },
    );
  });

  it('a call id "__proto__" or "constructor" is just an id', () => {
    let s = initialSnapshot(T0);
    for (const id of ['__proto__', 'constructor', 'hasOwnProperty']) {
      s = apply(s, { kind: 'message', channel: '/v2/me/calls', data: callMessage(id, 'Ringing') }, T0 + 1);
    }
    checkInvariants(s, new Set());
    expect(Object.keys(s.calls).sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    // …and a recovery re-read with those ids, and an Error notification echoing such a referenceId.
    s = apply(s, { kind: 'calls-read', ids: ['__proto__', 'constructor'] }, T0 + 2);
    s = apply(s, { kind: 'message', channel: '/v2/me/calls', data: { messageType: 'CallStateChangeMessage', notificationType: 'Error', errorMessage: 'x', referenceId: '__proto__' } }, T0 + 3);
    checkInvariants(s, new Set());
    expect(Object.keys(s.calls).sort()).toEqual(['__proto__', 'constructor']);
    expect(s.pendingOperations).toEqual({});
  });

  it('an ErrorMessage removes at most the pending operation whose referenceId it carries, on any channel (property)', () => {
    const errorStep = fc.record({
      channel: fc.constantFrom(...CHANNELS),
      data: fc.record(
        { errorCode: anyValue, errorMessage: anyValue, referenceId: fc.oneof(fc.constantFrom(...REFERENCE_IDS), anyValue), call: anyValue, recordHandle: anyValue },
        { requiredKeys: [] },
      ),
    });
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...REFERENCE_IDS), { maxLength: REFERENCE_IDS.length }), fc.array(errorStep, { minLength: 1, maxLength: 8 }), (started, errors) => {
        let s = initialSnapshot(T0);
        for (const referenceId of started) s = apply(s, { kind: 'start', referenceId, operationName: 'Hold' }, T0 + 1);
        for (const e of errors) {
          const before = s;
          const data = { ...e.data, messageType: 'ErrorMessage' };
          const n = decodeNotification(e.channel, data, silentLogger);
          expect(n?.kind).toBe('error');
          s = apply(s, { kind: 'message', channel: e.channel, data }, T0 + 2);
          checkInvariants(s, new Set(started));
          const removed = Object.keys(before.pendingOperations).filter((k) => !Object.hasOwn(s.pendingOperations, k));
          const carried = n?.kind === 'error' ? n.referenceId : undefined;
          expect(removed.every((k) => k === carried)).toBe(true);
          expect(s.lastError?.message).toBe(n?.kind === 'error' ? n.message : undefined);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('user data keyed "__proto__" stays an own key and never becomes a prototype', () => {
    const userData = JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":"c","ok":1}') as Record<string, unknown>;
    const s = apply(initialSnapshot(T0), { kind: 'message', channel: '/v2/me/calls', data: callMessage('A', 'Ringing', { userData }) }, T0 + 1);
    checkInvariants(s, new Set());
    const data = s.calls['A']?.userData as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect((data as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
