/**
 * Global hotkeys: the actions, the bindings the agent (or IT) chose, and the registry that binds
 * them through a small port (Electron's globalShortcut in the app, a fake in tests). Electron-free.
 * A key the OS or another app refuses is kept as a problem that Settings shows: never lost silently.
 */
import { createTranslator, type MessageKey, type Translator } from '../../preload/i18n';
import { acceleratorProblemText } from '../../preload/i18n/accelerator-text';
import { acceleratorLabel, checkAccelerator } from '../../preload/accelerator-rules';

export const HOTKEY_ACTIONS = ['answerOrHangUp', 'dialRecord', 'rejectRecord', 'readyNotReady', 'holdRetrieve', 'showWindow'] as const;
export type HotkeyAction = (typeof HOTKEY_ACTIONS)[number];

/** An accelerator per action (`Control+Alt+D`); `''` binds nothing. */
export type HotkeyBindings = Record<HotkeyAction, string>;

/**
 * None by default: a global key is taken from every app on the desktop (a CRM's own shortcut
 * stops working), so the agent chooses, or IT sets them (`hotkeys`, `defaults.hotkeys`).
 */
export const DEFAULT_HOTKEYS: HotkeyBindings = { answerOrHangUp: '', dialRecord: '', rejectRecord: '', readyNotReady: '', holdRetrieve: '', showWindow: '' };

/**
 * The window's own keys (renderer/lib/shortcuts.ts: Ctrl or Cmd, with Shift where given). Taken
 * globally they would reach the global action even inside the window, around the window's own
 * rules: Ctrl+D typed in Manual dial must dial that number, never the preview record.
 */
const IN_APP_KEYS: Record<string, MessageKey> = {
  D: 'desktop.inAppKey.dial',
  H: 'desktop.inAppKey.hangUp',
  'Shift+H': 'desktop.inAppKey.holdRetrieve',
  N: 'desktop.inAppKey.getNext',
  R: 'desktop.inAppKey.ready',
  'Shift+R': 'desktop.inAppKey.notReady',
};

/** The in-app action an accelerator (canonical) would take from the window, if any. */
export function inAppShortcut(accelerator: string): MessageKey | undefined {
  const parts = accelerator.split('+');
  const key = parts.pop() ?? '';
  const isCtrlLike = (p: string) => p === 'CommandOrControl' || p === 'Control' || p === 'Command';
  const ctrlLike = parts.filter(isCtrlLike);
  const rest = parts.filter((p) => !isCtrlLike(p));
  if (ctrlLike.length !== 1 || rest.some((p) => p !== 'Shift')) return undefined;
  return IN_APP_KEYS[[...rest, key].join('+')];
}

export interface HotkeyProblem {
  action: HotkeyAction;
  accelerator: string;
  reason: 'invalid' | 'duplicate' | 'taken';
  /** A sentence for Settings. */
  message: string;
}

/** The slice of Electron's globalShortcut the registry uses. */
export interface ShortcutPort {
  /** False when the OS or another app holds the key; throws on an accelerator Electron cannot parse. */
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export class HotkeyRegistry {
  private registered: string[] = [];
  private current: HotkeyProblem[] = [];

  constructor(
    private readonly port: ShortcutPort,
    private readonly platform: string,
  ) {}

  /**
   * Releases the keys this app held, then binds `bindings` (in action order). Returns the keys that
   * could not be bound, with why; {@link problems} keeps them for Settings.
   */
  apply(bindings: HotkeyBindings, onPress: (action: HotkeyAction) => void, tr: Translator = createTranslator('en')): HotkeyProblem[] {
    this.release();
    const problems: HotkeyProblem[] = [];
    const owner = new Map<string, HotkeyAction>();
    for (const action of HOTKEY_ACTIONS) {
      const raw = bindings[action] ?? '';
      if (raw.trim() === '') continue;
      const checked = checkAccelerator(raw);
      if (!checked.ok) {
        problems.push({ action, accelerator: raw, reason: 'invalid', message: acceleratorProblemText(tr, raw, checked) });
        continue;
      }
      const label = acceleratorLabel(checked.accelerator, this.platform);
      const inApp = inAppShortcut(checked.accelerator);
      if (inApp) {
        problems.push({ action, accelerator: checked.accelerator, reason: 'duplicate', message: tr.t('desktop.hotkeyProblem.inApp', { key: label, action: tr.t(inApp) }) });
        continue;
      }
      const taken = owner.get(checked.accelerator);
      if (taken) {
        problems.push({ action, accelerator: checked.accelerator, reason: 'duplicate', message: tr.t('desktop.hotkeyProblem.duplicate', { key: label, action: tr.t(`desktop.hotkeys.${taken}`) }) });
        continue;
      }
      let ok: boolean;
      try {
        ok = this.port.register(checked.accelerator, () => onPress(action));
      } catch (error) {
        problems.push({ action, accelerator: checked.accelerator, reason: 'invalid', message: tr.t('desktop.hotkeyProblem.unusable', { key: label, detail: error instanceof Error ? error.message : String(error) }) });
        continue;
      }
      if (!ok) {
        problems.push({ action, accelerator: checked.accelerator, reason: 'taken', message: tr.t('desktop.hotkeyProblem.taken', { key: label }) });
        continue;
      }
      owner.set(checked.accelerator, action);
      this.registered.push(checked.accelerator);
    }
    this.current = problems;
    return problems;
  }

  problems(): HotkeyProblem[] {
    return this.current;
  }

  /** The keys this app holds now. */
  active(): string[] {
    return [...this.registered];
  }

  /** Releases only this app's keys (never `unregisterAll`: nothing else is ours to touch). */
  release(): void {
    for (const accelerator of this.registered) this.port.unregister(accelerator);
    this.registered = [];
  }
}

/** The bindings with each accelerator in canonical spelling (invalid ones kept as typed, for the problem). */
export function normalizeBindings(bindings: Partial<HotkeyBindings>): HotkeyBindings {
  const out = { ...DEFAULT_HOTKEYS };
  for (const action of HOTKEY_ACTIONS) {
    const value = bindings[action];
    if (value === undefined) continue;
    const checked = checkAccelerator(value);
    out[action] = checked.ok ? checked.accelerator : value;
  }
  return out;
}
