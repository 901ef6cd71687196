import './setup';
import { describe, expect, it } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import RescheduleForm from '../../renderer/components/RescheduleForm.svelte';
import { installSoftphone, makeRecord } from './fixtures';

/** `datetime-local` text for the agent's wall clock at `at`. */
function local(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Tomorrow at `hh:mm` UTC, i.e. in a customer in UTC's own time. */
function tomorrowUtc(hour: number): number {
  const d = new Date(Date.now() + 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.getTime();
}

const utcRecord = () => makeRecord({ timeZone: 'UTC', userData: { GSW_TZ_NAME: 'UTC' } });

describe('RescheduleForm: calling hours (issue 12 #7)', () => {
  it('warns when the callback falls outside the customer\'s calling hours, and still lets the agent choose it', async () => {
    const softphone = installSoftphone();
    render(RescheduleForm, { record: utcRecord(), pendingKey: 'record:101' });
    const at = tomorrowUtc(3);
    await fireEvent.input(screen.getByLabelText(/call back at/i), { target: { value: local(at) } });
    expect(screen.getByTestId('reschedule-off-hours')).toHaveTextContent(/outside the calling hours \(08:00–21:00\)/);
    expect(screen.getByTestId('reschedule')).toHaveTextContent('Reschedule anyway');
    await fireEvent.click(screen.getByTestId('reschedule'));
    expect(softphone.rescheduleRecord).toHaveBeenCalledWith({ recordHandle: 101, callbackType: 'Personal', at });
  });

  it('says nothing inside the hours', async () => {
    installSoftphone();
    render(RescheduleForm, { record: utcRecord(), pendingKey: 'record:101' });
    await fireEvent.input(screen.getByLabelText(/call back at/i), { target: { value: local(tomorrowUtc(12)) } });
    expect(screen.queryByTestId('reschedule-off-hours')).toBeNull();
    expect(screen.getByTestId('reschedule')).toHaveTextContent(/^Reschedule$/);
  });

  it('refuses a time outside the hours when IT blocks it', async () => {
    const softphone = installSoftphone();
    render(RescheduleForm, { record: utcRecord(), pendingKey: 'record:101', callingHours: { start: '08:00', end: '21:00', outside: 'block' } });
    await fireEvent.input(screen.getByLabelText(/call back at/i), { target: { value: local(tomorrowUtc(22)) } });
    await fireEvent.click(screen.getByTestId('reschedule'));
    expect(softphone.rescheduleRecord).not.toHaveBeenCalled();
    expect(screen.getByText(/Choose a time within them/)).toBeInTheDocument();
  });
});
