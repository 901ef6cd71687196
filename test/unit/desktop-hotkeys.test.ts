/**
 * Global hotkeys and the actionable preview toast (issue 13): the accelerator grammar, the
 * registry that reports refused keys, the pure decisions (hotkey-rules.ts), the preview toast
 * itself, and the controller carrying them out through the session's own operations.
 */
import { createTranslator } from '../../preload/i18n';
import { acceleratorProblemText } from '../../preload/i18n/accelerator-text';
import { describe, expect, it, vi } from 'vitest';
import type { AgentSession } from '../../main/agent/session';
import type { AgentSnapshot, OutboundRecordSnapshot } from '../../main/agent/snapshot';
import { GwsError } from '../../main/gws/errors';
import { silentLogger } from '../../main/gws/logger';
import { acceleratorLabel, checkAccelerator } from '../../preload/accelerator-rules';
import type { DesktopControllerDeps, NotifierPort } from '../../main/desktop/controller';
import { DesktopController } from '../../main/desktop/controller';
import { hotkeyDecision, recordToastDecision } from '../../main/desktop/hotkey-rules';
import type { ShortcutPort } from '../../main/desktop/hotkeys';
import { DEFAULT_HOTKEYS, HotkeyRegistry } from '../../main/desktop/hotkeys';
import type { DesktopNotification, NotificationActionId } from '../../main/desktop/notification-rules';
import { DEFAULT_NOTIFICATION_TOGGLES, notificationsFor, wantedNow } from '../../main/desktop/notification-rules';
import { parsePolicy, resolveSettings } from '../../main/desktop/policy';
import { commands } from '../../preload/contract';
import { acceleratorOf, hotkeyLabel } from '../../renderer/lib/hotkeys';
import { T0, call, inOutage, signedIn, withCalls, withConnection, withRecord } from './desktop-fixtures';

const ready = signedIn('Ready');
const at = { now: T0 + 1_000, locale: 'en-GB' };

/** A record for a customer in New York, as a calling list with a name field sends it. */
function customerRecord(handle: number): OutboundRecordSnapshot {
  return { recordHandle: handle, phoneNumber: '+12125550100', campaignName: 'Renewals_Push', timeZone: 'America/New_York', otherFields: { customer_name: 'Grace Hopper' }, userData: {}, wire: {} };
}

function offered(snapshot: AgentSnapshot, record: OutboundRecordSnapshot, since = T0 + 5): AgentSnapshot {
  return { ...snapshot, previewRecord: { phase: 'offered', since, campaignName: 'Renewals_Push', record, chainedRecords: [] } };
}

/** 15:00 UTC on a summer day: 11:00 in New York (inside 08:00–21:00). */
const NY_MORNING = Date.UTC(2024, 6, 1, 15, 0);
/** 03:00 UTC: 23:00 the evening before in New York (outside). */
const NY_NIGHT = Date.UTC(2024, 6, 2, 3, 0);

