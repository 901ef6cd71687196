/**
 * User settings: their JSON schema and migrations (handed to electron-store, tested with `conf`,
 * the same engine under plain Node), the store behind a small interface, and the password policy:
 * the password is only ever stored encrypted by the OS (safeStorage), and not at all where the OS
 * offers no real key store.
 *
 * Settings that IT may set by policy carry no stored default: "the agent never chose" must stay
 * distinguishable from "the agent chose the default", or a policy default could never apply
 * (see resolveSettings in policy.ts).
 */
import type { Bounds } from './window-policy';
import type { NotificationToggles } from './notification-rules';
import { DEFAULT_NOTIFICATION_TOGGLES } from './notification-rules';
import type { HotkeyBindings } from './hotkeys';
import { DEFAULT_HOTKEYS } from './hotkeys';
import type { Settings } from './settings-schema';
import { storedSettingsJsonSchema } from './settings-schema';

export interface UserSettings {
  windowBounds?: Bounds;
  closeToTray?: boolean;
  serverUrl?: string;
  username?: string;
  place?: string;
  notifications?: Partial<NotificationToggles>;
  raiseOnRing?: boolean;
  startAtLogin?: boolean;
  rememberPassword?: boolean;
  /** Global hotkeys the agent chose (`""`: none); validated when they are bound (hotkeys.ts). */
  hotkeys?: Partial<HotkeyBindings>;
  /** `safeStorage` ciphertext, base64, with a format prefix. Never the password itself. */
  encryptedPassword?: string;
}

export type SettingKey = keyof UserSettings;

/** The settings the agent (and IT) can change (described once: settings-schema.ts). */
export type EffectiveSettings = Settings;

export const BUILTIN_DEFAULTS: EffectiveSettings = {
  closeToTray: true,
  serverUrl: '',
  username: '',
  place: '',
  notifications: { ...DEFAULT_NOTIFICATION_TOGGLES },
  raiseOnRing: true,
  startAtLogin: false,
  rememberPassword: false,
  hotkeys: { ...DEFAULT_HOTKEYS },
  language: 'system',
};

/**
 * JSON schema of each stored key (conf's `schema` option: one schema per top-level property): the
 * settings' from settings-schema.ts, plus what only the store keeps (window bounds, the encrypted
 * password).
 */
export const settingsSchema = {
  windowBounds: {
    type: 'object',
    properties: { x: { type: 'number' }, y: { type: 'number' }, width: { type: 'number', minimum: 1 }, height: { type: 'number', minimum: 1 } },
    required: ['width', 'height'],
    additionalProperties: false,
  },
  ...storedSettingsJsonSchema(),
  encryptedPassword: { type: 'string', pattern: '^safeStorage:v1:[A-Za-z0-9+/=]+$' },
};

