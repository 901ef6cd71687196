import { loadScenarioFile, DEFAULT_SCENARIO_FILE } from '../../sim';
import { test, expect } from './support/softphone';

// A calling list is data from outside: whatever a field holds must render as inert text.
const HOSTILE = {
  customer_name: '<img src=x onerror=alert(1)>',
  notes: '<script>alert(document.cookie)</script>',
  website: 'javascript:alert(1)',
  svg: '<svg onload=alert(1)><circle r=10 /></svg>',
  iframe: '<iframe src="https://evil.example/"></iframe>',
  style: '<style>body{display:none}</style>',
  rtl: '\u202Eevil.exe\u202C',
  long_value: 'x'.repeat(20_000),
  long_words: 'Lorem-ipsum-dolor-sit-amet '.repeat(400),
};

function hostileScenario() {
  const scenario = loadScenarioFile(DEFAULT_SCENARIO_FILE);
  const campaign = scenario.campaigns.find((c) => c.name === 'Collections_Preview')!;
  const [first] = campaign.records;
  first!.fields = { ...first!.fields, ...HOSTILE };
  return scenario;
}

test.use({ simOptions: { scenario: hostileScenario() } });

test('a record whose fields carry script and HTML payloads renders them inert', async ({ softphone }) => {
  const { page } = softphone;
  const foreign: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(softphone.env.harness.origin) && !request.url().startsWith('data:')) foreign.push(request.url());
  });

  await softphone.readyOnPreviewCampaign();
  await softphone.getRecord('Collections_Preview');
  const card = softphone.recordCard;
  await expect(card.getByTestId('customer-name')).toHaveText(HOSTILE.customer_name);
  await expect(card.locator('[data-testid=record-fields] [data-field=notes]')).toContainText(HOSTILE.notes);

  // Nothing was injected: no element of the payloads exists anywhere in the page.
  expect(await page.locator('img, script:not([src]), svg circle, iframe, style').count()).toBe(0);
  // The layout holds: no horizontal scrolling, and Dial is still on screen and usable.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(card.getByTestId('dial')).toBeInViewport();
  await expect(card.getByTestId('dial')).toBeEnabled();
  await softphone.screenshot('09-hostile-record');

  await card.getByTestId('dial').click();
  await softphone.waitForCallState('Established');
  expect(foreign).toEqual([]);
});
