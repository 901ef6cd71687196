/**
 * electron-store and safeStorage adapters behind SettingsBackend and SecretCipher (settings.ts).
 */
import { safeStorage } from 'electron';
import Store from 'electron-store';
import type { SecretCipher, SettingsBackend } from '../settings';
import { settingsStoreOptions } from '../settings';

export function openSettingsStore(): SettingsBackend {
  return new Store<Record<string, unknown>>({ ...settingsStoreOptions });
}

/**
 * safeStorage: DPAPI on Windows, the Keychain on macOS, libsecret/kwallet on Linux. On Linux without
 * a secret service Chromium falls back to `basic_text`, a hard-coded key: that is not encryption,
 * so the password is then not stored at all.
 */
export const safeStorageCipher: SecretCipher = {
  async isAvailable() {
    if (!safeStorage.isEncryptionAvailable()) return false;
    if (process.platform === 'linux' && ['basic_text', 'unknown'].includes(safeStorage.getSelectedStorageBackend())) return false;
    return true;
  },
  async encrypt(plainText) {
    return new Uint8Array(await safeStorage.encryptStringAsync(plainText));
  },
  async decrypt(cipherText) {
    return (await safeStorage.decryptStringAsync(Buffer.from(cipherText))).result;
  },
};
