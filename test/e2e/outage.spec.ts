import { test, expect } from './support/softphone';

// What the agent sees while the server cannot be reached or the calls are being re-read (issue 11):
// since when, and a call that is not confirmed instead of a running timer.
test.describe('outages', () => {
  // 4 s down: room for the checks, axe and two screenshots while it lasts (they take ~1.5 s here).
  test('a long simulator restart mid-call: "Offline since", the call not confirmed instead of a timer, then the timer again', async ({ softphone }) => {
    const call = await softphone.establishedManualCall();
    await expect(call.getByTestId('call-timer')).toBeVisible();

    const restarted = softphone.sim.control.restart({ downMs: 4_000 });
    await expect(softphone.banner).toHaveAttribute('role', 'alert');
    await expect(softphone.banner).toContainText(/Offline since \d{1,2}:\d\d(\s?[AP]M)? — reconnecting…/);
    await expect(call).toHaveAttribute('data-confirmed', 'false');
    await expect(call.getByTestId('call-unconfirmed')).toContainText(/Not confirmed — the connection was lost at \d{1,2}:\d\d/);
    await expect(call.getByTestId('call-timer')).toHaveCount(0);
    await expect(call).toHaveAttribute('data-call-state', 'Established');
    await softphone.expectAccessible();
    await softphone.screenshot('40-offline-since');
    await softphone.screenshot('40-offline-since-420', { width: 420 });
    // The pictures show the outage: the simulator was still down when they were taken.
    await expect(call).toHaveAttribute('data-confirmed', 'false', { timeout: 1 });

    await restarted;
    await softphone.waitForConnected();
    await expect(softphone.banner).toHaveCount(0);
    await expect(call).toHaveAttribute('data-confirmed', 'true');
    await expect(call).toHaveAttribute('data-call-state', 'Established');
    await expect(call.getByTestId('call-timer')).toBeVisible();
    await expect(call.getByTestId('call-unconfirmed')).toHaveCount(0);
    expect(softphone.operations('Dial')).toHaveLength(1);
  });

  test('the link is back but the calls cannot be read yet: "checking your calls", not confirmed, then confirmed', async ({ softphone }) => {
    const { page } = softphone;
    const call = await softphone.establishedManualCall();

    // The notification link drops (the client handshakes again at once) and the re-read of the
    // calls meets 503s for a while: the session stays `resyncing` and retries with its backoff.
    // 12 refusals: the full-jitter backoff (100 ms doubling, capped at 1 s) takes ~5 s on average.
    softphone.sim.control.failNext({ count: 12, status: 503, pathPrefix: '/api/v2/me/calls' });
    softphone.sim.control.dropClients();
    await softphone.waitForConnectionState('resyncing');
    await expect(page.getByTestId('connection')).toHaveText('Checking calls…');
    await expect(softphone.banner).toHaveAttribute('role', 'status');
    await expect(softphone.banner).toContainText('Reconnected — checking your calls…');
    await expect(call).toHaveAttribute('data-confirmed', 'false');
    await expect(call.getByTestId('call-timer')).toHaveCount(0);
    await softphone.screenshot('41-resyncing');
    await softphone.expectAccessible();

    await softphone.waitForConnected();
    await expect(softphone.banner).toHaveCount(0);
    await expect(call).toHaveAttribute('data-confirmed', 'true');
    await expect(call.getByTestId('call-timer')).toBeVisible();
  });
});
