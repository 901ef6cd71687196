import './setup';
import { describe, expect, it, beforeEach } from 'vitest';
import { render, screen, fireEvent, within, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import RecordCard from '../../renderer/components/RecordCard.svelte';
import { dialGuard } from '../../renderer/state/preview.svelte';
import { clock } from '../../renderer/state/clock.svelte';
import { deferred, installSoftphone, makePreview, makeRecord, NOW } from './fixtures';

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('RecordCard', () => {
  beforeEach(() => {
    dialGuard.recordHandle = null;
    // 15:00 UTC: 11:00 in New York, inside the calling hours (the tests must not depend on the time of day).
    clock.now = NOW;
  });

  it('renders the customer, phone and every calling-list field as text, never as markup', () => {
    installSoftphone();
    const preview = makePreview({
      record: makeRecord({ otherFields: { customer_name: HOSTILE, account_number: 'AC-1', notes: '<script>alert(1)</script>' } }),
    });
    const { container } = render(RecordCard, { preview, pendingOperations: {} });

    expect(screen.getByTestId('customer-name')).toHaveTextContent(HOSTILE);
    expect(screen.getByTestId('customer-phone')).toHaveTextContent('+12125550101');
    const table = screen.getByTestId('record-fields');
    expect(within(table).getByText(HOSTILE)).toBeInTheDocument();
    expect(within(table).getByText('<script>alert(1)</script>')).toBeInTheDocument();
    expect(within(table).getByRole('rowheader', { name: 'Account number' })).toBeInTheDocument();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
  });

  it('shows attempts, and tolerates an unknown time zone', () => {
    installSoftphone();
    render(RecordCard, { preview: makePreview({ record: makeRecord({ timeZone: 'Mars/Olympus_Mons' }) }), pendingOperations: {} });
    expect(screen.getByTestId('attempts')).toHaveTextContent('2');
    expect(screen.getByTestId('local-time')).toHaveTextContent('Unknown');
    expect(screen.getByTestId('local-time')).toHaveTextContent('Mars/Olympus_Mons');
  });

  it('collapses very long values behind a toggle', async () => {
    installSoftphone();
    const long = 'Customer called several times. '.repeat(40);
    render(RecordCard, { preview: makePreview({ record: makeRecord({ otherFields: { notes: long } }) }), pendingOperations: {} });
    const toggle = screen.getByRole('button', { name: /show all/i });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await fireEvent.click(toggle);
    expect(screen.getByRole('button', { name: /show less/i })).toHaveAttribute('aria-expanded', 'true');
  });

  it('dials once on a double click, with the record handle', async () => {
    const softphone = installSoftphone();
    render(RecordCard, { preview: makePreview(), pendingOperations: {} });
    const dial = screen.getByTestId('dial');
    expect(dial).toHaveAttribute('aria-keyshortcuts', 'Control+D');
    expect(dial.title).toContain('Ctrl+D');

    await fireEvent.click(dial);
    await fireEvent.click(dial);
    await fireEvent.dblClick(dial);
    expect(softphone.dialPreviewRecord).toHaveBeenCalledTimes(1);
    expect(softphone.dialPreviewRecord).toHaveBeenCalledWith({ recordHandle: 101 });
  });

  it('does not dial again after the command succeeded but before the snapshot moved on', async () => {
    const softphone = installSoftphone();
    const preview = makePreview();
    const { rerender } = render(RecordCard, { preview, pendingOperations: {} });
    await fireEvent.click(screen.getByTestId('dial'));
    await tick();
    await fireEvent.click(screen.getByTestId('dial'));
    expect(softphone.dialPreviewRecord).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('dial')).toBeDisabled();

    // The core rejected the Dial: the record is offered again (a new `since`), Dial is back.
    await rerender({ preview: makePreview({ since: NOW + 5_000 }), pendingOperations: {} });
    expect(screen.getByTestId('dial')).toBeEnabled();
  });

  it('disables Dial while the Dial command is in flight and re-enables it when it fails', async () => {
    const softphone = installSoftphone();
    const reply = deferred<Awaited<ReturnType<typeof softphone.dialPreviewRecord>>>();
    softphone.dialPreviewRecord.mockImplementation(() => reply.promise);
    render(RecordCard, { preview: makePreview(), pendingOperations: {} });

    await fireEvent.click(screen.getByTestId('dial'));
    expect(screen.getByTestId('dial')).toBeDisabled();
    expect(screen.getByTestId('dial')).toHaveTextContent('Dialing…');

    reply.resolve({ ok: false, error: { code: 'NOT_ALLOWED_IN_STATE', message: 'Agent is not ready.' } });
    await waitFor(() => expect(screen.getByTestId('dial')).toBeEnabled());
  });

  it('disables Dial in the dialing phase and while a Dial operation is pending', async () => {
    installSoftphone();
    const { rerender } = render(RecordCard, { preview: makePreview({ phase: 'dialing' }), pendingOperations: {} });
    expect(screen.getByTestId('dial')).toBeDisabled();

    await rerender({
      preview: makePreview(),
      pendingOperations: {
        r1: { referenceId: 'r1', operationName: 'Dial', target: 'device', status: 'accepted', startedAt: NOW, recordHandle: '101' },
      },
    });
    expect(screen.getByTestId('dial')).toBeDisabled();
  });

  it('disables Dial, Reject and Cancel while offline, but keeps the outcomes the outbox can hold', () => {
    installSoftphone();
    render(RecordCard, { preview: makePreview(), pendingOperations: {}, online: false });
    expect(screen.getByTestId('dial')).toBeDisabled();
    expect(screen.getByTestId('reject-record')).toBeDisabled();
    expect(screen.getByTestId('cancel-record')).toBeDisabled();
    expect(screen.getByTestId('reschedule-toggle')).toBeEnabled();
    expect(screen.getByTestId('dnc-toggle')).toBeEnabled();
    expect(screen.getByTestId('update-toggle')).toBeEnabled();
  });

  it('dials the chosen chained number', async () => {
    const softphone = installSoftphone();
    const preview = makePreview({
      chainedRecords: [makeRecord({ recordHandle: 102, phoneNumber: '+19175550102', phoneType: 'Mobile' })],
    });
    render(RecordCard, { preview, pendingOperations: {} });
    await fireEvent.click(screen.getByRole('radio', { name: /\+19175550102/ }));
    await fireEvent.click(screen.getByTestId('dial'));
    expect(softphone.dialPreviewRecord).toHaveBeenCalledWith({ recordHandle: 101, phoneNumber: '+19175550102' });
  });

  it('rejects, cancels and marks do-not-call for the whole chain', async () => {
    const softphone = installSoftphone();
    render(RecordCard, { preview: makePreview(), pendingOperations: {} });
    await fireEvent.click(screen.getByTestId('reject-record'));
    expect(softphone.rejectRecord).toHaveBeenCalledWith({ recordHandle: 101 });
    await tick();
    await fireEvent.click(screen.getByTestId('cancel-record'));
    expect(softphone.cancelRecord).toHaveBeenCalledWith({ recordHandle: 101 });
    await tick();

    await fireEvent.click(screen.getByTestId('dnc-toggle'));
    await fireEvent.click(screen.getByRole('radio', { name: /all numbers/i }));
    await fireEvent.click(screen.getByTestId('do-not-call'));
    expect(softphone.doNotCallRecord).toHaveBeenCalledWith({ recordHandle: 101, chainAttribute: 'AllChain' });
  });

  it('reschedules at the chosen local time as epoch milliseconds', async () => {
    const softphone = installSoftphone();
    render(RecordCard, { preview: makePreview(), pendingOperations: {} });
    await fireEvent.click(screen.getByTestId('reschedule-toggle'));
    const when = new Date(Date.now() + 2 * 86_400_000);
    when.setSeconds(0, 0);
    const pad = (n: number) => String(n).padStart(2, '0');
    const value = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}T${pad(when.getHours())}:${pad(when.getMinutes())}`;
    await fireEvent.input(screen.getByLabelText(/call back at/i), { target: { value } });
    await fireEvent.click(screen.getByRole('radio', { name: /any agent/i }));
    await fireEvent.click(screen.getByTestId('reschedule'));
    expect(softphone.rescheduleRecord).toHaveBeenCalledWith({ recordHandle: 101, callbackType: 'Campaign', at: when.getTime() });
  });

  it('sends only the edited fields on Update', async () => {
    const softphone = installSoftphone();
    render(RecordCard, { preview: makePreview(), pendingOperations: {} });
    await fireEvent.click(screen.getByTestId('update-toggle'));
    await fireEvent.input(screen.getByRole('textbox', { name: 'Balance' }), { target: { value: '99.00' } });
    await fireEvent.click(screen.getByTestId('update-record'));
    expect(softphone.updateRecord).toHaveBeenCalledWith({ recordHandle: 101, otherFields: { balance: '99.00' } });
  });

  describe('issue 12', () => {
    const mobile = makeRecord({ recordHandle: 102, phoneNumber: '+19175550102', phoneType: 'Mobile' });

    it('#1 shows the chosen number\'s phone type and marks that number\'s record as do not call', async () => {
      const softphone = installSoftphone();
      render(RecordCard, { preview: makePreview({ chainedRecords: [mobile] }), pendingOperations: {} });
      expect(screen.getByTestId('phone-type')).toHaveTextContent('Home phone');
      await fireEvent.click(screen.getByRole('radio', { name: /\+19175550102/ }));
      expect(screen.getByTestId('customer-phone')).toHaveTextContent('+19175550102');
      expect(screen.getByTestId('phone-type')).toHaveTextContent('Mobile');

      await fireEvent.click(screen.getByTestId('dnc-toggle'));
      expect(screen.getByTestId('dnc-target')).toHaveTextContent('Will mark +19175550102 (Mobile) as do not call.');
      expect(screen.getByRole('radio', { name: /this number only/i })).toHaveAccessibleName(/\+19175550102/);
      await fireEvent.click(screen.getByTestId('do-not-call'));
      expect(softphone.doNotCallRecord).toHaveBeenCalledWith({ recordHandle: 102, chainAttribute: 'RecordOnly' });
      expect(await screen.findByTestId('dnc-done')).toHaveTextContent('Marked +19175550102 (Mobile) as do not call.');
    });

    it('#1 "all numbers of this customer" goes on the record in hand', async () => {
      const softphone = installSoftphone();
      render(RecordCard, { preview: makePreview({ chainedRecords: [mobile] }), pendingOperations: {} });
      await fireEvent.click(screen.getByRole('radio', { name: /\+19175550102/ }));
      await fireEvent.click(screen.getByTestId('dnc-toggle'));
      await fireEvent.click(screen.getByRole('radio', { name: /all numbers/i }));
      expect(screen.getByTestId('dnc-target')).toHaveTextContent('Will mark every number of Maria Gonzalez as do not call.');
      await fireEvent.click(screen.getByTestId('do-not-call'));
      expect(softphone.doNotCallRecord).toHaveBeenCalledWith({ recordHandle: 101, chainAttribute: 'AllChain' });
    });

    it('#13 says so when a record has no other numbers', async () => {
      installSoftphone();
      const { rerender } = render(RecordCard, { preview: makePreview(), pendingOperations: {} });
      expect(screen.getByTestId('load-chain')).toBeInTheDocument();
      await rerender({ preview: makePreview({ lastNotification: 'ChainedRecordsDataEnd' }), pendingOperations: {} });
      expect(screen.queryByTestId('load-chain')).toBeNull();
      expect(screen.getByTestId('no-other-numbers')).toHaveTextContent('No other numbers for this customer.');
    });

    const tokyo = () => makePreview({ record: makeRecord({ timeZone: 'Asia/Tokyo', userData: { GSW_TZ_NAME: 'Asia/Tokyo' } }) }); // 00:00 at NOW

    it('#7 asks before dialling outside the calling hours, focused on "Don\'t dial"', async () => {
      const softphone = installSoftphone();
      render(RecordCard, { preview: tokyo(), pendingOperations: {} });
      expect(screen.getByTestId('off-hours')).toHaveTextContent('Outside calling hours (08:00–21:00)');
      // A double click does not get past the question.
      await fireEvent.click(screen.getByTestId('dial'));
      await fireEvent.click(screen.getByTestId('dial'));
      expect(softphone.dialPreviewRecord).not.toHaveBeenCalled();
      const ask = screen.getByTestId('calling-hours-confirm');
      expect(ask).toHaveTextContent(/outside the calling hours \(08:00–21:00\)/);
      await waitFor(() => expect(screen.getByTestId('dial-not')).toHaveFocus());
      await fireEvent.click(screen.getByTestId('dial-not'));
      expect(screen.queryByTestId('calling-hours-confirm')).toBeNull();
      expect(softphone.dialPreviewRecord).not.toHaveBeenCalled();

      await fireEvent.click(screen.getByTestId('dial'));
      await fireEvent.click(screen.getByTestId('dial-anyway'));
      expect(softphone.dialPreviewRecord).toHaveBeenCalledTimes(1);
    });

    it('#7 IT can block dialling outside the calling hours, and set the hours', async () => {
      const softphone = installSoftphone();
      const rules = { afterCallWork: true, afterComplete: 'previous' as const, callingHours: { start: '08:00', end: '21:00', outside: 'block' as const } };
      const { rerender } = render(RecordCard, { preview: tokyo(), pendingOperations: {}, workRules: rules });
      expect(screen.getByTestId('dial')).toBeDisabled();
      expect(screen.getByTestId('off-hours')).toHaveTextContent('dialling is blocked');
      await fireEvent.click(screen.getByTestId('dial'));
      expect(softphone.dialPreviewRecord).not.toHaveBeenCalled();
      // Hours across midnight (23:00–02:00) let 00:00 in Tokyo through.
      await rerender({ preview: tokyo(), pendingOperations: {}, workRules: { ...rules, callingHours: { start: '23:00', end: '02:00', outside: 'block' } } });
      expect(screen.getByTestId('dial')).toBeEnabled();
      expect(screen.queryByTestId('off-hours')).toBeNull();
    });
  });
});
