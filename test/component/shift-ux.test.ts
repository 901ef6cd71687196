/** Issue 12 (what an agent hits in one shift), at the component level: one `describe` per defect. */
import './setup';
import { beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { render, screen, fireEvent, within, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import App from '../../renderer/App.svelte';
import CallPanel from '../../renderer/components/CallPanel.svelte';
import CallHistory from '../../renderer/components/CallHistory.svelte';
import DialPad from '../../renderer/components/DialPad.svelte';
import { softphone as state } from '../../renderer/state/softphone.svelte';
import { commandState } from '../../renderer/state/commands.svelte';
import { describeError } from '../../renderer/lib/errors';
import { dialGuard } from '../../renderer/state/preview.svelte';
import { deferred, installSoftphone, makeApp, makeCall, makeCampaign, makePreview, makeRecord, makeSnapshot, NOW } from './fixtures';

beforeEach(() => {
  state.agent = null;
  state.app = null;
  state.dismissedErrorAt = null;
  state.lastCallEndedAt = null;
  commandState.failure = null;
  dialGuard.recordHandle = null;
  sessionStorage.clear();
});

/** 11:00 in New York: inside calling hours, so Dial asks nothing. */
function atNoonInNewYork() {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  onTestFinished(() => void vi.useRealTimers());
}

const signedOut = makeSnapshot({ connection: { state: 'signed-out', reason: 'signed out by user', since: NOW }, device: null, calls: {} });

describe('#4 signing in again after a sign-out', () => {
  it('keeps the form (and what was typed) through the attempt, shows the error, and never flashes the workspace', async () => {
    const softphone = installSoftphone(signedOut);
    softphone.signIn.mockImplementation(async () => {
      // The core's own sequence: connecting (the user is still known from the last session), then offline.
      softphone.emit('changes', { connection: { state: 'connecting', reason: 'signing in', since: NOW } });
      await tick();
      expect(screen.queryByTestId('offline-banner')).toBeNull();
      expect(screen.getByTestId('sign-in')).toBeInTheDocument();
      softphone.emit('changes', { connection: { state: 'offline', reason: 'wrong password', since: NOW } });
      return { ok: false, error: { code: 'AUTH_FAILED', message: 'statusCode 20' } };
    });
    render(App);
    await fireEvent.input(await screen.findByLabelText('Server URL'), { target: { value: 'http://10.0.0.9:8090' } });
    await fireEvent.input(screen.getByLabelText('Username'), { target: { value: 'agent1' } });
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
    await fireEvent.submit(screen.getByTestId('sign-in'));

    const error = await screen.findByTestId('sign-in-error');
    expect(error).toHaveTextContent('Wrong username or password. Check your username and password, then sign in again.');
    expect(screen.getByLabelText('Server URL')).toHaveValue('http://10.0.0.9:8090');
    expect(screen.getByLabelText('Username')).toHaveValue('agent1');
    // Focus goes back to the field to correct, not to the page.
    await waitFor(() => expect(screen.getByLabelText('Password')).toHaveFocus());
  });

  it('puts focus on the server URL when the server cannot be reached', async () => {
    const softphone = installSoftphone(signedOut);
    softphone.signIn.mockResolvedValue({ ok: false, error: { code: 'UNREACHABLE', message: 'connect ECONNREFUSED 10.0.0.9:8090' } });
    render(App);
    await fireEvent.input(await screen.findByLabelText('Password'), { target: { value: 'agent1' } });
    await fireEvent.submit(screen.getByTestId('sign-in'));
    expect(await screen.findByTestId('sign-in-error')).toHaveTextContent('Server not reachable. Check the server URL');
    await waitFor(() => expect(screen.getByLabelText('Server URL')).toHaveFocus());
  });
});

describe('#6 sign out during a live call', () => {
  it('asks first, saying the call stays up on the phone; Stay signed in keeps the session', async () => {
    const softphone = installSoftphone(makeSnapshot({ calls: { 'call-1': makeCall() } }));
    render(App);
    await fireEvent.click(await screen.findByTestId('sign-out'));
    const question = screen.getByTestId('sign-out-confirm');
    expect(question).toHaveAttribute('role', 'alertdialog');
    expect(question).toHaveTextContent('The call stays up on your phone');
    expect(softphone.signOut).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.getByTestId('sign-out-cancel')).toHaveFocus());
    await fireEvent.keyDown(screen.getByTestId('sign-out-cancel'), { key: 'Escape' });
    expect(screen.queryByTestId('sign-out-confirm')).toBeNull();
    expect(softphone.signOut).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByTestId('sign-out'));
    await fireEvent.click(screen.getByTestId('sign-out-confirm-button'));
    expect(softphone.signOut).toHaveBeenCalledTimes(1);
  });

  it('signs out at once when no call is up', async () => {
    const softphone = installSoftphone();
    render(App);
    await fireEvent.click(await screen.findByTestId('sign-out'));
    expect(softphone.signOut).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('sign-out-confirm')).toBeNull();
  });
});

