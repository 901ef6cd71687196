/**
 * Start at login, electron-free parts: the Windows/macOS login-item settings, the Linux XDG
 * autostart entry (text built here, written by login-item.ts), and whether this launch came from
 * login (then the app starts hidden in the tray).
 */
import { posix } from 'node:path';

const HIDDEN_FLAG = '--hidden';
const AUTOSTART_FILE_NAME = 'gws-softphone.desktop';

/** `~/.config/autostart/gws-softphone.desktop`, honouring XDG_CONFIG_HOME. */
export function autostartFilePath(home: string, xdgConfigHome?: string): string {
  const base = xdgConfigHome && posix.isAbsolute(xdgConfigHome) ? xdgConfigHome : posix.join(home, '.config');
  return posix.join(base, 'autostart', AUTOSTART_FILE_NAME);
}

/** Quotes one Exec argument per the Desktop Entry spec (and doubles `%`, which is a field code). */
export function quoteExecArg(arg: string): string {
  const escaped = arg.replace(/%/g, '%%');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(escaped)) return escaped;
  return `"${escaped.replace(/(["`$\\])/g, '\\$1')}"`;
}

export interface AutostartEntryOptions {
  /** The executable: `$APPIMAGE` for an AppImage (its mount point changes each run), else process.execPath. */
  exec: string;
  name?: string;
  icon?: string;
}

export function autostartDesktopEntry(options: AutostartEntryOptions): string {
  const name = (options.name ?? 'GWS Softphone').replace(/[\r\n]/g, ' ');
  const lines = [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${name}`,
    'Comment=Contact-center softphone (started at login)',
    `Exec=${[options.exec, HIDDEN_FLAG].map(quoteExecArg).join(' ')}`,
    ...(options.icon ? [`Icon=${options.icon.replace(/[\r\n]/g, '')}`] : []),
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    'StartupNotify=false',
  ];
  return `${lines.join('\n')}\n`;
}

/** `app.setLoginItemSettings` arguments (Windows and macOS). */
export function loginItemSettings(enabled: boolean, platform: NodeJS.Platform): { openAtLogin: boolean; args?: string[]; type?: 'mainAppService' } {
  if (platform === 'win32') return { openAtLogin: enabled, args: [HIDDEN_FLAG] };
  // macOS 13+ (Electron ≥ 28 uses SMAppService): `openAsHidden` no longer exists; the launch is
  // recognised by getLoginItemSettings().wasOpenedAtLogin instead.
  return { openAtLogin: enabled, type: 'mainAppService' };
}

export function launchedAtLogin(options: { argv: readonly string[]; wasOpenedAtLogin?: boolean }): boolean {
  return options.argv.includes(HIDDEN_FLAG) || options.wasOpenedAtLogin === true;
}
