// Issue 12 in the pure reducer and its helpers: the chain's records, the server's call result,
// confirmed record edits, work rules, and where After Call Work returns to (fast-check properties).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stateAfterWrapUp } from '../../main/agent/after-call-work';
import { callResultName } from '../../preload/call-result-codes';
import type { AgentEvent } from '../../main/agent/events';
import { reduce } from '../../main/agent/reducer';
import type { AgentSnapshot, OutboundRecordSnapshot, PendingOperation } from '../../main/agent/snapshot';
import { initialSnapshot } from '../../main/agent/snapshot';
import { DEFAULT_WORK_RULES, minutesOfDay, resolveWorkRules } from '../../main/agent/work-rules';

const T = 1_700_000_000_000;

function record(handle: number, phoneNumber: string, extra: Partial<OutboundRecordSnapshot> = {}): OutboundRecordSnapshot {
  return { recordHandle: handle, phoneNumber, otherFields: { balance: '15.99' }, userData: { GSW_RECORD_HANDLE: handle }, wire: { recordHandle: handle, phoneNumber }, ...extra };
}

function offered(chain: OutboundRecordSnapshot[] = [record(202, '+16785550202', { phoneType: 'Mobile' })]): AgentSnapshot {
  const s = initialSnapshot(T);
  return { ...s, previewRecord: { phase: 'offered', since: T, record: record(201, '+14045550201', { phoneType: 'HomePhone' }), chainedRecords: chain } };
}

const dial = (handle: string): AgentEvent => {
  const operation: PendingOperation = { referenceId: `r-${handle}`, operationName: 'Dial', target: 'device', status: 'sending', startedAt: T, recordHandle: handle };
  return { type: 'operation-started', operation, at: T + 1 };
};

const callEvent = (state: string, handle: number, userData: Record<string, unknown> = {}): AgentEvent =>
  ({
  type: 'notification',
  notification: { kind: 'call', call: { id: 'c1', state, participants: [], capabilities: [], callType: 'Outbound', userData: { GSW_RECORD_HANDLE: handle, ...userData } } },
  at: T + 2,
}) as unknown as AgentEvent;

describe('the chain: each number is its own record', () => {
  it('dialling a number of the chain makes its record the one in hand and puts the other back in the chain', () => {
    const s = reduce(offered(), dial('202'));
    expect(s.previewRecord).toMatchObject({ phase: 'dialing', record: { recordHandle: 202, phoneType: 'Mobile' } });
    expect(s.previewRecord.chainedRecords.map((r) => r.recordHandle)).toEqual([201]);
    const established = reduce(s, callEvent('Established', 202));
    expect(established.previewRecord).toMatchObject({ phase: 'on-call', callId: 'c1' });
  });

  it('an acknowledgement for another number of the chain removes that number and keeps the record in hand', () => {
    const ack = { type: 'notification', notification: { kind: 'record', notificationType: 'DoNotCallAcknowledge', records: [], recordHandle: '202' }, at: T + 1 } as unknown as AgentEvent;
    const s = reduce(offered(), ack);
    expect(s.previewRecord.phase).toBe('offered');
    expect(s.previewRecord.record?.recordHandle).toBe(201);
    expect(s.previewRecord.chainedRecords).toEqual([]);
  });

  it('property: a dial of any handle keeps the set of records (in hand + chain) and never changes it when not offered', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 300, max: 400 }), { maxLength: 5 }), fc.integer({ min: 200, max: 410 }), fc.constantFrom('offered', 'on-call', 'wrap-up'), (handles, target, phase) => {
        const before = offered(handles.map((h) => record(h, `+1555${h}`)));
        const start = { ...before, previewRecord: { ...before.previewRecord, phase: phase as 'offered' } };
        const after = reduce(start, dial(String(target)));
        const all = (x: AgentSnapshot) => [x.previewRecord.record, ...x.previewRecord.chainedRecords].map((r) => r?.recordHandle).sort();
        expect(all(after)).toEqual(all(start));
        const inChain = handles.includes(target);
        if (phase !== 'offered' || (!inChain && target !== 201)) expect(after.previewRecord.record?.recordHandle).toBe(201);
        if (phase === 'offered' && (inChain || target === 201)) expect(after.previewRecord).toMatchObject({ phase: 'dialing', record: { recordHandle: target } });
      }),
    );
  });
});

