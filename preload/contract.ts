/**
 * THE contract between the renderer and the main process: every command (name, argument schema,
 * result type) and every event the renderer can receive. Main (ipc/router), the preload
 * (api.ts) and the browser harness all use this module; the renderer imports its types only.
 *
 * Arguments are zod schemas because everything that crosses the boundary is parsed from `unknown`
 * in main before a handler runs (a renderer is never trusted). Results are described by type only:
 * main produces them.
 */
import { z } from 'zod';
import type { CommandName, EventName } from './channels';
import type { AgentSnapshot } from '../main/agent/snapshot';
import type { ErrorCode as CoreErrorCode } from '../main/gws/errors';
import type { Settings } from '../main/desktop/settings-schema';
import type { Language } from './i18n/languages';
import { SettingsUpdateSchema } from '../main/desktop/settings-schema';
import { DTMF_MAX_LENGTH, DTMF_PATTERN, DTMF_RULE, PHONE_NUMBER_MAX_LENGTH, PHONE_NUMBER_PATTERN, PHONE_NUMBER_RULE, normalizePhoneNumber } from './number-rules';

export type { AgentSnapshot };

/** A marker carrying a result type without a runtime value. */
const result = <T>() => undefined as unknown as T;

const id = z.string().trim().min(1, 'must not be empty').max(200, 'is too long');
/** A phone number an agent may type (main/agent/number-rules.ts: the session's rule too), sent without separators. */
const phoneNumber = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(PHONE_NUMBER_MAX_LENGTH, 'is too long')
  .regex(PHONE_NUMBER_PATTERN, PHONE_NUMBER_RULE)
  .transform(normalizePhoneNumber);
const recordHandle = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,12}$/, 'must be a record handle')]);
const campaignName = z.string().trim().min(1, 'must not be empty').max(200, 'is too long');
const userData = z.record(z.string().max(200), z.union([z.string().max(10_000), z.number(), z.boolean()]));

export const SignInArgs = z.strictObject({
  serverUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  username: z.string().trim().min(1, 'must not be empty').max(200),
  password: z.string().min(1, 'must not be empty').max(500),
  place: z.string().trim().max(200).optional(),
});
export type SignInArgs = z.infer<typeof SignInArgs>;

const none = z.strictObject({});
const onCall = z.strictObject({ callId: id });
const toNumber = z.strictObject({ callId: id, phoneNumber });
const onRecord = z.strictObject({ recordHandle });

export const CallResultName = z.string().regex(/^[A-Za-z]{1,40}$/, 'must be an OCS call result name');

