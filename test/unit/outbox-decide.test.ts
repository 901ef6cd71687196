// The exactly-once decision (decide, classifySendFailure, afterRestart) against a model OCS that
// applies an outcome at most once and REFUSES a second outcome on a processed record — the refusal
// arriving as an ErrorMessage carrying the referenceId, or synchronously as statusCode 2 / 6 —
// under any interleaving of lost requests, lost HTTP replies, lost or late acknowledgements, a
// backend that is down (503 + statusCode 4) and app restarts. There is no probe: a re-send with the
// same referenceId is safe because the processed record refuses it. Re-sends are bounded: once the
// first send and MAX_UNANSWERED_RESENDS re-sends were accepted and never answered, the entry is shown
// as failed; transport failures (nothing or no reply came back) are retried for as long as it takes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutboxEntry, OutboxOperation } from '../../main/agent/outbox';
import { MAX_UNANSWERED_RESENDS, afterRestart, classifySendFailure, decide } from '../../main/agent/outbox';
import type { ErrorCode } from '../../main/gws/errors';
import { mayHaveActed } from '../../main/gws/errors';

/** What happens to one POST on its way to OCS and back. */
type SendFate =
  /** The client knows nothing left (not signed in / link cut): OFFLINE. */
  | 'offline'
  /** Refused before acting: a stale CSRF token. */
  | 'csrf'
  /** GWS could not reach OCS: `HTTP 503 {"statusCode":4}` — nothing was done. */
  | 'backend-down'
  /** The request never reached GWS, the client sees a reset. */
  | 'lost-before'
  /** OCS got it; the HTTP reply was lost (reset). */
  | 'reply-lost'
  /** OCS got it; no reply in time. */
  | 'reply-timeout'
  /** OCS got it; a proxy answered 502 with an HTML page. */
  | 'reply-5xx-html'
  /** OCS got it; the reply was not GWS JSON. */
  | 'reply-malformed'
  /** OCS got it and GWS replied. */
  | 'reply-ok'
  /** GWS replied statusCode 0 ("forwarded") but OCS never got it: no acknowledgement will come (ending outcomes only). */
  | 'forwarded-lost';

/** How OCS refuses an outcome on a processed record. */
type Refusal = 'async-error' | 'sync-2' | 'sync-6';
/** What happens to a notification on its way to the client during one step. */
type NoteFate = 'deliver' | 'lose' | 'delay';

interface Step {
  fate: SendFate;
  refusal: Refusal;
  notes: NoteFate[];
  ackTimeout: boolean;
  restart: boolean;
  agentRetries: boolean;
}

const anyStep: fc.Arbitrary<Step> = fc.record({
  fate: fc.constantFrom<SendFate>('offline', 'csrf', 'backend-down', 'lost-before', 'reply-lost', 'reply-timeout', 'reply-5xx-html', 'reply-malformed', 'reply-ok', 'forwarded-lost'),
  refusal: fc.constantFrom<Refusal>('async-error', 'sync-2', 'sync-6'),
  notes: fc.array(fc.constantFrom<NoteFate>('deliver', 'lose', 'delay'), { maxLength: 3 }),
  ackTimeout: fc.boolean(),
  restart: fc.boolean(),
  agentRetries: fc.boolean(),
});
/** GWS accepts and nothing ever answers (CometD silently broken): runs of these test the re-send bound. */
const silentStep: fc.Arbitrary<Step> = fc.boolean().map((agentRetries) => ({ fate: 'reply-ok', refusal: 'async-error', notes: ['lose', 'lose', 'lose'], ackTimeout: true, restart: false, agentRetries }));
const stepArb: fc.Arbitrary<Step> = fc.oneof({ weight: 2, arbitrary: anyStep }, { weight: 1, arbitrary: silentStep });

type Model = Pick<OutboxEntry, 'state' | 'operationName' | 'mayBeApplied' | 'resends'>;
interface HttpError {
  code: ErrorCode;
  httpStatus?: number;
  statusCode?: number;
}

const ENDING: readonly OutboxOperation[] = ['CompleteRecord', 'RescheduleRecord', 'DoNotCallRecord'];

interface RunResult {
  applied: number;
  dropped: boolean;
  /** The most accepted sends that got no answer in time (no ack, no refusal) between two retries by the agent. */
  maxUnansweredInARow: number;
  /** Was the entry ever shown to the agent as failed? */
  everFailed: boolean;
  sends: number;
}

