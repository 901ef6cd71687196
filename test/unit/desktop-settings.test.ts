import Conf from 'conf';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecretCipher } from '../../main/desktop/settings';
import { SettingsRepository, memorySettingsBackend, settingsStoreOptions } from '../../main/desktop/settings';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gws-settings-'));
  dirs.push(dir);
  return dir;
}

/** The same options electron-store gets, on conf (its engine) under plain Node. */
function open(cwd: string, projectVersion = '0.1.0') {
  return new Conf<Record<string, unknown>>({ ...settingsStoreOptions, configName: settingsStoreOptions.name, projectName: 'gws-softphone-test', projectVersion, cwd });
}

/** A reversible "OS" cipher whose output never contains the plain text. */
function fakeCipher(available = true): SecretCipher & { calls: number } {
  const cipher = {
    calls: 0,
    isAvailable: () => Promise.resolve(available),
    encrypt: (plain: string) => {
      cipher.calls += 1;
      return Promise.resolve(Uint8Array.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0xa5)));
    },
    decrypt: (data: Uint8Array) => Promise.resolve(Buffer.from(Buffer.from(data).map((b) => b ^ 0xa5)).toString('utf8')),
  };
  return cipher;
}

describe('settings store (schema and migrations on conf)', () => {
  it('validates against the JSON schema', () => {
    const store = open(tempDir());
    store.set('closeToTray', false);
    store.set('windowBounds', { x: 10, y: 20, width: 900, height: 700 });
    expect(() => store.set('closeToTray', 'yes')).toThrow(/closeToTray/);
    expect(() => store.set('encryptedPassword', 'hunter2')).toThrow(/encryptedPassword/);
    expect(() => store.set('notifications', { incomingCall: true, sound: 'ding' })).toThrow(/notifications/);
  });

  it('migrates a pre-release file: drops the plain-text password, splits notify, renames bounds', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'settings.json'), JSON.stringify({ password: 'hunter2', notify: false, bounds: { width: 800, height: 600 }, username: 'agent1' }));
    const store = open(cwd);
    expect(store.get('password')).toBeUndefined();
    expect(store.get('notify')).toBeUndefined();
    expect(store.get('notifications')).toEqual({ incomingCall: false, callEstablished: false, callReleased: false, previewRecord: false, connection: false });
    expect(store.get('windowBounds')).toEqual({ width: 800, height: 600 });
    expect(store.get('username')).toBe('agent1');
    expect(readFileSync(join(cwd, 'settings.json'), 'utf8')).not.toContain('hunter2');
  });

  it('starts over on a corrupt file instead of crashing', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'settings.json'), '{ not json');
    expect(open(cwd).get('closeToTray')).toBeUndefined();
  });
});

describe('password policy', () => {
  it('stores the password only encrypted, never in plain text', async () => {
    const cwd = tempDir();
    const repo = new SettingsRepository(open(cwd), fakeCipher());
    await expect(repo.rememberPassword('hunter2-Secret!', true)).resolves.toBe('stored');
    const file = readFileSync(join(cwd, 'settings.json'), 'utf8');
    expect(file).not.toContain('hunter2');
    expect(file).toMatch(/"encryptedPassword": "safeStorage:v1:/);
    expect(JSON.stringify(repo.user())).not.toContain('encryptedPassword');
    await expect(new SettingsRepository(open(cwd), fakeCipher()).password()).resolves.toBe('hunter2-Secret!');
  });

  it('stores nothing when the OS offers no encryption, and removes an older one', async () => {
    const backend = memorySettingsBackend();
    await new SettingsRepository(backend, fakeCipher(true)).rememberPassword('old', true);
    const repo = new SettingsRepository(backend, fakeCipher(false));
    await expect(repo.rememberPassword('hunter2', true)).resolves.toBe('not-stored:no-os-encryption');
    expect(JSON.stringify(backend.store)).not.toContain('hunter2');
    expect(repo.hasPassword()).toBe(false);
    await expect(repo.password()).resolves.toBeUndefined();
  });

  it('stores nothing when the agent did not ask, and forgets on opt-out', async () => {
    const backend = memorySettingsBackend();
    const repo = new SettingsRepository(backend, fakeCipher());
    await expect(repo.rememberPassword('hunter2', false)).resolves.toBe('not-stored:disabled');
    expect(repo.hasPassword()).toBe(false);
    await repo.rememberPassword('hunter2', true);
    repo.set('rememberPassword', false);
    expect(repo.hasPassword()).toBe(false);
  });

  it('drops a ciphertext the OS can no longer decrypt', async () => {
    const backend = memorySettingsBackend({ encryptedPassword: 'safeStorage:v1:AAAA' });
    const repo = new SettingsRepository(backend, { ...fakeCipher(), decrypt: () => Promise.reject(new Error('key rotated')) });
    await expect(repo.password()).resolves.toBeUndefined();
    expect(repo.hasPassword()).toBe(false);
  });

  it('never stores a plain-text value if encryption throws', async () => {
    const backend = memorySettingsBackend();
    const repo = new SettingsRepository(backend, { ...fakeCipher(), encrypt: () => Promise.reject(new Error('keychain locked')) });
    await expect(repo.rememberPassword('hunter2', true)).resolves.toBe('not-stored:encryption-failed');
    expect(JSON.stringify(backend.store)).not.toContain('hunter2');
  });
});
