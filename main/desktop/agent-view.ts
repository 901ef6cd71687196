/**
 * Small electron-free readings of the agent snapshot shared by the tray, notification, quit and
 * update decisions: which calls are live, who is on the other end, whether the agent is busy.
 */
import { inAfterCallWork } from '../../preload/wrap-up-rules';
import type { AgentSnapshot, CallSnapshot } from '../agent/snapshot';
import { createTranslator, formattingLocale, wallClockOptions, type Language } from '../../preload/i18n';

export type { Language } from '../../preload/i18n';

/** Call states in which a call still needs the agent (Released/Completed calls do not). */
const LIVE_CALL_STATES = new Set(['Dialing', 'Ringing', 'Established', 'Held']);

function isLiveCall(call: CallSnapshot): boolean {
  return LIVE_CALL_STATES.has(call.state);
}

export function liveCalls(snapshot: AgentSnapshot): CallSnapshot[] {
  return Object.values(snapshot.calls)
    .filter(isLiveCall)
    .sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
}

export function hasLiveCall(snapshot: AgentSnapshot): boolean {
  return liveCalls(snapshot).length > 0;
}

/** The other party as the agent would say it: the name if known, else the (formatted) number. */
export function otherParty(call: CallSnapshot, language: Language = 'en'): string {
  const party = call.participants[0];
  const name = party?.name?.trim();
  const number = party?.formattedPhoneNumber?.trim() || party?.phoneNumber?.trim() || call.ani?.trim() || call.dnis?.trim();
  if (name && number) return `${name} (${number})`;
  return name || number || createTranslator(language).t('desktop.party.unknownNumber');
}

/** `m:ss` or `h:mm:ss`. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Signed in: connected, or the session is being restored (the link is down, or the state is being re-read). */
export function isSignedIn(snapshot: AgentSnapshot): boolean {
  const state = snapshot.connection.state;
  return state === 'connected' || state === 'reconnecting' || state === 'resyncing';
}

/** After this long without a confirmed state, the tray and a toast say that calls may still ring on the phone. */
export const OUTAGE_ESCALATION_MS = 60_000;

/** The agent is signed in but what the snapshot shows is not confirmed by the server (see `stateConfirmed()`). */
export interface Outage {
  /** `reconnecting`: the link is down. `resyncing`: it is back and the calls are being re-read. */
  state: 'reconnecting' | 'resyncing';
  /** When the outage began (`connection.offlineSince`). Keys the outage: one toast per value. */
  since: number;
  /** `since` + {@link OUTAGE_ESCALATION_MS}. */
  escalatesAt: number;
  /** `now` reached `escalatesAt`. */
  escalated: boolean;
}

/** The current outage at `now`, or undefined when connected (or not signed in). */
export function outage(snapshot: AgentSnapshot, now: number): Outage | undefined {
  const { state, offlineSince, since: changedAt } = snapshot.connection;
  if (state !== 'reconnecting' && state !== 'resyncing') return undefined;
  const since = offlineSince ?? changedAt;
  const escalatesAt = since + OUTAGE_ESCALATION_MS;
  return { state, since, escalatesAt, escalated: now >= escalatesAt };
}

/**
 * A wall-clock time the way the agent's locale writes it (`10:42` or `10:42 AM`), with the date in
 * front when it is not today (an outage across midnight). An unknown locale falls back to the default.
 */
export function clockTime(at: number, now: number, locale?: string, withSeconds = false): string {
  const options = wallClockOptions(at, now, withSeconds);
  try {
    return new Intl.DateTimeFormat(locale, options).format(at);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(at);
  }
}

/**
 * The locale the shell writes times in (issue 13): the agent's regional locale when it is one of
 * their language (`en-GB` for English: 24 h), else the language itself (`es` for a Spanish agent
 * on an English system), so a time never reads in another language than the sentence around it.
 */
export function formatLocale(language: Language, locale?: string): string {
  return formattingLocale(language, [locale]);
}

/** After Call Work is a work mode of NotReady in GWS, or its own state on some switches. */
export function isAfterCallWork(snapshot: AgentSnapshot): boolean {
  return inAfterCallWork(snapshot.device?.userState);
}

/**
 * What an outage is called, as a sentence start ("Offline since 10:42 — reconnecting…"), in the
 * agent's language (English by default) with the time in their regional locale when it is of that language.
 */
export function outageWords(current: Outage, now: number, locale?: string, language: Language = 'en'): string {
  const { t } = createTranslator(language);
  const time = clockTime(current.since, now, formatLocale(language, locale));
  if (current.escalated) return t(current.state === 'resyncing' ? 'desktop.outage.notConfirmedSince' : 'desktop.outage.offlineSince', { time });
  return current.state === 'resyncing' ? t('desktop.outage.checkingCalls') : t('desktop.outage.reconnecting', { time });
}
