/**
 * Readings of a preview record for the desktop shell (the toast, the hotkey and toast-action
 * decisions): the customer's name, their local time, and whether now is outside the calling hours.
 * The rules themselves are the ones the session and the renderer use (preload/record-rules.ts).
 */
import type { AgentSnapshot, CallingHours, OutboundRecordSnapshot } from '../agent/snapshot';
import { DEFAULT_WORK_RULES } from '../agent/work-rules';
import { outsideCallingHours as outsideHoursIn, recordTimeZone } from '../../preload/record-rules';

export { customerName, recordTimeZone } from '../../preload/record-rules';

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

/**
 * Whether `at` is outside the calling hours for this record's customer. False when it cannot be
 * told (no zone): the same rule as the record card and the session, an unknown is never blocked.
 */
export function outsideCallingHours(record: OutboundRecordSnapshot, at: number, hours: CallingHours): boolean {
  return outsideHoursIn(at, recordTimeZone(record), hours);
}

export function callingHoursOf(snapshot: AgentSnapshot): CallingHours {
  return snapshot.workRules?.callingHours ?? DEFAULT_WORK_RULES.callingHours;
}