/** Every command: `args` is parsed in main; `result` is the resolved value's type. */
export const commands = {
  /** Full state, sent again on demand (the renderer asks once on start, then follows `changes`). */
  getSnapshot: { args: none, result: result<AppSnapshot>() },
  signIn: { args: SignInArgs, result: result<void>() },
  signOut: { args: none, result: result<void>() },

  ready: { args: none, result: result<void>() },
  /** Not Ready; with the operationName of a configured agent state (`OutToLunch`), that state. */
  notReady: { args: z.strictObject({ operationName: z.string().trim().min(1).max(100).optional() }), result: result<void>() },
  afterCallWork: { args: none, result: result<void>() },
  /** DoNotDisturbOn / DoNotDisturbOff on the agent's device. */
  setDoNotDisturb: { args: z.strictObject({ on: z.boolean() }), result: result<void>() },
  /** Back to Ready when the wrap-up time runs out; refused (NOT_ALLOWED_IN_STATE) when IT set it. */
  setReadyAfterWrapUp: { args: z.strictObject({ enabled: z.boolean() }), result: result<void>() },

  dial: { args: z.strictObject({ phoneNumber }), result: result<void>() },
  answer: { args: onCall, result: result<void>() },
  hangup: { args: onCall, result: result<void>() },
  hold: { args: onCall, result: result<void>() },
  retrieve: { args: onCall, result: result<void>() },
  sendDtmf: {
    args: z.strictObject({ callId: id, digits: z.string().min(1, 'must not be empty').max(DTMF_MAX_LENGTH, 'is too long').regex(DTMF_PATTERN, DTMF_RULE) }),
    result: result<void>(),
  },
  initiateTransfer: { args: toNumber, result: result<void>() },
  completeTransfer: { args: onCall, result: result<void>() },
  singleStepTransfer: { args: toNumber, result: result<void>() },
  initiateConference: { args: toNumber, result: result<void>() },
  completeConference: { args: onCall, result: result<void>() },
  swapCalls: { args: z.strictObject({ callId: id, otherCallId: id }), result: result<void>() },
  singleStepConference: { args: toNumber, result: result<void>() },
  startCallRecording: { args: onCall, result: result<void>() },
  stopCallRecording: { args: onCall, result: result<void>() },
  /** SetCallDisposition on a live or just-released call; the key defaults to Workspace's `interaction.disposition.key-name`. */
  setCallDisposition: {
    args: z.strictObject({ callId: id, disposition: z.string().trim().min(1, 'must not be empty').max(200, 'is too long') }),
    result: result<void>(),
  },
  attachUserData: { args: z.strictObject({ callId: id, userData }), result: result<void>() },

  startPreviewSession: { args: z.strictObject({ campaignName }), result: result<void>() },
  endPreviewSession: { args: z.strictObject({ campaignName }), result: result<void>() },
  getPreviewRecord: { args: z.strictObject({ campaignName }), result: result<void>() },
  dialPreviewRecord: { args: z.strictObject({ recordHandle, phoneNumber: phoneNumber.optional() }), result: result<void>() },
  rejectRecord: { args: onRecord, result: result<void>() },
  cancelRecord: { args: onRecord, result: result<void>() },
  doNotCallRecord: {
    args: z.strictObject({ recordHandle, chainAttribute: z.enum(['RecordOnly', 'AllChain']) }),
    result: result<void>(),
  },
  rescheduleRecord: {
    args: z.strictObject({
      recordHandle,
      callbackType: z.enum(['Personal', 'Campaign']),
      /** When to call back, epoch milliseconds; must be in the future. */
      at: z.number().int().positive(),
    }),
    result: result<void>(),
  },
  updateRecord: {
    args: z.strictObject({ recordHandle, otherFields: z.record(z.string().max(100), z.string().max(10_000)) }),
    result: result<void>(),
  },
  completeRecord: {
    args: z.strictObject({
      recordHandle,
      callResult: CallResultName,
      note: z.string().max(2_000).optional(),
      /** Ask for the next record of the same campaign once this one is acknowledged. */
      getNext: z.boolean().optional(),
    }),
    result: result<void>(),
  },
  getChainedRecords: { args: onRecord, result: result<void>() },
  /** A record outcome the server refused stays in the outbox until the agent retries or discards it. */
  retryOutboxEntry: { args: z.strictObject({ id }), result: result<void>() },
  discardOutboxEntry: { args: z.strictObject({ id }), result: result<void>() },
  /** The agent dismissed the error shown: it is cleared in the core too (the tray, toasts and a reload see it gone). */
  clearError: { args: none, result: result<void>() },
  /** Stops the automatic Dial's countdown on the offered record (preview pacing); it does not restart for that record. */
  cancelAutoDial: { args: none, result: result<void>() },

  /** Desktop settings (the Electron shell; the browser harness answers that they do not apply). */
  getSettings: { args: none, result: result<SettingsView>() },
  updateSettings: {
    /** What the settings screen may change (main/desktop/settings-schema.ts: the settings described once). */
    args: SettingsUpdateSchema,
    result: result<{ refused: string[] }>(),
  },
  testNotification: { args: none, result: result<{ shown: boolean }>() },
  exportDiagnostics: { args: none, result: result<{ path?: string }>() },
  /** Restart into a downloaded update; refused while a call is live. */
  installUpdate: { args: none, result: result<{ decision: string; reason?: string }>() },
} as const;

