/**
 * The Settings key recorder's half of the global-hotkey grammar: a key press → an Electron
 * accelerator (`CommandOrControl+Alt+D`), and an accelerator → what the agent reads on their OS.
 * Main checks what is sent (preload/accelerator-rules.ts, through the contract): a combination it
 * refuses comes back as a VALIDATION error whose words Settings shows.
 */
import type { MessageKey } from '../../preload/i18n';
import type { SettingsView } from './types';

export type HotkeyAction = keyof SettingsView['values']['hotkeys'];

/** Each action's row in Settings, its name a message (`t(row.label)`: the unit tests load this file without the renderer's language state). */
export const HOTKEY_ROWS: { action: HotkeyAction; label: MessageKey }[] = [
  { action: 'answerOrHangUp', label: 'desktop.hotkeys.answerOrHangUp' },
  { action: 'dialRecord', label: 'desktop.hotkeys.dialRecord' },
  { action: 'rejectRecord', label: 'desktop.hotkeys.rejectRecord' },
  { action: 'readyNotReady', label: 'desktop.hotkeys.readyNotReady' },
  { action: 'holdRetrieve', label: 'desktop.hotkeys.holdRetrieve' },
  { action: 'showWindow', label: 'desktop.hotkeys.showWindow' },
];

export interface KeyPress {
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

const NAMED: Record<string, string> = {
  Space: 'Space',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  Insert: 'Insert',
  Delete: 'Delete',
};

/** By physical key (`event.code`), so Alt+D on a Mac (which types ∂) still reads as D. Null for a modifier alone or a key we do not bind. */
function keyName(code: string): string | null {
  let m = /^Key([A-Z])$/.exec(code);
  if (m) return m[1] ?? null;
  m = /^Digit([0-9])$/.exec(code);
  if (m) return m[1] ?? null;
  m = /^Numpad([0-9])$/.exec(code);
  if (m) return `num${m[1]}`;
  if (/^F([1-9]|1\d|2[0-4])$/.test(code)) return code;
  return NAMED[code] ?? null;
}

/** The accelerator for a key press, or null while only modifiers are held. */
export function acceleratorOf(press: KeyPress, mac: boolean): string | null {
  const key = keyName(press.code);
  if (!key) return null;
  const parts: string[] = [];
  // Cmd on a Mac and Ctrl elsewhere are the same accelerator (CommandOrControl): a policy or a profile carried across works on both.
  if (mac ? press.metaKey : press.ctrlKey) parts.push('CommandOrControl');
  if (mac && press.ctrlKey) parts.push('Control');
  if (press.altKey) parts.push('Alt');
  if (press.shiftKey) parts.push('Shift');
  if (!mac && press.metaKey) parts.push('Super');
  return [...parts, key].join('+');
}

/**
 * `CommandOrControl+Alt+D` → `Ctrl+Alt+D` (`Cmd+Option+D` on a Mac); `""` → `""`. Key names as the
 * keys and main's messages spell them, in every language.
 */
export function hotkeyLabel(accelerator: string, mac: boolean): string {
  if (!accelerator) return '';
  const words: Record<string, string> = mac ? { CommandOrControl: 'Cmd', Command: 'Cmd', Control: 'Ctrl', Alt: 'Option' } : { CommandOrControl: 'Ctrl', Control: 'Ctrl', Command: 'Cmd', Super: 'Win' };
  return accelerator
    .split('+')
    .map((part) => words[part] ?? part)
    .join('+');
}

export function isMac(): boolean {
  // Through globalThis: the unit tests type-check this file without the DOM library.
  const agent = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? '';
  return /Mac/i.test(agent);
}
