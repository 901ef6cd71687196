/**
 * The desktop layer's behaviour, electron-free: follows the agent session and drives the tray,
 * OS notifications and the window through small ports; turns tray clicks, notification clicks and
 * phone links into session operations and core events. setup.ts builds it with Electron adapters;
 * tests build it with fakes.
 */
import type { AgentSession } from '../agent/session';
import type { AgentSnapshot } from '../agent/snapshot';
import type { SoftphoneCore } from '../app/core';
import type { Logger } from '../gws/logger';
import type { DesktopNotification, NotificationActionId, NotificationToggles } from './notification-rules';
import { NotificationDeduper, newlyRingingCallIds, notificationsFor, outageNotifications, testNotification } from './notification-rules';
import { outage } from './agent-view';
import type { PhoneLinkResult } from './phone-link';
import { parsePhoneLink } from './phone-link';
import type { TrayAction, TrayState } from './tray-state';
import { trayState } from './tray-state';

export interface TrayPort {
  render(state: TrayState): void;
}

export interface NotifierPort {
  /** False where the OS has no notification service. */
  readonly supported: boolean;
  show(notification: DesktopNotification, handlers: { click(): void; action(id: NotificationActionId): void }): void;
}

export interface WindowPort {
  /** Show and focus (restores a minimised or hidden window). */
  show(): void;
  /** Bring forward over other apps without stealing keyboard focus from what the agent types, where the OS allows. */
  raise(): void;
}

/** A one-shot timer (setTimeout in the app, a fake clock in tests). */
export type SetTimer = (callback: () => void, ms: number) => { cancel(): void };

/** The real timer; unref'd so a pending escalation never keeps a process alive. */
const systemTimer: SetTimer = (callback, ms) => {
  const handle = setTimeout(callback, ms);
  handle.unref?.();
  return { cancel: () => clearTimeout(handle) };
};

export type ControllerSession = Pick<AgentSession, 'snapshot' | 'onDidChange' | 'ready' | 'notReady' | 'answer' | 'hangup' | 'getPreviewRecord'>;

export interface DesktopControllerDeps {
  session: ControllerSession;
  core: Pick<SoftphoneCore, 'emit'>;
  tray?: TrayPort;
  notifier: NotifierPort;
  window: WindowPort;
  /** Current effective settings (policy applied). */
  settings(): { notifications: NotificationToggles; raiseOnRing: boolean };
  /** The app's single quit path (confirmation and sign-out happen there). */
  requestQuit(): void;
  installUpdate(): void;
  exportDiagnostics(): void;
  log: Logger;
  now?: () => number;
  /** Re-evaluates an outage at its one-minute mark (one timer per outage); {@link systemTimer} by default. */
  setTimer?: SetTimer;
  /** The agent's locale for times in the tray and toasts (`app.getSystemLocale()`); the default locale without it. */
  locale?: string;
}

export class DesktopController {
  private previous: AgentSnapshot;
  private readonly deduper = new NotificationDeduper();
  private updateReady: { version: string } | undefined;
  private subscription: { dispose(): void } | undefined;
  /** The timer armed for the outage that began at `since`, to escalate it at the minute mark. */
  private escalation: { since: number; timer: { cancel(): void } } | undefined;

  constructor(private readonly deps: DesktopControllerDeps) {
    this.previous = deps.session.snapshot;
  }

  start(): void {
    this.renderTray();
    this.followOutage(this.deps.session.snapshot);
    this.subscription = this.deps.session.onDidChange((snapshot) => this.onSnapshot(snapshot));
  }

  dispose(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
    this.disarmEscalation();
  }

  /** Re-evaluates a snapshot (exposed for tests and for settings changes). */
  onSnapshot(next: AgentSnapshot): void {
    const previous = this.previous;
    this.previous = next;
    if (previous === next) return;
    this.renderTray();
    const settings = this.deps.settings();
    for (const notification of notificationsFor(previous, next, settings.notifications)) this.notify(notification);
    if (settings.raiseOnRing && newlyRingingCallIds(previous, next).length > 0) this.deps.window.raise();
    this.followOutage(next);
  }

