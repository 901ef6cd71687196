/**
 * The desktop layer's behaviour, electron-free: follows the agent session and drives the tray,
 * OS notifications and the window through small ports; turns tray clicks, notification clicks and
 * buttons, global hotkeys and phone links into session operations and core events. setup.ts
 * builds it with Electron adapters; tests build it with fakes.
 *
 * Language (issue 13): everything it shows (tray menu and tooltip, toasts and their buttons,
 * refusals) is worded in `deps.language()`, read afresh each time; after a change of language,
 * `languageChanged()` re-renders the tray at once (toasts already on screen stay as they were).
 */
import { wrapUpEndsAt } from '../../preload/wrap-up-rules';
import type { AgentSession } from '../agent/session';
import type { AgentSnapshot } from '../agent/snapshot';
import type { SoftphoneCore } from '../app/core';
import type { Logger } from '../gws/logger';
import { GwsError } from '../gws/errors';
import { createTranslator, type Language, type Translator } from '../../preload/i18n';
import type { DesktopCommand, DesktopDecision, RefusedAction } from './hotkey-rules';
import { hotkeyDecision, recordToastDecision } from './hotkey-rules';
import type { HotkeyAction } from './hotkeys';
import type { DesktopNotification, NotificationActionId, NotificationToggles } from './notification-rules';
import {
  NotificationDeduper,
  hotkeysNotActiveNotification,
  notificationActionLabels,
  newlyRingingCallIds,
  notificationsFor,
  outageNotifications,
  refusedNotification,
  testNotification,
  wantedNow,
} from './notification-rules';
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
  /**
   * Returns a handle to take the toast back (a record that is no longer offered), where the adapter can.
   * `options.actionLabels`: the buttons' words in the agent's language.
   */
  show(
    notification: DesktopNotification,
    handlers: { click(): void; action(id: NotificationActionId): void },
    options?: { actionLabels: Record<NotificationActionId, string> },
  ): { close(): void } | void;
}

export interface WindowPort {
  /** Show and focus (restores a minimised or hidden window). */
  show(): void;
  /** Bring forward over other apps without stealing keyboard focus from what the agent types, where the OS allows. */
  raise(): void;
  /** The window is visible and focused (the agent is looking at it). Absent: never in front. */
  isInFront?(): boolean;
}

/** A one-shot timer (setTimeout in the app, a fake clock in tests). */
export type SetTimer = (callback: () => void, ms: number) => { cancel(): void };

/** The real timer; unref'd so a pending escalation never keeps a process alive. */
const systemTimer: SetTimer = (callback, ms) => {
  const handle = setTimeout(callback, ms);
  handle.unref?.();
  return { cancel: () => clearTimeout(handle) };
};

export type ControllerSession = Pick<
  AgentSession,
  'snapshot' | 'onDidChange' | 'ready' | 'notReady' | 'answer' | 'hangup' | 'hold' | 'retrieve' | 'getPreviewRecord' | 'dialPreviewRecord' | 'rejectRecord'
>;

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
  /**
   * The agent's regional locale for times in the tray and toasts (`app.getSystemLocale()`): used
   * when it is one of the language in effect (en-GB for English), else times follow the language.
   */
  locale?: string;
  /** The language in effect (the setting, else the OS's), read each time words are shown; English without it. */
  language?: () => Language;
}

export class DesktopController {
  private previous: AgentSnapshot;
  private readonly deduper = new NotificationDeduper();
  private updateReady: { version: string } | undefined;
  private subscription: { dispose(): void } | undefined;
  /** The timer armed for the outage that began at `since`, to escalate it at the minute mark. */
  private escalation: { since: number; timer: { cancel(): void } } | undefined;
  /** Re-renders the tray when the wrap-up time it shows runs out. */
  private wrapUpTimer: { endsAt: number; timer: { cancel(): void } } | undefined;
  /** The toast of the record offered now, taken back when the record is no longer offered. */
  private recordToast: { recordHandle: string; close(): void } | undefined;

  constructor(private readonly deps: DesktopControllerDeps) {
    this.previous = deps.session.snapshot;
  }

  start(): void {
    this.renderTray();
    this.followOutage(this.deps.session.snapshot);
    this.subscription = this.deps.session.onDidChange((snapshot) => this.onSnapshot(snapshot));
  }