describe('accelerators', () => {
  it.each([
    ['ctrl+alt+d', 'Control+Alt+D'],
    ['Alt+Ctrl+d', 'Control+Alt+D'],
    ['CmdOrCtrl+Shift+f9', 'CommandOrControl+Shift+F9'],
    ['F13', 'F13'],
    ['super+num5', 'Super+num5'],
    ['Control+Alt+PageDown', 'Control+Alt+PageDown'],
    ['  ', ''],
  ])('writes %s as %s', (text, canonical) => {
    expect(checkAccelerator(text)).toEqual({ ok: true, accelerator: canonical });
  });

  it.each([
    ['D', /stop you typing/],
    ['Shift+D', /Shift only/],
    ['Control+Alt', /no key/],
    ['Control+D+E', /two keys/],
    ['Control+Control+D', /twice/],
    ['Control+Ä', /not a key/],
    ['Control++', /not a key combination/],
  ])('refuses %s, saying why', (text, problem) => {
    const checked = checkAccelerator(text);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problem).toMatch(problem);
  });

  it("Settings' key recorder writes what main accepts, by physical key", () => {
    const press = (code: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>> = {}) => ({ code, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods });
    const cases: [ReturnType<typeof press>, boolean, string | null][] = [
      [press('KeyD', { ctrlKey: true, altKey: true }), false, 'CommandOrControl+Alt+D'],
      [press('KeyD', { metaKey: true, altKey: true }), true, 'CommandOrControl+Alt+D'],
      [press('KeyD', { ctrlKey: true, metaKey: true }), true, 'CommandOrControl+Control+D'],
      [press('F13'), false, 'F13'],
      [press('Numpad5', { ctrlKey: true, shiftKey: true }), false, 'CommandOrControl+Shift+num5'],
      [press('ArrowUp', { altKey: true, metaKey: true }), false, 'Alt+Super+Up'],
      [press('ControlLeft', { ctrlKey: true }), false, null],
      [press('Semicolon', { ctrlKey: true }), false, null],
    ];
    for (const [p, mac, expected] of cases) {
      expect(acceleratorOf(p, mac)).toBe(expected);
      if (expected) expect(checkAccelerator(expected)).toEqual({ ok: true, accelerator: expected });
    }
    expect(hotkeyLabel('CommandOrControl+Alt+D', true)).toBe('Cmd+Option+D');
    expect(hotkeyLabel('CommandOrControl+Alt+D', false)).toBe(acceleratorLabel('CommandOrControl+Alt+D', 'win32'));
  });

  it('reads as the OS writes it', () => {
    expect(acceleratorLabel('CommandOrControl+Alt+D', 'darwin')).toBe('Cmd+Option+D');
    expect(acceleratorLabel('CommandOrControl+Alt+D', 'win32')).toBe('Ctrl+Alt+D');
  });

  it('is checked by the contract and by the policy schema alike', () => {
    expect(commands.updateSettings.args.safeParse({ hotkeys: { dialRecord: 'Control+Alt+D' } }).success).toBe(true);
    expect(commands.updateSettings.args.safeParse({ hotkeys: { dialRecord: 'D' } }).success).toBe(false);
    expect(commands.updateSettings.args.safeParse({ hotkeys: { redial: 'Control+Alt+D' } }).success).toBe(false);
    expect(parsePolicy('{"hotkeys":{"dialRecord":"Control+Alt+D"},"defaults":{"hotkeys":{"showWindow":"F13"}}}', 'p').state).toBe('applied');
    const bad = parsePolicy('{"hotkeys":{"dialRecord":"Shift+D"}}', 'p');
    expect(bad).toMatchObject({ state: 'invalid', problem: expect.stringContaining('hotkeys.dialRecord: must be a key combination') });
  });
});

describe('hotkeys in the policy', () => {
  it('IT sets and locks a key (also "" for none); defaults only fill what the agent left; all in canonical spelling', () => {
    const resolved = resolveSettings(
      { hotkeys: { dialRecord: 'Control+Alt+X', rejectRecord: 'Control+Alt+J', answerOrHangUp: 'Control+Alt+A' } },
      { hotkeys: { dialRecord: 'ctrl+alt+d', holdRetrieve: '' }, defaults: { hotkeys: { showWindow: 'F13', answerOrHangUp: 'F14' } } },
    );
    expect(resolved.values.hotkeys).toEqual({ ...DEFAULT_HOTKEYS, dialRecord: 'Control+Alt+D', rejectRecord: 'Control+Alt+J', answerOrHangUp: 'Control+Alt+A', holdRetrieve: '', showWindow: 'F13' });
    expect(resolved.locked.sort()).toEqual(['hotkeys.dialRecord', 'hotkeys.holdRetrieve']);
  });

  it('the preview toast buttons can be locked off', () => {
    const resolved = resolveSettings({ notifications: { previewRecordActions: true } }, { notifications: { previewRecordActions: false } });
    expect(resolved.values.notifications.previewRecordActions).toBe(false);
    expect(resolved.locked).toEqual(['notifications.previewRecordActions']);
  });
});

