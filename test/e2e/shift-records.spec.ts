/**
 * Issue 12, the record defects an agent meets in one shift, in Chromium against the simulator:
 * Do not call on the number shown (#1), After Call Work during wrap-up (#2), why a call ended and
 * the server's result preselected (#3), an edit shown once saved (#5), calling hours (#7), and no
 * "Complete and get next" on a push campaign (#13).
 */
import { DEFAULT_SCENARIO_FILE, loadScenarioFile, type Scenario } from '../../sim';
import { test, expect, type Softphone } from './support/softphone';

/** The built-in scenario with only these records left in `campaign`, handed out in this order. */
function scenarioWith(campaign: string, handles: number[]): Scenario {
  const scenario = loadScenarioFile(DEFAULT_SCENARIO_FILE);
  for (const c of scenario.campaigns) {
    if (c.name === campaign) c.records = handles.map((h) => c.records.find((r) => r.recordHandle === h)).filter((r) => r !== undefined);
  }
  return scenario;
}

const simRecord = (softphone: Softphone, handle: number) =>
  softphone.sim.control
    .state()
    .campaigns.flatMap((c) => (c as { records: Array<Record<string, unknown>> }).records)
    .find((r) => r['recordHandle'] === handle);

/** Ready on the push campaign: Grace Kim's home number (record 201) arrives by itself; her mobile (202) is on the chain. */
async function graceKim(softphone: Softphone) {
  await softphone.readyOnPreviewCampaign('Renewals_Push');
  await softphone.waitForRecordPhase('offered');
  const card = softphone.recordCard;
  await expect(card).toHaveAttribute('data-record-handle', '201');
  await card.getByTestId('load-chain').click();
  await card.getByRole('radio', { name: /\+16785550202/ }).check();
  await expect(card.getByTestId('customer-phone')).toContainText('+16785550202');
  await expect(card.getByTestId('phone-type')).toHaveText('Mobile');
  return card;
}

test.describe('the records of one shift', () => {
  test.use({ simOptions: { scenario: scenarioWith('Renewals_Push', [201, 202]) } });

  test('#1 Do not call → this number only marks the number shown (the mobile), and says which', async ({ softphone }) => {
    const card = await graceKim(softphone);
    await card.getByTestId('dnc-toggle').click();
    const form = softphone.page.getByTestId('dnc-form');
    await expect(form.getByTestId('dnc-target')).toHaveText('Will mark +16785550202 (Mobile) as do not call.');
    await form.getByTestId('do-not-call').click();
    await softphone.waitForOperation('DoNotCallRecord');
    const [dnc] = softphone.operations('DoNotCallRecord');
    expect(dnc?.path).toMatch(/\/outbound-records\/202$/);
    expect(dnc?.body).toMatchObject({ chainAttribute: 'RecordOnly' });
    await expect(card.getByTestId('dnc-done')).toHaveText('Marked +16785550202 (Mobile) as do not call.');
    expect(simRecord(softphone, 202)?.['status']).toBe('DoNotCall');
    expect(simRecord(softphone, 201)?.['status']).not.toBe('DoNotCall');
    // The home number stays in hand, shown with its own type.
    await expect(card).toHaveAttribute('data-record-handle', '201');
    await expect(card.getByTestId('customer-phone')).toContainText('+14045550201');
    await expect(card.getByTestId('phone-type')).toHaveText('Home phone');
  });

  test('#1 #2 #13 the mobile dialled is the record completed; After Call Work in wrap-up; no "Complete and get next" on a push campaign', async ({ softphone }) => {
    const { page } = softphone;
    const card = await graceKim(softphone);
    await card.getByTestId('dial').click();
    await softphone.waitForCallState('Established');
    expect(softphone.operations('Dial')[0]?.body.outboundRecord).toMatchObject({ recordHandle: 202, phoneNumber: '+16785550202' });
    await softphone.call('Established').getByTestId('hangup').click();
    await softphone.waitForRecordPhase('wrap-up');
    // After Call Work while the agent wraps up: no call is routed meanwhile.
    await expect(page.getByTestId('agent-state')).toHaveValue('acw');
    expect(softphone.agentTruth().userState.workMode).toBe('AfterCallWork');
    const wrapUp = page.getByTestId('wrap-up');
    await expect(wrapUp.getByTestId('complete')).toBeVisible();
    await expect(wrapUp.getByTestId('complete-next')).toHaveCount(0);
    await wrapUp.getByTestId('complete').click();
    await softphone.waitForOperation('CompleteRecord');
    expect(softphone.operations('CompleteRecord')[0]?.path).toMatch(/\/outbound-records\/202$/);
    // Back to the state the agent had: Ready.
    await softphone.waitForUserState('Ready');
    await expect(page.getByTestId('agent-state')).toHaveValue('ready');
  });
});

