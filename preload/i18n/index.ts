/**
 * The app's words in four languages (issue 13): one ICU MessageFormat catalogue per language in
 * `messages/<language>.json`, formatted by FormatJS's `intl-messageformat` (real plurals and
 * selects, dates, times and numbers through `Intl` in the chosen language). Electron-free and
 * DOM-free: the renderer (state/i18n.svelte.ts), the tray and the OS notifications (main) all
 * translate through `createTranslator`.
 *
 * Rules for messages (test/unit/i18n-catalogues.test.ts checks them):
 * - every language has every key English has, and no other;
 * - a translation uses exactly English's arguments, and plurals where English has them;
 * - a sentence is one message with arguments, never pieces glued together in code.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import en from './messages/en.json';
import es from './messages/es.json';
import de from './messages/de.json';
import fr from './messages/fr.json';

import { matchLanguage, type Language } from './languages';
export * from './languages';

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
export type MessageValues = Record<string, string | number | Date | boolean | null | undefined>;

// A missing key in any language fails the type check here (and the catalogue test at run time).
export const CATALOGUES: Record<Language, Catalogue> = { en, es, de, fr };

export interface Translator {
  readonly language: Language;
  /** The message in this language, its arguments filled in (English when a translation is missing). */
  t(key: MessageKey, values?: MessageValues): string;
  /** A number the way this language writes it. */
  number(value: number, options?: Intl.NumberFormatOptions): string;
  /** A date and/or time the way this language writes it (and in `timeZone` when given). */
  dateTime(at: number | Date, options?: Intl.DateTimeFormatOptions): string;
  /** Items joined the way this language lists them ("A, B and C"). */
  list(items: readonly string[], type?: Intl.ListFormatOptions['type']): string;
}

const translators = new Map<string, Translator>();

/**
 * The regional format to write dates, times and numbers in: the first of the system's locales that
 * is of this language (`en-GB` writes 24 h, `es-MX` its own way), else the language itself.
 */
export function formattingLocale(language: Language, system: readonly (string | undefined | null)[]): string {
  for (const tag of system) {
    if (!tag || matchLanguage([tag]) !== language || !/^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/i.test(tag)) continue;
    try {
      return Intl.getCanonicalLocales(tag.replace(/_/g, '-'))[0] ?? language;
    } catch {
      // not a valid tag: try the next one
    }
  }
  return language;
}

/**
 * How a moment is written as a time of day (`10:42`, `10:42 AM`), with the date in front when it
 * is not the same day as `now` (an outage across midnight): the tray, the toasts and the renderer.
 */
export function wallClockOptions(at: number, now: number, withSeconds = false): Intl.DateTimeFormatOptions {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return { hour: 'numeric', minute: '2-digit', ...(withSeconds && { second: '2-digit' }), ...(!sameDay && { day: 'numeric', month: 'short' }) };
}

/**
 * One translator per language (and regional format), kept: its compiled messages are reused.
 * `locale` (a tag of the same language, see {@link formattingLocale}) sets how dates, times and
 * numbers are written; the words are the language's.
 */
export function createTranslator(language: Language, locale: string = language): Translator {
  const region = matchLanguage([locale]) === language ? locale : language;
  const cacheKey = `${language}|${region}`;
  const existing = translators.get(cacheKey);
  if (existing) return existing;
  const compiled = new Map<MessageKey, IntlMessageFormat>();
  const catalogue = CATALOGUES[language];
  const compile = (key: MessageKey): IntlMessageFormat => {
    let format = compiled.get(key);
    if (!format) {
      const own = catalogue[key];
      const source = own ?? CATALOGUES.en[key] ?? key;
      format = new IntlMessageFormat(source, own === undefined ? 'en' : language, undefined, { ignoreTag: true });
      compiled.set(key, format);
    }
    return format;
  };
  const translator: Translator = {
    language,
    t(key, values) {
      const out = compile(key).format(values as Record<string, string | number | Date | boolean | null | undefined>);
      return Array.isArray(out) ? out.join('') : String(out);
    },
    number: (value, options) => new Intl.NumberFormat(region, options).format(value),
    dateTime: (at, options) => {
      try {
        return new Intl.DateTimeFormat(region, options).format(at);
      } catch {
        // An unknown time zone from a calling list: the agent's own zone, rather than nothing.
        const { timeZone: _ignored, ...rest } = options ?? {};
        return new Intl.DateTimeFormat(region, rest).format(at);
      }
    },
    list: (items, type = 'conjunction') => new Intl.ListFormat(region, { style: 'long', type }).format(items),
  };
  translators.set(cacheKey, translator);
  return translator;
}
