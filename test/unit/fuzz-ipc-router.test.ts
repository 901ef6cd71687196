/**
 * Fuzzing the IPC boundary: ≥ 10,000 invalid payloads for the commands of `preload/contract.ts`
 * go through `createRouter` (the router Electron IPC and the browser harness share). Per command:
 * non-objects, each required field missing, each field of a wrong type, oversize / malformed
 * strings, extra fields, prototype-pollution keys (`__proto__`, `constructor`, `prototype`) at the
 * top level and inside user data / record fields. Every one must come back as an envelope
 * `{ ok: false, error: { code: 'VALIDATION' } }` whose issues NAME the offending field, no handler
 * may ever run, and Object.prototype stays clean.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../main/ipc/router';
import type { Handlers } from '../../main/ipc/router';
import { commandNames, commands } from '../../preload/contract';
import type { CommandName, Envelope } from '../../preload/contract';

type Kind = 'optText' | 'flags' | 'id' | 'phone' | 'handle' | 'campaign' | 'text' | 'password' | 'url' | 'digits' | 'scope' | 'callbackType' | 'epoch' | 'bool' | 'userData' | 'otherFields' | 'callResult' | 'note' | 'reason';
interface Field {
  kind: Kind;
  valid: unknown;
  required: boolean;
}

const f = (kind: Kind, valid: unknown, required = true): Field => ({ kind, valid, required });
const call = { callId: f('id', '013V08JRL498H10I04000VTAES00000G') };
const number = { ...call, phoneNumber: f('phone', '+15551234567') };
const handle = { recordHandle: f('handle', 101) };

/** Every command's fields with one valid value each (what the renderer would send). */
const SPEC: Partial<Record<CommandName, Record<string, Field>>> = {
  getSnapshot: {},
  signIn: { serverUrl: f('url', 'https://gws.example.com:8090'), username: f('text', 'agent1'), password: f('password', 'secret'), place: f('optText', 'Place_5001', false) },
  signOut: {},
  ready: {},
  notReady: { operationName: f('reason', 'OutToLunch', false) },
  afterCallWork: {},
  dial: { phoneNumber: f('phone', '+15551234567') },
  answer: call,
  hangup: call,
  hold: call,
  retrieve: call,
  sendDtmf: { ...call, digits: f('digits', '12#') },
  initiateTransfer: number,
  completeTransfer: call,
  singleStepTransfer: number,
  initiateConference: number,
  completeConference: call,
  swapCalls: { ...call, otherCallId: f('id', '013V08JRL498H10I04000VTAES00000H') },
  attachUserData: { ...call, userData: f('userData', { note: 'ok', n: 1, b: true }) },
  startPreviewSession: { campaignName: f('campaign', 'Collections_Preview') },
  endPreviewSession: { campaignName: f('campaign', 'Collections_Preview') },
  getPreviewRecord: { campaignName: f('campaign', 'Collections_Preview') },
  dialPreviewRecord: { ...handle, phoneNumber: f('phone', '+15551234567', false) },
  rejectRecord: handle,
  cancelRecord: handle,
  doNotCallRecord: { ...handle, chainAttribute: f('scope', 'AllChain') },
  rescheduleRecord: { ...handle, callbackType: f('callbackType', 'Personal'), at: f('epoch', 1_800_000_000_000) },
  updateRecord: { ...handle, otherFields: f('otherFields', { customer_name: 'Maria' }) },
  completeRecord: { ...handle, callResult: f('callResult', 'Answer'), note: f('note', 'called back', false), getNext: f('bool', true, false) },
  getChainedRecords: handle,
  getSettings: {},
  updateSettings: {
    closeToTray: f('bool', true, false),
    raiseOnRing: f('bool', false, false),
    startAtLogin: f('bool', true, false),
    rememberPassword: f('bool', false, false),
    notifications: f('flags', { incomingCall: true, connection: false }, false),
  },
  testNotification: {},
  exportDiagnostics: {},
  installUpdate: {},
};
/** Commands added to the contract after this table: fuzzed with non-objects and extra keys only. */
const unspecified = commandNames.filter((name) => SPEC[name] === undefined);

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'];
const notString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }));
const notNumber = fc.oneof(fc.string({ maxLength: 10 }), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }));
const notBool = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null), fc.array(fc.boolean(), { maxLength: 2 }));
const notRecord = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }));
const blank = fc.constantFrom('', ' ', '\t', '   \n ');
const oversize = (max: number) => fc.integer({ min: max + 1, max: max + 5_000 }).chain((n) => fc.constantFrom('x'.repeat(n), 'é'.repeat(n), '<script>'.repeat(Math.ceil(n / 8))));
const withNonDigit = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => /[^0-9*#+\s]/.test(s.trim()) || s.trim() === '');
/** Not a dialable number even with the separators people type (main/agent/number-rules.ts). */
const notDialable = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => /[^0-9*#+\s().-]/.test(s.trim()) || s.trim() === '');
/** Not DTMF: something outside 0-9 * # A-D. */
const notDtmf = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => /[^0-9*#A-Da-d]/.test(s));
const hostileText = fc.constantFrom('javascript:alert(1)', '<img src=x onerror=alert(1)>', '${alert(1)}', "{{constructor.constructor('alert(1)')()}}", '\u202Eevil', '\u0000', '12\u200B34');

/** Wrong values of the right or wrong type for a field kind (none of them valid). */
function invalidFor(kind: Kind): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'id':
    case 'campaign':
    case 'text':
      return fc.oneof(notString, blank, oversize(200));
    case 'optText':
      return fc.oneof(notString, oversize(200));
    case 'flags':
      return fc.oneof(
        notRecord,
        fc.constantFrom('incomingCall', 'callEstablished', 'connection').chain((k) => notBool.map((v) => ({ [k]: v }))),
        fc.constant({ incomingCall: true, sound: true }),
        fc.constant(JSON.parse('{"__proto__":{"polluted":true}}') as unknown),
      );
    case 'reason':
      return fc.oneof(notString, blank, oversize(100));
    case 'password':
      return fc.oneof(notString, fc.constant(''), oversize(500));
    case 'note':
      return fc.oneof(notString, oversize(2_000));
    case 'phone':
      return fc.oneof(notString, blank, notDialable, hostileText, fc.integer({ min: 41, max: 2_000 }).map((n) => '1'.repeat(n)), fc.constantFrom('++1', '1+2', '(12) 34', '-1', '１２３'));
    case 'digits':
      return fc.oneof(notString, fc.constant(''), notDtmf, hostileText, fc.integer({ min: 33, max: 500 }).map((n) => '5'.repeat(n)));
    case 'handle':
      return fc.oneof(
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.nat(), { maxLength: 2 }),
        fc.dictionary(fc.string({ maxLength: 3 }), fc.nat(), { maxKeys: 2 }),
        fc.integer({ max: -1 }),
        fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }),
        fc.constantFrom(Number.NaN, Infinity, -Infinity),
        withNonDigit,
        fc.constantFrom('', '1234567890123', '-1', '1e3', '0x10'),
      );
    case 'url':
      return fc.oneof(notString, blank, hostileText, fc.constantFrom('javascript:alert(1)', 'file:///etc/passwd', 'ftp://gws.example.com', 'data:text/html,<script>', 'gws.example.com', 'http//x', '//evil.example'));
    case 'scope':
      return fc.oneof(notString, fc.constantFrom('allchain', 'Record', '', 'AllChain ', '__proto__'));
    case 'callbackType':
      return fc.oneof(notString, fc.constantFrom('personal', 'Both', '', 'constructor'));
    case 'epoch':
      return fc.oneof(notNumber, fc.integer({ max: 0 }), fc.double({ noInteger: true, min: 1, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(Number.NaN, Infinity));
    case 'bool':
      return notBool;
    case 'callResult':
      return fc.oneof(notString, fc.constantFrom('', 'Answer1', 'No Answer', 'x'.repeat(41), '<b>', '__proto__'), hostileText);
    case 'userData':
      return fc.oneof(
        notRecord,
        fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.oneof(fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 1 }), oversize(10_000)), { minKeys: 1, maxKeys: 3 }),
        oversize(200).map((key) => ({ [key]: 'v' })),
      );
    case 'otherFields':
      return fc.oneof(
        notRecord,
        fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 1 }), oversize(10_000)), { minKeys: 1, maxKeys: 3 }),
        oversize(100).map((key) => ({ [key]: 'v' })),
      );
  }
}

