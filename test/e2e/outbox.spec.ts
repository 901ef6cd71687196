import { test, expect } from './support/softphone';

test('a call result completed while the network is down shows as pending, then reaches OCS exactly once', async ({ softphone }) => {
  const { page } = softphone;
  await softphone.readyOnPreviewCampaign();
  await softphone.getRecord('Collections_Preview');
  await softphone.recordCard.getByTestId('dial').click();
  await softphone.waitForCallState('Established');
  await softphone.call('Established').getByTestId('hangup').click();
  await softphone.waitForRecordPhase('wrap-up');

  softphone.sim.control.cutNetwork({ ms: 4_000 });
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  const wrapUp = page.getByTestId('wrap-up');
  await wrapUp.getByTestId('call-result').selectOption('Answer');
  await wrapUp.getByTestId('complete').click();
  await expect(page.locator('[data-testid=outbox-entry][data-record-handle="101"]')).toContainText('Pending');
  await softphone.screenshot('10-outbox-pending');

  await expect(page.getByTestId('offline-banner')).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByTestId('outbox')).toHaveCount(0, { timeout: 20_000 });
  const completes = softphone.sim.control
    .requests()
    .filter((r) => (r.body as { operationName?: string } | undefined)?.operationName === 'CompleteRecord' && r.statusCode === 0);
  expect(completes).toHaveLength(1);
  expect(completes[0]!.body).toMatchObject({ callResult: 'Answer' });
});
