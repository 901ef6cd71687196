/**
 * Pure formatting helpers: everything the UI shows is produced here as plain text. Times are
 * written in the agent's language (state/i18n.svelte.ts), so a template that calls them follows a
 * change of language.
 */

/** `m:ss`, or `h:mm:ss` past an hour. Negative or missing durations read as zero. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** `customer_name` → `Customer name`, `GSW_ATTEMPTS` stays as is, `dueDate` → `Due date`. */
export function fieldLabel(key: string): string {
  if (/^[A-Z0-9_]+$/.test(key)) return key;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `NoAnswer` → `No answer`, `AnsweringMachine` → `Answering machine`. */
export function callResultLabel(name: string): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The core's own readings of a record (preload/record-rules.ts). */
export { customerName, validTimeZone, valueText } from '../../preload/record-rules';
import { validTimeZone } from '../../preload/record-rules';
import { tr, type MessageKey, type MessageValues } from '../state/i18n.svelte';
import { wallClockOptions } from '../../preload/i18n';

/** The wall-clock time in `zone` at `at`, e.g. `Tue 14:05`, in the agent's language; empty if the zone is unknown. */
export function localTime(at: number, zone: string | undefined, withDate = false): string {
  const valid = validTimeZone(zone);
  if (!valid) return '';
  return tr().dateTime(at, {
    timeZone: valid,
    weekday: 'short',
    ...(withDate && { day: 'numeric', month: 'short' }),
    hour: '2-digit',
    minute: '2-digit',
  });
}

/**
 * When something began, the way the agent's language writes a time (`10:42`, or `10:42 AM`), with
 * the date in front when it was not today (an outage across midnight). `locale` overrides the
 * agent's language (tests).
 */
export function timeSince(at: number, now: number, locale?: string): string {
  const options = wallClockOptions(at, now);
  return locale === undefined ? tr().dateTime(at, options) : new Intl.DateTimeFormat(locale, options).format(at);
}

/** A time of day (`10:42`) in the agent's language. */
export function clockTime(at: number): string {
  return tr().dateTime(at, { hour: '2-digit', minute: '2-digit' });
}

/** A piece of a message: its own text, or the place of an argument the template renders itself (`slot`). */
export interface MessagePart {
  text: string;
  slot: string | null;
}

/**
 * One whole message, cut around the arguments named in `slots` so the template can put them in an
 * element of their own (a time kept on one line, a handle in monospace) wherever the language puts
 * them: `messageParts('app.notices.offlineSince', {}, ['time'])` →
 * `[{ text: 'Offline since ' }, { slot: 'time' }, { text: ' — reconnecting…' }]`.
 */
export function messageParts(key: MessageKey, values: MessageValues, slots: readonly string[]): MessagePart[] {
  // Private-use characters around each slot's index: no message or value contains them.
  const marked = { ...values, ...Object.fromEntries(slots.map((slot, i) => [slot, `\uE000${i}\uE001`])) };
  return tr()
    .t(key, marked)
    .split(/\uE000(\d+)\uE001/)
    .map((piece, i) => (i % 2 === 1 ? { text: '', slot: slots[Number(piece)] ?? null } : { text: piece, slot: null }))
    .filter((part) => part.slot !== null || part.text !== '');
}

/** A `datetime-local` value (`YYYY-MM-DDTHH:mm`) for a local time. */
export function toDateTimeLocal(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The session's and the contract's own rule (preload/number-rules.ts). */
export { isDialable, isDtmf, normalizePhoneNumber } from '../../preload/number-rules';