interface Variant {
  label: string;
  args: unknown;
  /** The field the error must name ('(payload)' for the payload as a whole). */
  field: string;
  /** For an extra key: the key the message must name. */
  key?: string;
}

function validArgs(spec: Record<string, Field>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, v.valid]));
}

/** JSON.parse makes `__proto__` an own key, as a payload off the wire would have it. */
const withOwnKey = (base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> =>
  JSON.parse(JSON.stringify({ ...base, [key === '__proto__' ? '@@proto@@' : key]: value }).replace('"@@proto@@"', '"__proto__"')) as Record<string, unknown>;

function variants(name: CommandName): fc.Arbitrary<Variant> {
  const spec = SPEC[name] ?? {};
  const fields = Object.keys(spec);
  const base = validArgs(spec);
  const options: fc.Arbitrary<Variant>[] = [
    fc.oneof(fc.constantFrom(null, undefined, 0, 42, -1, 'args', '', true, false, [], [base]), fc.string({ maxLength: 20 }), fc.integer(), fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 })).map((args) => ({ label: 'non-object', args, field: '(payload)' })),
    fc.tuple(fc.oneof(fc.constantFrom(...POLLUTION_KEYS, 'toString', 'extra', 'callId ', 'CallId', 'x'.repeat(60)), fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !fields.includes(k))), fc.anything({ maxDepth: 1 })).map(([key, value]) => ({
      label: 'extra field',
      args: withOwnKey(base, key, value === undefined ? 1 : value),
      field: POLLUTION_KEYS.includes(key) ? key : '(payload)',
      key,
    })),
  ];
  for (const field of fields) {
    const { kind, required } = spec[field]!;
    options.push(invalidFor(kind).map((value) => ({ label: `invalid ${field}`, args: { ...base, [field]: value }, field })));
    if (required) {
      options.push(fc.constant({ label: `missing ${field}`, args: Object.fromEntries(Object.entries(base).filter(([k]) => k !== field)), field }));
      options.push(fc.constant({ label: `undefined ${field}`, args: { ...base, [field]: undefined }, field }));
    }
    if (kind === 'userData' || kind === 'otherFields' || kind === 'flags') {
      options.push(
        fc.tuple(fc.constantFrom(...POLLUTION_KEYS), fc.oneof(fc.constant('x'), fc.constant({ polluted: 'yes' }), fc.constant({ toString: 'x' }))).map(([key, value]) => ({
          label: `${field} with key ${key}`,
          args: { ...base, [field]: withOwnKey({ ok: 'v' }, key, value) },
          field: `${field}.${key}`,
        })),
      );
    }
  }
  return fc.oneof(...options);
}