/** What the settings screen shows: the effective values and the keys IT locked. */
export interface SettingsView {
  values: Settings;
  locked: string[];
  /** Hotkeys that could not be bound (taken by the OS or another app, twice the same key, not a key): shown in Settings. */
  hotkeyProblems?: { action: HotkeyActionName; accelerator: string; reason: 'invalid' | 'duplicate' | 'taken'; message: string }[];
}

export type HotkeyActionName = keyof Settings['hotkeys'];

export { commandNames, eventNames, INVOKE_CHANNEL, eventChannel } from './channels';
export type { CommandName, EventName } from './channels';

// The name list and the schema table are one truth: each must cover exactly the other.
type SchemaNames = keyof typeof commands;
type _SameNames = [Exclude<SchemaNames, CommandName>, Exclude<CommandName, SchemaNames>] extends [never, never] ? true : never;
const _sameNames: _SameNames = true;
void _sameNames;
export type CommandArgs<C extends CommandName> = z.input<(typeof commands)[C]['args']>;
export type ParsedArgs<C extends CommandName> = z.output<(typeof commands)[C]['args']>;
export type CommandResult<C extends CommandName> = (typeof commands)[C]['result'];

/**
 * What the UI can act on, whatever went wrong underneath: the core's codes (SESSION_EXPIRED,
 * NOT_ALLOWED_IN_STATE, OFFLINE, VALIDATION, SERVER, AUTH_FAILED, FORBIDDEN, CSRF, UNREACHABLE,
 * CERT_UNTRUSTED, TIMEOUT, MALFORMED_REPLY), plus INTERNAL for a bug on our side.
 */
export type ErrorCode = CoreErrorCode | 'INTERNAL';

export interface ContractError {
  code: ErrorCode;
  /** A sentence for the agent. */
  message: string;
  /** For VALIDATION: each offending field path and what is wrong with it. */
  issues?: { path: string; message: string }[];
}

/** Results and errors cross the boundary in one envelope (STYLE.md 4). */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ContractError };

/** Desktop-side facts the renderer shows beside the agent's state. */
export interface AppInfo {
  version: string;
  /** Pre-filled on the sign-in screen (the built-in simulator when nothing else is configured). */
  defaultServerUrl: string;
  defaultUsername?: string;
  defaultPlace?: string;
  /** Settings that IT locked by policy (the UI shows them read-only). */
  locked: string[];
  /** Where the app runs: the desktop shell or the development browser harness. */
  shell: 'electron' | 'browser-harness';
  update?: { state: 'idle' | 'checking' | 'downloading' | 'ready' | 'disabled' | 'error'; version?: string; message?: string };
  /** The machine-wide IT policy file: absent, applied, or malformed and ignored (with the problem). */
  policy?: { state: 'none' | 'applied' | 'invalid'; path: string; problem?: string };
  /** The language in effect (the setting, else the OS's); absent in the browser harness, which follows the browser's. */
  language?: Language;
}

export interface AppSnapshot {
  agent: AgentSnapshot;
  app: AppInfo;
}

/** Events main sends to the renderer. */
export interface Events {
  /** The agent state's changed top-level keys only (a full snapshot comes from app.getSnapshot). */
  changes: Partial<AgentSnapshot>;
  app: AppInfo;
  /** Bring a call to the front (a notification or tray click). */
  'focus-call': { callId: string };
  /** Open the dial pad prefilled (tel:/callto: links). */
  'prefill-dial': { phoneNumber: string };
}
// Every event name has a payload type and every payload type a name.
type _EventsCovered = [EventName] extends [keyof Events] ? ([keyof Events] extends [EventName] ? true : never) : never;
const _eventsCovered: _EventsCovered = true;
void _eventsCovered;

/** What `window.softphone` offers: one function per command, and `on` returning an unsubscribe. */
export type SoftphoneApi = {
  [C in CommandName]: (args: CommandArgs<C>) => Promise<Envelope<CommandResult<C>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};