/**
 * One outcome entry against the model OCS. The client side mirrors OutboxDelivery: it consults
 * `decide` for what to do, `classifySendFailure` after a failed POST, `afterRestart` after a restart.
 * After the scripted steps the network is healthy and the agent retries a failed entry.
 */
function run(operationName: OutboxOperation, steps: Step[]): RunResult {
  const ending = ENDING.includes(operationName);
  let entry: Model = { state: 'pending', operationName };
  let processed = false; // OCS: the record no longer takes an outcome
  let applied = 0;
  let inFlight: Array<'ack' | 'error'> = []; // notifications on their way to the client
  let dropped = false;
  let unansweredInARow = 0;
  let maxUnansweredInARow = 0;
  let everFailed = false;
  let sends = 0;

  const drop = (why: string): void => {
    // Never dropped before the outcome is applied; an ending outcome exactly once.
    if (ending) expect(applied, why).toBe(1);
    else expect(applied, why).toBeGreaterThanOrEqual(1);
    dropped = true;
  };

  /** OCS receives the POST: applies it, or refuses it because the record is processed. */
  const ocsReceives = (refusal: Refusal): { reply: 'ok' } | { reply: 'refused'; statusCode: 2 | 6 } => {
    if (!ending) {
      applied += 1; // UpdateRecord on a held record is applied every time
      inFlight.push('ack');
      return { reply: 'ok' };
    }
    if (!processed) {
      processed = true;
      applied += 1;
      inFlight.push('ack');
      return { reply: 'ok' };
    }
    if (refusal === 'async-error') {
      inFlight.push('error'); // statusCode 0 ("forwarded"), the refusal follows on /v2/me/outbound
      return { reply: 'ok' };
    }
    return { reply: 'refused', statusCode: refusal === 'sync-2' ? 2 : 6 };
  };

  const failure = (error: HttpError): void => {
    const next = classifySendFailure(entry, error);
    if (next === 'delivered') return drop(`a refusal (${JSON.stringify(error)}) counted as delivered`);
    if (next === 'failed') {
      entry = { ...entry, state: 'failed' };
      everFailed = true;
      return;
    }
    entry = { ...entry, state: next, ...(next === 'unknown' && { mayBeApplied: true }) };
  };

  const send = (step: Step): void => {
    sends += 1;
    // Never sent again once the first send and MAX_UNANSWERED_RESENDS re-sends went unanswered.
    expect(unansweredInARow).toBeLessThanOrEqual(MAX_UNANSWERED_RESENDS);
    const resend = entry.state === 'unknown' || entry.state === 'sending' || entry.state === 'accepted';
    entry = { ...entry, state: 'sending', ...(resend && { mayBeApplied: true }) };
    switch (step.fate) {
      case 'offline':
        return failure({ code: 'OFFLINE' });
      case 'csrf':
        return failure({ code: 'CSRF', httpStatus: 403 });
      case 'backend-down':
        return failure({ code: 'SERVER', httpStatus: 503, statusCode: 4 });
      case 'lost-before':
        return failure({ code: 'UNREACHABLE' });
      case 'forwarded-lost':
        // GWS said 0 but OCS never got it. Modelled for ending outcomes only: an accepted
        // UpdateRecord is taken as done (decide), so for it this fate is 'reply-ok'.
        if (!ending) ocsReceives(step.refusal);
        if (!step.restart) entry = { ...entry, state: 'accepted' };
        return;
      default: {
        const answer = ocsReceives(step.refusal);
        if (step.restart) return; // the app stops while the reply is on its way: it never hears back
        if (step.fate === 'reply-lost') return failure({ code: 'UNREACHABLE' });
        if (step.fate === 'reply-timeout') return failure({ code: 'TIMEOUT' });
        if (step.fate === 'reply-5xx-html') return failure({ code: 'SERVER', httpStatus: 502 });
        if (step.fate === 'reply-malformed') return failure({ code: 'MALFORMED_REPLY', httpStatus: 200 });
        if (answer.reply === 'refused') return failure({ code: answer.statusCode === 2 ? 'NOT_ALLOWED_IN_STATE' : 'VALIDATION', httpStatus: 200, statusCode: answer.statusCode });
        entry = { ...entry, state: 'accepted' };
        return;
      }
    }
  };

  const healthy = (): Step => ({ fate: 'reply-ok', refusal: 'async-error', notes: [], ackTimeout: inFlight.length === 0, restart: false, agentRetries: true });

  for (let i = 0; i < steps.length + 12 && !dropped; i += 1) {
    const scripted = i < steps.length;
    const step = steps[i] ?? healthy();

    // 1. Notifications on their way arrive, get lost, or stay in flight.
    const arriving: Array<'ack' | 'error'> = [];
    inFlight = inFlight.filter((note, k) => {
      const fate = scripted ? (step.notes[k] ?? 'delay') : 'deliver';
      if (fate === 'deliver') arriving.push(note);
      return fate === 'delay';
    });
    for (const note of arriving) {
      if (dropped) break;
      const d = decide(entry, { notification: note });
      if (d === 'drop') drop(`settled by ${note}`);
      else {
        expect(d).toBe('fail');
        entry = { ...entry, state: 'failed' };
        everFailed = true;
      }
    }
    if (dropped) break;

    // 2. No acknowledgement in time.
    if (entry.state === 'accepted' && arriving.length === 0 && step.ackTimeout) {
      if (decide(entry, { ackTimedOut: true }) === 'drop') {
        drop('accepted, acknowledgement timed out');
        break;
      }
      // Sent again; this accepted send got no answer at all: it counts towards the bound.
      entry = { ...entry, state: 'unknown', mayBeApplied: true, resends: (entry.resends ?? 0) + 1 };
      unansweredInARow += 1;
      maxUnansweredInARow = Math.max(maxUnansweredInARow, unansweredInARow);
    }

    // 3. The agent looks at a failed entry and retries it (OutboxDelivery.retry).
    if (entry.state === 'failed' && step.agentRetries) {
      entry = { ...entry, state: entry.mayBeApplied === true ? 'unknown' : 'pending', resends: 0 };
      unansweredInARow = 0;
    }

    // 4. The outbox acts on what it knows.
    const decision = decide(entry);
    if (decision === 'fail') {
      entry = { ...entry, state: 'failed' };
      everFailed = true;
    } else if (decision === 'send') send(step);
    else expect(['wait', 'hold']).toContain(decision);

    // 5. The app restarts: the entry is read back from disk; notifications for the old session are gone.
    if (step.restart) {
      entry = afterRestart({ ...(entry as OutboxEntry) });
      inFlight = [];
    }
  }
  return { applied, dropped, maxUnansweredInARow, everFailed, sends };
}

