/**
 * IT's rules for the agent's work (snapshot `workRules`): the defaults, and how a partial policy
 * combines with them. The session puts them in the snapshot; the after-call-work watcher and the
 * renderer read them from there.
 */
import type { AlertSound, WorkRules } from './snapshot';

/** Workspace's behaviour: After Call Work at the end of a record's call, back to the earlier state on Complete; 08:00–21:00 customer time, asked. */
export const DEFAULT_WORK_RULES: WorkRules = Object.freeze({
  afterCallWork: true,
  afterComplete: 'previous',
  callingHours: Object.freeze({ start: '08:00', end: '21:00', outside: 'ask' }),
}) as WorkRules;

export interface WorkRulesInput {
  afterCallWork?: boolean;
  afterComplete?: WorkRules['afterComplete'];
  callingHours?: Partial<WorkRules['callingHours']>;
  /** Back to Ready when the wrap-up time runs out; set by IT, the agent cannot change it. */
  readyAfterWrapUp?: boolean;
  /** Preview pacing: seconds to the automatic Dial of an offered record (0: off), and the pushed record's sound. */
  previewAutoDialSeconds?: number;
  previewAlertSound?: AlertSound;
}

import { minutesOfDay } from '../../preload/record-rules';

/** `HH:MM` → minutes after midnight (the one definition: preload/record-rules.ts). */
export { minutesOfDay };

/** The effective rules: the given values over the defaults (an unreadable time keeps the default). */
export function resolveWorkRules(input: WorkRulesInput | undefined): WorkRules {
  const d = DEFAULT_WORK_RULES;
  const hours = input?.callingHours ?? {};
  const time = (value: string | undefined, fallback: string) => (value !== undefined && minutesOfDay(value) !== undefined ? value : fallback);
  return {
    afterCallWork: input?.afterCallWork ?? d.afterCallWork,
    afterComplete: input?.afterComplete ?? d.afterComplete,
    callingHours: {
      start: time(hours.start, d.callingHours.start),
      end: time(hours.end, d.callingHours.end),
      outside: hours.outside ?? d.callingHours.outside,
    },
    ...(input?.readyAfterWrapUp !== undefined && { readyAfterWrapUp: { enabled: input.readyAfterWrapUp, locked: true } }),
    ...((input?.previewAutoDialSeconds !== undefined || input?.previewAlertSound !== undefined) && {
      previewPacing: {
        ...(input.previewAutoDialSeconds !== undefined && { autoDialSeconds: input.previewAutoDialSeconds }),
        ...(input.previewAlertSound !== undefined && { alertSound: input.previewAlertSound }),
      },
    }),
  };
}
