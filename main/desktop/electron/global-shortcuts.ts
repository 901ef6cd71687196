/**
 * Electron's globalShortcut behind the registry's ShortcutPort (hotkeys.ts). Thin on purpose:
 * what a key does is decided in hotkey-rules.ts, which keys are bound and what went wrong in
 * hotkeys.ts. `register` returns false when the OS or another app holds the key (Electron
 * documents that it then fails silently: the registry turns it into a problem Settings shows).
 */
import { globalShortcut } from 'electron';
import { HotkeyRegistry } from '../hotkeys';

export function createHotkeyRegistry(): HotkeyRegistry {
  return new HotkeyRegistry(
    {
      register: (accelerator, callback) => globalShortcut.register(accelerator, callback),
      unregister: (accelerator) => globalShortcut.unregister(accelerator),
    },
    process.platform,
  );
}
