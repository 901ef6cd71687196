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
import enCommon from './messages/en.json';
import esCommon from './messages/es.json';
import deCommon from './messages/de.json';
import frCommon from './messages/fr.json';
// WIP (merged into messages/<language>.json before commit of issue 13): one fragment per area.
import enApp from './wip/app.en.json';
import esApp from './wip/app.es.json';
import deApp from './wip/app.de.json';
import frApp from './wip/app.fr.json';
import enCall from './wip/call.en.json';
import esCall from './wip/call.es.json';
import deCall from './wip/call.de.json';
import frCall from './wip/call.fr.json';
import enRecord from './wip/record.en.json';
import esRecord from './wip/record.es.json';
import deRecord from './wip/record.de.json';
import frRecord from './wip/record.fr.json';
import enDesktop from './wip/desktop.en.json';
import esDesktop from './wip/desktop.es.json';
import deDesktop from './wip/desktop.de.json';
import frDesktop from './wip/desktop.fr.json';
const en = { ...enCommon, ...enApp, ...enCall, ...enRecord, ...enDesktop };
const es = { ...esCommon, ...esApp, ...esCall, ...esRecord, ...esDesktop };
const de = { ...deCommon, ...deApp, ...deCall, ...deRecord, ...deDesktop };
const fr = { ...frCommon, ...frApp, ...frCall, ...frRecord, ...frDesktop };

import type { Language } from './languages';
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

const translators = new Map<Language, Translator>();

/** One translator per language, kept: its compiled messages are reused. */
export function createTranslator(language: Language): Translator {
  const existing = translators.get(language);
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
    number: (value, options) => new Intl.NumberFormat(language, options).format(value),
    dateTime: (at, options) => {
      try {
        return new Intl.DateTimeFormat(language, options).format(at);
      } catch {
        // An unknown time zone from a calling list: the agent's own zone, rather than nothing.
        const { timeZone: _ignored, ...rest } = options ?? {};
        return new Intl.DateTimeFormat(language, rest).format(at);
      }
    },
    list: (items, type = 'conjunction') => new Intl.ListFormat(language, { style: 'long', type }).format(items),
  };
  translators.set(language, translator);
  return translator;
}
