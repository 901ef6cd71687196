import './setup';
import { beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { render, screen, fireEvent, within, waitFor } from '@testing-library/svelte';
import axe from 'axe-core';
import App from '../../renderer/App.svelte';
import { softphone as state } from '../../renderer/state/softphone.svelte';
import { installSoftphone, makeCall, makeCampaign, makePreview, makeSnapshot, NOW } from './fixtures';
import { timeSince } from '../../renderer/lib/format';

/** Serious and critical axe violations (contrast cannot be computed in jsdom: Playwright checks it). */
async function seriousViolations(): Promise<string[]> {
  const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('App', () => {
  // The state module outlives a mounted App: start every test from "not loaded yet".
  beforeEach(() => {
    state.agent = null;
    state.app = null;
    state.dismissedErrorAt = null;
    sessionStorage.clear();
  });

  it('shows the sign-in screen when offline, with no serious accessibility violations', async () => {
    installSoftphone(makeSnapshot({ connection: { state: 'offline', since: NOW }, user: null, device: null }));
    render(App);
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByRole('main')).toBeInTheDocument();
    expect(await seriousViolations()).toEqual([]);
  });

  it('renders the workspace from the snapshot and follows `changes` patches', async () => {
    const softphone = installSoftphone();
    render(App);
    expect(await screen.findByTestId('agent-identity')).toHaveTextContent('Alice Anderson');
    expect(screen.getByRole('banner')).toBeInTheDocument();
    expect(screen.getByTestId('agent-state')).toHaveValue('ready');
    expect(screen.getByTestId('no-record')).toBeInTheDocument();

    softphone.emit('changes', { previewRecord: makePreview() });
    expect(await screen.findByTestId('record-card')).toHaveAttribute('data-phase', 'offered');
    expect(screen.getByTestId('dial')).toBeEnabled();

    softphone.emit('changes', { connection: { state: 'reconnecting', since: NOW, reason: '402::Unknown client' } });
    expect(await screen.findByTestId('offline-banner')).toHaveAttribute('role', 'alert');
    // No offlineSince (an older core): the banner still says it is offline.
    expect(screen.getByTestId('offline-banner')).toHaveTextContent('Offline – reconnecting…');
    expect(screen.getByTestId('dial')).toBeDisabled();
    expect(screen.getByTestId('agent-state')).toBeDisabled();
  });

  it('during an outage: the banner says since when, the call says "not confirmed" instead of a timer; resyncing, then confirmed again', async () => {
    const lost = Date.now() - 5_000;
    const at = timeSince(lost, Date.now());
    const softphone = installSoftphone(makeSnapshot({ calls: { 'call-1': makeCall() } }));
    render(App);
    expect(await screen.findByRole('timer')).toBeInTheDocument();

    softphone.emit('changes', { connection: { state: 'reconnecting', since: lost, offlineSince: lost, reason: 'socket hang up' } });
    const banner = await screen.findByTestId('offline-banner');
    expect(banner).toHaveAttribute('role', 'alert');
    expect(banner).toHaveTextContent(`Offline since ${at} — reconnecting…`);
    expect(banner).toHaveTextContent('(socket hang up)');
    expect(banner).toHaveAttribute('data-escalated', 'false');
    expect(screen.queryByTestId('outage-escalation')).toBeNull();
    expect(screen.queryByRole('timer')).toBeNull();
    expect(screen.getByTestId('call-unconfirmed')).toHaveTextContent(`Not confirmed — the connection was lost at ${at}`);
    expect(screen.getByTestId('connection')).toHaveTextContent('Reconnecting…');
    expect(await seriousViolations()).toEqual([]);

    softphone.emit('changes', { connection: { state: 'resyncing', since: lost + 3_000, offlineSince: lost, reason: 'reconnected: re-reading the calls' } });
    await waitFor(() => expect(screen.getByTestId('offline-banner')).toHaveAttribute('role', 'status'));
    expect(screen.getByTestId('offline-banner')).toHaveTextContent('Reconnected — checking your calls…');
    expect(screen.getByTestId('offline-banner')).toHaveTextContent(`not confirmed yet (the connection was lost at ${at})`);
    expect(screen.getByTestId('connection')).toHaveTextContent('Checking calls…');
    expect(screen.getByTestId('call-unconfirmed')).toBeInTheDocument();
    expect(screen.queryByRole('timer')).toBeNull();
    expect(await seriousViolations()).toEqual([]);

    softphone.emit('changes', { connection: { state: 'connected', since: lost + 4_000, reason: 'calls re-read' } });
    await waitFor(() => expect(screen.queryByTestId('offline-banner')).toBeNull());
    expect(screen.queryByTestId('call-unconfirmed')).toBeNull();
    expect(screen.getByRole('timer')).toHaveTextContent(/^\d+(:\d\d)+$/);
  });

  it('after a minute offline the banner says calls may still ring on the phone', async () => {
    const lost = Date.now() - 90_000;
    installSoftphone(makeSnapshot({ calls: { 'call-1': makeCall() }, connection: { state: 'reconnecting', since: lost + 80_000, offlineSince: lost } }));
    render(App);
    const banner = await screen.findByTestId('offline-banner');
    expect(banner).toHaveAttribute('data-escalated', 'true');
    expect(screen.getByTestId('outage-escalation')).toHaveTextContent('Calls may still ring on your phone: answer them there.');
    expect(await seriousViolations()).toEqual([]);
  });

  it('has no serious accessibility violations with a call, a record in wrap-up and history', async () => {
    installSoftphone(
      makeSnapshot({
        calls: { 'call-1': makeCall({ state: 'Released', capabilities: [] }), 'call-2': makeCall({ id: 'call-2', state: 'Ringing', callType: 'Inbound', capabilities: ['Answer'] }) },
        previewRecord: makePreview({ phase: 'wrap-up', callId: 'call-1' }),
        callHistory: [{ callId: 'call-0', number: '+13125550103', callType: 'Outbound', result: 'Busy', startedAt: NOW - 900_000, durationSec: 0 }],
        lastError: { code: 'SERVER', message: 'Operation failed', operationName: 'Hold', at: NOW },
      }),
    );
    render(App);
    await screen.findByTestId('wrap-up');
    expect(screen.getAllByTestId('call')).toHaveLength(2);
    // The ringing call comes first.
    expect(screen.getAllByTestId('call')[0]).toHaveAttribute('data-call-state', 'Ringing');
    expect(await seriousViolations()).toEqual([]);
  });

  it('dials with Ctrl+D and changes the agent state with Ctrl+R / Ctrl+Shift+R', async () => {
    // 11:00 for the customer in New York: inside calling hours, so Dial asks nothing.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    onTestFinished(() => void vi.useRealTimers());
    const softphone = installSoftphone(makeSnapshot({ previewRecord: makePreview() }));
    render(App);
    await screen.findByTestId('record-card');
    await fireEvent.keyDown(window, { key: 'd', ctrlKey: true });
    expect(softphone.dialPreviewRecord).toHaveBeenCalledWith({ recordHandle: 101 });
    await fireEvent.keyDown(window, { key: 'D', ctrlKey: true });
    expect(softphone.dialPreviewRecord).toHaveBeenCalledTimes(1);

    await fireEvent.keyDown(window, { key: 'R', ctrlKey: true, shiftKey: true });
    expect(softphone.notReady).toHaveBeenCalledWith({});
    await fireEvent.keyDown(window, { key: 'r', ctrlKey: true });
    expect(softphone.ready).toHaveBeenCalledWith({});
  });

  it('hangs up with Ctrl+H and holds with Ctrl+Shift+H', async () => {
    const softphone = installSoftphone(makeSnapshot({ calls: { 'call-1': makeCall() } }));
    render(App);
    await screen.findByTestId('call');
    await fireEvent.keyDown(window, { key: 'H', ctrlKey: true, shiftKey: true });
    expect(softphone.hold).toHaveBeenCalledWith({ callId: 'call-1' });
    await fireEvent.keyDown(window, { key: 'h', ctrlKey: true });
    expect(softphone.hangup).toHaveBeenCalledWith({ callId: 'call-1' });
  });

  it('gets a record with Ctrl+N when a preview session is active', async () => {
    const softphone = installSoftphone();
    render(App);
    await screen.findByTestId('campaigns');
    await fireEvent.keyDown(window, { key: 'n', ctrlKey: true });
    expect(softphone.getPreviewRecord).toHaveBeenCalledWith({ campaignName: 'Collections_Preview' });
  });

  it('lists a remembered or IT-configured campaign without a state the server never gave', async () => {
    const remembered = makeCampaign({ name: 'Winback', state: 'Unknown', previewSessionActive: false });
    installSoftphone(makeSnapshot({ campaigns: { Winback: remembered } }));
    render(App);
    const card = await screen.findByText('Winback');
    const campaign = card.closest('[data-testid=campaign]') as HTMLElement;
    expect(within(campaign).queryByText('Unknown')).toBeNull();
    expect(within(campaign).getByRole('button', { name: /start session/i })).toBeTruthy();
  });

  it('sets Not Ready with a reason from the selector', async () => {
    const softphone = installSoftphone();
    render(App);
    const select = await screen.findByTestId('agent-state');
    await fireEvent.change(select, { target: { value: 'state:OutToLunch' } });
    expect(softphone.notReady).toHaveBeenCalledWith({ operationName: 'OutToLunch' });
  });

  it('shows lastError until dismissed, and a failed command in words', async () => {
    const softphone = installSoftphone(makeSnapshot({ lastError: { code: 'SERVER', message: 'Invalid call state', operationName: 'Hold', at: NOW } }));
    softphone.startPreviewSession.mockResolvedValue({ ok: false, error: { code: 'OFFLINE', message: 'Not connected.' } });
    render(App);
    const alert = await screen.findByTestId('last-error');
    // In words (what failed, what to do); the server's sentence only behind Details.
    expect(alert).toHaveTextContent('Could not put the call on hold. Try again in a moment.');
    expect(within(alert).getByText('Details').closest('details')).toHaveTextContent('Invalid call state');
    await fireEvent.click(within(alert).getByRole('button', { name: /dismiss/i }));
    expect(screen.queryByTestId('last-error')).toBeNull();

    await fireEvent.click(screen.getByTestId('end-session'));
    softphone.emit('changes', { campaigns: { Collections_Preview: { name: 'Collections_Preview', dialingMode: 'Preview', state: 'Started', previewSessionActive: false } } });
    await fireEvent.click(await screen.findByTestId('start-session'));
    await waitFor(() => expect(screen.getByTestId('command-error')).toHaveTextContent('Could not start the campaign session. Check your network.'));
  });

  it('prefills the dial pad from a tel: link and dials it', async () => {
    const softphone = installSoftphone();
    render(App);
    await screen.findByTestId('dial-pad');
    softphone.emit('prefill-dial', { phoneNumber: '+4930123456' });
    await waitFor(() => expect(screen.getByTestId('dial-pad-number')).toHaveValue('+4930123456'));
    await fireEvent.click(screen.getByTestId('dial-pad-dial'));
    expect(softphone.dial).toHaveBeenCalledWith({ phoneNumber: '+4930123456' });
  });

  it('returns to sign-in with the reason when signed out', async () => {
    const softphone = installSoftphone();
    render(App);
    await screen.findByTestId('agent-identity');
    softphone.emit('changes', { connection: { state: 'signed-out', reason: 'signed out by user', since: NOW } });
    expect(await screen.findByTestId('signed-out-reason')).toHaveTextContent('You signed out.');
  });
});
