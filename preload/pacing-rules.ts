/**
 * Preview pacing in effect (issue 13), ONE answer for the session's countdown
 * (main/agent/preview-pacer.ts), the record card and the alert sound in the renderer: IT's policy
 * (workRules.previewPacing) wins over the Workspace options (user.previewPacing); unset, there is
 * no countdown and a pushed record plays the chord.
 */
import type { AgentSnapshot, AlertSound } from '../main/agent/snapshot';

/** Longest countdown accepted: a longer one is read as a mistake and ignored (10 minutes). */
export const MAX_AUTO_DIAL_SECONDS = 600;
export const DEFAULT_ALERT_SOUND: AlertSound = 'chord';

export interface PreviewPacing {
  /** Seconds from the offer to the automatic Dial; 0: no countdown. */
  autoDialSeconds: number;
  alertSound: AlertSound;
  /** Where the countdown comes from, for the card and Settings. */
  source: 'policy' | 'workspace' | 'none';
}

function usable(seconds: number | undefined): seconds is number {
  return seconds !== undefined && Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_AUTO_DIAL_SECONDS;
}

export function previewPacing(s: Pick<AgentSnapshot, 'workRules' | 'user'>): PreviewPacing {
  const policy = s.workRules?.previewPacing;
  const workspace = s.user?.previewPacing;
  const fromPolicy = usable(policy?.autoDialSeconds);
  const fromWorkspace = !fromPolicy && usable(workspace?.autoDialSeconds);
  const autoDialSeconds = fromPolicy ? (policy?.autoDialSeconds ?? 0) : fromWorkspace ? (workspace?.autoDialSeconds ?? 0) : 0;
  return {
    autoDialSeconds,
    alertSound: policy?.alertSound ?? workspace?.alertSound ?? DEFAULT_ALERT_SOUND,
    source: autoDialSeconds > 0 ? (fromPolicy ? 'policy' : 'workspace') : 'none',
  };
}
