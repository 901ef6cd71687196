import { describe, expect, it, vi } from 'vitest';
import type { AgentSession } from '../../main/agent/session';
import type { AgentSnapshot } from '../../main/agent/snapshot';
import { silentLogger } from '../../main/gws/logger';
import type { DesktopControllerDeps, NotifierPort } from '../../main/desktop/controller';
import { DesktopController } from '../../main/desktop/controller';
import type { DesktopNotification, NotificationActionId } from '../../main/desktop/notification-rules';
import { DEFAULT_NOTIFICATION_TOGGLES } from '../../main/desktop/notification-rules';
import type { TrayState } from '../../main/desktop/tray-state';
import { T0, call, inOutage, signedIn, withCalls } from './desktop-fixtures';

/** A hand-driven clock with one-shot timers: `advance` fires what falls due, in order. */
function fakeClock(start: number) {
  let now = start;
  const timers: { at: number; fn: () => void; state: 'armed' | 'fired' | 'cancelled' }[] = [];
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const timer = { at: now + ms, fn, state: 'armed' as 'armed' | 'fired' | 'cancelled' };
      timers.push(timer);
      return { cancel: () => void (timer.state === 'armed' && (timer.state = 'cancelled')) };
    },
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.state === 'armed' && t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = due.at;
        due.state = 'fired';
        due.fn();
      }
      now = until;
    },
    /** Timers armed and not yet fired or cancelled. */
    armed: () => timers.filter((t) => t.state === 'armed').map((t) => t.at),
    created: () => timers.length,
  };
}

function harness(settings = { notifications: DEFAULT_NOTIFICATION_TOGGLES, raiseOnRing: true }, clock?: ReturnType<typeof fakeClock>) {
  let snapshot: AgentSnapshot = signedIn('Ready');
  let listener: (s: AgentSnapshot, changes: (keyof AgentSnapshot)[]) => void = () => {};
  const ok = () => Promise.resolve({ referenceId: 'r', outcome: Promise.resolve('confirmed' as const) });
  const session = {
    get snapshot() {
      return snapshot;
    },
    onDidChange: (l: (s: AgentSnapshot, changes: (keyof AgentSnapshot)[]) => void) => ((listener = l), { dispose: () => {} }),
    ready: vi.fn(ok),
    notReady: vi.fn(ok),
    answer: vi.fn(ok),
    hangup: vi.fn(ok),
    getPreviewRecord: vi.fn(ok),
  } satisfies Partial<AgentSession>;
  const shown: { n: DesktopNotification; click(): void; action(id: NotificationActionId): void }[] = [];
  const notifier: NotifierPort = { supported: true, show: (n, h) => void shown.push({ n, ...h }) };
  const trays: TrayState[] = [];
  const emit = vi.fn();
  const window = { show: vi.fn(), raise: vi.fn() };
  const deps: DesktopControllerDeps = {
    session: session as unknown as DesktopControllerDeps['session'],
    core: { emit },
    tray: { render: (s) => void trays.push(s) },
    notifier,
    window,
    settings: () => settings,
    requestQuit: vi.fn(),
    installUpdate: vi.fn(),
    exportDiagnostics: vi.fn(),
    log: silentLogger,
    now: clock?.now ?? (() => 42),
    ...(clock && { setTimer: clock.setTimer, locale: 'en-GB' }),
  };
  const controller = new DesktopController(deps);
  controller.start();
  const push = (next: AgentSnapshot) => {
    snapshot = next;
    listener(next, []);
  };
  return { controller, push, shown, trays, emit, window, session, deps };
}