describe('HotkeyRegistry', () => {
  function fakePort(takenByOthers: string[] = []) {
    const held = new Map<string, () => void>();
    const port: ShortcutPort = {
      register: vi.fn((accelerator: string, callback: () => void) => {
        if (takenByOthers.includes(accelerator) || held.has(accelerator)) return false;
        held.set(accelerator, callback);
        return true;
      }),
      unregister: vi.fn((accelerator: string) => void held.delete(accelerator)),
    };
    return { port, held, press: (accelerator: string) => held.get(accelerator)?.() };
  }

  it('binds each key, and a press names its action', () => {
    const { port, press } = fakePort();
    const registry = new HotkeyRegistry(port, 'win32');
    const pressed: string[] = [];
    expect(registry.apply({ ...DEFAULT_HOTKEYS, dialRecord: 'Control+Alt+D', showWindow: 'F13' }, (a) => pressed.push(a))).toEqual([]);
    press('Control+Alt+D');
    press('F13');
    expect(pressed).toEqual(['dialRecord', 'showWindow']);
    expect(registry.active()).toEqual(['Control+Alt+D', 'F13']);
  });

  it('reports, never drops, a key the OS refuses, a key given twice and a key that is not one', () => {
    const { port } = fakePort(['Control+Alt+D']);
    const registry = new HotkeyRegistry(port, 'win32');
    const problems = registry.apply(
      { ...DEFAULT_HOTKEYS, dialRecord: 'Control+Alt+D', rejectRecord: 'Control+Alt+J', holdRetrieve: 'ctrl+alt+j', showWindow: 'Q' },
      () => {},
    );
    expect(problems).toEqual([
      { action: 'dialRecord', accelerator: 'Control+Alt+D', reason: 'taken', message: 'Ctrl+Alt+D is taken by the operating system or another app: choose another key.' },
      { action: 'holdRetrieve', accelerator: 'Control+Alt+J', reason: 'duplicate', message: 'Ctrl+Alt+J is already set for “Reject the preview record”.' },
      { action: 'showWindow', accelerator: 'Q', reason: 'invalid', message: expect.stringContaining('would stop you typing') },
    ]);
    expect(registry.problems()).toBe(problems);
    expect(registry.active()).toEqual(['Control+Alt+J']);
  });

  it('says what is wrong in the agent’s language', () => {
    const { port } = fakePort(['Control+Alt+D']);
    const problems = new HotkeyRegistry(port, 'win32').apply(
      { ...DEFAULT_HOTKEYS, dialRecord: 'Control+Alt+D', rejectRecord: 'Control+Alt+J', holdRetrieve: 'ctrl+alt+j', answerOrHangUp: 'Control+Shift+H' },
      () => {},
      createTranslator('es'),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'Ctrl+Shift+H es la tecla de la ventana para En espera / Recuperar: elige otra.',
      'Ctrl+Alt+D la usa el sistema operativo u otra aplicación: elige otra.',
      'Ctrl+Alt+J ya está asignada a «Rechazar el registro».',
    ]);
  });

  it("refuses the window's own keys: they would bypass the window's rules (Ctrl+D in Manual dial)", () => {
    const { port } = fakePort();
    const registry = new HotkeyRegistry(port, 'darwin');
    const problems = registry.apply({ ...DEFAULT_HOTKEYS, dialRecord: 'CommandOrControl+D', holdRetrieve: 'Control+Shift+H', readyNotReady: 'CommandOrControl+Alt+R', showWindow: 'CommandOrControl+Shift+D' }, () => {});
    expect(problems).toEqual([
      { action: 'dialRecord', accelerator: 'CommandOrControl+D', reason: 'duplicate', message: "Cmd+D is the window's own key for Dial: choose another key." },
      { action: 'holdRetrieve', accelerator: 'Control+Shift+H', reason: 'duplicate', message: "Ctrl+Shift+H is the window's own key for Hold / Retrieve: choose another key." },
    ]);
    expect(registry.active()).toEqual(['CommandOrControl+Alt+R', 'CommandOrControl+Shift+D']);
  });

  it('reports an accelerator Electron throws on', () => {
    const port: ShortcutPort = {
      register: () => {
        throw new Error('conversion failed');
      },
      unregister: () => {},
    };
    expect(new HotkeyRegistry(port, 'linux').apply({ ...DEFAULT_HOTKEYS, showWindow: 'F13' }, () => {})).toMatchObject([{ reason: 'invalid', message: expect.stringContaining('conversion failed') }]);
  });

  it('releases only its own keys before binding new ones, and on release', () => {
    const { port, held } = fakePort();
    const registry = new HotkeyRegistry(port, 'linux');
    registry.apply({ ...DEFAULT_HOTKEYS, dialRecord: 'Control+Alt+D' }, () => {});
    registry.apply({ ...DEFAULT_HOTKEYS, dialRecord: 'Control+Alt+E' }, () => {});
    expect([...held.keys()]).toEqual(['Control+Alt+E']);
    registry.release();
    expect(held.size).toBe(0);
    expect(port.unregister).toHaveBeenCalledTimes(2);
  });
});