/** The slice of a conf/electron-store instance that migrations use. */
export interface MigrationStore {
  has(key: string): boolean;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/**
 * Migrations by app version (conf runs each whose version lies above the last migrated one and at
 * most the running version). 0.1.0 cleans what pre-release builds wrote: a plain-text `password`
 * (removed, never carried over), a flat `notify` flag (now per-event toggles), `bounds` (renamed).
 */
export const settingsMigrations: Record<string, (store: MigrationStore) => void> = {
  '0.1.0': (store) => {
    store.delete('password');
    if (store.has('notify')) {
      const on = store.get('notify') === true;
      store.set('notifications', { incomingCall: on, callEstablished: on, callReleased: on, previewRecord: on, connection: on });
      store.delete('notify');
    }
    if (store.has('bounds')) {
      const bounds = store.get('bounds');
      store.delete('bounds');
      if (bounds && typeof bounds === 'object' && typeof (bounds as Bounds).width === 'number' && typeof (bounds as Bounds).height === 'number') {
        store.set('windowBounds', bounds);
      }
    }
  },
};

/** Options for `new Store(…)` (electron-store) and `new Conf(…)` alike. */
export const settingsStoreOptions = {
  name: 'settings',
  schema: settingsSchema,
  migrations: settingsMigrations,
  // A corrupt settings file costs the agent some preferences, never the app.
  clearInvalidConfig: true,
  accessPropertiesByDotNotation: false,
} as const;

/** The store as the app needs it (electron-store in the app, conf or a Map in tests). */
export interface SettingsBackend {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  readonly store: Record<string, unknown>;
}

/** OS-backed encryption (Electron's safeStorage in the app). */
export interface SecretCipher {
  /** False where the OS offers no real key store (incl. Linux's `basic_text` fallback, a hard-coded key). */
  isAvailable(): Promise<boolean>;
  encrypt(plainText: string): Promise<Uint8Array>;
  decrypt(cipherText: Uint8Array): Promise<string>;
}

const CIPHER_PREFIX = 'safeStorage:v1:';

export type RememberResult = 'stored' | 'not-stored:disabled' | 'not-stored:no-os-encryption' | 'not-stored:encryption-failed';

export class SettingsRepository {
  constructor(
    private readonly backend: SettingsBackend,
    private readonly cipher: SecretCipher,
  ) {}

  /** What the agent stored (no defaults, never the ciphertext). */
  user(): UserSettings {
    const { encryptedPassword: _omit, ...rest } = this.backend.store as UserSettings & Record<string, unknown>;
    const out: UserSettings = {};
    for (const key of Object.keys(settingsSchema) as SettingKey[]) {
      if (key !== 'encryptedPassword' && rest[key] !== undefined) (out as Record<string, unknown>)[key] = rest[key];
    }
    return out;
  }

  set<K extends Exclude<SettingKey, 'encryptedPassword'>>(key: K, value: UserSettings[K]): void {
    if (value === undefined) this.backend.delete(key);
    else this.backend.set(key, value);
    if (key === 'rememberPassword' && value === false) this.forgetPassword();
  }

  /**
   * Stores the password encrypted by the OS when the agent asked for it and the OS can; otherwise
   * stores nothing (and removes an older one).
   */
  async rememberPassword(password: string, allowed: boolean): Promise<RememberResult> {
    if (!allowed) {
      this.forgetPassword();
      return 'not-stored:disabled';
    }
    if (!(await this.cipher.isAvailable())) {
      this.forgetPassword();
      return 'not-stored:no-os-encryption';
    }
    try {
      const sealed = await this.cipher.encrypt(password);
      this.backend.set('encryptedPassword', CIPHER_PREFIX + Buffer.from(sealed).toString('base64'));
      return 'stored';
    } catch {
      this.forgetPassword();
      return 'not-stored:encryption-failed';
    }
  }

  /** The remembered password, or undefined (none, or the OS can no longer decrypt it). */
  async password(): Promise<string | undefined> {
    const stored = this.backend.get('encryptedPassword');
    if (typeof stored !== 'string' || !stored.startsWith(CIPHER_PREFIX)) return undefined;
    if (!(await this.cipher.isAvailable())) return undefined;
    try {
      return await this.cipher.decrypt(Buffer.from(stored.slice(CIPHER_PREFIX.length), 'base64'));
    } catch {
      // Key rotated or profile copied to another machine: the ciphertext is useless, drop it.
      this.forgetPassword();
      return undefined;
    }
  }

  hasPassword(): boolean {
    return typeof this.backend.get('encryptedPassword') === 'string';
  }

  forgetPassword(): void {
    this.backend.delete('encryptedPassword');
  }
}

/** A Map-backed store for tests and for running without a writable profile. */
export function memorySettingsBackend(initial: Record<string, unknown> = {}): SettingsBackend {
  const data = new Map(Object.entries(initial));
  return {
    get: (key) => data.get(key),
    set: (key, value) => void data.set(key, value),
    delete: (key) => void data.delete(key),
    get store() {
      return Object.fromEntries(data);
    },
  };
}
