/**
 * Which OS notification each agent-state transition gives. Pure: the previous and the next
 * snapshot in, notifications out, each with a stable key derived from what changed (call id and
 * state, record handle, connection timestamp) so the adapter can refuse to show a key twice.
 * Feeding the same snapshot twice yields nothing: every rule needs a difference.
 * Titles and bodies are in the agent's language (a `language` argument, English by default).
 */
import type { AgentSnapshot, CallSnapshot } from '../agent/snapshot';
import { createTranslator, type Language, type MessageKey, type Translator } from '../../preload/i18n';
import { OUTAGE_ESCALATION_MS, formatDuration, formatLocale, otherParty, outage, outageWords } from './agent-view';
import type { RefusedAction } from './hotkey-rules';
import { customerLocalTime, customerName } from './record-view';

export { OUTAGE_ESCALATION_MS } from './agent-view';

export type NotificationKind =
  | 'incoming-call'
  | 'call-established'
  | 'call-released'
  | 'preview-record'
  | 'connection-lost'
  | 'connection-restored'
  | 'connection-outage'
  /** A hotkey or a toast button the state no longer allows: always told (the agent just acted). */
  | 'refused'
  | 'test';

/** Which OS notifications are on (described once: settings-schema.ts). */
export type { NotificationToggles } from './settings-schema';
import type { NotificationToggles } from './settings-schema';

export const DEFAULT_NOTIFICATION_TOGGLES: NotificationToggles = {
  incomingCall: true,
  callEstablished: true,
  callReleased: true,
  previewRecord: true,
  previewRecordActions: true,
  connection: true,
};

export type NotificationActionId = 'answer' | 'decline' | 'dial' | 'reject';

const ACTION_LABEL: Record<NotificationActionId, MessageKey> = {
  answer: 'desktop.notify.answer',
  decline: 'desktop.notify.decline',
  dial: 'desktop.notify.dial',
  reject: 'desktop.notify.reject',
};

/** The words on a toast's buttons ("Answer", "Decline", "Dial", "Reject") in the agent's language. */
export function notificationActionLabels(language: Language = 'en'): Record<NotificationActionId, string> {
  const { t } = createTranslator(language);
  return { answer: t(ACTION_LABEL.answer), decline: t(ACTION_LABEL.decline), dial: t(ACTION_LABEL.dial), reject: t(ACTION_LABEL.reject) };
}

export interface DesktopNotification {
  /** Stable: the same transition always gives the same key. */
  key: string;
  kind: NotificationKind;
  title: string;
  body: string;
  /** The call a click brings forward. */
  callId?: string;
  /** The preview record the toast shows: its Dial and Reject act on this one only. */
  recordHandle?: string | number;
  /** Buttons where the OS supports them (macOS, Windows); a plain click still focuses the call. */
  actions: NotificationActionId[];
  urgency: 'normal' | 'critical' | 'low';
}

const TOGGLE_OF: Record<Exclude<NotificationKind, 'test' | 'refused'>, keyof NotificationToggles> = {
  'incoming-call': 'incomingCall',
  'call-established': 'callEstablished',
  'call-released': 'callReleased',
  'preview-record': 'previewRecord',
  'connection-lost': 'connection',
  'connection-restored': 'connection',
  'connection-outage': 'connection',
};

function callDurationSec(call: CallSnapshot, releasedAt: number): number | undefined {
  if (call.establishedAt === undefined) return undefined;
  if (typeof call.duration === 'number' && call.duration > 0) return call.duration;
  return Math.max(0, (releasedAt - call.establishedAt) / 1000);
}

