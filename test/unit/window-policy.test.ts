import { describe, expect, it } from 'vitest';
import { hardenedWebPreferences, isAllowedExternalUrl, isAppUrl, isPermissionGranted, restoreBounds, DEFAULT_BOUNDS } from '../../main/desktop/window-policy';

const index = 'file:///opt/GWS%20Softphone/resources/app.asar/out/renderer/index.html';

describe('window policy', () => {
  it('hardens every window', () => {
    expect(hardenedWebPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
  });

  it('opens only http, https and mailto links in the OS', () => {
    expect(isAllowedExternalUrl('https://crm.example.com/customer/42')).toBe(true);
    expect(isAllowedExternalUrl('mailto:team@example.com')).toBe(true);
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'smb://host/share', 'tel:+441234', 'not a url', 'http://']) {
      expect(isAllowedExternalUrl(url)).toBe(false);
    }
  });

  it('lets the window show only the app page', () => {
    expect(isAppUrl(`${index}#calls`, index)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', index)).toBe(false);
    expect(isAppUrl('https://evil.example/', index)).toBe(false);
  });

  it('grants no permission to web content', () => {
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) expect(isPermissionGranted(p)).toBe(false);
  });

  it('restores remembered bounds only where a display still shows them', () => {
    const displays = [{ x: 0, y: 0, width: 1920, height: 1040 }];
    expect(restoreBounds({ x: 100, y: 50, width: 900, height: 700 }, displays)).toEqual({ x: 100, y: 50, width: 900, height: 700 });
    // The second monitor was unplugged: keep the size, let the OS place the window.
    expect(restoreBounds({ x: 2500, y: 50, width: 900, height: 700 }, displays)).toEqual({ width: 900, height: 700 });
    expect(restoreBounds({ width: 10, height: 10 }, displays)).toEqual({ width: 720, height: 520 });
    expect(restoreBounds(undefined, displays)).toEqual(DEFAULT_BOUNDS);
  });
});
