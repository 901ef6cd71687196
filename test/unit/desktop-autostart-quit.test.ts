import { describe, expect, it } from 'vitest';
import { autostartDesktopEntry, autostartFilePath, launchedAtLogin, loginItemSettings, quoteExecArg } from '../../main/desktop/autostart';
import { closeDecision, quitDecision } from '../../main/desktop/quit-decision';
import { call, signedIn, withCalls } from './desktop-fixtures';

describe('start at login', () => {
  it('builds the XDG autostart entry, starting hidden', () => {
    const text = autostartDesktopEntry({ exec: '/home/ada/Apps/GWS Softphone-1.0.0.AppImage', icon: 'gws-softphone' });
    expect(text).toContain('[Desktop Entry]\nType=Application\n');
    expect(text).toContain('Exec="/home/ada/Apps/GWS Softphone-1.0.0.AppImage" --hidden\n');
    expect(text).toContain('Icon=gws-softphone\n');
    expect(text.endsWith('\n')).toBe(true);
    expect(autostartFilePath('/home/ada')).toBe('/home/ada/.config/autostart/gws-softphone.desktop');
    expect(autostartFilePath('/home/ada', '/xdg')).toBe('/xdg/autostart/gws-softphone.desktop');
    expect(autostartFilePath('/home/ada', 'relative')).toBe('/home/ada/.config/autostart/gws-softphone.desktop');
  });

  it('quotes Exec arguments per the Desktop Entry spec', () => {
    expect(quoteExecArg('/opt/gws/gws-softphone')).toBe('/opt/gws/gws-softphone');
    expect(quoteExecArg('/a b/$HOME"x`\\')).toBe('"/a b/\\$HOME\\"x\\`\\\\"');
    expect(quoteExecArg('/100%')).toBe('/100%%');
  });

  it('asks Windows to pass --hidden and macOS to register the main app', () => {
    expect(loginItemSettings(true, 'win32')).toEqual({ openAtLogin: true, args: ['--hidden'] });
    expect(loginItemSettings(false, 'darwin')).toEqual({ openAtLogin: false, type: 'mainAppService' });
  });

  it('knows a launch at login', () => {
    expect(launchedAtLogin({ argv: ['app', '--hidden'] })).toBe(true);
    expect(launchedAtLogin({ argv: ['app'], wasOpenedAtLogin: true })).toBe(true);
    expect(launchedAtLogin({ argv: ['app', 'tel:123'] })).toBe(false);
  });
});

describe('quit and close', () => {
  it('asks for confirmation only while a call is live', () => {
    expect(quitDecision(signedIn())).toEqual({ kind: 'quit' });
    expect(quitDecision(withCalls(signedIn(), call('c1', 'Released')))).toEqual({ kind: 'quit' });
    expect(quitDecision(withCalls(signedIn(), call('c1', 'Held')))).toMatchObject({ kind: 'confirm', detail: expect.stringContaining('Carol Customer') });
    expect(quitDecision(withCalls(signedIn(), call('c1', 'Dialing'), call('c2', 'Established')))).toMatchObject({ detail: expect.stringContaining('(2 calls)') });
  });

  it('hides to the tray on close unless quitting or no tray', () => {
    expect(closeDecision({ closeToTray: true, quitting: false, trayAvailable: true })).toBe('hide-to-tray');
    expect(closeDecision({ closeToTray: true, quitting: true, trayAvailable: true })).toBe('close');
    expect(closeDecision({ closeToTray: true, quitting: false, trayAvailable: false })).toBe('close');
    expect(closeDecision({ closeToTray: false, quitting: false, trayAvailable: true })).toBe('close');
  });
});