let handlerCalls = 0;
const handlers = Object.fromEntries(
  commandNames.map((name) => [
    name,
    () => {
      handlerCalls += 1;
      throw new Error(`handler ${name} ran`);
    },
  ]),
) as unknown as Handlers;
const router = createRouter(handlers, () => ({ code: 'INTERNAL', message: 'handler ran' }));

let refused = 0;
const RUNS_PER_COMMAND = Math.ceil(10_500 / commandNames.length);

function expectRefusal(envelope: Envelope<unknown>, variant: Variant): void {
  const context = `${variant.label}: ${JSON.stringify(variant.args)?.slice(0, 200)} → ${JSON.stringify(envelope).slice(0, 400)}`;
  if (envelope.ok) throw new Error(`accepted ${context}`);
  if (envelope.error.code !== 'VALIDATION') throw new Error(`code ${envelope.error.code}: ${context}`);
  const issues = envelope.error.issues ?? [];
  const names = (i: { path: string; message: string }, name: string): boolean => i.path === name || i.path.startsWith(`${name}.`);
  const named = issues.some((i) => names(i, variant.field) || (variant.key !== undefined && (i.message.includes(variant.key) || names(i, variant.key))));
  if (!named) throw new Error(`the error does not name ${variant.field}: ${context}`);
}

describe('fuzz: invalid IPC payloads → router', () => {
  afterAll(() => {
    expect(handlerCalls).toBe(0);
    expect(refused).toBeGreaterThanOrEqual(10_000);
    expect(Object.prototype).not.toHaveProperty('polluted');
    console.info(`[fuzz-ipc-router] ${refused} invalid payloads refused over ${commandNames.length} commands`);
  });

  it('the spec knows the contract\'s commands, and its valid values pass', async () => {
    if (unspecified.length > 0) console.warn(`[fuzz-ipc-router] not in SPEC (fuzzed with non-objects and extra keys only): ${unspecified.join(', ')}`);
    expect(Object.keys(SPEC).filter((name) => !Object.hasOwn(commands, name))).toEqual([]);
    for (const name of commandNames) {
      const spec = SPEC[name];
      if (!spec) continue;
      const parsed = commands[name].args.safeParse(validArgs(spec));
      expect(parsed.success, name).toBe(true);
    }
    const unknown = await router.invoke('__proto__', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'command' }] } });
  });

  it.each(commandNames.map((name) => ({ name })))(`$name: ${RUNS_PER_COMMAND} invalid payloads, each refused with VALIDATION naming the field`, async ({ name }) => {
    await fc.assert(
      fc.asyncProperty(variants(name), async (variant) => {
        expectRefusal(await router.invoke(name, variant.args), variant);
        refused += 1;
      }),
      { numRuns: RUNS_PER_COMMAND },
    );
  });

  it('unknown command names of any type are refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 30 }).filter((s) => !Object.hasOwn(commands, s)), fc.anything({ maxDepth: 1 })), fc.anything({ maxDepth: 1 }), async (command, args) => {
        const envelope = await router.invoke(command, args);
        expect(envelope).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'command' }] } });
      }),
      { numRuns: 300 },
    );
  });
});
