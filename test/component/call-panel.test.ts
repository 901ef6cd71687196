import './setup';
import { describe, expect, it } from 'vitest';
import { render, screen, fireEvent, within } from '@testing-library/svelte';
import CallPanel from '../../renderer/components/CallPanel.svelte';
import { tick } from 'svelte';
import { installSoftphone, makeCall, NOW } from './fixtures';
import { timeSince } from '../../renderer/lib/format';

describe('CallPanel', () => {
  it('exposes the call state for tests and shows the party', () => {
    installSoftphone();
    render(CallPanel, { call: makeCall() });
    const panel = screen.getByTestId('call');
    expect(panel).toHaveAttribute('data-call-state', 'Established');
    expect(panel).toHaveAttribute('data-call-id', 'call-1');
    expect(screen.getByTestId('call-party')).toHaveTextContent('+12125550101');
  });

  it('shows only the buttons the capabilities allow', () => {
    installSoftphone();
    render(CallPanel, { call: makeCall({ capabilities: ['Hangup', 'Hold', 'SendDtmf'] }) });
    expect(screen.getByTestId('hangup')).toBeEnabled();
    expect(screen.getByTestId('hold')).toBeEnabled();
    expect(screen.getByTestId('keypad-toggle')).toBeInTheDocument();
    expect(screen.queryByTestId('answer')).toBeNull();
    expect(screen.queryByTestId('retrieve')).toBeNull();
    expect(screen.queryByTestId('transfer-toggle')).toBeNull();
    expect(screen.queryByTestId('complete-transfer')).toBeNull();
  });

  it('rings with a prominent Answer and no Hangup when only Answer is allowed', async () => {
    const softphone = installSoftphone();
    render(CallPanel, { call: makeCall({ state: 'Ringing', callType: 'Inbound', capabilities: ['Answer', 'AttachUserData'], establishedAt: undefined }) });
    expect(screen.getByTestId('call')).toHaveAttribute('data-call-state', 'Ringing');
    expect(screen.queryByTestId('hangup')).toBeNull();
    await fireEvent.click(screen.getByTestId('answer'));
    expect(softphone.answer).toHaveBeenCalledWith({ callId: 'call-1' });
  });

  it('offers Retrieve, Swap and Complete transfer on a held call with a consultation', async () => {
    const softphone = installSoftphone();
    const consult = makeCall({ id: 'call-2', callType: 'Consult' });
    render(CallPanel, {
      call: makeCall({ state: 'Held', capabilities: ['Retrieve', 'Hangup', 'SwapCalls', 'CompleteTransfer', 'CompleteConference'] }),
      otherCalls: [consult],
    });
    expect(screen.queryByTestId('hold')).toBeNull();
    expect(screen.getByTestId('retrieve')).toHaveAttribute('aria-keyshortcuts', 'Control+Shift+H');
    await fireEvent.click(screen.getByTestId('swap-calls'));
    expect(softphone.swapCalls).toHaveBeenCalledWith({ callId: 'call-1', otherCallId: 'call-2' });
    await fireEvent.click(screen.getByTestId('complete-transfer'));
    expect(softphone.completeTransfer).toHaveBeenCalledWith({ callId: 'call-1' });
  });

  it('hangs up the call by id, once', async () => {
    const softphone = installSoftphone();
    render(CallPanel, { call: makeCall() });
    const hangup = screen.getByTestId('hangup');
    expect(hangup).toHaveAttribute('aria-keyshortcuts', 'Control+H');
    // Two clicks in a row (a double click): the second one finds the command in flight.
    void fireEvent.click(hangup);
    void fireEvent.click(hangup);
    await tick();
    expect(softphone.hangup).toHaveBeenCalledTimes(1);
    expect(softphone.hangup).toHaveBeenCalledWith({ callId: 'call-1' });
  });

  it('waits for a pending operation on the call before allowing another action', () => {
    installSoftphone();
    render(CallPanel, {
      call: makeCall(),
      pendingOperations: { r1: { referenceId: 'r1', operationName: 'Hold', target: 'call', targetId: 'call-1', status: 'accepted', startedAt: NOW } },
    });
    expect(screen.getByTestId('hangup')).toBeDisabled();
    expect(screen.getByTestId('hold')).toBeDisabled();
  });

  it('sends DTMF digits from the keypad and from the tones field', async () => {
    const softphone = installSoftphone();
    render(CallPanel, { call: makeCall() });
    await fireEvent.click(screen.getByTestId('keypad-toggle'));
    const keypad = screen.getByTestId('dtmf-keypad');
    await fireEvent.click(within(keypad).getByRole('button', { name: 'Send tone 5' }));
    await fireEvent.click(within(keypad).getByRole('button', { name: 'Send tone #' }));
    expect(softphone.sendDtmf).toHaveBeenNthCalledWith(1, { callId: 'call-1', digits: '5' });
    expect(softphone.sendDtmf).toHaveBeenNthCalledWith(2, { callId: 'call-1', digits: '#' });

    await fireEvent.input(within(keypad).getByLabelText('Tones to send'), { target: { value: '12*9' } });
    await fireEvent.click(within(keypad).getByRole('button', { name: 'Send tones' }));
    expect(softphone.sendDtmf).toHaveBeenLastCalledWith({ callId: 'call-1', digits: '12*9' });
  });

  it('transfers to a typed number with the allowed operation', async () => {
    const softphone = installSoftphone();
    render(CallPanel, { call: makeCall() });
    await fireEvent.click(screen.getByTestId('transfer-toggle'));
    await fireEvent.input(screen.getByLabelText('Transfer or conference to'), { target: { value: '+1 (212) 555-0199' } });
    await fireEvent.click(screen.getByTestId('singleStepTransfer'));
    expect(softphone.singleStepTransfer).toHaveBeenCalledWith({ callId: 'call-1', phoneNumber: '+12125550199' });
  });

  it('shows user data as text', async () => {
    installSoftphone();
    const { container } = render(CallPanel, { call: makeCall({ userData: { note: '<img src=x onerror=alert(1)>', GSW_ATTEMPTS: 3 } }) });
    const details = screen.getByTestId('call-user-data');
    expect(within(details).getByText('<img src=x onerror=alert(1)>')).toBeInTheDocument();
    expect(container.querySelector('img')).toBeNull();
  });

  it('disables call actions while offline', () => {
    installSoftphone();
    render(CallPanel, { call: makeCall(), online: false });
    expect(screen.getByTestId('hangup')).toBeDisabled();
    expect(screen.getByTestId('hold')).toBeDisabled();
  });

  it('shows "not confirmed" and when the connection was lost instead of a running timer, and the timer once confirmed again', async () => {
    installSoftphone();
    const lost = Date.now() - 20_000;
    const { rerender } = render(CallPanel, { call: makeCall(), online: false, confirmed: false, offlineSince: lost });
    const panel = screen.getByTestId('call');
    expect(panel).toHaveAttribute('data-confirmed', 'false');
    expect(screen.queryByTestId('call-timer')).toBeNull();
    expect(screen.queryByRole('timer')).toBeNull();
    expect(screen.getByTestId('call-unconfirmed')).toHaveTextContent(`Not confirmed — the connection was lost at ${timeSince(lost, Date.now())}`);
    // The last known state stays visible; the session, not the panel, refuses what cannot be sent.
    expect(screen.getByTestId('call-state')).toHaveTextContent('Established');
    expect(screen.getByTestId('hangup')).toBeDisabled();

    await rerender({ call: makeCall(), online: true, confirmed: true, offlineSince: undefined });
    expect(panel).toHaveAttribute('data-confirmed', 'true');
    expect(screen.queryByTestId('call-unconfirmed')).toBeNull();
    expect(screen.getByRole('timer')).toHaveTextContent(/^\d+(:\d\d)+$/);
    expect(screen.getByTestId('hangup')).toBeEnabled();
  });

  it('shows no running hold time either while not confirmed, and says so without a time when none is known', () => {
    installSoftphone();
    render(CallPanel, { call: makeCall({ state: 'Held', stateSince: NOW - 42_000, capabilities: ['Retrieve', 'Hangup'] }), online: false, confirmed: false });
    expect(screen.getByTestId('call-state')).toHaveTextContent(/^Held$/);
    expect(screen.getByTestId('call-unconfirmed')).toHaveTextContent(/^Not confirmed — the connection was lost$/);
  });
});

describe('timeSince', () => {
  it('writes the time as the locale does (24 h or AM/PM), with the date when it was not today', () => {
    const at = new Date(2024, 6, 1, 10, 42).getTime();
    expect(timeSince(at, at + 60_000, 'en-GB')).toBe('10:42');
    expect(timeSince(at, at + 60_000, 'en-US')).toMatch(/^10:42\sAM$/u);
    expect(timeSince(new Date(2024, 6, 1, 22, 5).getTime(), at, 'en-US')).toMatch(/^10:05\sPM$/u);
    expect(timeSince(at, at + 86_400_000, 'en-GB')).toBe('1 Jul, 10:42');
  });
});