describe('#8 keyboard', () => {
  it('Escape closes the keypad and the transfer panel and gives focus back to their toggle', async () => {
    installSoftphone(makeSnapshot({ calls: { 'call-1': makeCall() } }));
    render(App);
    const toggle = await screen.findByTestId('keypad-toggle');
    await fireEvent.click(toggle);
    const field = screen.getByLabelText('Tones to send');
    field.focus();
    await fireEvent.keyDown(field, { key: 'Escape' });
    expect(screen.queryByTestId('dtmf-keypad')).toBeNull();
    expect(toggle).toHaveFocus();

    await fireEvent.click(screen.getByTestId('transfer-toggle'));
    screen.getByLabelText('Transfer or conference to').focus();
    await fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByTestId('transfer-form')).toBeNull();
    expect(screen.getByTestId('transfer-toggle')).toHaveFocus();
  });

  it('Escape closes the record card panels (reschedule, edit, do not call) through their toggles', async () => {
    atNoonInNewYork();
    installSoftphone(makeSnapshot({ previewRecord: makePreview() }));
    render(App);
    for (const [toggleId, panelId] of [['reschedule-toggle', 'reschedule-form'], ['update-toggle', 'update-form'], ['dnc-toggle', 'dnc-form']] as const) {
      const toggle = await screen.findByTestId(toggleId);
      await fireEvent.click(toggle);
      const panel = screen.getByTestId(panelId);
      const field = panel.querySelector<HTMLElement>('input, select, textarea, button')!;
      field.focus();
      await fireEvent.keyDown(field, { key: 'Escape' });
      expect(screen.queryByTestId(panelId)).toBeNull();
      expect(toggle).toHaveFocus();
    }
  });

  it('Escape closes the desktop settings panel', async () => {
    installSoftphone(makeSnapshot(), makeApp({ shell: 'electron' }));
    render(App);
    const toggle = await screen.findByTestId('open-settings');
    await fireEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await fireEvent.keyDown(toggle, { key: 'Escape' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(document.getElementById('settings-panel')).toBeEmptyDOMElement();
  });

  it('keypad and transfer never fill the card together', async () => {
    installSoftphone(makeSnapshot({ calls: { 'call-1': makeCall() } }));
    render(App);
    await fireEvent.click(await screen.findByTestId('keypad-toggle'));
    await fireEvent.click(screen.getByTestId('transfer-toggle'));
    expect(screen.queryByTestId('dtmf-keypad')).toBeNull();
    expect(screen.getByTestId('transfer-form')).toBeInTheDocument();
  });

  it('focus follows the work: Start session → Get record → Dial → the call → Hang up → the after-call form', async () => {
    atNoonInNewYork();
    const softphone = installSoftphone(makeSnapshot({ campaigns: { Collections_Preview: makeCampaign({ previewSessionActive: false }) } }));
    render(App);
    const start = await screen.findByTestId('start-session');
    start.focus();
    await fireEvent.click(start);
    softphone.emit('changes', { campaigns: { Collections_Preview: makeCampaign() } });
    await waitFor(() => expect(screen.getByTestId('get-record')).toHaveFocus());

    await fireEvent.click(screen.getByTestId('get-record'));
    softphone.emit('changes', { previewRecord: makePreview() });
    await waitFor(() => expect(screen.getByTestId('dial')).toHaveFocus());

    await fireEvent.click(screen.getByTestId('dial'));
    const call = makeCall({ state: 'Dialing', establishedAt: undefined });
    softphone.emit('changes', { previewRecord: makePreview({ phase: 'on-call', callId: 'call-1' }), calls: { 'call-1': call } });
    await waitFor(() => expect(screen.getByTestId('call')).toHaveFocus());

    softphone.emit('changes', { calls: { 'call-1': makeCall() } });
    screen.getByTestId('hangup').focus();
    await fireEvent.click(screen.getByTestId('hangup'));
    softphone.emit('changes', { calls: {}, previewRecord: makePreview({ phase: 'wrap-up', callId: 'call-1' }) });
    await waitFor(() => expect(screen.getByTestId('call-result')).toHaveFocus());

    // Complete and get next → the next record's Dial.
    screen.getByTestId('complete-next').focus();
    await fireEvent.click(screen.getByTestId('complete-next'));
    softphone.emit('changes', { previewRecord: makePreview({ phase: 'completing', callId: 'call-1' }) });
    softphone.emit('changes', { previewRecord: makePreview({ record: makeRecord({ recordHandle: 102 }) }) });
    await waitFor(() => expect(screen.getByTestId('dial')).toHaveFocus());
    expect(screen.getByTestId('record-card')).toHaveAttribute('data-record-handle', '102');
  });

  it('leaves focus alone when the agent clicked the page on purpose', async () => {
    const softphone = installSoftphone();
    render(App);
    const number = await screen.findByTestId('dial-pad-number');
    number.focus();
    number.blur();
    softphone.emit('changes', { previewRecord: makePreview() });
    await tick();
    await tick();
    expect(document.body).toHaveFocus();
  });

  it('Ctrl+D while typing in Manual dial dials the typed number, not the preview record', async () => {
    atNoonInNewYork();
    const softphone = installSoftphone(makeSnapshot({ previewRecord: makePreview() }));
    render(App);
    const number = await screen.findByTestId('dial-pad-number');
    await fireEvent.input(number, { target: { value: '5550123' } });
    await fireEvent.keyDown(number, { key: 'd', ctrlKey: true });
    await waitFor(() => expect(softphone.dial).toHaveBeenCalledWith({ phoneNumber: '5550123' }));
    expect(softphone.dialPreviewRecord).not.toHaveBeenCalled();
    // Elsewhere Ctrl+D still dials the record.
    screen.getByTestId('dial').focus();
    await fireEvent.keyDown(screen.getByTestId('dial'), { key: 'd', ctrlKey: true });
    expect(softphone.dialPreviewRecord).toHaveBeenCalledWith({ recordHandle: 101 });
  });

  it('the 12 dial-pad keys are one Tab stop; arrow keys move between them', async () => {
    installSoftphone();
    render(DialPad, {});
    const keys = within(screen.getByRole('group', { name: /Dial pad keys/ })).getAllByRole('button');
    expect(keys).toHaveLength(12);
    expect(keys.filter((k) => k.tabIndex === 0)).toHaveLength(1);
    keys[0]!.focus();
    await fireEvent.keyDown(keys[0]!, { key: 'ArrowRight' });
    expect(keys[1]).toHaveFocus();
    await fireEvent.keyDown(keys[1]!, { key: 'ArrowDown' });
    expect(keys[4]).toHaveFocus();
    expect(keys[4]).toHaveAttribute('tabindex', '0');
    expect(keys[0]).toHaveAttribute('tabindex', '-1');
    await fireEvent.keyDown(keys[4]!, { key: 'End' });
    expect(keys[11]).toHaveFocus();
  });

  it('a skip link moves focus past the header to the calls and record', async () => {
    installSoftphone();
    render(App);
    await fireEvent.click(await screen.findByTestId('skip-link'));
    expect(screen.getByRole('main')).toHaveFocus();
  });
});

describe('#9 errors in words', () => {
  it('says what happened and what to do; the technical sentence is the detail', () => {
    const text = describeError({ code: 'SERVER', message: 'POST /api/v2/me/devices/7f/calls: server error HTTP 503' }, 'dial');
    expect(text.title).toBe('Could not place the call: the server is overloaded or restarting');
    expect(text.advice).toBe('Try again in a moment. If it keeps happening, tell your supervisor.');
    expect(text.detail).toContain('HTTP 503');
    expect(describeError({ code: 'SERVER', message: 'Invalid destination 5550003', operationName: 'Dial' })).toMatchObject({
      title: 'Could not place the call: the number is not valid',
      advice: 'Check the number and dial again.',
    });
  });

  it('a dismissed server error stays dismissed after a reload of the window', async () => {
    const api = installSoftphone(makeSnapshot({ lastError: { code: 'SERVER', message: 'Invalid destination 5550003', operationName: 'Dial', at: NOW } }));
    const { unmount } = render(App);
    await fireEvent.click(within(await screen.findByTestId('last-error')).getByRole('button', { name: /dismiss/i }));
    // The core is told too: the tray, toasts and other windows see it gone.
    expect(api.clearError).toHaveBeenCalledWith({});
    unmount();
    // A reload: the module state starts again from storage.
    state.agent = null;
    vi.resetModules();
    const { softphone: fresh } = await import('../../renderer/state/softphone.svelte');
    expect(fresh.dismissedErrorAt).toBe(NOW);
  });

  it('a failed command does not survive a sign-out', async () => {
    const softphone = installSoftphone();
    softphone.hold.mockResolvedValue({ ok: false, error: { code: 'SERVER', message: 'Invalid call state' } });
    render(App);
    await screen.findByTestId('agent-identity');
    softphone.emit('changes', { calls: { 'call-1': makeCall() } });
    await fireEvent.click(await screen.findByTestId('hold'));
    expect(await screen.findByTestId('command-error')).toHaveTextContent('Could not put the call on hold');
    softphone.emit('changes', { connection: { state: 'signed-out', reason: 'signed out by user', since: NOW }, calls: {} });
    await screen.findByTestId('sign-in');
    softphone.emit('changes', { connection: { state: 'connected', reason: 'signed in', since: NOW } });
    await screen.findByTestId('agent-identity');
    expect(screen.queryByTestId('command-error')).toBeNull();
  });
});

describe('#9 a closed record in words', () => {
  it('says the record went back to the campaign, not "RecordRejectAcknowledge"', async () => {
    installSoftphone(makeSnapshot({ previewRecord: { phase: 'done', since: NOW, chainedRecords: [], lastNotification: 'RecordRejectAcknowledge' } }));
    render(App);
    const placeholder = await screen.findByTestId('no-record');
    expect(placeholder).toHaveTextContent('Record returned to the campaign for another agent. Get the next record when you are ready.');
    expect(placeholder).not.toHaveTextContent('Acknowledge');
  });
});

describe('#10 a command before the softphone is connected', () => {
  it('Enter on a number waits for the connection, says so, and dials once connected', async () => {
    const softphone = installSoftphone();
    const { rerender } = render(DialPad, { online: false });
    await fireEvent.input(screen.getByTestId('dial-pad-number'), { target: { value: '5550123' } });
    await fireEvent.submit(screen.getByTestId('dial-pad-number').closest('form')!);
    expect(screen.getByRole('status')).toHaveTextContent('Waiting for the connection to dial 5550123…');
    expect(screen.getByTestId('dial-pad-dial')).toHaveTextContent('Calling…');
    expect(softphone.dial).not.toHaveBeenCalled();
    await rerender({ online: true });
    await waitFor(() => expect(softphone.dial).toHaveBeenCalledWith({ phoneNumber: '5550123' }));
  });

  it('says why nothing was dialled when the connection does not come', async () => {
    vi.useFakeTimers();
    onTestFinished(() => void vi.useRealTimers());
    const softphone = installSoftphone();
    render(DialPad, { online: false });
    await fireEvent.input(screen.getByTestId('dial-pad-number'), { target: { value: '5550123' } });
    await fireEvent.submit(screen.getByTestId('dial-pad-number').closest('form')!);
    await vi.advanceTimersByTimeAsync(16_000);
    expect(screen.getByRole('status')).toHaveTextContent('5550123 was not dialled: the softphone is still not connected');
    expect(softphone.dial).not.toHaveBeenCalled();
  });

  it('Ctrl+R before connected says why it did nothing', async () => {
    const softphone = installSoftphone(makeSnapshot({ connection: { state: 'resyncing', since: NOW, offlineSince: NOW } }));
    render(App);
    await screen.findByTestId('agent-identity');
    await fireEvent.keyDown(window, { key: 'r', ctrlKey: true });
    expect(softphone.ready).not.toHaveBeenCalled();
    expect(await screen.findByTestId('command-error')).toHaveTextContent('Not changed to Ready: the softphone is not connected yet');
  });
});

describe('#10 a shortcut while not connected', () => {
  it('Ctrl+H says why the call was not hung up', async () => {
    const softphone = installSoftphone(makeSnapshot({ connection: { state: 'reconnecting', since: NOW, offlineSince: NOW }, calls: { 'call-1': makeCall() } }));
    render(App);
    await screen.findByTestId('call');
    await fireEvent.keyDown(window, { key: 'h', ctrlKey: true });
    expect(softphone.hangup).not.toHaveBeenCalled();
    expect(await screen.findByTestId('command-error')).toHaveTextContent('Not hung up: the softphone is not connected yet. Press the key again when it says Connected.');
  });
});

describe('#11 #12 the call card', () => {
  it('names the customer of the record it dials', () => {
    installSoftphone();
    render(CallPanel, { call: makeCall(), customer: 'Maria Gonzalez' });
    expect(screen.getByTestId('call-customer')).toHaveTextContent('Maria Gonzalez');
    expect(screen.getByTestId('call-party')).toHaveTextContent('+12125550101');
  });

  it('a ringing call offers every action its capabilities allow', () => {
    installSoftphone();
    render(CallPanel, {
      call: makeCall({ state: 'Ringing', callType: 'Inbound', establishedAt: undefined, capabilities: ['Answer', 'Hangup', 'SingleStepTransfer', 'AttachUserData'] }),
    });
    expect(screen.getByTestId('answer')).toBeEnabled();
    expect(screen.getByTestId('hangup')).toHaveTextContent('Decline');
    expect(screen.getByTestId('transfer-toggle')).toHaveTextContent('Forward…');
  });
});

describe('#13 small things', () => {
  it('history is strictly newest first', () => {
    installSoftphone();
    const entry = (callId: string, startedAt: number) => ({ callId, number: callId, callType: 'Outbound' as const, result: 'Answered', startedAt, durationSec: 5 });
    render(CallHistory, { history: [entry('b', NOW - 1_000), entry('c', NOW), entry('a', NOW - 5_000)] });
    expect(screen.getAllByTestId('history-entry').map((row) => row.dataset.callId)).toEqual(['c', 'b', 'a']);
  });

  it('the state control is coloured by state and says "Changing…" while the server has not answered', async () => {
    const softphone = installSoftphone();
    const reply = deferred<{ ok: true; value: undefined }>();
    softphone.notReady.mockImplementation(() => reply.promise);
    render(App);
    const select = await screen.findByTestId('agent-state');
    expect(select).toHaveClass('state-ready');
    await fireEvent.change(select, { target: { value: 'not-ready' } });
    expect(screen.getByTestId('state-pending')).toHaveTextContent('Changing…');
    reply.resolve({ ok: true, value: undefined });
    softphone.emit('changes', { device: { ...makeSnapshot().device!, userState: { id: '2', state: 'NotReady', displayName: 'Not Ready', since: NOW } } });
    await waitFor(() => expect(screen.getByTestId('agent-state')).toHaveClass('state-not-ready'));
  });

  it('the time in state does not count Ready through a call', async () => {
    const softphone = installSoftphone(makeSnapshot({ calls: { 'call-1': makeCall({ startedAt: Date.now() - 30_000 }) } }));
    render(App);
    const timer = await screen.findByTestId('time-in-state');
    expect(timer).toHaveAttribute('data-on-call', 'true');
    expect(timer).toHaveTextContent('On a call');
    softphone.emit('changes', { calls: {} });
    // Ready since two minutes before the call; counted again from the call's end.
    await waitFor(() => expect(screen.getByTestId('time-in-state')).toHaveTextContent(/^\s*Time in state0:0\d\s*$/));
  });

  it('Call says "Calling…" while the dial is on its way', async () => {
    const softphone = installSoftphone();
    const reply = deferred<{ ok: true; value: undefined }>();
    softphone.dial.mockImplementation(() => reply.promise);
    render(DialPad, {});
    await fireEvent.input(screen.getByTestId('dial-pad-number'), { target: { value: '5550123' } });
    await fireEvent.submit(screen.getByTestId('dial-pad-number').closest('form')!);
    expect(screen.getByTestId('dial-pad-dial')).toHaveTextContent('Calling…');
    reply.resolve({ ok: true, value: undefined });
    await waitFor(() => expect(screen.getByTestId('dial-pad-dial')).toHaveTextContent('Call'));
  });
});
