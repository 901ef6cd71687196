/**
 * The languages the app speaks, without their catalogues: the settings schema and the contract
 * import this (the preload bundle stays free of the catalogues). preload/i18n/index.ts translates.
 */
export const LANGUAGES = ['en', 'es', 'de', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
/** The language setting: a language, or the operating system's. */
export const LANGUAGE_SETTINGS = ['system', ...LANGUAGES] as const;
export type LanguageSetting = (typeof LANGUAGE_SETTINGS)[number];

/** Each language by its own name, as a language picker shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español', de: 'Deutsch', fr: 'Français' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The first supported language among the preferred ones (`es-MX` → `es`; the OS's or the browser's
 * list, most preferred first), else English.
 */
export function matchLanguage(preferred: readonly (string | undefined | null)[]): Language {
  for (const tag of preferred) {
    const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** The language in effect: the setting, or the first supported one of the system's. */
export function effectiveLanguage(setting: LanguageSetting | undefined, system: readonly (string | undefined | null)[]): Language {
  return setting && setting !== 'system' ? setting : matchLanguage(system);
}