describe("the server's call result", () => {
  it('keeps the released call\'s GSW_CALL_RESULT for wrap-up after the call leaves, and history says why', () => {
    let s = reduce(offered([]), dial('201'));
    s = reduce(s, callEvent('Dialing', 201));
    s = reduce(s, callEvent('Released', 201, { GSW_CALL_RESULT: 6 }));
    expect(s.calls).toEqual({});
    expect(s.previewRecord).toMatchObject({ phase: 'wrap-up', serverCallResult: 'Busy' });
    expect(s.callHistory[0]?.result).toBe('Busy');
  });

  it('answered (the one rule for "was the customer reached?"): a busy line is not, an established call is and stays so after release', () => {
    let busy = reduce(offered([]), dial('201'));
    busy = reduce(busy, callEvent('Dialing', 201));
    busy = reduce(busy, callEvent('Released', 201, { GSW_CALL_RESULT: 6 }));
    expect(busy.previewRecord.answered).toBeUndefined();
    let reached = reduce(offered([]), dial('201'));
    reached = reduce(reached, callEvent('Established', 201));
    expect(reached.previewRecord.answered).toBe(true);
    reached = reduce(reached, callEvent('Released', 201));
    expect(reached.previewRecord).toMatchObject({ phase: 'wrap-up', answered: true });
  });

  it("a record's own GSW_CALL_RESULT is kept from the offer; Unknown (28) is no result", () => {
    const message = (result: unknown): AgentEvent =>
      ({ type: 'notification', notification: { kind: 'record', notificationType: 'PreviewRecord', records: [{ recordHandle: 5, phoneNumber: '1', userData: { GSW_CALL_RESULT: result } }] }, at: T }) as unknown as AgentEvent;
    expect(reduce(initialSnapshot(T), message(9)).previewRecord.serverCallResult).toBe('AnsweringMachine');
    expect(reduce(initialSnapshot(T), message(28)).previewRecord.serverCallResult).toBeUndefined();
  });

  it('property: callResultName never throws and returns only a name, never Unknown', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.double(), fc.object()), (value) => {
        const name = callResultName(value);
        if (name !== undefined) expect(name).toMatch(/^[A-Za-z]{1,40}$/);
        expect(name).not.toBe('Unknown');
      }),
    );
    expect([6, '7', 9, 'Busy', 28, '28', 99].map(callResultName)).toEqual(['Busy', 'NoAnswer', 'AnsweringMachine', 'Busy', undefined, undefined, undefined]);
  });
});

describe('a confirmed record edit', () => {
  it('shows the new values on the record in hand and in what the Dial posts back', () => {
    const s = reduce(offered(), { type: 'record-edited', recordHandle: '201', edit: { otherFields: { balance: '12345.67' } }, at: T });
    expect(s.previewRecord.record?.otherFields).toEqual({ balance: '12345.67' });
    expect(s.previewRecord.record?.wire['otherFields']).toEqual({ balance: '12345.67' });
    expect(s.previewRecord.chainedRecords[0]?.otherFields).toEqual({ balance: '15.99' });
  });

  it('property: an edit of a record not in hand changes nothing (same reference)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 2000 }), fc.dictionary(fc.string(), fc.string()), (handle, fields) => {
        const before = offered();
        expect(reduce(before, { type: 'record-edited', recordHandle: String(handle), edit: { otherFields: fields }, at: T })).toBe(before);
      }),
    );
  });
});

describe('work rules', () => {
  it('resolves a partial policy over the defaults; an unreadable time keeps the default', () => {
    expect(resolveWorkRules(undefined)).toEqual(DEFAULT_WORK_RULES);
    expect(resolveWorkRules({ afterCallWork: false, callingHours: { start: '9:00', end: '20:30', outside: 'block' } })).toEqual({
      afterCallWork: false,
      afterComplete: 'previous',
      callingHours: { start: '08:00', end: '20:30', outside: 'block' },
    });
  });

  it('property: minutesOfDay reads every HH:MM and nothing else', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (h, m) => {
        expect(minutesOfDay(`${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`)).toBe(h * 60 + m);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!/^([01]\d|2[0-3]):[0-5]\d$/.test(text));
        expect(minutesOfDay(text)).toBeUndefined();
      }),
    );
  });

  it('the reducer keeps the rules across sign-out', () => {
    const rules = resolveWorkRules({ afterComplete: 'ready' });
    const s = reduce(reduce(initialSnapshot(T), { type: 'work-rules', rules, at: T }), { type: 'signed-out', reason: 'bye', at: T });
    expect(s.workRules).toEqual(rules);
  });

  it('after wrap-up: back to the earlier state, Ready when it was Ready or After Call Work, or Ready by rule', () => {
    expect(stateAfterWrapUp({ state: 'NotReady', operationName: 'OutToLunch' }, 'previous')).toEqual({ state: 'NotReady', operationName: 'OutToLunch' });
    expect(stateAfterWrapUp({ state: 'NotReady', workMode: 'AfterCallWork' }, 'previous')).toEqual({ state: 'Ready' });
    expect(stateAfterWrapUp({ state: 'NotReady', operationName: 'OutToLunch' }, 'ready')).toEqual({ state: 'Ready' });
  });
});