function released(previous: CallSnapshot, next: CallSnapshot | undefined, history: AgentSnapshot['callHistory'], tr: Translator): DesktopNotification {
  const call = next ?? previous;
  const party = otherParty(call, tr.language);
  const wasAnswered = call.establishedAt !== undefined;
  if (!wasAnswered && previous.state === 'Ringing') {
    const body = tr.t('desktop.notify.missedCallFrom', { party });
    return { key: `released:${call.id}`, kind: 'call-released', title: tr.t('desktop.notify.missedCall'), body, callId: call.id, actions: [], urgency: 'normal' };
  }
  const fromHistory = history.find((h) => h.callId === call.id)?.durationSec;
  const seconds = next ? callDurationSec(next, next.stateSince) : (fromHistory ?? callDurationSec(previous, previous.stateSince));
  const body =
    wasAnswered && seconds !== undefined
      ? tr.t('desktop.notify.callEndedAfter', { party, duration: formatDuration(seconds) })
      : tr.t('desktop.notify.callEndedNotConnected', { party });
  return { key: `released:${call.id}`, kind: 'call-released', title: tr.t('desktop.notify.callEnded'), body, callId: call.id, actions: [], urgency: 'low' };
}

function callNotifications(previous: AgentSnapshot, next: AgentSnapshot, tr: Translator): DesktopNotification[] {
  const out: DesktopNotification[] = [];
  for (const call of Object.values(next.calls)) {
    const before = previous.calls[call.id];
    if (before?.state === call.state) continue;
    if (call.state === 'Ringing' && before?.state !== 'Ringing') {
      out.push({
        key: `ringing:${call.id}`,
        kind: 'incoming-call',
        title: tr.t('desktop.notify.incomingCall'),
        body: tr.t('desktop.notify.incomingCallFrom', { party: otherParty(call, tr.language) }),
        callId: call.id,
        actions: ['answer', 'decline'],
        urgency: 'critical',
      });
    } else if (call.state === 'Established' && before !== undefined && before.state === 'Dialing' && before.establishedAt === undefined) {
      // Only a call the agent dialled: an answered inbound call needs no toast, the agent just clicked.
      out.push({
        key: `established:${call.id}`,
        kind: 'call-established',
        title: tr.t('desktop.notify.callConnected'),
        body: tr.t('desktop.notify.connectedTo', { party: otherParty(call, tr.language) }),
        callId: call.id,
        actions: [],
        urgency: 'normal',
      });
    } else if (call.state === 'Released' && before !== undefined) {
      out.push(released(before, call, next.callHistory, tr));
    }
  }
  // Calls GWS removed without a Released we saw (Completed removes them from the snapshot).
  for (const before of Object.values(previous.calls)) {
    if (next.calls[before.id] || before.state === 'Released' || before.state === 'Completed') continue;
    out.push(released(before, undefined, next.callHistory, tr));
  }
  return out;
}

/**
 * A record offered to the agent: who (name, number), their local time and the campaign, with Dial
 * and Reject where the OS shows buttons (and the agent or IT did not turn them off). The time is
 * the customer's when the record arrived (`previewRecord.since`), so the rule stays pure.
 */
function recordNotifications(previous: AgentSnapshot, next: AgentSnapshot, toggles: NotificationToggles, tr: Translator, locale?: string): DesktopNotification[] {
  const record = next.previewRecord.record;
  if (next.previewRecord.phase !== 'offered' || !record) return [];
  const before = previous.previewRecord;
  if (before.phase === 'offered' && before.record && String(before.record.recordHandle) === String(record.recordHandle)) return [];
  const campaign = record.campaignName ?? next.previewRecord.campaignName;
  const name = customerName(record);
  const time = customerLocalTime(record, next.previewRecord.since, formatLocale(tr.language, locale));
  // Name, number and campaign are the calling list's: shown as they are. One line each.
  const lines = [
    name ? `${name} · ${record.phoneNumber}` : record.phoneNumber,
    time ? tr.t('desktop.notify.localTime', { time }) : tr.t('desktop.notify.localTimeUnknown'),
    ...(campaign ? [tr.t('desktop.notify.campaign', { campaign })] : []),
  ];
  return [
    {
      key: `record:${String(record.recordHandle)}`,
      kind: 'preview-record',
      title: name ? tr.t('desktop.notify.previewRecordOf', { name }) : tr.t('desktop.notify.previewRecord'),
      body: lines.join('\n'),
      recordHandle: record.recordHandle,
      actions: toggles.previewRecordActions ? ['dial', 'reject'] : [],
      urgency: 'normal',
    },
  ];
}

