// What the server configures for the agent (main/agent/user-settings.ts, gws-api.md §3 and §6): the
// configured agent states (Not Ready reasons) and the Workspace options — call results an agent may
// pick and disposition codes. Whatever a server sends, these never throw: what they cannot read is
// skipped (and logged) or replaced by the documented fallback.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAgentSession } from '../../main/agent/session';
import type { JsonObject } from '../../main/agent/snapshot';
import {
  FALLBACK_CALL_RESULTS,
  OCS_CALL_RESULTS,
  readAgentStates,
  readCallResults,
  readDispositions,
  workspaceOptions,
} from '../../main/agent/user-settings';
import { ManualClock, fakeConnections, fakeGws } from '../support/core-fakes';
import { recordingLogger } from '../support/core-fixtures';

describe('readAgentStates', () => {
  it('reads each configured state; displayName falls back to the operationName', () => {
    const logger = recordingLogger();
    const states = readAgentStates(
      [
        { operationName: 'OutToLunch', displayName: 'Out to Lunch', state: 'NotReady', reason: 'Lunch', workMode: 'AuxWork' },
        { operationName: 'Break' },
        { operationName: 'Training', displayName: '   ' },
        { operationName: 'Meeting', displayName: 42 },
      ],
      logger,
    );
    expect(states).toEqual([
      { operationName: 'OutToLunch', displayName: 'Out to Lunch', state: 'NotReady', reason: 'Lunch', workMode: 'AuxWork' },
      { operationName: 'Break', displayName: 'Break' },
      { operationName: 'Training', displayName: 'Training' },
      { operationName: 'Meeting', displayName: 'Meeting' },
    ]);
    expect(logger.entries.filter((e) => e.level === 'warn' || e.level === 'error')).toEqual([]);
  });

  it('reads the reason spelled `reason` or `reasonCode` (reason first)', () => {
    const states = readAgentStates(
      [
        { operationName: 'A', reasonCode: 'Lunch' },
        { operationName: 'B', reason: 'Break' },
        { operationName: 'C', reason: 'R', reasonCode: 'RC' },
      ],
      recordingLogger(),
    );
    expect(states.map((s) => [s.operationName, s.reason])).toEqual([
      ['A', 'Lunch'],
      ['B', 'Break'],
      ['C', 'R'],
    ]);
  });

  it('skips an entry without an operationName and logs it (its index), keeping the others', () => {
    const logger = recordingLogger();
    const states = readAgentStates([{ displayName: 'No name' }, { operationName: '' }, { operationName: '  ' }, null, 'OutToLunch', { operationName: 7 }, { operationName: 'Break' }], logger);
    expect(states).toEqual([{ operationName: 'Break', displayName: 'Break' }]);
    const warnings = logger.entries.filter((e) => e.level === 'warn');
    expect(warnings).toHaveLength(6);
    expect(warnings.map((e) => e.fields?.['index'])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(warnings.every((e) => /operationName/.test(e.message))).toBe(true);
  });

  it('keeps the first of two entries with the same operationName', () => {
    const states = readAgentStates([{ operationName: 'Break', displayName: 'Break 1' }, { operationName: 'Break', displayName: 'Break 2' }], recordingLogger());
    expect(states).toEqual([{ operationName: 'Break', displayName: 'Break 1' }]);
  });

  it('never throws on any JSON array, and every state it returns can be posted and shown (property)', () => {
    const entry = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          operationName: fc.oneof(fc.string({ maxLength: 12 }), fc.jsonValue()),
          displayName: fc.oneof(fc.string({ maxLength: 12 }), fc.jsonValue()),
          state: fc.jsonValue(),
          reason: fc.jsonValue(),
          reasonCode: fc.jsonValue(),
          workMode: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), (entries) => {
        const logger = recordingLogger();
        const states = readAgentStates(entries, logger);
        const names = states.map((s) => s.operationName);
        expect(new Set(names).size).toBe(names.length);
        for (const s of states) {
          expect(typeof s.operationName).toBe('string');
          expect(s.operationName.trim()).not.toBe('');
          expect(s.displayName.trim()).not.toBe('');
          for (const key of ['state', 'reason', 'workMode'] as const) if (key in s) expect(typeof s[key]).toBe('string');
        }
        // Every entry is either read, a duplicate, or logged.
        expect(states.length + logger.entries.filter((e) => e.level === 'warn').length).toBeLessThanOrEqual(entries.length);
        const unreadable = entries.filter((e) => e === null || typeof e !== 'object' || Array.isArray(e) || typeof (e as Record<string, unknown>)['operationName'] !== 'string' || ((e as Record<string, unknown>)['operationName'] as string).trim() === '');
        expect(logger.entries.filter((e) => e.level === 'warn')).toHaveLength(unreadable.length);
      }),
      { numRuns: 1_000 },
    );
  });
});

