// The desktop settings are described once (main/desktop/settings-schema.ts); the store's JSON
// schema, the contract's payload, the policy's keys and the defaults all come from it.
import Conf from 'conf';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicySchema } from '../../main/desktop/policy';
import { BUILTIN_DEFAULTS, settingsSchema } from '../../main/desktop/settings';
import { SettingsSchema, SettingsUpdateSchema } from '../../main/desktop/settings-schema';
import { commands } from '../../preload/contract';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('settings, described once', () => {
  it('the built-in defaults are valid settings', () => {
    expect(SettingsSchema.parse(BUILTIN_DEFAULTS)).toEqual(BUILTIN_DEFAULTS);
  });

  it('the stored file has a JSON schema for every setting, and conf validates with it', () => {
    for (const key of Object.keys(SettingsSchema.shape)) expect(settingsSchema).toHaveProperty(key);
    const cwd = mkdtempSync(join(tmpdir(), 'settings-schema-'));
    dirs.push(cwd);
    const store = new Conf<Record<string, unknown>>({ cwd, projectName: 'gws-softphone-test', schema: settingsSchema as never });
    store.set('notifications', { incomingCall: false });
    store.set('hotkeys', { dialRecord: 'Control+F9' });
    expect(() => store.set('raiseOnRing', 'yes')).toThrow();
    expect(() => store.set('notifications', { incomingCall: false, surprise: true })).toThrow();
  });

  it("the contract's updateSettings payload is the schema's own", () => {
    expect(commands.updateSettings.args).toBe(SettingsUpdateSchema);
    for (const key of Object.keys(SettingsUpdateSchema.shape)) expect(SettingsSchema.shape).toHaveProperty(key);
  });

  it('IT can lock and default every setting except the user name (signing in sets it)', () => {
    const { username: _username, ...itKeys } = BUILTIN_DEFAULTS;
    expect(PolicySchema.safeParse({ ...itKeys, serverUrl: 'https://gws.example.com', place: 'Place_1' }).success).toBe(true);
    expect(PolicySchema.safeParse({ defaults: { ...itKeys, serverUrl: 'https://gws.example.com', place: 'Place_1' } }).success).toBe(true);
    expect(PolicySchema.safeParse({ notifications: { incomingCall: 'no' } }).success).toBe(false);
    expect(PolicySchema.safeParse({ hotkeys: { dialRecord: 'Control+NotAKey+' } }).success).toBe(false);
  });
});
