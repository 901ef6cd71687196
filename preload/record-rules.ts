/**
 * Readings of a preview record that every layer must agree on — ONE definition for the session's
 * guards (main/agent), the desktop shell's toasts and hotkeys (main/desktop) and the renderer's
 * record card: the customer's name, the customer's time zone, and whether now is outside the
 * calling hours there (IT policy `workRules.callingHours`). Dependency-free; it sits with the
 * contract, the one module every layer may import.
 */
import type { CallingHours, JsonValue, OutboundRecordSnapshot } from '../main/agent/snapshot';

/** The built-in calling hours (IT may set others: policy `workRules`). */
export const DEFAULT_CALLING_HOURS: CallingHours = Object.freeze({ start: '08:00', end: '21:00', outside: 'ask' });

/** A JSON value as one line of text (strings unquoted, everything else as JSON). */
export function valueText(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const NAME_KEYS = ['customer_name', 'customerName', 'CustomerName', 'name', 'Name', 'fullName', 'full_name'];
const FIRST_KEYS = ['firstName', 'first_name', 'FirstName', 'firstname'];
const LAST_KEYS = ['lastName', 'last_name', 'LastName', 'lastname'];

function pick(fields: Record<string, JsonValue>, keys: readonly string[]): string {
  for (const key of keys) {
    const text = valueText(fields[key]).trim();
    if (text) return text;
  }
  return '';
}

/** The customer's name from the calling list's custom fields (or user data); empty if the list has none. */
export function customerName(record: Pick<OutboundRecordSnapshot, 'otherFields' | 'userData'>): string {
  for (const fields of [record.otherFields, record.userData]) {
    const whole = pick(fields, NAME_KEYS);
    if (whole) return whole;
    const parts = [pick(fields, FIRST_KEYS), pick(fields, LAST_KEYS)].filter(Boolean);
    if (parts.length) return parts.join(' ');
  }
  return '';
}

/** A valid IANA zone name or undefined (an unknown zone must never break anything). */
export function validTimeZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/** The customer's time zone: the record's own, else its `GSW_TZ_NAME`; undefined if unknown. */
export function recordTimeZone(record: Pick<OutboundRecordSnapshot, 'timeZone' | 'userData'>): string | undefined {
  return validTimeZone(record.timeZone ?? (valueText(record.userData['GSW_TZ_NAME']) || undefined));
}

/** `HH:MM` (24 h) → minutes after midnight; undefined if it is not one. */
export function minutesOfDay(text: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/**
 * Is `minutes` (after midnight) inside [start, end)? A window whose end is before its start runs
 * across midnight (`22:00`–`06:00`); start = end means any time.
 */
export function insideWindow(minutes: number, start: number, end: number): boolean {
  if (start === end) return true;
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/** Minutes after midnight at `at` in `zone`; undefined if the zone is unknown. */
export function minutesIn(at: number, zone: string | undefined): number | undefined {
  const valid = validTimeZone(zone);
  if (!valid || !Number.isFinite(at)) return undefined;
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: valid, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value);
  return Number.isFinite(hour) && Number.isFinite(minute) ? hour * 60 + minute : undefined;
}

/**
 * Is `at` outside the calling hours for a customer in `zone`? False when it cannot be told (an
 * unknown zone or unreadable hours): an unknown is shown as such, never blocked.
 */
export function outsideCallingHours(at: number, zone: string | undefined, hours: CallingHours): boolean {
  if (hours.outside === 'off') return false;
  const minutes = minutesIn(at, zone);
  const start = minutesOfDay(hours.start);
  const end = minutesOfDay(hours.end);
  if (minutes === undefined || start === undefined || end === undefined) return false;
  return !insideWindow(minutes, start, end);
}

/** `08:00–21:00`, for the agent. */
export function hoursText(hours: CallingHours): string {
  return `${hours.start}–${hours.end}`;
}