describe('hotkeyDecision', () => {
  const ringing = call('c1', 'Ringing', { capabilities: ['Answer', 'Hangup'] });
  const talking = call('c2', 'Established', { capabilities: ['Hangup', 'Hold'], startedAt: T0 + 1 });
  const held = call('c3', 'Held', { capabilities: ['Retrieve', 'Hangup'], startedAt: T0 + 2 });

  it('refuses every server action while offline, saying so; Show still works', () => {
    const down = inOutage(withRecord(withCalls(ready, ringing), 42), 'reconnecting', T0 + 100);
    for (const action of ['answerOrHangUp', 'dialRecord', 'rejectRecord', 'readyNotReady', 'holdRetrieve'] as const) {
      expect(hotkeyDecision(action, down, at)).toEqual({ kind: 'refuse', what: expect.any(String), reason: 'The softphone is offline (reconnecting to the server): nothing was sent.' });
    }
    expect(hotkeyDecision('dialRecord', inOutage(withRecord(ready, 42), 'resyncing', T0), at)).toMatchObject({ kind: 'refuse', reason: expect.stringContaining('checking your calls') });
    expect(hotkeyDecision('readyNotReady', withConnection(ready, 'signed-out', T0), at)).toMatchObject({ kind: 'refuse', reason: 'You are not signed in.' });
    expect(hotkeyDecision('showWindow', down, at)).toEqual({ kind: 'run', command: { op: 'show' } });
  });

  it('answers a ringing call first, else hangs up the call being talked on', () => {
    expect(hotkeyDecision('answerOrHangUp', withCalls(ready, held, talking, ringing), at)).toEqual({ kind: 'run', command: { op: 'answer', callId: 'c1' } });
    expect(hotkeyDecision('answerOrHangUp', withCalls(ready, held, talking), at)).toEqual({ kind: 'run', command: { op: 'hangup', callId: 'c2' } });
    expect(hotkeyDecision('answerOrHangUp', withCalls(ready, held), at)).toEqual({ kind: 'run', command: { op: 'hangup', callId: 'c3' } });
    expect(hotkeyDecision('answerOrHangUp', ready, at)).toEqual({ kind: 'refuse', what: 'answer or hang up', reason: 'There is no call to answer or hang up.' });
    // Capabilities rule, as on the buttons.
    expect(hotkeyDecision('answerOrHangUp', withCalls(ready, call('c9', 'Ringing', { capabilities: [] })), at)).toMatchObject({ kind: 'refuse', reason: 'The call allows neither Answer nor Hang up now.' });
  });

  it('holds the call being talked on, else retrieves the held one', () => {
    expect(hotkeyDecision('holdRetrieve', withCalls(ready, held, talking), at)).toEqual({ kind: 'run', command: { op: 'hold', callId: 'c2' } });
    expect(hotkeyDecision('holdRetrieve', withCalls(ready, held), at)).toEqual({ kind: 'run', command: { op: 'retrieve', callId: 'c3' } });
    expect(hotkeyDecision('holdRetrieve', withCalls(ready, ringing), at)).toMatchObject({ kind: 'refuse', reason: 'The call can be neither held nor retrieved now.' });
  });

  it('toggles Ready and Not Ready; After Call Work and a Not Ready reason go Ready', () => {
    expect(hotkeyDecision('readyNotReady', ready, at)).toEqual({ kind: 'run', command: { op: 'notReady' } });
    expect(hotkeyDecision('readyNotReady', signedIn('NotReady', { operationName: 'OutToLunch' }), at)).toEqual({ kind: 'run', command: { op: 'ready' } });
    expect(hotkeyDecision('readyNotReady', signedIn('NotReady', { workMode: 'AfterCallWork' }), at)).toEqual({ kind: 'run', command: { op: 'ready' } });
  });

  it('dials and rejects the record in hand by its handle, and refuses when there is none or it is already being dialled', () => {
    expect(hotkeyDecision('dialRecord', withRecord(ready, 42), at)).toEqual({ kind: 'run', command: { op: 'dialPreviewRecord', record: { recordHandle: 42 } } });
    expect(hotkeyDecision('rejectRecord', withRecord(ready, 42), at)).toEqual({ kind: 'run', command: { op: 'rejectRecord', record: { recordHandle: 42 } } });
    expect(hotkeyDecision('dialRecord', ready, at)).toEqual({ kind: 'refuse', what: 'dial the preview record', reason: 'There is no preview record in hand.' });
    expect(hotkeyDecision('dialRecord', withRecord(ready, 42, 'dialing'), at)).toMatchObject({ kind: 'refuse', reason: 'The record is already being dialled.' });
    const pending = { ...withRecord(ready, 42), pendingOperations: { r1: { referenceId: 'r1', operationName: 'Dial', target: 'record' as const, status: 'sending' as const, startedAt: T0, recordHandle: '42' } } };
    expect(hotkeyDecision('dialRecord', pending, at)).toMatchObject({ kind: 'refuse', reason: 'The record is already being dialled.' });
    expect(hotkeyDecision('rejectRecord', withRecord(ready, 42, 'wrap-up'), at)).toMatchObject({ kind: 'refuse', reason: 'The preview record is not waiting to be dialled.' });
  });

  it('never dials outside the calling hours: asks for the window, or says IT blocks it', () => {
    const record = offered(ready, customerRecord(7));
    expect(hotkeyDecision('dialRecord', record, { now: NY_MORNING })).toMatchObject({ kind: 'run' });
    expect(hotkeyDecision('dialRecord', record, { now: NY_NIGHT, locale: 'en-GB' })).toEqual({
      kind: 'refuse',
      what: 'dial the preview record',
      reason: 'It is Mon 23:00 for the customer, outside the calling hours (08:00–21:00): open the window to dial anyway or reschedule.',
    });
    const blocked = { ...record, workRules: { afterCallWork: true, afterComplete: 'previous' as const, callingHours: { start: '08:00', end: '21:00', outside: 'block' as const } } };
    expect(hotkeyDecision('dialRecord', blocked, { now: NY_NIGHT })).toMatchObject({ kind: 'refuse', reason: expect.stringContaining('your IT policy blocks the dial') });
    const off = { ...blocked, workRules: { ...blocked.workRules, callingHours: { ...blocked.workRules.callingHours, outside: 'off' as const } } };
    expect(hotkeyDecision('dialRecord', off, { now: NY_NIGHT })).toMatchObject({ kind: 'run' });
    // Rejecting is allowed at any hour.
    expect(hotkeyDecision('rejectRecord', record, { now: NY_NIGHT })).toMatchObject({ kind: 'run' });
  });
});

