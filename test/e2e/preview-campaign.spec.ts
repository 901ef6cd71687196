import { test, expect } from './support/softphone';

test.describe('an agent works a preview campaign', () => {
  test('sign in, Ready, get a record, Dial, talk, hang up, set the result, Complete and get next', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.open();
    await softphone.expectAccessible();
    await softphone.screenshot('01-sign-in');

    await softphone.signIn();
    await softphone.waitForConnected();
    await expect(page.getByTestId('agent-identity')).toContainText('Alice Anderson');
    await expect(page.getByTestId('agent-identity')).toContainText('5001');
    await softphone.setState('ready');
    await softphone.waitForUserState('Ready');
    expect(softphone.agentTruth().userState.state).toBe('Ready');

    await softphone.startPreviewSession('Collections_Preview');
    await softphone.getRecord('Collections_Preview');
    const card = softphone.recordCard;
    await expect(card.getByTestId('customer-name')).toHaveText('Maria Gonzalez');
    await expect(card.getByTestId('customer-phone')).toContainText('2125550101');
    await expect(card.locator('[data-testid=record-fields] [data-field=account_number]')).toContainText('AC-100234');
    await softphone.expectAccessible();
    await softphone.screenshot('02-preview-record');

    // Dial once, even when the agent double-clicks.
    await card.getByTestId('dial').dblclick();
    await softphone.waitForCallState('Established');
    await softphone.waitForRecordPhase('on-call');
    const dials = softphone.operations('Dial');
    expect(dials).toHaveLength(1);
    // The seed's request: devicePath + outboundRecord {recordHandle, phoneNumber, outboundCallerId, otherFields}.
    const body = dials[0]!.body;
    expect(body.devicePath).toBe(`/devices/${softphone.agentTruth().deviceId}`);
    expect(body.outboundRecord).toMatchObject({ recordHandle: 101, phoneNumber: '+12125550101', outboundCallerId: '8005550100' });
    expect((body.outboundRecord as { otherFields: Record<string, unknown> }).otherFields).toMatchObject({ customer_name: 'Maria Gonzalez' });
    await softphone.expectAccessible();
    await softphone.screenshot('03-call-established');

    await softphone.call('Established').getByTestId('hangup').click();
    await softphone.waitForNoCall();
    await softphone.waitForRecordPhase('wrap-up');
    const wrapUp = page.getByTestId('wrap-up');
    await expect(wrapUp.getByTestId('call-result')).toHaveValue('Answer');
    await softphone.expectAccessible();
    await softphone.screenshot('04-wrap-up');

    await wrapUp.getByTestId('complete-next').click();
    await softphone.waitForOperation('CompleteRecord');
    expect(softphone.operations('CompleteRecord')[0]!.body).toMatchObject({ callResult: 'Answer' });
    // The next record arrives in the same card.
    await expect(page.locator('[data-testid=record-card][data-phase=offered]')).not.toHaveAttribute('data-record-handle', '101');
    await expect(page.locator('[data-testid=history-entry]')).toHaveCount(1);
    await softphone.screenshot('05-next-record');
  });

  for (const [action, operation, testId] of [
    ['rejects', 'RejectRecord', 'reject-record'],
    ['cancels', 'CancelRecord', 'cancel-record'],
  ] as const) {
    test(`${action} a record`, async ({ softphone }) => {
      await softphone.readyOnPreviewCampaign();
      await softphone.getRecord('Collections_Preview');
      await softphone.recordCard.getByTestId(testId).click();
      await softphone.waitForOperation(operation);
      await softphone.waitForNoRecord();
      expect(softphone.agentTruth().records).toEqual([]);
      expect(softphone.operations('Dial')).toHaveLength(0);
    });
  }

  test('marks a record do-not-call for the whole chain', async ({ softphone }) => {
    await softphone.readyOnPreviewCampaign();
    await softphone.getRecord('Collections_Preview');
    await softphone.recordCard.getByTestId('dnc-toggle').click();
    const form = softphone.page.getByTestId('dnc-form');
    await form.getByRole('radio', { name: /all/i }).check();
    await form.getByTestId('do-not-call').click();
    await softphone.waitForOperation('DoNotCallRecord');
    expect(softphone.operations('DoNotCallRecord')[0]!.body).toMatchObject({ chainAttribute: 'AllChain' });
    await softphone.waitForNoRecord();
  });

  test('reschedules a record as a personal callback', async ({ softphone }) => {
    await softphone.readyOnPreviewCampaign();
    await softphone.getRecord('Collections_Preview');
    await softphone.recordCard.getByTestId('reschedule-toggle').click();
    const form = softphone.page.getByTestId('reschedule-form');
    const tomorrow = new Date(Date.now() + 24 * 3600_000);
    const local = new Date(tomorrow.getTime() - tomorrow.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await form.locator('input[type=datetime-local]').fill(local);
    await form.getByRole('radio', { name: /personal/i }).check();
    await form.getByTestId('reschedule').click();
    await softphone.waitForOperation('RescheduleRecord');
    const body = softphone.operations('RescheduleRecord')[0]!.body;
    expect(body.callbackType).toBe('Personal');
    expect(Math.abs((body.timestamp as number) - Math.floor(new Date(local).getTime() / 1000))).toBeLessThan(60);
    await softphone.waitForNoRecord();
  });
});