  dispose(): void {
    this.wrapUpTimer?.timer.cancel();
    this.wrapUpTimer = undefined;
    this.subscription?.dispose();
    this.subscription = undefined;
    this.disarmEscalation();
    // A record toast left on screen after quit would offer Dial for an app that is gone.
    this.recordToast?.close();
    this.recordToast = undefined;
  }

  /** Re-evaluates a snapshot (exposed for tests and for settings changes). */
  onSnapshot(next: AgentSnapshot): void {
    const previous = this.previous;
    this.previous = next;
    if (previous === next) return;
    this.renderTray();
    const settings = this.deps.settings();
    this.takeBackStaleRecordToast(next);
    const inFront = this.deps.window.isInFront?.() ?? false;
    for (const notification of notificationsFor(previous, next, settings.notifications, this.deps.locale, this.language())) {
      if (wantedNow(notification, inFront)) this.notify(notification);
    }
    if (settings.raiseOnRing && newlyRingingCallIds(previous, next).length > 0) this.deps.window.raise();
    this.followOutage(next);
  }

  /** The language changed (the setting, or IT's policy): the tray speaks it at once, and every toast from now on. */
  languageChanged(): void {
    this.renderTray();
  }

  setUpdateReady(update: { version: string } | undefined): void {
    this.updateReady = update;
    this.renderTray();
  }

