// The exactly-once decision (decide) under any interleaving of lost requests, lost replies, lost
// acknowledgements, 5xx refusals, failed probes and app restarts: a record outcome is applied by
// the server exactly once, and its entry leaves the outbox only after that.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutboxEntry, OutboxOperation } from '../../main/agent/outbox';
import { afterRestart, decide, stateAfterSendFailure } from '../../main/agent/outbox';

type SendFate = 'lost-before' | 'refused-5xx' | 'applied-reply-lost' | 'applied-timeout' | 'applied-ok';
interface Step {
  fate: SendFate;
  ackDelivered: boolean;
  probeFails: boolean;
  restart: boolean;
}

const stepArb = fc.record({
  fate: fc.constantFrom<SendFate>('lost-before', 'refused-5xx', 'applied-reply-lost', 'applied-timeout', 'applied-ok'),
  ackDelivered: fc.boolean(),
  probeFails: fc.boolean(),
  restart: fc.boolean(),
});

/** Runs the client's loop against a model GWS; after the scripted faults, the network is healthy. */
function run(operationName: OutboxOperation, steps: Step[]): { applied: number; dropped: boolean; maxApplied: number } {
  let entry: Pick<OutboxEntry, 'state' | 'operationName'> = { state: 'pending', operationName };
  let held = true;
  let applied = 0;
  let maxApplied = 0;
  let ackPending = false; // an acknowledgement on its way
  const healthy: Step = { fate: 'applied-ok', ackDelivered: true, probeFails: false, restart: false };
  for (let i = 0; i < steps.length + 10; i += 1) {
    const step = steps[i] ?? healthy;
    if (step.restart) {
      entry = afterRestart({ ...(entry as OutboxEntry) });
      ackPending = false; // a new session does not see notifications meant for the old one
    }
    // An acknowledgement that arrives settles the entry whatever its state.
    if (ackPending && step.ackDelivered) {
      const d = decide(entry, { notification: 'ack' });
      expect(d).toBe('drop');
      return { applied, dropped: true, maxApplied };
    }
    let decision = decide(entry, { ackTimedOut: entry.state === 'accepted' });
    if (decision === 'probe') {
      if (step.probeFails) continue;
      decision = decide(entry, { probe: held ? 'held' : 'not-held', ackTimedOut: true });
    }
    if (decision === 'drop') return { applied, dropped: true, maxApplied };
    if (decision !== 'send') continue;
    // The send.
    const apply = (): void => {
      if (operationName !== 'UpdateRecord') {
        if (!held) throw new Error('sent to a record no longer held'); // GWS would refuse; the model forbids reaching it
        held = false;
      }
      applied += 1;
      maxApplied = Math.max(maxApplied, applied);
    };
    switch (step.fate) {
      case 'lost-before':
        entry = { ...entry, state: stateAfterSendFailure({ code: 'UNREACHABLE' }) };
        break;
      case 'refused-5xx':
        entry = { ...entry, state: stateAfterSendFailure({ code: 'SERVER', httpStatus: 503 }) };
        break;
      case 'applied-reply-lost':
        apply();
        ackPending = true;
        entry = { ...entry, state: stateAfterSendFailure({ code: 'UNREACHABLE' }) };
        break;
      case 'applied-timeout':
        apply();
        ackPending = true;
        entry = { ...entry, state: stateAfterSendFailure({ code: 'TIMEOUT' }) };
        break;
      case 'applied-ok':
        apply();
        ackPending = true;
        entry = { ...entry, state: 'accepted' };
        break;
    }
  }
  return { applied, dropped: false, maxApplied };
}

describe('outbox exactly-once decision', () => {
  it.each(['CompleteRecord', 'RescheduleRecord', 'DoNotCallRecord'] as const)('%s is applied exactly once and dropped only after that (property)', (operationName) => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 30 }), (steps) => {
        const result = run(operationName, steps);
        expect(result.dropped).toBe(true);
        expect(result.applied).toBe(1);
        expect(result.maxApplied).toBe(1);
      }),
      { numRuns: 2_000 },
    );
  });

  it('UpdateRecord is never lost (it may be re-applied, with the same values, when its reply was lost)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 30 }), (steps) => {
        const result = run('UpdateRecord', steps);
        expect(result.dropped).toBe(true);
        expect(result.applied).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 1_000 },
    );
  });

  it('maps send failures to never-sent, maybe-applied or refused', () => {
    expect(stateAfterSendFailure({ code: 'OFFLINE' })).toBe('pending');
    expect(stateAfterSendFailure({ code: 'CSRF' })).toBe('pending');
    expect(stateAfterSendFailure({ code: 'AUTH_FAILED' })).toBe('pending');
    expect(stateAfterSendFailure({ code: 'TIMEOUT' })).toBe('unknown');
    expect(stateAfterSendFailure({ code: 'UNREACHABLE' })).toBe('unknown');
    expect(stateAfterSendFailure({ code: 'SERVER', httpStatus: 503 })).toBe('unknown');
    expect(stateAfterSendFailure({ code: 'VALIDATION' })).toBe('failed');
    expect(stateAfterSendFailure({ code: 'NOT_ALLOWED_IN_STATE' })).toBe('failed');
  });

  it('settles on notifications first, holds failed entries, waits behind an earlier entry', () => {
    expect(decide({ state: 'unknown', operationName: 'CompleteRecord' }, { notification: 'ack' })).toBe('drop');
    expect(decide({ state: 'accepted', operationName: 'CompleteRecord' }, { notification: 'error' })).toBe('fail');
    expect(decide({ state: 'failed', operationName: 'CompleteRecord' })).toBe('hold');
    expect(decide({ state: 'pending', operationName: 'CompleteRecord' }, { blockedByEarlier: true })).toBe('wait');
    expect(decide({ state: 'accepted', operationName: 'CompleteRecord' })).toBe('wait');
    expect(decide({ state: 'accepted', operationName: 'UpdateRecord' }, { ackTimedOut: true })).toBe('drop');
    expect(decide({ state: 'accepted', operationName: 'CompleteRecord' }, { ackTimedOut: true })).toBe('probe');
    expect(decide({ state: 'unknown', operationName: 'CompleteRecord' }, { probe: 'held' })).toBe('send');
    expect(decide({ state: 'unknown', operationName: 'CompleteRecord' }, { probe: 'not-held' })).toBe('drop');
  });
});