test.describe('a busy line', () => {
  test.use({ simOptions: { scenario: scenarioWith('Collections_Preview', [103]) } });

  test('#3 says the line was busy, preselects Busy, and history says Busy; #5 an edit shows once saved', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.readyOnPreviewCampaign();
    await softphone.getRecord('Collections_Preview');
    const card = softphone.recordCard;

    // #5: Edit fields → Balance → Save: the card shows the new value, and the form reopens with it.
    const balance = card.locator('[data-testid=record-fields] [data-field=balance]');
    await expect(balance).toContainText('89.10');
    await card.getByTestId('update-toggle').click();
    await page.getByRole('textbox', { name: 'Balance' }).fill('12345.67');
    await page.getByTestId('update-record').click();
    await softphone.waitForOperation('UpdateRecord');
    await expect(balance).toContainText('12345.67');
    await card.getByTestId('update-toggle').click();
    await expect(page.getByRole('textbox', { name: 'Balance' })).toHaveValue('12345.67');
    await card.getByTestId('update-toggle').click();

    // #3: the busy line.
    await card.getByTestId('dial').click();
    await softphone.waitForRecordPhase('wrap-up');
    const wrapUp = page.getByTestId('wrap-up');
    await expect(wrapUp.getByTestId('call-end-reason')).toHaveText('The line was busy.');
    await expect(wrapUp.getByTestId('call-result')).toHaveValue('Busy');
    await expect(page.locator('[data-testid=history-entry]').first()).toContainText('Busy');
    await wrapUp.getByTestId('complete').click();
    await softphone.waitForOperation('CompleteRecord');
    expect(softphone.operations('CompleteRecord')[0]?.body).toMatchObject({ callResult: 'Busy' });
  });
});

test.describe('calling hours', () => {
  test.use({
    simOptions: { scenario: scenarioWith('Collections_Preview', [111]) },
    workRules: { callingHours: { start: '08:00', end: '21:00', outside: 'ask' } },
  });

  test('#7 asks before dialling a customer at 00:37 their time, and reschedule warns about 03:00 their time', async ({ softphone }) => {
    const { page } = softphone;
    // The agent's browser says 22:37 UTC: 00:37 in Paris (summer) or 23:37 (winter): outside 08:00–21:00 either way.
    const today = new Date();
    await page.clock.setFixedTime(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 22, 37));
    await softphone.readyOnPreviewCampaign();
    await softphone.getRecord('Collections_Preview');
    const card = softphone.recordCard;
    await expect(card.getByTestId('off-hours')).toContainText('Outside calling hours (08:00–21:00)');

    await card.getByTestId('dial').click();
    const ask = page.getByTestId('calling-hours-confirm');
    await expect(ask).toContainText('outside the calling hours (08:00–21:00)');
    await expect(page.getByTestId('dial-not')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(ask).toHaveCount(0);
    expect(softphone.operations('Dial')).toHaveLength(0);

    // Reschedule to 03:00 in Paris tomorrow: the form warns in the customer's time.
    await card.getByTestId('reschedule-toggle').click();
    const when = await page.evaluate(() => {
      const d = new Date(Date.now() + 86_400_000);
      d.setUTCHours(1, 0, 0, 0); // 03:00 in Paris (summer), 02:00 (winter)
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    });
    await page.getByLabel(/call back at/i).fill(when);
    await expect(page.getByTestId('reschedule-off-hours')).toContainText('outside the calling hours (08:00–21:00)');
    await expect(page.getByTestId('reschedule')).toHaveText('Reschedule anyway');
    await card.getByTestId('reschedule-toggle').click();

    await card.getByTestId('dial').click();
    await page.getByTestId('dial-anyway').click();
    await softphone.waitForOperation('Dial');
  });
});