describe('outbox exactly-once decision against an OCS that refuses a second outcome', () => {
  it.each(ENDING)('%s is applied exactly once, leaves the outbox only after that, is never lost, and its unanswered re-sends are bounded (property)', (operationName) => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 50 }), (steps) => {
        const result = run(operationName, steps);
        expect(result.dropped).toBe(true);
        expect(result.applied).toBe(1);
        expect(result.maxUnansweredInARow).toBeLessThanOrEqual(1 + MAX_UNANSWERED_RESENDS);
      }),
      { numRuns: 2_000 },
    );
  });

  it('UpdateRecord is never lost (it may be re-applied, with the same values, when its reply was lost) (property)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 50 }), (steps) => {
        const result = run('UpdateRecord', steps);
        expect(result.dropped).toBe(true);
        expect(result.applied).toBeGreaterThanOrEqual(1);
        expect(result.maxUnansweredInARow).toBeLessThanOrEqual(1 + MAX_UNANSWERED_RESENDS);
      }),
      { numRuns: 1_000 },
    );
  });

  it('stops after the first send and MAX_UNANSWERED_RESENDS re-sends were accepted and never answered, and shows the entry as failed', () => {
    let entry: Model = { state: 'pending', operationName: 'CompleteRecord' };
    let sends = 0;
    for (let i = 0; i < 50; i += 1) {
      const d = decide(entry);
      if (d === 'fail') entry = { ...entry, state: 'failed' };
      if (d !== 'send') continue;
      sends += 1;
      entry = { ...entry, state: 'accepted', ...(entry.state !== 'pending' && { mayBeApplied: true }) }; // statusCode 0, then silence
      expect(decide(entry, { ackTimedOut: true })).toBe('send');
      entry = { ...entry, state: 'unknown', mayBeApplied: true, resends: (entry.resends ?? 0) + 1 };
    }
    expect(sends).toBe(1 + MAX_UNANSWERED_RESENDS);
    expect(entry.state).toBe('failed');
    expect(decide(entry)).toBe('hold');
  });

  it('timeouts, resets and 503s are retried for as long as it takes: never failed, applied once when the network heals', () => {
    for (const fate of ['lost-before', 'reply-timeout', 'backend-down', 'reply-5xx-html'] as const) {
      const bad: Step = { fate, refusal: 'sync-6', notes: ['lose', 'lose', 'lose'], ackTimeout: true, restart: false, agentRetries: false };
      const result = run('CompleteRecord', Array.from({ length: 30 }, () => bad));
      expect(result.sends, fate).toBeGreaterThan(30);
      expect(result.everFailed, fate).toBe(false);
      expect(result, fate).toMatchObject({ dropped: true, applied: 1 });
    }
  });
});

