/**
 * Global keyboard shortcuts. Each one clicks the first enabled button that carries its
 * `data-shortcut` name, so a shortcut obeys exactly the same guards as the button (disabled while
 * pending, offline, not allowed by capabilities) and never adds a second code path.
 */
export type ShortcutName = 'dial' | 'hangup' | 'hold' | 'next-record' | 'ready' | 'not-ready';

export interface Shortcut {
  /** For `aria-keyshortcuts`. */
  aria: string;
  /** For tooltips. */
  label: string;
  key: string;
  shift: boolean;
}

export const SHORTCUTS: Record<ShortcutName, Shortcut> = {
  dial: { aria: 'Control+D', label: 'Ctrl+D', key: 'd', shift: false },
  hangup: { aria: 'Control+H', label: 'Ctrl+H', key: 'h', shift: false },
  hold: { aria: 'Control+Shift+H', label: 'Ctrl+Shift+H', key: 'h', shift: true },
  'next-record': { aria: 'Control+N', label: 'Ctrl+N', key: 'n', shift: false },
  ready: { aria: 'Control+R', label: 'Ctrl+R', key: 'r', shift: false },
  'not-ready': { aria: 'Control+Shift+R', label: 'Ctrl+Shift+R', key: 'r', shift: true },
};

/** The tooltip text of an action with a shortcut: `Dial (Ctrl+D)`. */
export function withShortcut(text: string, name: ShortcutName): string {
  return `${text} (${SHORTCUTS[name].label})`;
}

export function matchShortcut(event: KeyboardEvent): ShortcutName | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.repeat) return null;
  const key = event.key.toLowerCase();
  for (const [name, shortcut] of Object.entries(SHORTCUTS) as [ShortcutName, Shortcut][]) {
    if (shortcut.key === key && shortcut.shift === event.shiftKey) return name;
  }
  return null;
}

/** Clicks the first enabled control for `name` inside `root`; false if none could act. */
export function triggerShortcut(name: ShortcutName, root: ParentNode = document): boolean {
  const target = root.querySelector<HTMLButtonElement>(`button[data-shortcut="${name}"]:not(:disabled)`);
  if (!target) return false;
  target.click();
  return true;
}