describe('recordToastDecision', () => {
  it('acts on the record the toast showed', () => {
    expect(recordToastDecision('dial', { recordHandle: 42 }, withRecord(ready, 42), at)).toEqual({ kind: 'run', command: { op: 'dialPreviewRecord', record: { recordHandle: 42 } } });
    // A handle that came back as a string is the same record.
    expect(recordToastDecision('reject', { recordHandle: '42' }, withRecord(ready, 42), at)).toEqual({ kind: 'run', command: { op: 'rejectRecord', record: { recordHandle: 42 } } });
  });

  it('refuses an action after the record has gone, or was replaced by another one', () => {
    const gone = { kind: 'refuse', what: 'dial the record', reason: 'That record is no longer in hand (it was dialled, rejected or taken back meanwhile).' };
    expect(recordToastDecision('dial', { recordHandle: 42 }, ready, at)).toEqual(gone);
    expect(recordToastDecision('dial', { recordHandle: 42 }, withRecord(ready, 43), at)).toEqual(gone);
    expect(recordToastDecision('reject', { recordHandle: 42 }, withRecord(ready, 42, 'done'), at)).toMatchObject({ kind: 'refuse', what: 'reject the record' });
    expect(recordToastDecision('dial', { recordHandle: 42 }, withRecord(ready, 42, 'dialing'), at)).toMatchObject({ kind: 'refuse', reason: 'The record is already being dialled.' });
  });

  it('refuses while offline', () => {
    expect(recordToastDecision('dial', { recordHandle: 42 }, inOutage(withRecord(ready, 42), 'reconnecting', T0), at)).toMatchObject({ kind: 'refuse', reason: expect.stringContaining('offline') });
  });
});

