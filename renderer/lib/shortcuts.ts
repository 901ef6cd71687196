/**
 * Global keyboard shortcuts. Each one clicks the first enabled button that carries its
 * `data-shortcut` name, so a shortcut obeys exactly the same guards as the button (disabled while
 * pending, offline, not allowed by capabilities) and never adds a second code path.
 */
import { t } from '../state/i18n.svelte';

export type ShortcutName = 'dial' | 'hangup' | 'hold' | 'next-record' | 'ready' | 'not-ready';

export interface Shortcut {
  /** For `aria-keyshortcuts` (key names are not translated there). */
  aria: string;
  /** For tooltips, in the agent's language (`Ctrl+Shift+R`, `Strg+Umschalt+R`). */
  readonly label: string;
  key: string;
  shift: boolean;
}

function shortcut(key: string, shift: boolean): Shortcut {
  const letter = key.toUpperCase();
  return {
    aria: shift ? `Control+Shift+${letter}` : `Control+${letter}`,
    get label() {
      return t(shift ? 'app.shortcut.ctrlShift' : 'app.shortcut.ctrl', { key: letter });
    },
    key,
    shift,
  };
}

export const SHORTCUTS: Record<ShortcutName, Shortcut> = {
  dial: shortcut('d', false),
  hangup: shortcut('h', false),
  hold: shortcut('h', true),
  'next-record': shortcut('n', false),
  ready: shortcut('r', false),
  'not-ready': shortcut('r', true),
};

/** The tooltip text of an action with a shortcut: `Dial (Ctrl+D)`. */
export function withShortcut(text: string, name: ShortcutName): string {
  return t('app.shortcut.withKey', { action: text, shortcut: SHORTCUTS[name].label });
}

export function matchShortcut(event: KeyboardEvent): ShortcutName | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.repeat) return null;
  const key = event.key.toLowerCase();
  for (const [name, shortcut] of Object.entries(SHORTCUTS) as [ShortcutName, Shortcut][]) {
    if (shortcut.key === key && shortcut.shift === event.shiftKey) return name;
  }
  return null;
}

/**
 * Clicks the first enabled control for `name` inside `root`; false if none could act. A control
 * inside a `data-shortcut-scope` (the manual dial pad) answers the shortcut only while focus is in
 * that scope, and then nothing outside does: Ctrl+D while typing a number dials that number, never
 * the preview record (issue 12 #8).
 */
export function triggerShortcut(name: ShortcutName, root: ParentNode = document, from: Element | null = null): boolean {
  const selector = `button[data-shortcut="${name}"]`;
  const scope = from?.closest('[data-shortcut-scope]');
  if (scope?.querySelector(selector)) {
    const own = scope.querySelector<HTMLButtonElement>(`${selector}:not(:disabled)`);
    own?.click();
    return own !== null;
  }
  const target = [...root.querySelectorAll<HTMLButtonElement>(`${selector}:not(:disabled)`)].find((b) => !b.closest('[data-shortcut-scope]'));
  if (!target) return false;
  target.click();
  return true;
}