describe('decide', () => {
  it('settles on notifications first: an ack drops; a refusal fails, unless an earlier send may have been applied', () => {
    for (const state of ['pending', 'sending', 'accepted', 'unknown', 'failed'] as const) {
      expect(decide({ state, operationName: 'CompleteRecord' }, { notification: 'ack' })).toBe('drop');
      expect(decide({ state, operationName: 'CompleteRecord' }, { notification: 'error' })).toBe('fail');
      expect(decide({ state, operationName: 'CompleteRecord', mayBeApplied: true }, { notification: 'error' })).toBe('drop');
    }
  });

  it('holds failed entries, waits behind an earlier entry and for an acknowledgement', () => {
    expect(decide({ state: 'failed', operationName: 'CompleteRecord', mayBeApplied: true })).toBe('hold');
    expect(decide({ state: 'pending', operationName: 'CompleteRecord' })).toBe('send');
    expect(decide({ state: 'pending', operationName: 'CompleteRecord' }, { blockedByEarlier: true })).toBe('wait');
    expect(decide({ state: 'unknown', operationName: 'CompleteRecord' }, { blockedByEarlier: true })).toBe('wait');
    expect(decide({ state: 'accepted', operationName: 'CompleteRecord' })).toBe('wait');
  });

  it('without an acknowledgement in time: an ending outcome is sent again, UpdateRecord is done', () => {
    for (const operationName of ENDING) expect(decide({ state: 'accepted', operationName }, { ackTimedOut: true })).toBe('send');
    expect(decide({ state: 'accepted', operationName: 'UpdateRecord' }, { ackTimedOut: true })).toBe('drop');
  });

  it('re-sends an unknown or interrupted outcome until more than MAX_UNANSWERED_RESENDS accepted sends went unanswered, then fails it', () => {
    for (const state of ['unknown', 'sending'] as const) {
      for (let resends = 0; resends <= MAX_UNANSWERED_RESENDS; resends += 1) expect(decide({ state, operationName: 'CompleteRecord', mayBeApplied: true, resends })).toBe('send');
      expect(decide({ state, operationName: 'CompleteRecord', mayBeApplied: true, resends: MAX_UNANSWERED_RESENDS + 1 })).toBe('fail');
      expect(decide({ state, operationName: 'CompleteRecord', mayBeApplied: true, resends: MAX_UNANSWERED_RESENDS + 3 })).toBe('fail');
    }
  });
});

describe('afterRestart', () => {
  const base: OutboxEntry = {
    id: 'r1',
    referenceId: 'r1',
    operationName: 'CompleteRecord',
    recordHandle: '9',
    path: '/api/v2/me/outbound-records/9',
    body: { operationName: 'CompleteRecord' },
    serverUrl: 'http://gws.test',
    userName: 'agent1',
    state: 'pending',
    attempts: 1,
    createdAt: 1,
    updatedAt: 1,
  };

  it('an entry in flight or waiting for its acknowledgement may have been applied: unknown, mayBeApplied', () => {
    expect(afterRestart({ ...base, state: 'sending' })).toEqual({ ...base, state: 'unknown', mayBeApplied: true });
    expect(afterRestart({ ...base, state: 'accepted' })).toEqual({ ...base, state: 'unknown', mayBeApplied: true });
  });

  it('leaves pending, unknown and failed entries as they were', () => {
    for (const state of ['pending', 'unknown', 'failed'] as const) expect(afterRestart({ ...base, state })).toEqual({ ...base, state });
  });
});