describe('the preview toast', () => {
  it("shows the customer's name, number, local time and campaign, with Dial and Reject", () => {
    const [n] = notificationsFor(ready, offered(ready, customerRecord(7), NY_MORNING), DEFAULT_NOTIFICATION_TOGGLES, 'en-GB');
    expect(n).toEqual({
      key: 'record:7',
      kind: 'preview-record',
      title: 'Preview record: Grace Hopper',
      body: 'Grace Hopper · +12125550100\nLocal time Mon 11:00\nCampaign Renewals_Push',
      recordHandle: 7,
      actions: ['dial', 'reject'],
      urgency: 'normal',
    });
  });

  it('has no buttons when they are switched off, and no toast at all when the preview toggle is', () => {
    const next = offered(ready, customerRecord(7));
    expect(notificationsFor(ready, next, { ...DEFAULT_NOTIFICATION_TOGGLES, previewRecordActions: false })).toMatchObject([{ actions: [] }]);
    expect(notificationsFor(ready, next, { ...DEFAULT_NOTIFICATION_TOGGLES, previewRecord: false })).toEqual([]);
  });

  it('is wanted only while the window is not in front', () => {
    const [n] = notificationsFor(ready, offered(ready, customerRecord(7)), DEFAULT_NOTIFICATION_TOGGLES) as [DesktopNotification];
    expect(wantedNow(n, true)).toBe(false);
    expect(wantedNow(n, false)).toBe(true);
    const [ring] = notificationsFor(ready, withCalls(ready, call('c1', 'Ringing')), DEFAULT_NOTIFICATION_TOGGLES) as [DesktopNotification];
    expect(wantedNow(ring, true)).toBe(true);
  });
});