  /** "Test notification" from the settings screen. */
  testNotification(): boolean {
    if (!this.deps.notifier.supported) return false;
    this.notify(testNotification(this.now(), this.language()));
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

  /**
   * A global hotkey was pressed: the decision (hotkey-rules.ts) picks the call or record the agent
   * can see, or refuses with a toast saying why (offline, no record, …). Never raises the window,
   * except Show: the agent may be typing in a CRM.
   */
  handleHotkey(action: HotkeyAction): void {
    const decision = hotkeyDecision(action, this.deps.session.snapshot, this.decisionContext());
    this.deps.log.info('hotkey', { action, decision: decision.kind === 'run' ? decision.command.op : 'refused' });
    this.carryOut(decision, `hotkey ${action}`);
  }

  /** Keys that could not be bound when the app started (Settings shows them too, with each reason). */
  reportHotkeysNotActive(problems: readonly { message: string }[]): void {
    if (problems.length > 0) this.notify(hotkeysNotActiveNotification(problems.map((p) => p.message), this.now(), this.language()));
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
    const recordHandle = notification.recordHandle;
    const handlers: Parameters<NotifierPort['show']>[1] = {
      // Also the Linux way to a record: no buttons there, a click opens the window on the record card.
      click: () => {
        this.deps.window.show();
        if (callId) this.deps.core.emit('focus-call', { callId });
      },
      action: (id) => {
        if (recordHandle !== undefined && (id === 'dial' || id === 'reject')) {
          if (this.recordToast?.recordHandle === String(recordHandle)) this.recordToast = undefined;
          const decision = recordToastDecision(id, { recordHandle }, this.deps.session.snapshot, this.decisionContext());
          // Dialled from a toast: the window comes forward with the call and the record.
          if (decision.kind === 'run' && id === 'dial') this.deps.window.show();
          this.carryOut(decision, `toast ${id}`);
          return;
        }
        if (!callId) return;
        if (id === 'answer') {
          this.deps.window.show();
          this.deps.core.emit('focus-call', { callId });
          void this.deps.session.answer(callId).catch((error: unknown) => this.deps.log.warn('answer from notification failed', { error: String(error) }));
        } else {
          void this.deps.session.hangup(callId).catch((error: unknown) => this.deps.log.warn('decline from notification failed', { error: String(error) }));
        }
      },
    };
    // The buttons' words in the agent's language (the adapter shows them where the OS has buttons).
    const handle = this.deps.notifier.show(notification, handlers, { actionLabels: notificationActionLabels(this.language()) });
    if (recordHandle !== undefined && handle) {
      this.recordToast?.close();
      this.recordToast = { recordHandle: String(recordHandle), close: () => handle.close() };
    }
  }

  /** A record toast whose record was dialled, rejected or taken back meanwhile is taken off the screen. */
  private takeBackStaleRecordToast(snapshot: AgentSnapshot): void {
    const toast = this.recordToast;
    if (!toast) return;
    const { phase, record } = snapshot.previewRecord;
    if (phase === 'offered' && record && String(record.recordHandle) === toast.recordHandle) return;
    this.recordToast = undefined;
    toast.close();
  }

  private decisionContext() {
    return { now: this.now(), language: this.language(), ...(this.deps.locale !== undefined && { locale: this.deps.locale }) };
  }

  private language(): Language {
    return this.deps.language?.() ?? 'en';
  }

  /** Runs a decided command through the session (its guards run again), or tells the agent why not. */
  private carryOut(decision: DesktopDecision, source: string): void {
    if (decision.kind === 'refuse') {
      this.deps.log.info(`${source} refused`, { reason: decision.reason });
      this.notify(refusedNotification(decision.what, decision.reason, this.now(), this.language()));
      return;
    }
    const { command } = decision;
    if (command.op === 'show') return this.deps.window.show();
    void this.send(command).catch((error: unknown) => {
      const language = this.language();
      const reason = failureWords(error, createTranslator(language));
      this.deps.log.warn(`${source} failed`, { error: error instanceof Error ? error.message : String(error) });
      this.notify(refusedNotification(WHAT_FAILED[command.op], reason, this.now(), language));
    });
  }

  private send(command: Exclude<DesktopCommand, { op: 'show' }>): Promise<unknown> {
    const { session } = this.deps;
    switch (command.op) {
      case 'answer':
        return session.answer(command.callId);
      case 'hangup':
        return session.hangup(command.callId);
      case 'hold':
        return session.hold(command.callId);
      case 'retrieve':
        return session.retrieve(command.callId);
      case 'dialPreviewRecord':
        return session.dialPreviewRecord(command.record);
      case 'rejectRecord':
        return session.rejectRecord(command.record);
      case 'ready':
        return session.ready();
      case 'notReady':
        return session.notReady();
    }
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
      for (const notification of outageNotifications(snapshot, now, notifications, this.deps.locale, this.language())) this.notify(notification);
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
    const options = {
      now: this.now(),
      language: this.language(),
      ...(this.deps.locale !== undefined && { locale: this.deps.locale }),
      ...(this.updateReady && { updateReady: this.updateReady }),
    };
    const snapshot = this.deps.session.snapshot;
    this.deps.tray?.render(trayState(snapshot, options));
    // "Wrap-up ends at 10:42:30" is true until then: re-render once at that moment.
    const endsAt = wrapUpEndsAt(snapshot);
    const due = endsAt !== undefined && endsAt > options.now ? endsAt : undefined;
    if (due === this.wrapUpTimer?.endsAt) return;
    this.wrapUpTimer?.timer.cancel();
    this.wrapUpTimer = undefined;
    if (due === undefined || !this.deps.tray) return;
    const timer = (this.deps.setTimer ?? systemTimer)(() => {
      this.wrapUpTimer = undefined;
      this.renderTray();
    }, due - options.now);
    this.wrapUpTimer = { endsAt: due, timer };
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}

const WHAT_FAILED: Record<Exclude<DesktopCommand['op'], 'show'>, RefusedAction> = {
  answer: 'answer the call',
  hangup: 'hang up',
  hold: 'hold the call',
  retrieve: 'retrieve the call',
  dialPreviewRecord: 'dial the record',
  rejectRecord: 'reject the record',
  ready: 'go Ready',
  notReady: 'go Not Ready',
};

/**
 * The session's refusal or the server's error, for a toast: what happened, in the agent's words
 * first, then the error's own (technical) message in brackets, as it is.
 */
function failureWords(error: unknown, { t }: Translator): string {
  const detail = error instanceof Error ? error.message : String(error);
  if (!(error instanceof GwsError)) return detail;
  switch (error.code) {
    case 'OFFLINE':
    case 'UNREACHABLE':
      return t('desktop.failure.unreachable', { detail });
    case 'TIMEOUT':
      // A POST without a reply may still have been carried out: never say it was not.
      return t('desktop.failure.timeout', { detail });
    case 'GONE':
      return t('desktop.failure.gone', { detail });
    case 'NOT_ALLOWED_IN_STATE':
      return t('desktop.failure.stateChanged', { detail });
    case 'SESSION_EXPIRED':
      return t('desktop.failure.sessionExpired');
    default:
      return detail;
  }
}
