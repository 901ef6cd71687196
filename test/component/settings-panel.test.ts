import './setup';
import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent, waitFor } from '@testing-library/svelte';
import SettingsPanel from '../../renderer/components/SettingsPanel.svelte';
import type { SettingsView } from '../../preload/contract';
import { installSoftphone, makeApp } from './fixtures';
import { setLanguage } from '../../renderer/state/i18n.svelte';

function view(locked: string[] = [], extra: Partial<SettingsView> = {}, hotkeys: Partial<SettingsView['values']['hotkeys']> = {}): SettingsView {
  return {
    ...extra,
    values: {
      closeToTray: true,
      serverUrl: 'https://gws.example.com',
      username: 'agent1',
      place: 'Place_5001',
      notifications: { incomingCall: true, callEstablished: true, callReleased: false, previewRecord: true, previewRecordActions: true, connection: true },
      raiseOnRing: true,
      startAtLogin: false,
      rememberPassword: false,
      hotkeys: { answerOrHangUp: '', dialRecord: '', rejectRecord: '', readyNotReady: '', holdRetrieve: '', showWindow: '', ...hotkeys },
      language: 'system',
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

  describe('language', () => {
    it('offers the system language and each language by its own name, and sends the one chosen', async () => {
      const softphone = installSoftphone();
      softphone.getSettings.mockResolvedValue({ ok: true, value: view() });
      softphone.updateSettings.mockResolvedValue({ ok: true, value: { refused: [] } });
      render(SettingsPanel, { app: makeApp({ shell: 'electron' }), onclose: vi.fn() });
      const select = await screen.findByRole('combobox', { name: 'Language' });
      expect(select).toHaveValue('system');
      expect(select).toBeEnabled();
      expect([...select.querySelectorAll('option')].map((o) => [o.value, o.textContent])).toEqual([
        ['system', 'Use the system language'],
        ['en', 'English'],
        ['es', 'Español'],
        ['de', 'Deutsch'],
        ['fr', 'Français'],
      ]);
      await fireEvent.change(select, { target: { value: 'es' } });
      await waitFor(() => expect(softphone.updateSettings).toHaveBeenCalledWith({ language: 'es' }));
      await waitFor(() => expect(softphone.getSettings).toHaveBeenCalledTimes(2));
    });

    it('shows the language IT locked, read-only', async () => {
      const softphone = installSoftphone();
      const locked = view(['language']);
      locked.values.language = 'de';
      softphone.getSettings.mockResolvedValue({ ok: true, value: locked });
      render(SettingsPanel, { app: makeApp({ shell: 'electron' }), onclose: vi.fn() });
      const field = await screen.findByTestId('setting-language');
      expect(field).toHaveTextContent('Locked by IT');
      const select = screen.getByTestId('language-select');
      expect(select).toHaveValue('de');
      expect(select).toBeDisabled();
    });

    it('speaks the language in effect, the language names still in their own', async () => {
      const softphone = installSoftphone();
      softphone.getSettings.mockResolvedValue({ ok: true, value: view(['startAtLogin']) });
      setLanguage('es');
      try {
        render(SettingsPanel, { app: makeApp({ shell: 'electron' }), onclose: vi.fn() });
        expect(await screen.findByRole('heading', { name: 'Configuración' })).toBeInTheDocument();
        const select = await screen.findByRole('combobox', { name: 'Idioma' });
        expect([...select.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['Usar el idioma del sistema', 'English', 'Español', 'Deutsch', 'Français']);
        expect(screen.getByTestId('setting-startAtLogin')).toHaveTextContent('Bloqueado por TI');
        expect(screen.getByRole('button', { name: 'Quitar la tecla de acceso rápido de «Mostrar la ventana»' })).toBeDisabled();
      } finally {
        setLanguage('en');
      }
    });
  });

  describe('global hotkeys', () => {
    const field = async (action: string) => (await screen.findByTestId(`hotkey-${action}`)).querySelector('input')!;

    it('records the combination pressed in a field and sends it as an accelerator', async () => {
      const softphone = installSoftphone();
      softphone.getSettings.mockResolvedValue({ ok: true, value: view() });
      softphone.updateSettings.mockResolvedValue({ ok: true, value: { refused: [] } });
      render(SettingsPanel, { app: makeApp({ shell: 'electron' }), onclose: vi.fn() });
      const input = await field('dialRecord');
      expect(input).toHaveValue('None');
      // Modifiers alone record nothing yet.
      await fireEvent.keyDown(input, { key: 'Control', code: 'ControlLeft', ctrlKey: true });
      expect(softphone.updateSettings).not.toHaveBeenCalled();
      await fireEvent.keyDown(input, { key: 'd', code: 'KeyD', ctrlKey: true, altKey: true });
      await waitFor(() => expect(softphone.updateSettings).toHaveBeenCalledWith({ hotkeys: { dialRecord: 'CommandOrControl+Alt+D' } }));
    });

    it('shows the keys set, removes one with Backspace or Remove, and Escape leaves the field without closing Settings', async () => {
      const softphone = installSoftphone();
      softphone.getSettings.mockResolvedValue({ ok: true, value: view([], {}, { showWindow: 'CommandOrControl+Alt+S' }) });
      softphone.updateSettings.mockResolvedValue({ ok: true, value: { refused: [] } });
      const onclose = vi.fn();
      render(SettingsPanel, { app: makeApp({ shell: 'electron' }), onclose });
      const input = await field('showWindow');
      expect(input).toHaveValue('Ctrl+Alt+S');
      await fireEvent.keyDown(input, { key: 'Escape', code: 'Escape' });
      expect(onclose).not.toHaveBeenCalled();
      await fireEvent.keyDown(input, { key: 'Backspace', code: 'Backspace' });
      await waitFor(() => expect(softphone.updateSettings).toHaveBeenCalledWith({ hotkeys: { showWindow: '' } }));
      await fireEvent.click(screen.getByRole('button', { name: 'Remove the hotkey for Show the window' }));
      await waitFor(() => expect(softphone.updateSettings).toHaveBeenCalledTimes(2));
    });

    it('reports a key the OS refused, next to its field', async () => {
      const softphone = installSoftphone();
      const problems = [{ action: 'dialRecord' as const, accelerator: 'Control+Alt+D', reason: 'taken' as const, message: 'Ctrl+Alt+D is taken by the operating system or another app: choose another key.' }];
      softphone.getSettings.mockResolvedValue({ ok: true, value: view([], { hotkeyProblems: problems }, { dialRecord: 'Control+Alt+D' }) });
      render(SettingsPanel, { app: makeApp({ shell: 'electron' }), onclose: vi.fn() });
      const problem = await screen.findByTestId('hotkey-problem');
      expect(problem).toHaveTextContent('Not active: Ctrl+Alt+D is taken by the operating system or another app');
      expect(await field('dialRecord')).toHaveAttribute('aria-invalid', 'true');
      // Serious and critical axe violations (contrast is left to Playwright: jsdom cannot compute it).
      const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
      expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    });

    it('shows a key IT locked as read-only, and says why main refused a combination', async () => {
      const softphone = installSoftphone();
      softphone.getSettings.mockResolvedValue({ ok: true, value: view(['hotkeys.answerOrHangUp'], {}, { answerOrHangUp: 'F13' }) });
      softphone.updateSettings.mockResolvedValue({
        ok: false,
        error: { code: 'VALIDATION', message: 'Invalid arguments', issues: [{ path: 'hotkeys.rejectRecord', message: 'Home would stop you typing it in other apps: add Ctrl, Alt or Cmd' }] },
      });
      render(SettingsPanel, { app: makeApp({ shell: 'electron' }), onclose: vi.fn() });
      const locked = await screen.findByTestId('hotkey-answerOrHangUp');
      expect(locked.querySelector('input')).toBeDisabled();
      expect(locked).toHaveTextContent('Locked by IT');
      await fireEvent.keyDown(await field('rejectRecord'), { key: 'Home', code: 'Home' });
      expect(await screen.findByTestId('settings-error')).toHaveTextContent('Home would stop you typing it in other apps');
      // Said before anything is sent: main's own rule, checked here too.
      expect(softphone.updateSettings).not.toHaveBeenCalled();
    });

    it('says why a combination is refused in the agent’s language', async () => {
      const softphone = installSoftphone();
      softphone.getSettings.mockResolvedValue({ ok: true, value: view() });
      setLanguage('es');
      try {
        render(SettingsPanel, { app: makeApp({ shell: 'electron' }), onclose: vi.fn() });
        await fireEvent.keyDown(await field('rejectRecord'), { key: 'Home', code: 'Home' });
        expect(await screen.findByTestId('settings-error')).toHaveTextContent('Home te impediría escribirla en otras aplicaciones: añade Ctrl, Alt o Cmd.');
      } finally {
        setLanguage('en');
      }
    });

    it('has the switch for the preview toast buttons', async () => {
      const softphone = installSoftphone();
      softphone.getSettings.mockResolvedValue({ ok: true, value: view(['notifications.previewRecordActions']) });
      render(SettingsPanel, { app: makeApp({ shell: 'electron' }), onclose: vi.fn() });
      const toggle = await screen.findByTestId('notification-previewRecordActions');
      expect(toggle).toHaveTextContent('Dial and Reject buttons on the preview record notification');
      expect(toggle.querySelector('input')).toBeDisabled();
    });

    it('offers the toast buttons only while the preview toast is on', async () => {
      const softphone = installSoftphone();
      const off = view();
      off.values.notifications.previewRecord = false;
      softphone.getSettings.mockResolvedValue({ ok: true, value: off });
      render(SettingsPanel, { app: makeApp({ shell: 'electron' }), onclose: vi.fn() });
      expect((await screen.findByTestId('notification-previewRecordActions')).querySelector('input')).toBeDisabled();
    });
  });
});
