/**
 * Calling hours (IT policy `workRules.callingHours`, snapshot `workRules`): when a customer may be
 * called, in the customer's own time zone. The rules are the core's own (preload/record-rules.ts):
 * the session refuses a dial outside them unless the agent confirmed (or IT blocks it).
 */
import type { AgentSnapshot } from './types';

export type WorkRules = NonNullable<AgentSnapshot['workRules']>;
export type CallingHours = WorkRules['callingHours'];

export { DEFAULT_CALLING_HOURS, hoursText, insideWindow, minutesIn, minutesOfDay, outsideCallingHours } from '../../preload/record-rules';