describe('classifySendFailure', () => {
  const first = {};
  const again = { mayBeApplied: true };

  it.each<[string, { code: ErrorCode; httpStatus?: number; statusCode?: number }]>([
    ['a timeout', { code: 'TIMEOUT' }],
    ['a reset / unreachable server', { code: 'UNREACHABLE' }],
    ['a reply that is not GWS JSON', { code: 'MALFORMED_REPLY', httpStatus: 200 }],
    ['a 503 HTML page (no statusCode)', { code: 'SERVER', httpStatus: 503 }],
    ['a 502 without a body', { code: 'SERVER', httpStatus: 502 }],
  ])('%s → unknown (the server may have acted)', (_, error) => {
    expect(classifySendFailure(first, error)).toBe('unknown');
    expect(classifySendFailure(again, error)).toBe('unknown');
  });

  it.each<[string, { code: ErrorCode; httpStatus?: number; statusCode?: number }]>([
    ['HTTP 503 {"statusCode":4} (voice service not available)', { code: 'SERVER', httpStatus: 503, statusCode: 4 }],
    ['statusCode 4 with HTTP 200', { code: 'SERVER', httpStatus: 200, statusCode: 4 }],
    ['OFFLINE', { code: 'OFFLINE' }],
    ['CSRF', { code: 'CSRF', httpStatus: 403 }],
    ['AUTH_FAILED', { code: 'AUTH_FAILED', httpStatus: 401, statusCode: 20 }],
    ['PASSWORD_CHANGE_REQUIRED', { code: 'PASSWORD_CHANGE_REQUIRED', httpStatus: 200, statusCode: 8 }],
  ])('%s → pending (nothing was done: send it again later)', (_, error) => {
    expect(classifySendFailure(first, error)).toBe('pending');
    expect(classifySendFailure(again, error)).toBe('pending');
  });

  it('property: "may the server have acted?" has one answer — the outbox keeps an outcome as possibly applied exactly when mayHaveActed says so', () => {
    const codes: ErrorCode[] = ['TIMEOUT', 'UNREACHABLE', 'MALFORMED_REPLY', 'SERVER', 'OFFLINE', 'CSRF', 'AUTH_FAILED', 'VALIDATION', 'NOT_ALLOWED_IN_STATE', 'FORBIDDEN'];
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }), fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }), fc.boolean(), (code, httpStatus, statusCode, mayBeApplied) => {
        const error = { code, ...(httpStatus !== undefined && { httpStatus }), ...(statusCode !== undefined && { statusCode }) };
        expect(classifySendFailure({ mayBeApplied }, error) === 'unknown').toBe(mayHaveActed(error));
      }),
    );
  });

  it('statusCode 2 or 6 refuses a first send, and proves an earlier send was applied on a re-send', () => {
    expect(classifySendFailure(first, { code: 'VALIDATION', httpStatus: 200, statusCode: 6 })).toBe('failed');
    expect(classifySendFailure({ mayBeApplied: false }, { code: 'VALIDATION', httpStatus: 200, statusCode: 6 })).toBe('failed');
    expect(classifySendFailure(again, { code: 'VALIDATION', httpStatus: 200, statusCode: 6 })).toBe('delivered');
    expect(classifySendFailure(first, { code: 'NOT_ALLOWED_IN_STATE', httpStatus: 200, statusCode: 2 })).toBe('failed');
    expect(classifySendFailure(again, { code: 'NOT_ALLOWED_IN_STATE', httpStatus: 200, statusCode: 2 })).toBe('delivered');
  });

  it('other refusals stay refusals even on a re-send: the agent decides', () => {
    for (const entry of [first, again]) {
      expect(classifySendFailure(entry, { code: 'VALIDATION', httpStatus: 200, statusCode: 10 })).toBe('failed');
      expect(classifySendFailure(entry, { code: 'VALIDATION', httpStatus: 200, statusCode: 1 })).toBe('failed');
      expect(classifySendFailure(entry, { code: 'FORBIDDEN', httpStatus: 200, statusCode: 3 })).toBe('failed');
    }
  });
});
