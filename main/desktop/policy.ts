/**
 * The machine-wide IT policy: where it lives on each OS, its schema, and how it combines with the
 * agent's settings. Precedence: policy (set and locked) > user settings > policy defaults > built-in
 * defaults. A malformed policy is reported and ignored as a whole (half a policy could unlock what
 * IT meant to lock, or lock the wrong value): the app keeps running on user settings.
 */
import { posix, win32 } from 'node:path';
import { z } from 'zod';
import type { EffectiveSettings, UserSettings } from './settings';
import { BUILTIN_DEFAULTS } from './settings';
import type { NotificationToggles } from './notification-rules';
import { SettingsSchema } from './settings-schema';
import { ALERT_SOUNDS } from '../agent/snapshot';
import { MAX_AUTO_DIAL_SECONDS } from '../../preload/pacing-rules';
import type { HotkeyAction } from './hotkeys';
import { HOTKEY_ACTIONS, normalizeBindings } from './hotkeys';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 08:00 (24 h)');
const semver = z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'must be a version like 1.4.2');

/**
 * Settings IT may also give as a default only (the agent can change them): the settings' own
 * fields (settings-schema.ts), with a stricter server URL and place for a machine-wide file.
 */
const defaultable = {
  serverUrl: httpUrl.optional(),
  place: z.string().trim().min(1).max(200).optional(),
  startAtLogin: SettingsSchema.shape.startAtLogin.optional(),
  notifications: SettingsSchema.shape.notifications.partial().optional(),
  raiseOnRing: SettingsSchema.shape.raiseOnRing.optional(),
  closeToTray: SettingsSchema.shape.closeToTray.optional(),
  rememberPassword: SettingsSchema.shape.rememberPassword.optional(),
  /** Global hotkeys (docs/it-deployment.md, "Global hotkeys"). */
  hotkeys: SettingsSchema.shape.hotkeys.partial().optional(),
  /** The app's language (`system`: the OS's); docs/it-deployment.md, "Language". */
  language: SettingsSchema.shape.language.optional(),
};

export const PolicySchema = z.strictObject({
  /** Format version of this file; only 1 exists. */
  version: z.literal(1).optional(),
  ...defaultable,
  updates: z
    .strictObject({
      /** Folder where IT hosts latest.yml (latest-mac.yml, latest-linux.yml) and the installers. */
      feedUrl: httpUrl.optional(),
      channel: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be a channel name such as latest or beta').optional(),
      disabled: z.boolean().optional(),
      /** Only this version is ever installed (never a downgrade). */
      pinnedVersion: semver.optional(),
      /** Rollout ring: `early` takes a release as soon as it is in the feed, `broad` (default) follows the feed's stagingPercentage. */
      ring: z.enum(['early', 'broad']).optional(),
    })
    .optional(),
  /**
   * Outbound campaign names the agent can start a preview session in even when the server never
   * announces them (gws-api.md §6: no public page promises a campaign list on sign-in).
   */
  campaigns: z.array(z.string().trim().min(1).max(200)).max(200).optional(),
  /** PEM files of extra CA certificates the app trusts for the GWS server and the update feed. */
  trustedCaCertificates: z.array(z.string().min(1).max(1000)).max(50).optional(),
  /**
   * What the client does for the agent around a call (docs/it-deployment.md, "Work rules"): After
   * Call Work when a record's call ends (default on) and where to go when the record is closed;
   * calling hours in the customer's time zone and whether a dial outside them is asked or blocked.
   */
  workRules: z
    .strictObject({
      afterCallWork: z.boolean().optional(),
      afterComplete: z.enum(['previous', 'ready']).optional(),
      callingHours: z
        .strictObject({
          start: hhmm.optional(),
          end: hhmm.optional(),
          outside: z.enum(['ask', 'block', 'off']).optional(),
        })
        .optional(),
      /** Back to Ready when the call's wrap-up time runs out in After Call Work; set here, the agent cannot change it. */
      readyAfterWrapUp: z.boolean().optional(),
      /** Preview pacing: seconds from the offer of a record to its automatic Dial (0: off; wins over Workspace's option). */
      previewAutoDialSeconds: z.number().int().min(0).max(MAX_AUTO_DIAL_SECONDS).optional(),
      /** The sound of a pushed preview record. */
      previewAlertSound: z.enum(ALERT_SOUNDS).optional(),
    })
    .optional(),
  /** Values the agent starts with but may change (not locked). */
  defaults: z.strictObject(defaultable).optional(),
});
export type Policy = z.infer<typeof PolicySchema>;

