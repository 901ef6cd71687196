/**
 * Calling hours (IT policy `workRules.callingHours`, snapshot `workRules`): when a customer may be
 * called, in the customer's own time zone. Pure: the record card and the reschedule form ask it.
 */
import type { AgentSnapshot } from './types';
import { validTimeZone } from './format';

export type WorkRules = NonNullable<AgentSnapshot['workRules']>;
export type CallingHours = WorkRules['callingHours'];

/** The built-in rules (the core's defaults), for a snapshot that carries none. */
export const DEFAULT_CALLING_HOURS: CallingHours = { start: '08:00', end: '21:00', outside: 'ask' };

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