describe('DesktopController', () => {
  it('renders the tray at start and on each change', () => {
    const h = harness();
    expect(h.trays.at(-1)?.status).toBe('ready');
    h.push(withCalls(signedIn('Ready'), call('c1', 'Established')));
    expect(h.trays.at(-1)?.status).toBe('on-call');
  });

  it('shows one toast per ring, raises the window, and a click focuses the call', () => {
    const h = harness();
    const ringing = withCalls(signedIn('Ready'), call('c1', 'Ringing'));
    h.push(ringing);
    h.push(ringing);
    h.push({ ...ringing });
    expect(h.shown.map((s) => s.n.key)).toEqual(['ringing:c1']);
    expect(h.window.raise).toHaveBeenCalledTimes(1);
    h.shown[0]!.click();
    expect(h.window.show).toHaveBeenCalled();
    expect(h.emit).toHaveBeenCalledWith('focus-call', { callId: 'c1' });
    h.shown[0]!.action('answer');
    expect(h.session.answer).toHaveBeenCalledWith('c1');
    h.shown[0]!.action('decline');
    expect(h.session.hangup).toHaveBeenCalledWith('c1');
  });

  it('does not raise the window when raise-on-ring is off', () => {
    const h = harness({ notifications: DEFAULT_NOTIFICATION_TOGGLES, raiseOnRing: false });
    h.push(withCalls(signedIn('Ready'), call('c1', 'Ringing')));
    expect(h.window.raise).not.toHaveBeenCalled();
  });

  it('maps tray actions onto the session and the app', () => {
    const h = harness();
    h.controller.handleTrayAction({ type: 'ready' });
    h.controller.handleTrayAction({ type: 'not-ready', operationName: 'OutToLunch' });
    h.controller.handleTrayAction({ type: 'get-record', campaignName: 'Spring' });
    h.controller.handleTrayAction({ type: 'quit' });
    h.controller.handleTrayAction({ type: 'install-update' });
    h.controller.handleTrayAction({ type: 'show' });
    expect(h.session.ready).toHaveBeenCalled();
    expect(h.session.notReady).toHaveBeenCalledWith('OutToLunch');
    expect(h.session.getPreviewRecord).toHaveBeenCalledWith('Spring');
    expect(h.deps.requestQuit).toHaveBeenCalled();
    expect(h.deps.installUpdate).toHaveBeenCalled();
    expect(h.window.show).toHaveBeenCalled();
  });

  it('opens the dial pad prefilled for a phone link and refuses a bad one', () => {
    const h = harness();
    expect(h.controller.openPhoneLink('tel:+1 (555) 123-4567')).toEqual({ ok: true, phoneNumber: '+15551234567' });
    expect(h.emit).toHaveBeenCalledWith('prefill-dial', { phoneNumber: '+15551234567' });
    h.emit.mockClear();
    expect(h.controller.openPhoneLink('tel:1-800-FLOWERS').ok).toBe(false);
    expect(h.emit).not.toHaveBeenCalled();
  });

  it('sends a test notification on demand', () => {
    const h = harness();
    expect(h.controller.testNotification()).toBe(true);
    expect(h.shown.at(-1)?.n.kind).toBe('test');
  });

  describe('a long outage', () => {
    const start = T0 + 1_000;
    const onCall = withCalls(signedIn('Ready'), call('c1', 'Established', { establishedAt: T0 }));
    const outageToasts = (h: ReturnType<typeof harness>) => h.shown.filter((s) => s.n.kind === 'connection-outage').map((s) => s.n.key);

    it('toasts once, at the minute mark and not before, with one timer for the outage', () => {
      const clock = fakeClock(start);
      const h = harness(undefined, clock);
      h.push(onCall);
      clock.advance(5_000);
      const down = inOutage(onCall, 'reconnecting', clock.now());
      h.push(down);
      expect(h.shown.map((s) => s.n.kind)).toEqual(['connection-lost']);
      expect(clock.armed()).toEqual([down.connection.offlineSince! + 60_000]);

      // More changes during the outage (a re-read, the link breaking again) arm no second timer.
      clock.advance(20_000);
      h.push(inOutage(onCall, 'resyncing', down.connection.offlineSince!, clock.now()));
      clock.advance(5_000);
      h.push(inOutage(onCall, 'reconnecting', down.connection.offlineSince!, clock.now()));
      expect(clock.created()).toBe(1);

      clock.advance(34_999);
      expect(outageToasts(h)).toEqual([]);
      expect(h.trays.at(-1)?.status).toBe('on-call');
      clock.advance(1);
      expect(outageToasts(h)).toEqual([`outage:${down.connection.offlineSince}`]);
      expect(h.shown.at(-1)?.n.body).toMatch(/calls may still ring on your phone/);
      expect(h.trays.at(-1)).toMatchObject({ status: 'offline', tooltip: expect.stringMatching(/^GWS Softphone — Offline since \d\d:\d\d — calls may still ring on your phone/) });
      expect(clock.armed()).toEqual([]);

      // Not again for the same outage: more changes, more time.
      h.push(inOutage(onCall, 'resyncing', down.connection.offlineSince!, clock.now()));
      clock.advance(600_000);
      h.push(inOutage(onCall, 'reconnecting', down.connection.offlineSince!, clock.now()));
      expect(outageToasts(h)).toHaveLength(1);
      // A click brings the window forward.
      h.shown.find((s) => s.n.kind === 'connection-outage')!.click();
      expect(h.window.show).toHaveBeenCalled();
    });

    it('gives a new outage its own toast, and none to one that ends within the minute', () => {
      const clock = fakeClock(start);
      const h = harness(undefined, clock);
      h.push(inOutage(onCall, 'reconnecting', clock.now()));
      clock.advance(30_000);
      h.push(onCall);
      expect(clock.armed()).toEqual([]);
      clock.advance(120_000);
      expect(outageToasts(h)).toEqual([]);

      const second = clock.now();
      h.push(inOutage(onCall, 'reconnecting', second));
      clock.advance(60_000);
      expect(outageToasts(h)).toEqual([`outage:${second}`]);
      h.push(onCall);
      clock.advance(10_000);
      const third = clock.now();
      h.push(inOutage(onCall, 'reconnecting', third));
      clock.advance(61_000);
      expect(outageToasts(h)).toEqual([`outage:${second}`, `outage:${third}`]);
    });

    it('escalates at once an outage already older than a minute, and disarms on dispose', () => {
      const clock = fakeClock(start);
      const h = harness(undefined, clock);
      h.push(inOutage(onCall, 'reconnecting', clock.now() - 90_000));
      expect(outageToasts(h)).toHaveLength(1);
      expect(clock.armed()).toEqual([]);
      const fresh = harness(undefined, clock);
      fresh.push(inOutage(onCall, 'reconnecting', clock.now()));
      expect(clock.armed()).toHaveLength(1);
      fresh.controller.dispose();
      expect(clock.armed()).toEqual([]);
    });

    it('keeps the tray escalated but gives no toast when connection toasts are off', () => {
      const clock = fakeClock(start);
      const h = harness({ notifications: { ...DEFAULT_NOTIFICATION_TOGGLES, connection: false }, raiseOnRing: true }, clock);
      h.push(inOutage(onCall, 'reconnecting', clock.now()));
      clock.advance(60_000);
      expect(h.shown).toEqual([]);
      expect(h.trays.at(-1)?.status).toBe('offline');
    });
  });
});