export type PolicyStatus =
  | { state: 'none'; path: string }
  | { state: 'applied'; path: string; policy: Policy }
  | { state: 'invalid'; path: string; problem: string };

/** Where IT puts the policy file (one per machine, writable by administrators only). */
export function policyFilePath(platform: NodeJS.Platform, env: Record<string, string | undefined> = {}): string {
  if (platform === 'win32') return win32.join(env.ProgramData || env.PROGRAMDATA || 'C:\\ProgramData', 'GWS Softphone', 'policy.json');
  if (platform === 'darwin') return posix.join('/Library/Application Support/GWS Softphone', 'policy.json');
  return '/etc/gws-softphone/policy.json';
}

export function parsePolicy(text: string, path: string): PolicyStatus {
  let json: unknown;
  try {
    // A BOM is what Notepad writes: not a reason to refuse the file.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { state: 'invalid', path, problem: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = PolicySchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
    return { state: 'invalid', path, problem: issues };
  }
  return { state: 'applied', path, policy: parsed.data };
}

/** Reads and parses the policy; never throws (a missing file is the normal case). */
export async function loadPolicy(path: string, readFile: (path: string) => Promise<string>): Promise<PolicyStatus> {
  let text: string;
  try {
    text = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { state: 'none', path };
    return { state: 'invalid', path, problem: `cannot be read (${code ?? String(error)})` };
  }
  return parsePolicy(text, path);
}

export function policyOf(status: PolicyStatus): Policy {
  return status.state === 'applied' ? status.policy : {};
}

export interface ResolvedSettings {
  values: EffectiveSettings;
  /** Setting names the UI shows read-only (AppInfo.locked): `serverUrl`, `notifications.incomingCall`, `updates`, … */
  locked: string[];
}

type Flat = Exclude<keyof EffectiveSettings, 'notifications' | 'hotkeys'>;
const FLAT_KEYS: Flat[] = ['closeToTray', 'serverUrl', 'username', 'place', 'raiseOnRing', 'startAtLogin', 'rememberPassword', 'language'];
const TOGGLE_KEYS: (keyof NotificationToggles)[] = ['incomingCall', 'callEstablished', 'callReleased', 'previewRecord', 'previewRecordActions', 'connection'];

export function resolveSettings(user: UserSettings, policy: Policy): ResolvedSettings {
  const locked: string[] = [];
  const values = { ...BUILTIN_DEFAULTS, notifications: { ...BUILTIN_DEFAULTS.notifications }, hotkeys: { ...BUILTIN_DEFAULTS.hotkeys } };
  const enforced = policy as Partial<Record<Flat, unknown>>;
  const defaults = (policy.defaults ?? {}) as Partial<Record<Flat, unknown>>;
  const mine = user as Partial<Record<Flat, unknown>>;
  for (const key of FLAT_KEYS) {
    const value = enforced[key] ?? mine[key] ?? defaults[key];
    if (value !== undefined) (values as Record<string, unknown>)[key] = value;
    if (enforced[key] !== undefined) locked.push(key);
  }
  for (const key of TOGGLE_KEYS) {
    const value = policy.notifications?.[key] ?? user.notifications?.[key] ?? policy.defaults?.notifications?.[key];
    if (value !== undefined) values.notifications[key] = value;
    if (policy.notifications?.[key] !== undefined) locked.push(`notifications.${key}`);
  }
  const chosen: Partial<Record<HotkeyAction, string>> = {};
  for (const key of HOTKEY_ACTIONS) {
    const value = policy.hotkeys?.[key] ?? user.hotkeys?.[key] ?? policy.defaults?.hotkeys?.[key];
    if (value !== undefined) chosen[key] = value;
    if (policy.hotkeys?.[key] !== undefined) locked.push(`hotkeys.${key}`);
  }
  values.hotkeys = normalizeBindings(chosen);
  if (policy.updates !== undefined) locked.push('updates');
  if (policy.workRules !== undefined) locked.push('workRules');
  return { values, locked };
}

/** Whether the agent may change a setting (the settings service refuses locked ones). */
export function isLocked(resolved: ResolvedSettings, key: string): boolean {
  return resolved.locked.includes(key) || resolved.locked.some((k) => key.startsWith(`${k}.`));
}
