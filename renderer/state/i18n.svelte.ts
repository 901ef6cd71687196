/**
 * The renderer's language (issue 13): one `$state`, read by `t()` so every message in a template
 * follows a change of language at once. The language is the one main says is in effect (the
 * setting, locked by IT or not, else the OS's), or in the browser harness the browser's own.
 * `<html lang>` follows it, for screen readers and hyphenation.
 */
import {
  createTranslator,
  formattingLocale,
  matchLanguage,
  type Language,
  type MessageKey,
  type MessageValues,
  type Translator,
} from '../../preload/i18n';

export type { Language, MessageKey, MessageValues };

const initial = matchLanguage(browserLanguages());
// The regional format is found once per language change, not on every message (`t` runs in every template).
const state = $state<{ language: Language; locale: string }>({ language: initial, locale: formattingLocale(initial, browserLanguages()) });

function browserLanguages(): readonly string[] {
  const nav = globalThis.navigator;
  return nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : [];
}

function applyDocumentLanguage(language: Language): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}
applyDocumentLanguage(state.language);

/** Switches every message at once (main's AppInfo.language, or the browser's when main names none). */
export function setLanguage(language: Language | undefined): void {
  const next = language ?? matchLanguage(browserLanguages());
  applyDocumentLanguage(next);
  if (state.language === next) return;
  state.locale = formattingLocale(next, browserLanguages());
  state.language = next;
}

/** The translator for the language in effect, writing dates and numbers in the browser's regional format of that language. */
export function tr(): Translator {
  return createTranslator(state.language, state.locale);
}

/** A message in the agent's language. */
export function t(key: MessageKey, values?: MessageValues): string {
  return tr().t(key, values);
}

/**
 * The app's own words for a code the server sends (a call result, a phone type): its message when
 * the app knows the code, else `fallback(code)` (the code as the server names it, spelt out).
 */
export function codeText(known: Readonly<Record<string, MessageKey>>, code: string, fallback: (code: string) => string): string {
  const key = Object.hasOwn(known, code) ? known[code] : undefined;
  return key ? t(key) : fallback(code);
}
