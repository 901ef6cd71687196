/**
 * Issue 12: what an agent hits in one shift, in Chromium against the simulator. The first test is
 * the full preview flow at 420 × 850, keyboard only (no click anywhere); the others pin the defects
 * that live in the browser (focus, layout, errors in words, sign-in again, sign out during a call).
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect, type Softphone } from './support/softphone';

/** Presses Tab (or Shift+Tab) until `target` has focus: how a keyboard agent reaches a control. */
async function tabTo(page: Page, target: Locator, { backwards = false, max = 60 } = {}) {
  for (let i = 0; i < max; i += 1) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

/** Outside the calling hours the record card asks before dialling (focus on "Don't dial"): confirm by keyboard. */
async function confirmCallingHoursIfAsked(softphone: Softphone) {
  const { page } = softphone;
  const asked = page.getByTestId('calling-hours-confirm');
  const call = softphone.call();
  await expect(asked.or(call).first()).toBeVisible();
  if (await asked.isVisible()) {
    await tabTo(page, page.getByTestId('dial-anyway'), { backwards: true });
    await page.keyboard.press('Enter');
  }
}

/**
 * Words that a line break cuts in two ("Answere/d", "America/Los_Angel/es"): none may be, unless
 * longer than the line. Nor may a cell or fact allow it: with `overflow-wrap: anywhere` a table or
 * grid column may shrink to one letter, so another font or a longer result breaks mid-word even
 * where these fonts happen to fit.
 */
async function expectNoWordBroken(area: Locator) {
  const broken = await area.evaluate((root) => {
    const found: string[] = [];
    for (const cell of root.querySelectorAll('td, dd')) {
      if (getComputedStyle(cell).overflowWrap === 'anywhere') found.push(`<${cell.tagName.toLowerCase()}> ${cell.textContent?.trim()} may break anywhere`);
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (const match of text.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        const width = range.getBoundingClientRect().width;
        const room = (node.parentElement?.closest('td, dd, p, div')?.clientWidth ?? Infinity) - 1;
        if (lines.size > 1 && width < room) found.push(match[0]);
      }
    }
    return found;
  });
  expect(broken).toEqual([]);
}

async function shots(softphone: Softphone, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await softphone.page.emulateMedia({ colorScheme: scheme });
    await softphone.screenshot(`shift-${name}-${scheme}`);
  }
  await softphone.page.emulateMedia({ colorScheme: 'light' });
}

