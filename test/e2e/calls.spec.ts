import { test, expect } from './support/softphone';

test.describe('voice calls', () => {
  test('an inbound call rings, is answered, held, retrieved, gets DTMF and is transferred', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.ready();

    softphone.sim.control.inboundCall({ to: 'agent1', from: '+14155550199' });
    await softphone.waitForCallState('Ringing');
    await expect(softphone.call('Ringing').getByTestId('call-party')).toContainText('4155550199');
    await softphone.screenshot('06-inbound-ringing');
    await softphone.call('Ringing').getByTestId('answer').click();
    await softphone.waitForCallState('Established');

    await softphone.call('Established').getByTestId('hold').click();
    await softphone.waitForCallState('Held');
    await softphone.call('Held').getByTestId('retrieve').click();
    await softphone.waitForCallState('Established');

    await softphone.call('Established').getByTestId('keypad-toggle').click();
    const keypad = page.getByTestId('dtmf-keypad');
    await keypad.getByRole('button', { name: 'Send tone 5' }).click();
    await softphone.waitForOperation('SendDtmf');
    // CallsSendDTMF 8.5.2: the digits go as `digits`.
    expect(softphone.operations('SendDtmf')[0]!.body).toMatchObject({ operationName: 'SendDtmf', digits: '5' });
    expect(softphone.operations('SendDtmf')[0]!.body).not.toHaveProperty('dtmfDigits');
    expect(softphone.agentTruth().calls[0]?.['dtmfDigits']).toBe('5');

    await softphone.call('Established').getByTestId('transfer-toggle').click();
    const transfer = page.getByTestId('transfer-form');
    await transfer.getByRole('textbox').fill('5002');
    await transfer.getByTestId('singleStepTransfer').click();
    await softphone.waitForOperation('SingleStepTransfer');
    await softphone.waitForNoCall();
    expect(softphone.agentTruth().calls).toEqual([]);
    await expect(page.getByTestId('history-entry')).toHaveCount(1);
  });

  test('a manual dial from the pad reaches the simulator once and can be hung up', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.signedIn();
    await softphone.dialManually('5559876');
    await softphone.waitForCallState('Established');
    expect(softphone.operations('Dial')).toHaveLength(1);
    expect(softphone.operations('Dial')[0]!.body).toMatchObject({ destination: { phoneNumber: '5559876' } });
    await page.keyboard.press('Control+h');
    await softphone.waitForNoCall();
  });

  test('a wrong password is told in words and nothing else happens', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.open();
    await softphone.signIn('agent1', 'not-the-password');
    await expect(page.getByTestId('sign-in-error')).toContainText(/wrong username or password/i);
    await expect(page.getByTestId('sign-in')).toBeVisible();
    expect(softphone.operations('StartContactCenterSession')).toHaveLength(0);
    await softphone.screenshot('07-wrong-password');
  });

  test('the simulator restarts mid-call: the banner shows, then the call is still there', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.signedIn();
    await softphone.dialManually('5559876');
    await softphone.waitForCallState('Established');
    const callId = await softphone.call('Established').getAttribute('data-call-id');

    const restarted = softphone.sim.control.restart({ downMs: 1_500 });
    await expect(page.getByTestId('offline-banner')).toBeVisible();
    await softphone.screenshot('08-reconnecting');
    await restarted;
    await softphone.waitForConnected();
    await expect(page.getByTestId('offline-banner')).toHaveCount(0);
    await expect(page.locator(`[data-testid=call][data-call-id="${callId}"]`)).toHaveAttribute('data-call-state', 'Established');
    expect(softphone.operations('Dial')).toHaveLength(1);
  });
});
