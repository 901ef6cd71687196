import './setup';
import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent, waitFor } from '@testing-library/svelte';
import SettingsPanel from '../../renderer/components/SettingsPanel.svelte';
import type { SettingsView } from '../../preload/contract';
import { installSoftphone, makeApp } from './fixtures';

function view(locked: string[] = []): SettingsView {
  return {
    values: {
      closeToTray: true,
      serverUrl: 'https://gws.example.com',
      username: 'agent1',
      place: 'Place_5001',
      notifications: { incomingCall: true, callEstablished: true, callReleased: false, previewRecord: true, connection: true },
      raiseOnRing: true,
      startAtLogin: false,
      rememberPassword: false,
    },
    locked,
  };
}

describe('SettingsPanel', () => {
  it('shows the effective settings, and the ones IT locked as locked and read-only', async () => {
    const softphone = installSoftphone();
    softphone.getSettings.mockResolvedValue({ ok: true, value: view(['serverUrl', 'startAtLogin', 'notifications.incomingCall']) });
    render(SettingsPanel, { app: makeApp({ shell: 'electron' }), onclose: vi.fn() });
    const startAtLogin = await screen.findByTestId('setting-startAtLogin');
    expect(startAtLogin.querySelector('input')).toBeDisabled();
    expect(startAtLogin).toHaveTextContent('Locked by IT');
    expect(screen.getByTestId('notification-incomingCall').querySelector('input')).toBeDisabled();
    expect(screen.getByTestId('notification-callReleased').querySelector('input')).not.toBeChecked();
    expect(screen.getByTestId('setting-raiseOnRing').querySelector('input')).toBeEnabled();
  });

  it('sends a changed toggle and reloads the settings', async () => {
    const softphone = installSoftphone();
    softphone.getSettings.mockResolvedValue({ ok: true, value: view() });
    softphone.updateSettings.mockResolvedValue({ ok: true, value: { refused: [] } });
    render(SettingsPanel, { app: makeApp({ shell: 'electron' }), onclose: vi.fn() });
    const input = (await screen.findByTestId('notification-callEstablished')).querySelector('input')!;
    await fireEvent.click(input);
    await waitFor(() => expect(softphone.updateSettings).toHaveBeenCalledWith({ notifications: { callEstablished: false } }));
    await waitFor(() => expect(softphone.getSettings).toHaveBeenCalledTimes(2));
  });

  it('sends a test notification and says so', async () => {
    const softphone = installSoftphone();
    softphone.getSettings.mockResolvedValue({ ok: true, value: view() });
    softphone.testNotification.mockResolvedValue({ ok: true, value: { shown: true } });
    render(SettingsPanel, { app: makeApp({ shell: 'electron' }), onclose: vi.fn() });
    await fireEvent.click(await screen.findByTestId('test-notification'));
    expect(await screen.findByTestId('settings-notice')).toHaveTextContent('Test notification sent.');
  });

  it('reports a malformed IT policy in words', async () => {
    const softphone = installSoftphone();
    softphone.getSettings.mockResolvedValue({ ok: true, value: view() });
    render(SettingsPanel, {
      app: makeApp({ shell: 'electron', policy: { state: 'invalid', path: '/etc/gws-softphone/policy.json', problem: 'serverUrl: must be a URL' } }),
      onclose: vi.fn(),
    });
    expect(await screen.findByTestId('policy-invalid')).toHaveTextContent('serverUrl: must be a URL');
  });

  it('offers Restart to update only when an update is ready, and shows why it is refused during a call', async () => {
    const softphone = installSoftphone();
    softphone.getSettings.mockResolvedValue({ ok: true, value: view() });
    softphone.installUpdate.mockResolvedValue({ ok: true, value: { decision: 'restart-blocked', reason: 'A call is in progress.' } });
    render(SettingsPanel, { app: makeApp({ shell: 'electron', update: { state: 'ready', version: '0.2.0' } }), onclose: vi.fn() });
    await fireEvent.click(await screen.findByTestId('install-update'));
    expect(await screen.findByTestId('settings-notice')).toHaveTextContent('A call is in progress.');
  });
});
