/**
 * Start-at-login adapter: the OS login item on Windows and macOS, an XDG autostart entry on Linux
 * (text from autostart.ts). Failures are logged, never thrown: autostart is a convenience.
 */
import { app } from 'electron';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import type { Logger } from '../../gws/logger';
import { autostartDesktopEntry, autostartFilePath, launchedAtLogin, loginItemSettings } from '../autostart';

export async function applyStartAtLogin(enabled: boolean, log: Logger): Promise<void> {
  // A development build must not register the bare Electron binary to start at login.
  if (!app.isPackaged) return;
  try {
    if (process.platform === 'linux') {
      const file = autostartFilePath(homedir(), process.env.XDG_CONFIG_HOME);
      if (!enabled) return await rm(file, { force: true });
      // An AppImage runs from a new mount point each time: the entry must name the AppImage file.
      const exec = process.env.APPIMAGE || process.execPath;
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, autostartDesktopEntry({ exec, icon: 'gws-softphone' }), { mode: 0o644 });
      return;
    }
    app.setLoginItemSettings(loginItemSettings(enabled, process.platform));
  } catch (error) {
    log.warn('could not change start at login', { error: error instanceof Error ? error.message : String(error) });
  }
}

export function wasLaunchedAtLogin(): boolean {
  const wasOpenedAtLogin = process.platform === 'darwin' ? app.getLoginItemSettings().wasOpenedAtLogin : false;
  return launchedAtLogin({ argv: process.argv, wasOpenedAtLogin });
}