describe('DesktopController: toasts and hotkeys through the session', () => {
  function harness(options: { inFront?: boolean } = {}) {
    let snapshot: AgentSnapshot = ready;
    let listener: (s: AgentSnapshot, changes: (keyof AgentSnapshot)[]) => void = () => {};
    const ok = () => Promise.resolve({ referenceId: 'r', outcome: Promise.resolve('confirmed' as const) });
    const session = {
      get snapshot() {
        return snapshot;
      },
      onDidChange: (l: typeof listener) => ((listener = l), { dispose: () => {} }),
      ready: vi.fn(ok),
      notReady: vi.fn(ok),
      answer: vi.fn(ok),
      hangup: vi.fn(ok),
      hold: vi.fn(ok),
      retrieve: vi.fn(ok),
      getPreviewRecord: vi.fn(ok),
      dialPreviewRecord: vi.fn(ok),
      rejectRecord: vi.fn(ok),
    } satisfies Partial<AgentSession>;
    const shown: { n: DesktopNotification; click(): void; action(id: NotificationActionId): void; closed: boolean }[] = [];
    const notifier: NotifierPort = {
      supported: true,
      show: (n, h) => {
        const entry = { n, ...h, closed: false };
        shown.push(entry);
        return { close: () => void (entry.closed = true) };
      },
    };
    const window = { show: vi.fn(), raise: vi.fn(), isInFront: vi.fn(() => options.inFront ?? false) };
    const deps: DesktopControllerDeps = {
      session: session as unknown as DesktopControllerDeps['session'],
      core: { emit: vi.fn() },
      notifier,
      window,
      settings: () => ({ notifications: DEFAULT_NOTIFICATION_TOGGLES, raiseOnRing: true }),
      requestQuit: vi.fn(),
      installUpdate: vi.fn(),
      exportDiagnostics: vi.fn(),
      log: silentLogger,
      now: () => T0 + 1_000,
    };
    const controller = new DesktopController(deps);
    controller.start();
    const push = (next: AgentSnapshot) => {
      snapshot = next;
      listener(next, []);
    };
    const refusals = () => shown.filter((s) => s.n.kind === 'refused').map((s) => `${s.n.title}: ${s.n.body}`);
    return { controller, push, shown, session, window, refusals };
  }

  it("a toast's Dial dials the record it showed, through the session, and brings the window forward", async () => {
    const h = harness();
    h.push(withRecord(ready, 42));
    const toast = h.shown.find((s) => s.n.kind === 'preview-record')!;
    expect(toast.n.actions).toEqual(['dial', 'reject']);
    toast.action('dial');
    expect(h.session.dialPreviewRecord).toHaveBeenCalledWith({ recordHandle: 42 });
    expect(h.window.show).toHaveBeenCalled();
    await Promise.resolve();
    expect(h.refusals()).toEqual([]);
  });

  it("a toast's Reject rejects that record without raising the window", () => {
    const h = harness();
    h.push(withRecord(ready, 42));
    h.shown[0]!.action('reject');
    expect(h.session.rejectRecord).toHaveBeenCalledWith({ recordHandle: 42 });
    expect(h.window.show).not.toHaveBeenCalled();
  });

  it('refuses a toast action after the record has gone, with a toast saying so, and sends nothing', () => {
    const h = harness();
    h.push(withRecord(ready, 42));
    const toast = h.shown[0]!;
    h.push(withRecord(ready, 43)); // the window's Reject, then the next record pushed
    expect(toast.closed).toBe(true); // taken back as soon as its record left
    toast.action('dial');
    expect(h.session.dialPreviewRecord).not.toHaveBeenCalled();
    expect(h.refusals()).toEqual(['Could not dial the record: That record is no longer in hand (it was dialled, rejected or taken back meanwhile).']);
  });

  it('refuses a toast action while offline', () => {
    const h = harness();
    h.push(withRecord(ready, 42));
    h.push(inOutage(withRecord(ready, 42), 'reconnecting', T0 + 500));
    h.shown.find((s) => s.n.kind === 'preview-record')!.action('reject');
    expect(h.session.rejectRecord).not.toHaveBeenCalled();
    expect(h.refusals()).toEqual(['Could not reject the record: The softphone is offline (reconnecting to the server): nothing was sent.']);
  });

  it('takes the record toast back on dispose (quit)', () => {
    const h = harness();
    h.push(withRecord(ready, 42));
    h.controller.dispose();
    expect(h.shown[0]!.closed).toBe(true);
  });

  it('a click opens the window on the record (Linux shows no buttons)', () => {
    const h = harness();
    h.push(withRecord(ready, 42));
    h.shown[0]!.click();
    expect(h.window.show).toHaveBeenCalled();
    expect(h.session.dialPreviewRecord).not.toHaveBeenCalled();
  });

  it('gives no preview toast while the window is in front', () => {
    const h = harness({ inFront: true });
    h.push(withRecord(ready, 42));
    expect(h.shown).toEqual([]);
  });

  it('a hotkey while offline sends nothing and says why in a toast', () => {
    const h = harness();
    h.push(inOutage(withRecord(withCalls(ready, call('c1', 'Ringing', { capabilities: ['Answer'] })), 42), 'reconnecting', T0 + 500));
    h.controller.handleHotkey('answerOrHangUp');
    h.controller.handleHotkey('dialRecord');
    expect(h.session.answer).not.toHaveBeenCalled();
    expect(h.session.dialPreviewRecord).not.toHaveBeenCalled();
    expect(h.refusals()).toEqual([
      'Could not answer or hang up: The softphone is offline (reconnecting to the server): nothing was sent.',
      'Could not dial the preview record: The softphone is offline (reconnecting to the server): nothing was sent.',
    ]);
  });

  it('hotkeys run the session operation the decision picked; Show shows the window', () => {
    const h = harness();
    h.push(withRecord(withCalls(ready, call('c1', 'Established', { capabilities: ['Hangup', 'Hold'] })), 42));
    h.controller.handleHotkey('answerOrHangUp');
    h.controller.handleHotkey('holdRetrieve');
    h.controller.handleHotkey('readyNotReady');
    h.controller.handleHotkey('rejectRecord');
    h.controller.handleHotkey('showWindow');
    expect(h.session.hangup).toHaveBeenCalledWith('c1');
    expect(h.session.hold).toHaveBeenCalledWith('c1');
    expect(h.session.notReady).toHaveBeenCalledWith();
    expect(h.session.rejectRecord).toHaveBeenCalledWith({ recordHandle: 42 });
    expect(h.window.show).toHaveBeenCalledTimes(1);
  });

  it('says at start, in one toast, which hotkeys are not active', () => {
    const h = harness();
    h.controller.reportHotkeysNotActive([]);
    expect(h.shown).toEqual([]);
    h.controller.reportHotkeysNotActive([{ message: 'Ctrl+F10 is taken by the operating system or another app: choose another key.' }]);
    expect(h.shown.map((s) => `${s.n.title}: ${s.n.body}`)).toEqual([
      'A global hotkey is not active: Ctrl+F10 is taken by the operating system or another app: choose another key. See Settings → Global hotkeys.',
    ]);
  });

  it("the session's own refusal reaches the agent as a toast in words", async () => {
    const h = harness();
    h.push(withRecord(ready, 42));
    h.session.dialPreviewRecord.mockRejectedValueOnce(new GwsError('NOT_ALLOWED_IN_STATE', 'Dial: record 42 is dialing', { operationName: 'Dial' }));
    h.controller.handleHotkey('dialRecord');
    await vi.waitFor(() => expect(h.refusals()).toEqual(['Could not dial the record: The state changed meanwhile. (Dial: record 42 is dialing)']));
  });
});

describe('a refused combination, in the agent’s language', () => {
  const cases: Array<[string, RegExp, RegExp]> = [
    ['Q', /^Q would stop you typing it in other apps: add Ctrl, Alt or Cmd\.$/, /^Q te impediría escribirla en otras aplicaciones/],
    ['Control+Control+D', /^Control\+Control\+D: Control is given twice\.$/, /aparece dos veces/],
    ['Control+D+E', /has two keys \(D and E\)/, /tiene dos teclas \(D y E\)/],
    ['Control+Alt', /has no key, only modifiers/, /solo modificadores/],
    ['Control+Ä', /“Ä” is not a key a hotkey can use/, /«Ä» no es una tecla/],
    ['Control++', /is not a key combination like Ctrl\+Alt\+D/, /no es una combinación de teclas/],
  ];
  for (const [combination, english, spanish] of cases) {
    it(`${combination}: one whole sentence in each language`, () => {
      const checked = checkAccelerator(combination);
      if (checked.ok) throw new Error('expected a refusal');
      expect(acceleratorProblemText(createTranslator('en'), combination, checked)).toMatch(english);
      expect(acceleratorProblemText(createTranslator('es'), combination, checked)).toMatch(spanish);
    });
  }
});
