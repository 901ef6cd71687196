/**
 * The four catalogues (issue 13): a message missing in any language, an argument a translation
 * lost or invented, or a plural turned into fixed text fails here, before an agent sees a key or
 * a half sentence.
 */
import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGUES, LANGUAGES, createTranslator, effectiveLanguage, formattingLocale, matchLanguage, type MessageKey } from '../../preload/i18n';

type Element = { type: number; value?: string; options?: Record<string, { value: Element[] }>; children?: Element[] };
// @formatjs/icu-messageformat-parser's TYPE: 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural, 8 tag.
const ARGUMENT_TYPES = new Set([1, 2, 3, 4, 5, 6]);

function argumentsOf(message: string, language: string): { names: Set<string>; plurals: Set<string> } {
  const names = new Set<string>();
  const plurals = new Set<string>();
  const walk = (elements: Element[]) => {
    for (const element of elements) {
      if (ARGUMENT_TYPES.has(element.type) && element.value) names.add(element.value);
      if (element.type === 6 && element.value) plurals.add(element.value);
      for (const option of Object.values(element.options ?? {})) walk(option.value);
      if (element.children) walk(element.children);
    }
  };
  walk(new IntlMessageFormat(message, language, undefined, { ignoreTag: true }).getAst() as unknown as Element[]);
  return { names, plurals };
}

const english = CATALOGUES.en;
const keys = Object.keys(english).sort() as MessageKey[];

describe('message catalogues', () => {
  it('English has messages, none empty', () => {
    expect(keys.length).toBeGreaterThan(10);
    for (const key of keys) expect(english[key].trim(), key).not.toBe('');
  });

  for (const language of LANGUAGES.filter((l) => l !== 'en')) {
    describe(language, () => {
      const catalogue = CATALOGUES[language] as Record<string, string>;
      it('has every message English has, and no other', () => {
        const missing = keys.filter((key) => typeof catalogue[key] !== 'string' || catalogue[key].trim() === '');
        const extra = Object.keys(catalogue).filter((key) => !(key in english));
        expect({ missing, extra }).toEqual({ missing: [], extra: [] });
      });

      it('uses exactly the arguments English uses, with plurals where English has them', () => {
        const problems: string[] = [];
        for (const key of keys) {
          const source = argumentsOf(english[key], 'en');
          let target;
          try {
            target = argumentsOf(catalogue[key] ?? '', language);
          } catch (error) {
            problems.push(`${key}: does not parse (${String(error)})`);
            continue;
          }
          const a = [...source.names].sort().join(',');
          const b = [...target.names].sort().join(',');
          if (a !== b) problems.push(`${key}: arguments {${b}} instead of {${a}}`);
          for (const plural of source.plurals) if (!target.plurals.has(plural)) problems.push(`${key}: {${plural}} is not a plural`);
        }
        expect(problems).toEqual([]);
      });
    });
  }

  it('every message formats in every language with sample arguments', () => {
    for (const language of LANGUAGES) {
      const t = createTranslator(language);
      for (const key of keys) {
        const { names } = argumentsOf(english[key], 'en');
        const values = Object.fromEntries([...names].map((name) => [name, 2]));
        expect(() => t.t(key, values), `${language} ${key}`).not.toThrow();
      }
    }
  });
});

describe('choosing the language', () => {
  it('follows the first supported system language, else English', () => {
    expect(matchLanguage(['es-MX', 'en-US'])).toBe('es');
    expect(matchLanguage(['pt-BR', 'de_AT'])).toBe('de');
    expect(matchLanguage(['FR'])).toBe('fr');
    expect(matchLanguage(['ja-JP'])).toBe('en');
    expect(matchLanguage([])).toBe('en');
  });

  it('a setting other than "system" wins over the system', () => {
    expect(effectiveLanguage('de', ['es-ES'])).toBe('de');
    expect(effectiveLanguage('system', ['es-ES'])).toBe('es');
    expect(effectiveLanguage(undefined, ['fr-CA'])).toBe('fr');
  });

  it('plurals are real in each language', () => {
    expect(createTranslator('en').t('common.seconds', { count: 1 })).toBe('1 second');
    expect(createTranslator('es').t('common.seconds', { count: 5 })).toBe('5 segundos');
    expect(createTranslator('fr').t('common.minutes', { count: 1 })).toBe('1 minute');
    expect(createTranslator('de').t('common.minutes', { count: 2 })).toBe('2 Minuten');
  });

  it('numbers and times are written the language’s way', () => {
    expect(createTranslator('de').number(1234.5)).toBe('1.234,5');
    expect(createTranslator('fr').dateTime(Date.UTC(2026, 11, 2, 14, 5), { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })).toBe('14:05');
    expect(createTranslator('en').list(['A', 'B', 'C'])).toBe('A, B, and C');
  });
});

describe('regional formats', () => {
  it('writes times the regional way of the system locale when it is of the same language', () => {
    const at = Date.UTC(2026, 11, 2, 22, 5);
    const opts = { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' } as const;
    expect(createTranslator('en', formattingLocale('en', ['en-GB'])).dateTime(at, opts)).toBe('22:05');
    expect(createTranslator('en', formattingLocale('en', ['en-US'])).dateTime(at, opts)).toMatch(/10:05\s?PM/);
    // A Spanish agent on an English system: Spanish words, and the language's own format.
    expect(formattingLocale('es', ['en-US'])).toBe('es');
    expect(formattingLocale('de', ['de_AT', 'en'])).toBe('de-AT');
    expect(formattingLocale('fr', ['not a tag!', 'fr-CA'])).toBe('fr-CA');
  });
});
