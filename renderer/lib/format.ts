/** Pure formatting helpers: everything the UI shows is produced here as plain text. */

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

/** The wall-clock time in `zone` at `at`, e.g. `Tue 14:05`; empty if the zone is unknown. */
export function localTime(at: number, zone: string | undefined, withDate = false): string {
  const valid = validTimeZone(zone);
  if (!valid) return '';
  return new Intl.DateTimeFormat(undefined, {
    timeZone: valid,
    weekday: 'short',
    ...(withDate && { day: 'numeric', month: 'short' }),
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

/**
 * When something began, the way the agent's locale writes a time (`10:42`, or `10:42 AM`), with
 * the date in front when it was not today (an outage across midnight).
 */
export function timeSince(at: number, now: number, locale?: string): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', ...(!sameDay && { day: 'numeric', month: 'short' }) }).format(at);
}

export function clockTime(at: number): string {
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(at);
}

/** A `datetime-local` value (`YYYY-MM-DDTHH:mm`) for a local time. */
export function toDateTimeLocal(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The session's and the contract's own rule (preload/number-rules.ts). */
export { isDialable, isDtmf, normalizePhoneNumber } from '../../preload/number-rules';
