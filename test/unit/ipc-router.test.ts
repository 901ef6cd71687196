import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { validPhoneNumber } from '../../main/agent/guards';
import { createRouter, type Handlers } from '../../main/ipc/router';
import { toContractError } from '../../main/app/core';
import { commandNames } from '../../preload/channels';
import { commands } from '../../preload/contract';
import { GwsError } from '../../main/gws/errors';

function fakeHandlers(): Handlers {
  return Object.fromEntries(commandNames.map((name) => [name, vi.fn(async () => undefined)])) as unknown as Handlers;
}

describe('the contract router', () => {
  it('names every command in both the name list and the schema table', () => {
    expect(Object.keys(commands).sort()).toEqual([...commandNames].sort());
  });

  it('runs a valid command and returns its value in an ok envelope', async () => {
    const handlers = fakeHandlers();
    const router = createRouter(handlers, toContractError);
    const result = await router.invoke('dial', { phoneNumber: '+44' });
    expect(result).toEqual({ ok: true, value: undefined });
    expect(handlers.dial).toHaveBeenCalledWith({ phoneNumber: '+44' });
  });

  it('hands the handler what the schema made of the payload: trimmed ids, names and numbers', async () => {
    const handlers = fakeHandlers();
    const router = createRouter(handlers, toContractError);
    expect((await router.invoke('dial', { phoneNumber: '  +44 20 7946 0958\t' })).ok).toBe(true);
    expect(handlers.dial).toHaveBeenCalledWith({ phoneNumber: '+442079460958' });
    expect((await router.invoke('hold', { callId: '  c1  ' })).ok).toBe(true);
    expect(handlers.hold).toHaveBeenCalledWith({ callId: 'c1' });
    expect((await router.invoke('getPreviewRecord', { campaignName: ' Renewals_Push ' })).ok).toBe(true);
    expect(handlers.getPreviewRecord).toHaveBeenCalledWith({ campaignName: 'Renewals_Push' });
    // Only whitespace is not a value.
    expect((await router.invoke('hold', { callId: '   ' })).ok).toBe(false);
  });

  it('refuses an unknown command without running anything', async () => {
    const handlers = fakeHandlers();
    const router = createRouter(handlers, toContractError);
    for (const name of ['__proto__', 'constructor', 'toString', 'nope', 42, null]) {
      const result = await router.invoke(name, {});
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('VALIDATION');
    }
    for (const fn of Object.values(handlers)) expect(fn).not.toHaveBeenCalled();
  });

  it('refuses an invalid payload with an error naming each offending field', async () => {
    const handlers = fakeHandlers();
    const router = createRouter(handlers, toContractError);
    const result = await router.invoke('rescheduleRecord', { recordHandle: 'abc', callbackType: 'Tomorrow', at: -1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.issues?.map((i) => i.path).sort()).toEqual(['at', 'callbackType', 'recordHandle']);
    expect(handlers.rescheduleRecord).not.toHaveBeenCalled();
  });

  it('refuses extra fields and a dial string that is not a phone number', async () => {
    const router = createRouter(fakeHandlers(), toContractError);
    const extra = await router.invoke('hangup', { callId: 'c1', evil: true });
    expect(extra.ok).toBe(false);
    const bad = await router.invoke('dial', { phoneNumber: 'javascript:alert(1)' });
    expect(bad.ok === false && bad.error.issues?.[0]?.path).toBe('phoneNumber');
  });

  it('holds numbers and DTMF to the session\'s own rule (one definition): a pasted number is dialled without its separators', async () => {
    const handlers = fakeHandlers();
    const router = createRouter(handlers, toContractError);
    expect((await router.invoke('dial', { phoneNumber: ' +1 (404) 555-0201 ' })).ok).toBe(true);
    expect(handlers.dial).toHaveBeenCalledWith({ phoneNumber: '+14045550201' });
    expect((await router.invoke('sendDtmf', { callId: 'c1', digits: '12A#' })).ok).toBe(true);
    expect((await router.invoke('sendDtmf', { callId: 'c1', digits: '12E' })).ok).toBe(false);
  });

  it('property: the contract accepts a dial string exactly when the session would dial it, and passes what the session would send', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[ +0-9*#().A-Za-z-]{0,30}$/), async (typed) => {
        let session: string | undefined;
        try {
          session = validPhoneNumber(typed, 'Dial');
        } catch {
          session = undefined;
        }
        const handlers = fakeHandlers();
        const result = await createRouter(handlers, toContractError).invoke('dial', { phoneNumber: typed });
        expect(result.ok).toBe(session !== undefined);
        if (session !== undefined) expect(handlers.dial).toHaveBeenCalledWith({ phoneNumber: session });
      }),
    );
  });

  it('turns a handler failure into an error envelope with the code the UI acts on', async () => {
    const handlers = fakeHandlers();
    handlers.hold = vi.fn(async () => {
      throw new GwsError('NOT_ALLOWED_IN_STATE', 'Hold is not allowed while the call is Dialing.');
    });
    handlers.answer = vi.fn(async () => {
      throw new TypeError('boom');
    });
    const router = createRouter(handlers, toContractError);
    expect(await router.invoke('hold', { callId: 'c1' })).toEqual({
      ok: false,
      error: { code: 'NOT_ALLOWED_IN_STATE', message: 'Hold is not allowed while the call is Dialing.' },
    });
    const internal = await router.invoke('answer', { callId: 'c1' });
    expect(internal.ok === false && internal.error.code).toBe('INTERNAL');
  });

  it('never throws and never runs a handler for random payloads that do not fit (property)', async () => {
    const handlers = fakeHandlers();
    const router = createRouter(handlers, toContractError);
    const mustHaveArgs = commandNames.filter((n) => !commands[n].args.safeParse({}).success);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...mustHaveArgs), fc.anything(), async (name, payload) => {
        const parsed = commands[name].args.safeParse(payload);
        const result = await router.invoke(name, payload);
        if (parsed.success) return result.ok === true;
        return result.ok === false && result.error.code === 'VALIDATION' && (result.error.issues?.length ?? 0) > 0;
      }),
      { numRuns: 2_000 },
    );
  });
});
