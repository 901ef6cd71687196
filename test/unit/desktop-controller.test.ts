import { describe, expect, it, vi } from 'vitest';
import type { AgentSession } from '../../main/agent/session';
import type { AgentSnapshot } from '../../main/agent/snapshot';
import { silentLogger } from '../../main/gws/logger';
import type { DesktopControllerDeps, NotifierPort } from '../../main/desktop/controller';
import { DesktopController } from '../../main/desktop/controller';
import type { DesktopNotification, NotificationActionId } from '../../main/desktop/notification-rules';
import { DEFAULT_NOTIFICATION_TOGGLES } from '../../main/desktop/notification-rules';
import type { TrayState } from '../../main/desktop/tray-state';
import { call, signedIn, withCalls } from './desktop-fixtures';

function harness(settings = { notifications: DEFAULT_NOTIFICATION_TOGGLES, raiseOnRing: true }) {
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
    now: () => 42,
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
});