const ws = (options: JsonObject): JsonObject => ({ 'interaction-workspace': options });

describe('readCallResults', () => {
  it("reads settings['interaction-workspace']['outbound.call-result-values'] as a comma-separated list of OCS names", () => {
    const result = readCallResults(workspaceOptions(ws({ 'outbound.call-result-values': 'Answer, Busy,NoAnswer ,AnsweringMachine' })), recordingLogger());
    expect(result).toEqual({ callResults: ['Answer', 'Busy', 'NoAnswer', 'AnsweringMachine'], source: 'workspace' });
  });

  it('keeps only known OCS names (logging the others) and drops duplicates', () => {
    const logger = recordingLogger();
    const result = readCallResults({ 'outbound.call-result-values': 'Answer,Sale,Busy,answer,Answer,7' }, logger);
    expect(result.callResults).toEqual(['Answer', 'Busy']);
    expect(result.source).toBe('workspace');
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: 'warn', fields: { ignored: ['Sale', 'answer', '7'] } }));
  });

  it.each<[string, JsonObject]>([
    ['absent', {}],
    ['empty', { 'outbound.call-result-values': '' }],
    ['only commas and blanks', { 'outbound.call-result-values': ' , ,' }],
    ['a number', { 'outbound.call-result-values': 7 }],
    ['an object', { 'outbound.call-result-values': { Answer: true } }],
    ['null', { 'outbound.call-result-values': null }],
    ['only unknown names', { 'outbound.call-result-values': 'Sale,NoSale' }],
  ])('falls back to the OCS table when the option is %s', (_, options) => {
    const result = readCallResults(options, recordingLogger());
    expect(result).toEqual({ callResults: [...FALLBACK_CALL_RESULTS], source: 'ocs-table' });
  });

  it('falls back when the Workspace section itself is missing or not an object', () => {
    for (const settings of [{}, { 'interaction-workspace': 'x' }, { 'interaction-workspace': ['Answer'] }, { 'interaction-workspace': null }] as JsonObject[]) {
      expect(readCallResults(workspaceOptions(settings), recordingLogger()).source).toBe('ocs-table');
    }
  });

  it('the fallback offers only OCS call results', () => {
    for (const name of FALLBACK_CALL_RESULTS) expect(Object.hasOwn(OCS_CALL_RESULTS, name)).toBe(true);
    expect(OCS_CALL_RESULTS).toMatchObject({ Ok: 0, Busy: 6, NoAnswer: 7, AnsweringMachine: 9, Unknown: 28, Answer: 33, WrongParty: 40, DoNotCall: 51, WrongNumber: 53 });
  });

  it("honours outbound.call-result-automatically-selected when it names an offered result", () => {
    expect(readCallResults({ 'outbound.call-result-values': 'Answer,Busy', 'outbound.call-result-automatically-selected': ' Busy ' }, recordingLogger()).defaultCallResult).toBe('Busy');
    expect(readCallResults({ 'outbound.call-result-automatically-selected': 'NoAnswer' }, recordingLogger()).defaultCallResult).toBe('NoAnswer'); // from the fallback
    expect(readCallResults({ 'outbound.call-result-values': 'Answer,Busy', 'outbound.call-result-automatically-selected': 'NoAnswer' }, recordingLogger())).not.toHaveProperty('defaultCallResult');
    expect(readCallResults({ 'outbound.call-result-values': 'Answer', 'outbound.call-result-automatically-selected': 3 }, recordingLogger())).not.toHaveProperty('defaultCallResult');
  });

  it('never throws, always offers known, distinct results and a default among them (property)', () => {
    const names = fc.constantFrom(...Object.keys(OCS_CALL_RESULTS), 'Sale', 'answer', '', ' ', '__proto__', 'toString');
    const value = fc.oneof(fc.tuple(fc.array(names, { maxLength: 6 }), fc.constantFrom(',', ', ', ' ,')).map(([list, separator]) => list.join(separator)), fc.array(names, { maxLength: 4 }), fc.jsonValue());
    fc.assert(
      fc.property(fc.option(value, { nil: undefined }), fc.option(fc.oneof(names, fc.jsonValue()), { nil: undefined }), (values, preferred) => {
        const options: JsonObject = {};
        if (values !== undefined) options['outbound.call-result-values'] = values as JsonObject[string];
        if (preferred !== undefined) options['outbound.call-result-automatically-selected'] = preferred as JsonObject[string];
        const result = readCallResults(options, recordingLogger());
        expect(result.callResults.length).toBeGreaterThan(0);
        expect(new Set(result.callResults).size).toBe(result.callResults.length);
        for (const name of result.callResults) expect(Object.hasOwn(OCS_CALL_RESULTS, name)).toBe(true);
        if (result.defaultCallResult !== undefined) expect(result.callResults).toContain(result.defaultCallResult);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('readDispositions', () => {
  it('reads interaction.disposition.key-name and interaction.disposition.values', () => {
    expect(readDispositions(workspaceOptions(ws({ 'interaction.disposition.key-name': ' Outcome ', 'interaction.disposition.values': 'Sale, No Sale,,Callback' })))).toEqual({
      key: 'Outcome',
      values: ['Sale', 'No Sale', 'Callback'],
    });
  });

  it('defaults the key to DispositionCode and the values to none', () => {
    expect(readDispositions({})).toEqual({ key: 'DispositionCode', values: [] });
    expect(readDispositions({ 'interaction.disposition.key-name': '  ', 'interaction.disposition.values': 5 })).toEqual({ key: 'DispositionCode', values: [] });
    expect(readDispositions({ 'interaction.disposition.key-name': 5 })).toEqual({ key: 'DispositionCode', values: [] });
  });
});

describe('signing in', () => {
  it('offers the agent the server’s Not Ready reasons, call results and disposition codes', async () => {
    const gws = fakeGws();
    const session = createAgentSession({ transport: gws, notifications: fakeConnections().factory, clock: new ManualClock() });
    await session.signIn({ serverUrl: 'http://gws.test', username: 'agent1', password: 'agent1' });
    expect(session.snapshot.user).toMatchObject({
      agentStates: [{ operationName: 'OutToLunch', displayName: 'Out to Lunch', state: 'NotReady', reason: 'Lunch' }],
      callResults: ['Answer'],
      dispositions: { key: 'DispositionCode', values: ['Sale', 'NoSale'] },
    });
    await session.dispose();
  });

  it('still signs in when the agent states cannot be read, offering no reasons', async () => {
    const gws = fakeGws();
    gws.handler = (r) => (r.path === '/api/v2/settings/agent-states' ? { body: '{"statusCode":0,"settings":"nope"}' } : undefined);
    const session = createAgentSession({ transport: gws, notifications: fakeConnections().factory, clock: new ManualClock() });
    await session.signIn({ serverUrl: 'http://gws.test', username: 'agent1', password: 'agent1' });
    expect(session.snapshot.connection.state).toBe('connected');
    expect(session.snapshot.user?.agentStates).toEqual([]);
    await session.dispose();
  });
});
