/**
 * Calling hours (IT policy `workRules.callingHours`, snapshot `workRules`): when a customer may be
 * called, in the customer's own time zone. The rules are the core's own (preload/record-rules.ts):
 * the session refuses a dial outside them unless the agent confirmed (or IT blocks it).
 * DOM-free (unit tests run it in Node): the words come from the translator the caller passes (`tr()`).
 */
import type { AgentSnapshot } from './types';
import type { Translator } from '../../preload/i18n';
import { validTimeZone } from '../../preload/record-rules';

export type WorkRules = NonNullable<AgentSnapshot['workRules']>;
export type CallingHours = WorkRules['callingHours'];

export { DEFAULT_CALLING_HOURS, insideWindow, minutesIn, minutesOfDay, outsideCallingHours } from '../../preload/record-rules';

/** `08:00–21:00`, for the agent, in the agent's language (IT's `HH:MM` times as set). */
export function hoursText(hours: CallingHours, translator: Pick<Translator, 't'>): string {
  return translator.t('record.hours.range', { start: hours.start, end: hours.end });
}

/** The wall-clock time in the customer's `zone` at `at`, in the agent's language (`Tue 14:05`); empty if the zone is unknown. */
export function customerLocalTime(translator: Pick<Translator, 'dateTime'>, at: number, zone: string | undefined, withDate = false): string {
  const valid = validTimeZone(zone);
  if (!valid) return '';
  return translator.dateTime(at, {
    timeZone: valid,
    weekday: 'short',
    ...(withDate && { day: 'numeric', month: 'short' }),
    hour: '2-digit',
    minute: '2-digit',
  });
}