test.describe('one shift, as agents use the app', () => {
  test('the full preview flow at 420 × 850, keyboard only', async ({ softphone }) => {
    const { page } = softphone;
    await page.setViewportSize({ width: 420, height: 850 });
    await softphone.open();

    // Sign in: the username is the default, the password is typed.
    await tabTo(page, page.getByLabel('Password', { exact: true }));
    await page.keyboard.type('agent1');
    await page.keyboard.press('Enter');
    await softphone.waitForConnected();
    // A compact header: one or two rows, not ~128 px.
    expect((await page.locator('.app-header').boundingBox())!.height).toBeLessThanOrEqual(96);
    await page.keyboard.press('Control+r');
    await softphone.waitForUserState('Ready');
    await expect(page.getByTestId('agent-state')).toHaveClass(/state-ready/);

    // The skip link is the first Tab stop and jumps past the header.
    await page.locator('body').focus();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('skip-link')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('main')).toBeFocused();

    // Start session → focus on Get record → Enter → focus on Dial.
    const campaign = softphone.campaign('Collections_Preview');
    await tabTo(page, campaign.getByTestId('start-session'));
    await page.keyboard.press('Enter');
    await expect(campaign.getByTestId('get-record')).toBeFocused();
    await page.keyboard.press('Enter');
    await softphone.waitForRecordPhase('offered');
    await expect(softphone.recordCard.getByTestId('dial')).toBeFocused();
    await expectNoWordBroken(softphone.recordCard.locator('.facts'));
    await shots(softphone, '420-record');

    // Dial → focus on the call, which names the customer, in the first screen.
    await page.keyboard.press('Enter');
    await confirmCallingHoursIfAsked(softphone);
    await softphone.waitForCallState('Established');
    const call = softphone.call('Established');
    await expect(call).toBeFocused();
    await expect(call.getByTestId('call-customer')).toHaveText('Maria Gonzalez');
    const box = (await call.getByTestId('call-customer').boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(850);

    // Keypad and transfer: one panel at a time, closed with Escape.
    await tabTo(page, call.getByTestId('keypad-toggle'));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('dtmf-keypad')).toBeVisible();
    await tabTo(page, page.getByRole('button', { name: 'Send tone 1' }));
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('button', { name: 'Send tone 2' })).toBeFocused();
    // One Tab leaves the 12 keys.
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Tones to send')).toBeFocused();
    await shots(softphone, '420-call-keypad');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('dtmf-keypad')).toHaveCount(0);
    await expect(call.getByTestId('keypad-toggle')).toBeFocused();

    // Hang up → focus on the after-call form.
    await page.keyboard.press('Control+h');
    await softphone.waitForRecordPhase('wrap-up');
    const wrapUp = page.getByTestId('wrap-up');
    await expect(wrapUp.getByTestId('call-result')).toBeFocused();
    await shots(softphone, '420-wrap-up');

    // Complete → focus on Get record for the next one.
    await tabTo(page, wrapUp.getByTestId('complete'));
    await page.keyboard.press('Enter');
    await softphone.waitForOperation('CompleteRecord');
    expect(softphone.operations('CompleteRecord')[0]!.body).toMatchObject({ callResult: 'Answer' });
    await expect(campaign.getByTestId('get-record')).toBeFocused();
    await expect(page.getByTestId('history-entry')).toHaveCount(1);
    await expectNoWordBroken(page.getByTestId('call-history'));
    await shots(softphone, '420-done');
    await softphone.expectAccessible();
  });

  test('at 1280 px: the workspace with a call and the record, light and dark', async ({ softphone }) => {
    const { page } = softphone;
    await page.setViewportSize({ width: 1280, height: 900 });
    await softphone.readyOnPreviewCampaign();
    await softphone.getRecord('Collections_Preview');
    await softphone.recordCard.getByTestId('dial').click();
    await confirmCallingHoursIfAsked(softphone);
    await softphone.waitForCallState('Established');
    await expect(page.getByTestId('time-in-state')).toHaveAttribute('data-on-call', 'true');
    await shots(softphone, '1280-call');
    await softphone.expectAccessible();
  });

  test('no word breaks in two: the customer zone at 420 px, call results in the history at 1024 px', async ({ softphone }) => {
    const { page } = softphone;
    await page.setViewportSize({ width: 420, height: 850 });
    await softphone.readyOnPreviewCampaign();
    const campaign = softphone.campaign('Collections_Preview');
    // Records come in order: return them until one lives in America/Los_Angeles.
    for (let i = 0; i < 12; i += 1) {
      await softphone.getRecord('Collections_Preview');
      if ((await softphone.recordCard.getByTestId('local-time').textContent())?.includes('Los_Angeles')) break;
      await softphone.recordCard.getByTestId('reject-record').click();
      await expect(campaign.getByTestId('get-record')).toBeEnabled();
    }
    await expect(softphone.recordCard.getByTestId('local-time')).toContainText('America/Los_Angeles');
    await expectNoWordBroken(softphone.recordCard.locator('.facts'));
    await softphone.recordCard.getByTestId('cancel-record').click();

    await page.setViewportSize({ width: 1024, height: 800 });
    await softphone.dialManually('5550001'); // does not answer
    await expect(page.getByTestId('history-entry')).toHaveCount(1);
    await softphone.dialManually('5550199');
    await softphone.waitForCallState('Established');
    await softphone.call('Established').getByTestId('hangup').click();
    await expect(page.getByTestId('history-entry')).toHaveCount(2);
    await expectNoWordBroken(page.getByTestId('call-history'));
    await softphone.screenshot('shift-1024-history');
  });

  test('Ctrl+D while typing in Manual dial dials the typed number, not the preview record', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.readyOnPreviewCampaign();
    await softphone.getRecord('Collections_Preview');
    await page.getByTestId('dial-pad-number').fill('5550199');
    await page.getByTestId('dial-pad-number').press('Control+d');
    await softphone.waitForCallState('Established');
    await expect(softphone.call('Established').getByTestId('call-party')).toContainText('5550199');
    expect(softphone.operations('Dial').filter((op) => op.body.outboundRecord !== undefined)).toEqual([]);
    await softphone.waitForRecordPhase('offered');
  });

  test('an invalid number is said in words, with the detail behind Details, and goes away once a dial works', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.signedIn();
    await softphone.dialManually('5550003');
    const error = page.locator('[data-testid=command-error], [data-testid=last-error]').first();
    await expect(error).toContainText('Could not place the call: the number is not valid. Check the number and dial again.');
    await expect(error.locator('details')).not.toHaveAttribute('open');
    await softphone.screenshot('shift-error-in-words', { width: 420 });

    await softphone.dialManually('5550199');
    await softphone.waitForCallState('Established');
    await expect(page.locator('[data-testid=command-error], [data-testid=last-error]')).toHaveCount(0);
    // Reload: nothing comes back.
    await page.reload();
    await softphone.waitForConnected();
    await expect(page.locator('[data-testid=command-error], [data-testid=last-error]')).toHaveCount(0);
  });

  test('signing in again after a sign-out: a wrong password is said, the form keeps what was typed', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.signedIn();
    await page.getByTestId('sign-out').click();
    await expect(page.getByTestId('signed-out-reason')).toContainText('You signed out.');

    const url = page.getByLabel('Server URL');
    const typedUrl = await url.inputValue();
    await softphone.signIn('agent1', 'wrong-password');
    await expect(page.getByTestId('sign-in-error')).toContainText('Wrong username or password');
    await expect(url).toHaveValue(typedUrl);
    await expect(page.getByLabel('Username')).toHaveValue('agent1');
    await expect(page.getByLabel('Password', { exact: true })).toBeFocused();

    // The right one: the workspace appears only once connected, never "Offline" with state Unknown.
    await page.getByLabel('Password', { exact: true }).fill('agent1');
    await page.getByLabel('Password', { exact: true }).press('Enter');
    await softphone.waitForConnected();
    await expect(page.getByTestId('offline-banner')).toHaveCount(0);
    await expect(page.getByTestId('sign-in-error')).toHaveCount(0);
  });

  test('a number typed and Enter pressed the moment the workspace appears is dialled', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.open();
    await softphone.signIn();
    // No wait for "Connected": the agent types as soon as the dial pad is there.
    await page.getByTestId('dial-pad-number').fill('5550199');
    await page.getByTestId('dial-pad-number').press('Enter');
    await softphone.waitForCallState('Established');
    await expect(page.locator('[data-testid=command-error], [data-testid=last-error]')).toHaveCount(0);
  });

  test('sign out during a live call asks first, saying the call stays up on the phone', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.signedIn();
    await softphone.dialManually('5550199');
    await softphone.waitForCallState('Established');

    await page.getByTestId('sign-out').click();
    const question = page.getByTestId('sign-out-confirm');
    await expect(question).toContainText('The call stays up on your phone');
    await expect(page.getByTestId('sign-out-cancel')).toBeFocused();
    await softphone.screenshot('shift-sign-out-question', { width: 420 });
    await page.keyboard.press('Escape');
    await expect(question).toHaveCount(0);
    await softphone.waitForConnectionState('connected');

    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-out-confirm-button').click();
    await expect(page.getByTestId('sign-in')).toBeVisible();
  });
});