/** The session ended without the agent asking: told even when it happens during an outage. */
function endedBy(next: AgentSnapshot): boolean {
  const to = next.connection.state;
  return to === 'offline' || (to === 'signed-out' && next.connection.reason !== 'signed out by user');
}

/**
 * Whether the agent was told about the outage that `previous` is in: a "Connection lost" toast
 * came with `reconnecting`, or the outage lasted long enough to escalate. A quick re-read straight
 * from `connected` (a re-handshake) gets no toast, so it gets no "restored" either.
 */
function outageWasAnnounced(previous: AgentSnapshot, next: AgentSnapshot): boolean {
  const { state, offlineSince, since } = previous.connection;
  if (state === 'reconnecting' || offlineSince === undefined) return true;
  // offlineSince before this resync began: the outage had an earlier phase (reconnecting).
  return offlineSince < since || next.connection.since - offlineSince >= OUTAGE_ESCALATION_MS;
}

function connectionNotifications(previous: AgentSnapshot, next: AgentSnapshot, tr: Translator): DesktopNotification[] {
  const from = previous.connection.state;
  const to = next.connection.state;
  if (from === to) return [];
  const since = next.connection.since;
  const signedIn = from === 'connected' || from === 'reconnecting' || from === 'resyncing';
  if (signedIn && endedBy(next)) {
    const reason = next.connection.reason;
    return [
      {
        key: `connection-lost:${since}`,
        kind: 'connection-lost',
        title: tr.t('desktop.notify.signedOut'),
        // The reason is the session's own (technical) words: passed through as they are.
        body: reason ? tr.t('desktop.notify.sessionEndedReason', { reason }) : tr.t('desktop.notify.sessionEnded'),
        actions: [],
        urgency: 'critical',
      },
    ];
  }
  if (to === 'reconnecting' && (from === 'connected' || from === 'resyncing')) {
    // Keyed by the outage: a link that breaks again while the calls are re-read is the same outage.
    return [
      {
        key: `connection-lost:${next.connection.offlineSince ?? since}`,
        kind: 'connection-lost',
        title: tr.t('desktop.notify.connectionLost'),
        body: tr.t('desktop.notify.connectionLostBody'),
        actions: [],
        urgency: 'critical',
      },
    ];
  }
  if (to === 'connected' && (from === 'reconnecting' || from === 'resyncing') && outageWasAnnounced(previous, next)) {
    return [
      {
        key: `connection-restored:${since}`,
        kind: 'connection-restored',
        title: tr.t('desktop.notify.connectionRestored'),
        body: tr.t('desktop.notify.connectionRestoredBody'),
        actions: [],
        urgency: 'normal',
      },
    ];
  }
  return [];
}

/**
 * The one toast of a long outage: once the state has not been confirmed for a minute, the agent
 * is told that calls may still ring on the phone. Time-based, so the controller asks at the
 * minute mark as well as on every change; the key names the outage (`outage:<offlineSince>`), so
 * asking again during the same outage yields the same key, and the deduper shows it once.
 */
export function outageNotifications(snapshot: AgentSnapshot, now: number, toggles: NotificationToggles, locale?: string, language: Language = 'en'): DesktopNotification[] {
  const current = outage(snapshot, now);
  if (!current?.escalated || !toggles.connection) return [];
  const { t } = createTranslator(language);
  return [
    {
      key: `outage:${current.since}`,
      kind: 'connection-outage',
      title: t(current.state === 'resyncing' ? 'desktop.notify.callsNotConfirmed' : 'desktop.notify.stillOffline'),
      body: t('desktop.notify.outageBody', { outage: outageWords(current, now, locale, language) }),
      actions: [],
      urgency: 'critical',
    },
  ];
}

