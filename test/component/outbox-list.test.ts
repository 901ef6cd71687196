import './setup';
import { describe, expect, it } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import OutboxList from '../../renderer/components/OutboxList.svelte';
import type { OutboxEntry } from '../../renderer/lib/types';
import { installSoftphone } from './fixtures';

const entry = (overrides: Partial<OutboxEntry> = {}): OutboxEntry => ({
  id: 'ref-1',
  referenceId: 'ref-1',
  operationName: 'CompleteRecord',
  recordHandle: '101',
  campaignName: 'Collections_Preview',
  callResult: 'Answer',
  state: 'pending',
  attempts: 1,
  createdAt: 0,
  ...overrides,
});

describe('OutboxList', () => {
  it('shows nothing when every outcome was delivered', () => {
    installSoftphone();
    render(OutboxList, { entries: [], storageError: null, online: true });
    expect(screen.queryByTestId('outbox')).toBeNull();
  });

  it('shows a pending outcome while offline, in words', () => {
    installSoftphone();
    render(OutboxList, { entries: [entry()], storageError: null, online: false });
    const item = screen.getByTestId('outbox-entry');
    expect(item).toHaveTextContent('Complete record 101 · Answer');
    expect(item).toHaveTextContent('Pending — will be sent when back online');
    expect(screen.queryByTestId('outbox-retry')).toBeNull();
  });

  it('offers Retry and Discard for an outcome the server refused', async () => {
    const softphone = installSoftphone();
    render(OutboxList, { entries: [entry({ state: 'failed', attempts: 2, lastError: { code: 'SERVER', message: 'Record is locked' } })], storageError: null, online: true });
    expect(screen.getByTestId('outbox-entry')).toHaveTextContent('Refused by the server (attempt 2): Record is locked');
    await fireEvent.click(screen.getByTestId('outbox-retry'));
    expect(softphone.retryOutboxEntry).toHaveBeenCalledWith({ id: 'ref-1' });
    await fireEvent.click(screen.getByTestId('outbox-discard'));
    expect(softphone.discardOutboxEntry).toHaveBeenCalledWith({ id: 'ref-1' });
  });

  it('warns when the outbox cannot be written to disk', () => {
    installSoftphone();
    render(OutboxList, { entries: [entry()], storageError: 'ENOSPC: no space left on device', online: true });
    expect(screen.getByTestId('outbox-storage-error')).toHaveTextContent('ENOSPC');
  });
});
