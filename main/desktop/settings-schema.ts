/**
 * THE description of the desktop settings (issue 14: it was written six times). One zod schema;
 * from it come:
 * - the type of the effective settings (`Settings`, settings.ts's EffectiveSettings);
 * - the JSON schema electron-store/conf validates the stored file with (`storedSettingsJsonSchema`);
 * - what the agent may change from the settings screen (`SettingsUpdateSchema`: the contract's
 *   `updateSettings` payload, and its `SettingsView`);
 * - the keys IT can set or default in the policy (policy.ts builds `defaultable` from these fields,
 *   with the policy's stricter server URL and place);
 * - the notification toggles' type (notification-rules.ts).
 * Electron-free: zod only.
 */
import { z } from 'zod';
import { LANGUAGE_SETTINGS } from '../../preload/i18n/languages';
import { ACCELERATOR_MAX_LENGTH, ACCELERATOR_SHAPE, checkAccelerator } from '../../preload/accelerator-rules';

/** A global hotkey (`Control+Alt+D`, accelerator.ts), `""` for none. */
export const acceleratorSchema = z
  .string()
  .max(ACCELERATOR_MAX_LENGTH, 'is too long')
  .regex(ACCELERATOR_SHAPE, 'must be a key combination like Control+Alt+D, or "" for none')
  .superRefine((value, ctx) => {
    const checked = checkAccelerator(value);
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: `must be a key combination like Control+Alt+D: ${checked.problem}` });
  });

export const NotificationTogglesSchema = z.strictObject({
  incomingCall: z.boolean(),
  callEstablished: z.boolean(),
  callReleased: z.boolean(),
  previewRecord: z.boolean(),
  /** Dial and Reject buttons on the preview record toast (macOS, Windows). */
  previewRecordActions: z.boolean(),
  connection: z.boolean(),
});

export const HotkeysSchema = z.strictObject({
  answerOrHangUp: acceleratorSchema,
  dialRecord: acceleratorSchema,
  rejectRecord: acceleratorSchema,
  readyNotReady: acceleratorSchema,
  holdRetrieve: acceleratorSchema,
  showWindow: acceleratorSchema,
});

/** The settings the agent (and IT) can change: their shapes and limits. */
export const SettingsSchema = z.strictObject({
  closeToTray: z.boolean(),
  serverUrl: z.string().max(2000),
  username: z.string().max(200),
  place: z.string().max(200),
  notifications: NotificationTogglesSchema,
  raiseOnRing: z.boolean(),
  startAtLogin: z.boolean(),
  rememberPassword: z.boolean(),
  /** Global hotkeys by action (`""`: none). */
  hotkeys: HotkeysSchema,
  /** The app's language: `system` follows the OS (preload/i18n). */
  language: z.enum(LANGUAGE_SETTINGS),
});

export type Settings = z.infer<typeof SettingsSchema>;
export type NotificationToggles = z.infer<typeof NotificationTogglesSchema>;

/** What the settings screen may change (the sign-in fields change by signing in). */
export const SettingsUpdateSchema = z.strictObject({
  closeToTray: SettingsSchema.shape.closeToTray.optional(),
  raiseOnRing: SettingsSchema.shape.raiseOnRing.optional(),
  startAtLogin: SettingsSchema.shape.startAtLogin.optional(),
  rememberPassword: SettingsSchema.shape.rememberPassword.optional(),
  notifications: NotificationTogglesSchema.partial().optional(),
  /** Per action; `""` removes one. */
  hotkeys: HotkeysSchema.partial().optional(),
  language: SettingsSchema.shape.language.optional(),
});

export type SettingsUpdate = z.infer<typeof SettingsUpdateSchema>;

/**
 * The JSON schema of each stored key (conf's `schema` option: one per top-level property), from
 * SettingsSchema. The checks JSON schema cannot express (a valid key combination) are made when a
 * hotkey is bound (hotkeys.ts); the shape and lengths hold here.
 */
export function storedSettingsJsonSchema(): Record<keyof Settings, Record<string, unknown>> {
  const out = {} as Record<keyof Settings, Record<string, unknown>>;
  for (const [key, schema] of Object.entries(SettingsSchema.shape) as [keyof Settings, z.ZodType][]) {
    // Stored values are partial (a key the agent never set is absent), and nothing else is stored.
    const partial = schema instanceof z.ZodObject ? schema.partial() : schema;
    const json = z.toJSONSchema(partial, { target: 'draft-7', unrepresentable: 'any' }) as Record<string, unknown>;
    delete json['$schema'];
    // A hotkey is checked when it is bound (hotkeys.ts), as before: the stored file only holds its length.
    if (key === 'hotkeys') for (const property of Object.values((json['properties'] ?? {}) as Record<string, Record<string, unknown>>)) delete property['pattern'];
    out[key] = json;
  }
  return out;
}
