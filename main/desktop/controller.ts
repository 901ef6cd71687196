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
import { NotificationDeduper, newlyRingingCallIds, notificationsFor, testNotification } from './notification-rules';
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
}

export class DesktopController {
  private previous: AgentSnapshot;
  private readonly deduper = new NotificationDeduper();
  private updateReady: { version: string } | undefined;
  private subscription: { dispose(): void } | undefined;

  constructor(private readonly deps: DesktopControllerDeps) {
    this.previous = deps.session.snapshot;
  }

  start(): void {
    this.renderTray();
    this.subscription = this.deps.session.onDidChange((snapshot) => this.onSnapshot(snapshot));
  }

  dispose(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
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

  private renderTray(): void {
    this.deps.tray?.render(trayState(this.deps.session.snapshot, this.updateReady ? { updateReady: this.updateReady } : {}));
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}
