// What Genesys documents, seen by the agent (gws-api.md §3, §4): a Not Ready reason is a configured
// agent state posted as its own operationName; a failed operation arrives as an ErrorMessage and is
// told in words, also when it carries no field at all.
import { test, expect } from './support/softphone';

test.describe('GWS as documented', () => {
  test('a configured reason is chosen from the state control and posted as its own operationName', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.signedIn();
    const control = page.getByTestId('agent-state');
    await expect(control.getByRole('option', { name: 'Not Ready – Out to Lunch' })).toHaveCount(1);
    await control.selectOption({ label: 'Not Ready – Out to Lunch' });
    await softphone.waitForOperation('OutToLunch');
    const sent = softphone.operations('OutToLunch')[0]!;
    expect(sent.path).toBe('/api/v2/me/channels/voice');
    expect(sent.body).toEqual({ operationName: 'OutToLunch', referenceId: expect.any(String) });
    expect(softphone.operations('NotReady')).toHaveLength(0);
    expect(softphone.agentTruth().userState).toMatchObject({ state: 'NotReady', reason: 'Lunch' });
    await expect(control).toHaveValue('state:OutToLunch');
    await softphone.screenshot('30-configured-reason');
  });

  test('a published ErrorMessage is shown to the agent in words, and one with no fields too', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.signedIn();
    softphone.sim.control.publish({
      userName: 'agent1',
      channel: '/v2/me/calls',
      data: { messageType: 'ErrorMessage', errorCode: 71, errorMessage: 'Invalid called DN 5550003' },
    });
    const alert = page.getByTestId('last-error');
    // In words first; the server's own text stays available behind Details (issue 12 #9).
    await expect(alert).toContainText('The number is not valid');
    await alert.getByText('Details').click();
    await expect(alert).toContainText('Invalid called DN 5550003');
    await softphone.screenshot('31-error-message');
    await alert.getByRole('button', { name: /dismiss/i }).click();
    await expect(alert).toHaveCount(0);
    softphone.sim.control.publish({ userName: 'agent1', channel: '/v2/me/devices', data: { messageType: 'ErrorMessage' } });
    await expect(page.getByTestId('last-error')).toContainText('The server refused the last operation');
  });

  test('dialling the invalid test number fails the call in words, from the simulator ErrorMessage', async ({ softphone }) => {
    const { page } = softphone;
    await softphone.signedIn();
    await softphone.dialManually('5550003');
    await expect(page.getByTestId('last-error')).toContainText(/Invalid called DN/);
    await expect(page.getByTestId('last-error')).toContainText('(Dial)');
  });
});
