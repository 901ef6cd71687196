/**
 * Which OS notification each agent-state transition gives. Pure: the previous and the next
 * snapshot in, notifications out, each with a stable key derived from what changed (call id and
 * state, record handle, connection timestamp) so the adapter can refuse to show a key twice.
 * Feeding the same snapshot twice yields nothing: every rule needs a difference.
 */
import type { AgentSnapshot, CallSnapshot } from '../agent/snapshot';
import { OUTAGE_ESCALATION_MS, formatDuration, otherParty, outage, outageWords } from './agent-view';
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

function released(previous: CallSnapshot, next: CallSnapshot | undefined, history: AgentSnapshot['callHistory']): DesktopNotification {
  const call = next ?? previous;
  const who = otherParty(call);
  const wasAnswered = call.establishedAt !== undefined;
  if (!wasAnswered && previous.state === 'Ringing') {
    return { key: `released:${call.id}`, kind: 'call-released', title: 'Missed call', body: `Missed call from ${who}`, callId: call.id, actions: [], urgency: 'normal' };
  }
  const fromHistory = history.find((h) => h.callId === call.id)?.durationSec;
  const seconds = next ? callDurationSec(next, next.stateSince) : (fromHistory ?? callDurationSec(previous, previous.stateSince));
  const body = wasAnswered && seconds !== undefined ? `Call with ${who} ended after ${formatDuration(seconds)}` : `Call to ${who} ended (not connected)`;
  return { key: `released:${call.id}`, kind: 'call-released', title: 'Call ended', body, callId: call.id, actions: [], urgency: 'low' };
}

function callNotifications(previous: AgentSnapshot, next: AgentSnapshot): DesktopNotification[] {
  const out: DesktopNotification[] = [];
  for (const call of Object.values(next.calls)) {
    const before = previous.calls[call.id];
    if (before?.state === call.state) continue;
    if (call.state === 'Ringing' && before?.state !== 'Ringing') {
      out.push({
        key: `ringing:${call.id}`,
        kind: 'incoming-call',
        title: 'Incoming call',
        body: `Incoming call from ${otherParty(call)}`,
        callId: call.id,
        actions: ['answer', 'decline'],
        urgency: 'critical',
      });
    } else if (call.state === 'Established' && before !== undefined && before.state === 'Dialing' && before.establishedAt === undefined) {
      // Only a call the agent dialled: an answered inbound call needs no toast, the agent just clicked.
      out.push({
        key: `established:${call.id}`,
        kind: 'call-established',
        title: 'Call connected',
        body: `Connected to ${otherParty(call)}`,
        callId: call.id,
        actions: [],
        urgency: 'normal',
      });
    } else if (call.state === 'Released' && before !== undefined) {
      out.push(released(before, call, next.callHistory));
    }
  }
  // Calls GWS removed without a Released we saw (Completed removes them from the snapshot).
  for (const before of Object.values(previous.calls)) {
    if (next.calls[before.id] || before.state === 'Released' || before.state === 'Completed') continue;
    out.push(released(before, undefined, next.callHistory));
  }
  return out;
}

/**
 * A record offered to the agent: who (name, number), their local time and the campaign, with Dial
 * and Reject where the OS shows buttons (and the agent or IT did not turn them off). The time is
 * the customer's when the record arrived (`previewRecord.since`), so the rule stays pure.
 */
function recordNotifications(previous: AgentSnapshot, next: AgentSnapshot, toggles: NotificationToggles, locale?: string): DesktopNotification[] {
  const record = next.previewRecord.record;
  if (next.previewRecord.phase !== 'offered' || !record) return [];
  const before = previous.previewRecord;
  if (before.phase === 'offered' && before.record && String(before.record.recordHandle) === String(record.recordHandle)) return [];
  const campaign = record.campaignName ?? next.previewRecord.campaignName;
  const name = customerName(record);
  const localTime = customerLocalTime(record, next.previewRecord.since, locale);
  const lines = [
    name ? `${name} · ${record.phoneNumber}` : record.phoneNumber,
    localTime ? `Local time ${localTime}` : 'Local time unknown',
    ...(campaign ? [`Campaign ${campaign}`] : []),
  ];
  return [
    {
      key: `record:${String(record.recordHandle)}`,
      kind: 'preview-record',
      title: name ? `Preview record: ${name}` : 'Preview record',
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

function connectionNotifications(previous: AgentSnapshot, next: AgentSnapshot): DesktopNotification[] {
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
        title: 'Signed out',
        body: `The session with the server ended${reason ? `: ${reason}` : ''}.`,
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
        title: 'Connection lost',
        body: 'Reconnecting to the server… calls cannot be handled until it is back.',
        actions: [],
        urgency: 'critical',
      },
    ];
  }
  if (to === 'connected' && (from === 'reconnecting' || from === 'resyncing') && outageWasAnnounced(previous, next)) {
    return [{ key: `connection-restored:${since}`, kind: 'connection-restored', title: 'Connection restored', body: 'Connected to the server again.', actions: [], urgency: 'normal' }];
  }
  return [];
}

/**
 * The one toast of a long outage: once the state has not been confirmed for a minute, the agent
 * is told that calls may still ring on the phone. Time-based, so the controller asks at the
 * minute mark as well as on every change; the key names the outage (`outage:<offlineSince>`), so
 * asking again during the same outage yields the same key, and the deduper shows it once.
 */
export function outageNotifications(snapshot: AgentSnapshot, now: number, toggles: NotificationToggles, locale?: string): DesktopNotification[] {
  const current = outage(snapshot, now);
  if (!current?.escalated || !toggles.connection) return [];
  const line = outageWords(current, now, locale);
  return [
    {
      key: `outage:${current.since}`,
      kind: 'connection-outage',
      title: current.state === 'resyncing' ? 'Calls not confirmed' : 'Still offline',
      body: `${line}. Answer them there: the softphone shows them once it is connected again.`,
      actions: [],
      urgency: 'critical',
    },
  ];
}

export function notificationsFor(previous: AgentSnapshot, next: AgentSnapshot, toggles: NotificationToggles, locale?: string): DesktopNotification[] {
  if (previous === next) return [];
  return [...connectionNotifications(previous, next), ...callNotifications(previous, next), ...recordNotifications(previous, next, toggles, locale)].filter(
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

/** Global keys that could not be bound at start: said once, so an agent who relies on one knows before pressing it. */
export function hotkeysNotActiveNotification(messages: string[], now: number): DesktopNotification {
  return {
    key: `hotkeys:${now}`,
    kind: 'refused',
    title: messages.length === 1 ? 'A global hotkey is not active' : `${messages.length} global hotkeys are not active`,
    body: `${messages.join(' ')} See Settings → Global hotkeys.`,
    actions: [],
    urgency: 'normal',
  };
}

/** A hotkey or a toast button refused: what could not be done and why, in words. */
export function refusedNotification(what: string, reason: string, now: number): DesktopNotification {
  return { key: `refused:${now}:${what}`, kind: 'refused', title: `Could not ${what}`, body: reason, actions: [], urgency: 'normal' };
}

/** Calls that started ringing in this transition (raise-on-ring works even with toasts turned off). */
export function newlyRingingCallIds(previous: AgentSnapshot, next: AgentSnapshot): string[] {
  return Object.values(next.calls)
    .filter((c) => c.state === 'Ringing' && previous.calls[c.id]?.state !== 'Ringing')
    .map((c) => c.id);
}

export function testNotification(now: number): DesktopNotification {
  return {
    key: `test:${now}`,
    kind: 'test',
    title: 'GWS Softphone',
    body: 'Notifications work: this is how incoming calls will be announced.',
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
