/**
 * The global-hotkey grammar: the subset of Electron's accelerator syntax
 * (https://www.electronjs.org/docs/latest/api/accelerator) an agent or IT may bind, in one
 * canonical spelling. Dependency-free (no Node, no Electron): the contract (preload), the policy
 * schema and the hotkey registry all check a key with it, and the renderer's key recorder writes it.
 *
 * A global key is taken from every other app on the desktop, so a key that would stop the agent
 * typing elsewhere (a bare letter, Shift+letter, Space, an arrow) is refused: it needs Ctrl, Alt,
 * Cmd or Super. Function keys may stand alone (headset and keyboard buttons often send F13–F24).
 */

/** Modifiers in the order they are written. `CommandOrControl` is Cmd on macOS, Ctrl elsewhere. */
const MODIFIERS = ['CommandOrControl', 'Control', 'Command', 'Alt', 'Shift', 'Super'] as const;
type Modifier = (typeof MODIFIERS)[number];

const MODIFIER_ALIASES: Record<string, Modifier> = {
  commandorcontrol: 'CommandOrControl',
  cmdorctrl: 'CommandOrControl',
  control: 'Control',
  ctrl: 'Control',
  command: 'Command',
  cmd: 'Command',
  alt: 'Alt',
  option: 'Alt',
  shift: 'Shift',
  super: 'Super',
  meta: 'Super',
};

const NAMED_KEYS = ['Space', 'Up', 'Down', 'Left', 'Right', 'Home', 'End', 'PageUp', 'PageDown', 'Insert', 'Delete'] as const;

/** The key part (not a modifier) in canonical spelling, or undefined. */
function keyOf(token: string): string | undefined {
  if (/^[a-z0-9]$/i.test(token)) return token.toUpperCase();
  const f = /^f([1-9]|1\d|2[0-4])$/i.exec(token);
  if (f) return `F${f[1]}`;
  const num = /^num([0-9])$/i.exec(token);
  if (num) return `num${num[1]}`;
  return NAMED_KEYS.find((k) => k.toLowerCase() === token.toLowerCase());
}

/** Loose shape for schemas (tokens joined by `+`, or empty for "no key"); {@link checkAccelerator} says the rest. */
export const ACCELERATOR_SHAPE = /^(|[A-Za-z0-9]{1,16}(\+[A-Za-z0-9]{1,16}){0,5})$/;
export const ACCELERATOR_MAX_LENGTH = 80;

/** Why a combination is refused: a code and its values (for a message in the agent's language), and the reason in English (logs, schemas). */
export type AcceleratorProblem =
  | { code: 'tooLong' }
  | { code: 'notCombination' }
  | { code: 'twice'; modifier: string }
  | { code: 'notAKey'; token: string }
  | { code: 'twoKeys'; first: string; second: string }
  | { code: 'noKey' }
  | { code: 'needsModifier'; key: string };

export type AcceleratorCheck = { ok: true; accelerator: string } | ({ ok: false; problem: string } & AcceleratorProblem);

/**
 * `ctrl+alt+d` → `Control+Alt+D`; `""` → `""` (no key). Refused, with the reason in words: an
 * unknown key, two keys, a repeated modifier, a key that needs a modifier.
 */
export function checkAccelerator(text: string): AcceleratorCheck {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, accelerator: '' };
  if (trimmed.length > ACCELERATOR_MAX_LENGTH) return { ok: false, code: 'tooLong', problem: 'is too long' };
  const tokens = trimmed.split('+').map((t) => t.trim());
  if (tokens.some((t) => t === '')) return { ok: false, code: 'notCombination', problem: `"${trimmed}" is not a key combination like Ctrl+Alt+D` };
  const modifiers = new Set<Modifier>();
  let key: string | undefined;
  for (const token of tokens) {
    const modifier = MODIFIER_ALIASES[token.toLowerCase()];
    if (modifier) {
      if (modifiers.has(modifier)) return { ok: false, code: 'twice', modifier, problem: `${modifier} is given twice` };
      modifiers.add(modifier);
      continue;
    }
    const k = keyOf(token);
    if (!k) return { ok: false, code: 'notAKey', token, problem: `"${token}" is not a key a hotkey can use (letters, digits, F1–F24, num0–num9, arrows, Space, Home, End, PageUp, PageDown, Insert, Delete)` };
    if (key) return { ok: false, code: 'twoKeys', first: key, second: k, problem: `has two keys (${key} and ${k}): one key with modifiers, like Ctrl+Alt+D` };
    key = k;
  }
  if (!key) return { ok: false, code: 'noKey', problem: 'has no key, only modifiers' };
  const functionKey = /^F\d+$/.test(key);
  const strong = [...modifiers].some((m) => m !== 'Shift');
  if (!functionKey && !strong) return { ok: false, code: 'needsModifier', key, problem: `${key}${modifiers.size ? ' with Shift only' : ''} would stop you typing it in other apps: add Ctrl, Alt or Cmd` };
  const ordered = MODIFIERS.filter((m) => modifiers.has(m));
  return { ok: true, accelerator: [...ordered, key].join('+') };
}

/** The key as the agent reads it on this OS (`Ctrl+Alt+D`, `⌘⌥D` is not used: words are clearer). */
export function acceleratorLabel(accelerator: string, platform: string): string {
  const mac = platform === 'darwin';
  return accelerator
    .split('+')
    .map((t) => (t === 'CommandOrControl' ? (mac ? 'Cmd' : 'Ctrl') : t === 'Control' ? 'Ctrl' : t === 'Command' ? 'Cmd' : t === 'Alt' && mac ? 'Option' : t))
    .join('+');
}
