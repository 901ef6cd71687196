/**
 * Issue 13, the agent's day in Chromium against the simulator, by accessible names: a configured
 * Not Ready reason, After Call Work counted down from the call's WrapUpTime and back to Ready by
 * itself, a disposition on a live call, call recording, and a single-step conference.
 */
import { DEFAULT_SCENARIO_FILE, loadScenarioFile, type Scenario } from '../../sim';
import { test, expect } from './support/softphone';
import { ANY_HOUR } from './support/environment';

/** The built-in scenario with a short wrap-up on the preview campaign and one answering record (101). */
function shortWrapUp(seconds: number): Scenario {
  const scenario = loadScenarioFile(DEFAULT_SCENARIO_FILE);
  for (const c of scenario.campaigns) {
    if (c.name !== 'Collections_Preview') continue;
    c.wrapUpTime = seconds;
    c.records = c.records.filter((r) => r.recordHandle === 101);
  }
  return scenario;
}


test.describe("the agent's day", () => {
  test('a configured Not Ready reason is chosen and shown; Do Not Disturb toggles', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.signedIn();
    const state = page.getByRole('combobox', { name: 'Agent state' });
    // Every configured state is offered, with After Call Work.
    for (const label of ['Ready', 'Not Ready', 'Not Ready – Out to Lunch', 'Not Ready – Break', 'Not Ready – Meeting', 'Not Ready – Training', 'Not Ready – Technical issue', 'After Call Work']) {
      await expect(state.getByRole('option', { name: label, exact: true })).toHaveCount(1);
    }
    await state.selectOption({ label: 'Not Ready – Break' });
    await softphone.waitForOperation('Break');
    await expect(state).toHaveAttribute('data-user-state', 'NotReady');
    await expect(state).toHaveValue('state:Break');
    await expect(state.locator('option:checked')).toHaveText('Not Ready – Break');
    expect(softphone.agentTruth().userState).toMatchObject({ state: 'NotReady', reason: 'Break' });
    await softphone.screenshot('20-agent-state-reason');

    const dnd = page.getByRole('button', { name: 'Do Not Disturb' });
    await expect(dnd).toHaveAttribute('aria-pressed', 'false');
    await dnd.click();
    await expect(dnd).toHaveAttribute('aria-pressed', 'true');
    expect(softphone.operations('DoNotDisturbOn')).toHaveLength(1);
    await dnd.click();
    await expect(dnd).toHaveAttribute('aria-pressed', 'false');
    expect(softphone.operations('DoNotDisturbOff')).toHaveLength(1);
  });

  test.describe('wrap-up', () => {
    test.use({ simOptions: { scenario: shortWrapUp(6) } });

    test('After Call Work counts the wrap-up time down, then Ready by itself when the setting is on', async ({ softphone }) => {
      const { page } = softphone;
      await softphone.readyOnPreviewCampaign();
      await softphone.getRecord('Collections_Preview');
      await softphone.waitForRecordPhase('offered');
      await softphone.recordCard.getByRole('button', { name: 'Dial' }).click();
      await softphone.waitForCallState('Established');
      // The record's data travels on the call: the customer's fields first, the campaign in words.
      const call = softphone.call('Established');
      await call.getByText(/^Call data \(\d+\)$/).click();
      await expect(call.getByRole('row', { name: 'Account number AC-100234' })).toBeVisible();
      await expect(call.getByRole('row', { name: 'Campaign Collections_Preview' })).toBeVisible();
      // OCS's default result (28, Unknown) is not a result yet.
      await expect(call.getByRole('row', { name: 'Call result None yet' })).toBeVisible();
      await softphone.screenshot('24-preview-call-data');
      // The Dialing call carries extensions.WrapUpTime (gws-api.md §6).
      await call.getByRole('button', { name: 'Hang up' }).click();
      await softphone.waitForRecordPhase('wrap-up');
      await softphone.waitForOperation('AfterCallWork');
      const state = page.getByRole('combobox', { name: 'Agent state' });
      await expect(state).toHaveValue('acw');
      const left = page.getByRole('banner').getByRole('timer', { name: /^Wrap-up time left \d:\d\d$/ });
      await expect(left).toBeVisible();
      await expect(left).toHaveText(/^Wrap-up 0:0[0-6] left$/);
      await expect(page.getByTestId('wrap-up').getByRole('timer', { name: /Wrap-up time left/ })).toBeVisible();
      await softphone.screenshot('21-after-call-work-countdown');
      await softphone.screenshot('25-after-call-work-420', { width: 420 });
      await softphone.expectAccessible();

      const auto = page.getByRole('checkbox', { name: 'Ready when wrap-up ends' });
      await expect(auto).not.toBeChecked();
      await auto.check();
      await expect(auto).toBeChecked();
      // Nothing before the window closes; Ready once it has.
      expect(softphone.operations('Ready')).toHaveLength(1);
      await softphone.waitForUserState('Ready');
      expect(softphone.operations('Ready')).toHaveLength(2);
      await expect(state).toHaveValue('ready');
      await expect(left).toHaveCount(0);
      // The record is still to be closed; doing so changes no state (the agent is Ready already).
      await page.getByTestId('wrap-up').getByRole('button', { name: 'Complete', exact: true }).click();
      await softphone.waitForOperation('CompleteRecord');
      await softphone.waitForNoRecord();
      expect(softphone.operations('Ready')).toHaveLength(2);
    });

    test.describe('set by IT', () => {
      test.use({ workRules: { ...ANY_HOUR, readyAfterWrapUp: true } });

      test('the setting is shown locked, and Ready comes by itself', async ({ softphone }) => {
        const { page } = softphone;
        await softphone.recordCallInAfterCallWork();
        const auto = page.getByRole('checkbox', { name: /Ready when wrap-up ends/ });
        await expect(auto).toBeChecked();
        await expect(auto).toBeDisabled();
        await expect(page.getByText('(set by IT)')).toBeVisible();
        await softphone.waitForOperation('Ready', 2);
        await softphone.waitForUserState('Ready');
      });
    });

    test('without the setting the agent stays in After Call Work when the time is up', async ({ softphone }) => {
      const { page } = softphone;
      await softphone.recordCallInAfterCallWork();
      const left = page.getByRole('banner').getByRole('timer', { name: /^Wrap-up time left/ });
      await expect(left).toHaveText('Wrap-up 0:00 left', { timeout: 10_000 });
      // Past the deadline (where the automatic Ready would have been posted): two more ticks of the
      // header's 1 s clock, awaited as changes of the time in state rather than slept.
      const inState = page.getByTestId('time-in-state');
      for (let tick = 0; tick < 2; tick += 1) {
        const shown = (await inState.textContent()) ?? '';
        await expect(inState).not.toHaveText(shown);
      }
      await expect(page.getByRole('combobox', { name: 'Agent state' })).toHaveValue('acw');
      expect(softphone.operations('Ready')).toHaveLength(1);
    });
  });

  test('a disposition set on a live call reaches /me/calls/{id} and shows in the call data', async ({ softphone }) => {
    const call = await softphone.answeredInboundCall();
    const callId = await call.getAttribute('data-call-id');
    const picker = call.getByRole('combobox', { name: 'Disposition' });
    await expect(picker.getByRole('option')).toHaveText(['Choose a disposition', 'Sale', 'NoSale', 'Callback', 'Complaint', 'Information']);
    await picker.selectOption('Callback');
    await softphone.waitForOperation('SetCallDisposition');
    const [op] = softphone.operations('SetCallDisposition');
    expect(op!.path).toBe(`/api/v2/me/calls/${callId}`);
    expect(op!.body).toMatchObject({ operationName: 'SetCallDisposition', disposition: 'Callback', dispositionKey: 'DispositionCode' });
    await expect(picker).toHaveValue('Callback');
    await call.getByText(/^Call data \(\d+\)$/).click();
    await expect(call.getByRole('row', { name: 'Disposition Callback' })).toBeVisible();
    await softphone.screenshot('22-call-disposition-and-data');
    await softphone.expectAccessible();
  });

  test('recording starts and stops, with a visible indicator', async ({ softphone }) => {
    const call = await softphone.answeredInboundCall();
    await expect(call.getByRole('status').filter({ hasText: 'Recording' })).toHaveCount(0);
    await call.getByRole('button', { name: 'Start recording' }).click();
    await softphone.waitForOperation('StartCallRecording');
    await expect(call.getByTestId('recording-indicator')).toHaveText('Recording');
    await expect(call.getByRole('button', { name: 'Stop recording' })).toBeEnabled();
    await expect(call.getByRole('button', { name: 'Start recording' })).toHaveCount(0);
    await softphone.screenshot('23-call-recording');
    await softphone.expectAccessible();
    await call.getByRole('button', { name: 'Stop recording' }).click();
    await softphone.waitForOperation('StopCallRecording');
    await expect(call.getByTestId('recording-indicator')).toHaveCount(0);
    await expect(call.getByRole('button', { name: 'Start recording' })).toBeVisible();
  });

  test('a single-step conference adds the number to the call', async ({ softphone }) => {
    const call = await softphone.answeredInboundCall();
    await call.getByRole('button', { name: 'Transfer / Conference' }).click();
    await call.getByRole('textbox', { name: 'Transfer or conference to' }).fill('5002');
    await call.getByRole('button', { name: 'Single-step conference' }).click();
    await softphone.waitForOperation('SingleStepConference');
    expect(softphone.operations('SingleStepConference')[0]!.body).toMatchObject({ destination: { phoneNumber: '5002' } });
    await expect(call.getByRole('listitem').filter({ hasText: '5002' })).toBeVisible();
    await expect(call).toHaveAttribute('data-call-state', 'Established');
    await softphone.expectAccessible();
  });
});