export function notificationsFor(previous: AgentSnapshot, next: AgentSnapshot, toggles: NotificationToggles, locale?: string, language: Language = 'en'): DesktopNotification[] {
  if (previous === next) return [];
  const tr = createTranslator(language);
  return [...connectionNotifications(previous, next, tr), ...callNotifications(previous, next, tr), ...recordNotifications(previous, next, toggles, tr, locale)].filter(
    (n) => n.kind === 'test' || n.kind === 'refused' || toggles[TOGGLE_OF[n.kind]],
  );
}

/**
 * A preview record is announced only while the window is not in front: an agent looking at the
 * record card needs no toast for it (push preview, where records arrive unasked, is the case).
 */
export function wantedNow(notification: DesktopNotification, windowInFront: boolean): boolean {
  return !(notification.kind === 'preview-record' && windowInFront);
}

/**
 * Global keys that could not be bound at start: said once, so an agent who relies on one knows
 * before pressing it. `messages`: each key's problem in a sentence (hotkeys.ts words them).
 */
export function hotkeysNotActiveNotification(messages: string[], now: number, language: Language = 'en'): DesktopNotification {
  const { t } = createTranslator(language);
  return {
    key: `hotkeys:${now}`,
    kind: 'refused',
    title: t('desktop.notify.hotkeysNotActive', { count: messages.length }),
    body: t('desktop.notify.hotkeysNotActiveBody', { problems: messages.join(' ') }),
    actions: [],
    urgency: 'normal',
  };
}

/** The title of a refusal toast, one whole sentence per action ("Could not dial the preview record"). */
const REFUSED_TITLE: Record<RefusedAction, MessageKey> = {
  'answer or hang up': 'desktop.refused.answerOrHangUp',
  'dial the preview record': 'desktop.refused.dialPreviewRecord',
  'reject the preview record': 'desktop.refused.rejectPreviewRecord',
  'change your state': 'desktop.refused.changeState',
  'hold or retrieve the call': 'desktop.refused.holdOrRetrieve',
  'show the window': 'desktop.refused.showWindow',
  'dial the record': 'desktop.refused.dialRecord',
  'reject the record': 'desktop.refused.rejectRecord',
  'answer the call': 'desktop.refused.answerCall',
  'hang up': 'desktop.refused.hangUp',
  'hold the call': 'desktop.refused.holdCall',
  'retrieve the call': 'desktop.refused.retrieveCall',
  'go Ready': 'desktop.refused.goReady',
  'go Not Ready': 'desktop.refused.goNotReady',
};

/**
 * A hotkey or a toast button refused: what could not be done (titled in the agent's language) and
 * why (`reason`, already in their language: hotkey-rules.ts and the controller word it).
 */
export function refusedNotification(what: RefusedAction, reason: string, now: number, language: Language = 'en'): DesktopNotification {
  return { key: `refused:${now}:${what}`, kind: 'refused', title: createTranslator(language).t(REFUSED_TITLE[what]), body: reason, actions: [], urgency: 'normal' };
}

/** Calls that started ringing in this transition (raise-on-ring works even with toasts turned off). */
export function newlyRingingCallIds(previous: AgentSnapshot, next: AgentSnapshot): string[] {
  return Object.values(next.calls)
    .filter((c) => c.state === 'Ringing' && previous.calls[c.id]?.state !== 'Ringing')
    .map((c) => c.id);
}

export function testNotification(now: number, language: Language = 'en'): DesktopNotification {
  const { t } = createTranslator(language);
  return {
    key: `test:${now}`,
    kind: 'test',
    title: t('common.appName'),
    body: t('desktop.notify.testBody'),
    actions: [],
    urgency: 'normal',
  };
}

/** Notification buttons: macOS and Windows show them; Linux notification daemons mostly do not. */
export function supportsNotificationActions(platform: NodeJS.Platform): boolean {
  return platform === 'darwin' || platform === 'win32';
}

/**
 * Remembers the keys already shown (bounded), so a transition seen twice — e.g. a Ringing
 * re-reported after a reconnect re-read — never gives a second toast.
 */
export class NotificationDeduper {
  private readonly seen = new Set<string>();
  constructor(private readonly limit = 500) {}

  /** True the first time a key is offered. */
  admit(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.seen.size > this.limit) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }
}