  setUpdateReady(update: { version: string } | undefined): void {
    this.updateReady = update;
    this.renderTray();
  }

  /** "Test notification" from the settings screen. */
  testNotification(): boolean {
    if (!this.deps.notifier.supported) return false;
    this.notify(testNotification(this.now()));
    return true;
  }

  /** A tel:/callto: link from the OS: the dial pad opens prefilled (never dials by itself). */
  openPhoneLink(url: string): PhoneLinkResult {
    const parsed = parsePhoneLink(url);
    if (!parsed.ok) {
      this.deps.log.warn('refused phone link', { reason: parsed.error });
      return parsed;
    }
    this.deps.window.show();
    this.deps.core.emit('prefill-dial', { phoneNumber: parsed.phoneNumber });
    return parsed;
  }

  handleTrayAction(action: TrayAction): void {
    const { session, log } = this.deps;
    const run = (name: string, operation: () => Promise<unknown>) => {
      void operation().catch((error: unknown) => log.warn(`tray ${name} failed`, { error: error instanceof Error ? error.message : String(error) }));
    };
    switch (action.type) {
      case 'show':
        return this.deps.window.show();
      case 'ready':
        return run('ready', () => session.ready());
      case 'not-ready':
        return run('not-ready', () => session.notReady(action.operationName));
      case 'get-record':
        if (action.campaignName) run('get-record', () => session.getPreviewRecord(action.campaignName));
        return;
      case 'install-update':
        return this.deps.installUpdate();
      case 'export-diagnostics':
        return this.deps.exportDiagnostics();
      case 'quit':
        return this.deps.requestQuit();
    }
  }

  private notify(notification: DesktopNotification): void {
    if (!this.deps.notifier.supported || !this.deduper.admit(notification.key)) return;
    const callId = notification.callId;
    this.deps.notifier.show(notification, {
      click: () => {
        this.deps.window.show();
        if (callId) this.deps.core.emit('focus-call', { callId });
      },
      action: (id) => {
        if (!callId) return;
        if (id === 'answer') {
          this.deps.window.show();
          this.deps.core.emit('focus-call', { callId });
          void this.deps.session.answer(callId).catch((error: unknown) => this.deps.log.warn('answer from notification failed', { error: String(error) }));
        } else {
          void this.deps.session.hangup(callId).catch((error: unknown) => this.deps.log.warn('decline from notification failed', { error: String(error) }));
        }
      },
    });
  }

  /**
   * A long outage escalates by time, not by a change: the toast is offered whenever the outage is
   * past its minute (the deduper shows it once per outage), and before that one timer is armed for
   * the minute mark, which re-renders the tray and offers the toast. Connected again: disarmed.
   */
  private followOutage(snapshot: AgentSnapshot): void {
    const now = this.now();
    const current = outage(snapshot, now);
    if (!current || current.escalated) this.disarmEscalation();
    if (!current) return;
    if (current.escalated) {
      const { notifications } = this.deps.settings();
      for (const notification of outageNotifications(snapshot, now, notifications, this.deps.locale)) this.notify(notification);
      return;
    }
    if (this.escalation?.since === current.since) return;
    this.disarmEscalation();
    const setTimer = this.deps.setTimer ?? systemTimer;
    const timer = setTimer(() => {
      if (this.escalation?.timer !== timer) return;
      this.escalation = undefined;
      this.renderTray();
      this.followOutage(this.deps.session.snapshot);
    }, current.escalatesAt - now);
    this.escalation = { since: current.since, timer };
  }

  private disarmEscalation(): void {
    this.escalation?.timer.cancel();
    this.escalation = undefined;
  }

  private renderTray(): void {
    const options = { now: this.now(), ...(this.deps.locale !== undefined && { locale: this.deps.locale }), ...(this.updateReady && { updateReady: this.updateReady }) };
    this.deps.tray?.render(trayState(this.deps.session.snapshot, options));
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}
