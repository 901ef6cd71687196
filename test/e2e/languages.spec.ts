/**
 * Issue 13, languages: the whole preview flow in Spanish by its Spanish accessible names, with
 * `<html lang="es">` and no English left on screen; axe clean in each of the four languages. The
 * browser harness follows the browser's language (Playwright's `locale`), as the desktop follows
 * the OS's; Settings and IT's policy override it there (unit-tested).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, type Softphone } from './support/softphone';

type Catalogue = Record<string, string>;
const catalogue = (language: string): Catalogue => JSON.parse(readFileSync(join('preload', 'i18n', 'messages', `${language}.json`), 'utf8')) as Catalogue;
const english = catalogue('en');

/**
 * English sentences the app would show, that the other language words differently: none may be on
 * screen. Only messages without arguments of at least two words (a single word such as "Dial" may
 * well be data, and arguments change the text).
 */
function englishLeftOnScreen(text: string, language: string): string[] {
  const own = catalogue(language);
  return Object.entries(english)
    .filter(([key, message]) => !message.includes('{') && message.trim().split(/\s+/).length >= 2 && own[key] !== message)
    .map(([, message]) => message)
    .filter((message) => text.includes(message));
}

async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => document.body.innerText);
}

async function expectNoEnglish(softphone: Softphone, language: string) {
  expect(englishLeftOnScreen(await visibleText(softphone.page), language)).toEqual([]);
}

test.describe('en español', () => {
  test.use({ locale: 'es-ES' });

  test('the whole preview flow in Spanish, by Spanish names', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.open();
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expectNoEnglish(softphone, 'es');
    await softphone.expectAccessible();
    await softphone.screenshot('es-01-iniciar-sesion');

    await page.getByLabel('Usuario').fill('agent1');
    await page.getByLabel('Contraseña', { exact: true }).fill('agent1');
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await softphone.waitForConnected();
    await softphone.setState('ready');
    await softphone.waitForUserState('Ready');
    await expect(page.getByTestId('agent-state').locator('option:checked')).toHaveText('Disponible');

    const campaign = softphone.campaign('Collections_Preview');
    await campaign.getByRole('button', { name: 'Iniciar sesión de campaña' }).click();
    await expect(campaign).toHaveAttribute('data-session-active', 'true');
    await campaign.getByRole('button', { name: 'Obtener registro' }).click();
    await softphone.waitForRecordPhase('offered');
    await expect(softphone.recordCard.getByTestId('customer-name')).toHaveText('Maria Gonzalez');
    await expectNoEnglish(softphone, 'es');
    await softphone.expectAccessible();
    await softphone.screenshot('es-02-registro');

    await softphone.recordCard.getByRole('button', { name: 'Marcar', exact: true }).click();
    await softphone.waitForCallState('Established');
    await expect(softphone.call('Established')).toContainText('En curso');
    await expectNoEnglish(softphone, 'es');
    await softphone.expectAccessible();
    await softphone.screenshot('es-03-llamada');

    await softphone.call('Established').getByRole('button', { name: 'Colgar' }).click();
    await softphone.waitForRecordPhase('wrap-up');
    const wrapUp = page.getByTestId('wrap-up');
    await expect(wrapUp.getByLabel('Resultado de la llamada')).toHaveValue('Answer');
    await expectNoEnglish(softphone, 'es');
    await softphone.expectAccessible();
    await softphone.screenshot('es-04-cierre');

    await wrapUp.getByRole('button', { name: 'Completar', exact: true }).click();
    await softphone.waitForOperation('CompleteRecord');
    expect(softphone.operations('CompleteRecord')[0]!.body).toMatchObject({ callResult: 'Answer' });
    await softphone.waitForNoRecord();
    await expectNoEnglish(softphone, 'es');
  });
});

for (const [language, locale, signIn] of [
  ['de', 'de-DE', 'Anmelden'],
  ['fr', 'fr-FR', 'Se connecter'],
  ['en', 'en-US', 'Sign in'],
] as const) {
  test.describe(`language ${language}`, () => {
    test.use({ locale });

    test(`sign-in, a record and a call stay accessible in ${language}`, async ({ softphone }) => {
      const { page } = softphone;
      await softphone.open();
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      await expect(page.getByRole('button', { name: signIn, exact: true })).toBeVisible();
      await softphone.expectAccessible();
      if (language !== 'en') await expectNoEnglish(softphone, language);
      const words = catalogue(language);
      await page.getByLabel(words['app.field.username']!).fill('agent1');
      await page.getByLabel(words['app.field.password']!, { exact: true }).fill('agent1');
      await page.getByRole('button', { name: signIn, exact: true }).click();
      await softphone.waitForConnected();
      await softphone.setState('ready');
      await softphone.waitForUserState('Ready');
      await softphone.startPreviewSession('Collections_Preview');
      await softphone.getRecord('Collections_Preview');
      await softphone.expectAccessible();
      if (language !== 'en') await expectNoEnglish(softphone, language);
      await softphone.recordCard.getByTestId('dial').click();
      await softphone.waitForCallState('Established');
      await softphone.expectAccessible();
      if (language !== 'en') await expectNoEnglish(softphone, language);
      await softphone.screenshot(`${language}-call`);
    });
  });
}
