/**
 * Readings of a preview record for the desktop shell (the toast, the hotkey and toast-action
 * decisions): the customer's name, their local time, and whether now is outside the calling hours.
 * The renderer has its own copies (renderer/lib/format.ts, calling-hours.ts): the renderer may not
 * import main/, and main may not import the renderer (eslint.config.js). Same rules, same keys.
 */
import type { AgentSnapshot, CallingHours, JsonValue, OutboundRecordSnapshot } from '../agent/snapshot';
import { DEFAULT_WORK_RULES, minutesOfDay } from '../agent/work-rules';

const NAME_KEYS = ['customer_name', 'customerName', 'CustomerName', 'name', 'Name', 'fullName', 'full_name'];
const FIRST_KEYS = ['firstName', 'first_name', 'FirstName', 'firstname'];
const LAST_KEYS = ['lastName', 'last_name', 'LastName', 'lastname'];

function text(value: JsonValue | undefined): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

function pick(fields: Record<string, JsonValue>, keys: string[]): string {
  for (const key of keys) {
    const found = text(fields[key]);
    if (found) return found;
  }
  return '';
}

/** The customer's name from the calling list's fields (or user data); empty when the list has none. */
export function customerName(record: OutboundRecordSnapshot): string {
  for (const fields of [record.otherFields, record.userData]) {
    const whole = pick(fields, NAME_KEYS);
    if (whole) return whole;
    const parts = [pick(fields, FIRST_KEYS), pick(fields, LAST_KEYS)].filter(Boolean);
    if (parts.length) return parts.join(' ');
  }
  return '';
}

/** The record's IANA zone (`timeZone`, else `GSW_TZ_NAME`) if valid. */
export function recordTimeZone(record: OutboundRecordSnapshot): string | undefined {
  const zone = record.timeZone ?? text(record.userData.GSW_TZ_NAME);
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/** The customer's wall-clock time (`Tue 14:05`) in the agent's locale; empty when the zone is unknown. */
export function customerLocalTime(record: OutboundRecordSnapshot, at: number, locale?: string): string {
  const zone = recordTimeZone(record);
  if (!zone) return '';
  const options: Intl.DateTimeFormatOptions = { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat(locale, options).format(at);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(at);
  }
}

function minutesIn(at: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  return Number(parts.find((p) => p.type === 'hour')?.value) * 60 + Number(parts.find((p) => p.type === 'minute')?.value);
}

/**
 * Whether `at` is outside the calling hours for this record's customer. False when it cannot be
 * told (no zone): the same rule as the record card, an unknown is never blocked.
 */
export function outsideCallingHours(record: OutboundRecordSnapshot, at: number, hours: CallingHours): boolean {
  const zone = recordTimeZone(record);
  const start = minutesOfDay(hours.start);
  const end = minutesOfDay(hours.end);
  if (!zone || start === undefined || end === undefined || start === end) return false;
  const m = minutesIn(at, zone);
  const inside = start < end ? m >= start && m < end : m >= start || m < end;
  return !inside;
}

export function callingHoursOf(snapshot: AgentSnapshot): CallingHours {
  return snapshot.workRules?.callingHours ?? DEFAULT_WORK_RULES.callingHours;
}
