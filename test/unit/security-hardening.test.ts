/**
 * Electron hardening, checked on the adapters themselves with a mocked `electron`: every window's
 * webPreferences, the CSP the renderer ships with, the navigation and window-open guards, the
 * permission handler, and the IPC sender check.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const electron = vi.hoisted(() => {
  const windows: { options: Record<string, unknown> }[] = [];
  class BrowserWindow {
    webContents = { id: 1 };
    constructor(public options: Record<string, unknown>) {
      windows.push(this);
    }
    once() {}
    on() {}
    loadURL = vi.fn(async () => undefined);
    isMinimized = () => false;
    isMaximized = () => false;
    getBounds = () => ({ x: 0, y: 0, width: 1, height: 1 });
  }
  return {
    windows,
    BrowserWindow,
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() } },
    shell: { openExternal: vi.fn(async () => undefined) },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
  };
});
vi.mock('electron', () => electron);

const { createMainWindow, denyAllPermissions, guardWebContents, rendererIndexUrl } = await import('../../main/desktop/electron/window');
const { hardenedWebPreferences } = await import('../../main/desktop/window-policy');
const { serveIpc } = await import('../../main/desktop/electron/ipc');

const outDir = '/opt/GWS Softphone/resources/app.asar/out';
const indexUrl = rendererIndexUrl(outDir);

beforeEach(() => {
  electron.windows.length = 0;
  vi.clearAllMocks();
});

describe('Electron hardening', () => {
  it('creates the window with every hardened webPreference and our preload only', () => {
    createMainWindow({ outDir, show: true });
    const prefs = electron.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject(hardenedWebPreferences);
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(prefs.preload).toBe(join(outDir, 'preload', 'index.cjs'));
  });

  it('ships a strict CSP: nothing inline, nothing remote', () => {
    const html = readFileSync(join(process.cwd(), 'renderer/index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('denies window.open, opens only safe links outside, and blocks navigation and webviews', () => {
    const handlers: Record<string, (...args: unknown[]) => void> = {};
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = {
      setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
      on: (event: string, h: (...args: unknown[]) => void) => (handlers[event] = h),
    };
    guardWebContents(contents as never, indexUrl);

    expect(openHandler!({ url: 'https://crm.example.com/' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://crm.example.com/');
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);

    for (const event of ['will-navigate', 'will-redirect']) {
      const away = { preventDefault: vi.fn() };
      handlers[event]!(away, 'https://evil.example/');
      expect(away.preventDefault).toHaveBeenCalled();
      const home = { preventDefault: vi.fn() };
      handlers[event]!(home, indexUrl);
      expect(home.preventDefault).not.toHaveBeenCalled();
    }
    const webview = { preventDefault: vi.fn() };
    handlers['will-attach-webview']!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('refuses every permission request and check', () => {
    denyAllPermissions();
    const request = electron.session.defaultSession.setPermissionRequestHandler.mock.calls[0]![0] as (c: unknown, p: string, cb: (ok: boolean) => void) => void;
    const check = electron.session.defaultSession.setPermissionCheckHandler.mock.calls[0]![0] as (c: unknown, p: string) => boolean;
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      request(null, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(check(null, permission)).toBe(false);
    }
  });

  it('answers IPC only from our window main frame showing our page', async () => {
    const router = { invoke: vi.fn(async () => ({ ok: true as const, value: 'ran' })) };
    const mainFrame = { url: indexUrl };
    const window = { isDestroyed: () => false, webContents: { mainFrame } };
    serveIpc(() => window as never, router, indexUrl);
    const handler = electron.ipcMain.handle.mock.calls[0]![1] as (event: unknown, command: unknown, args: unknown) => Promise<unknown>;

    expect(await handler({ sender: window.webContents, senderFrame: mainFrame }, 'ready', {})).toEqual({ ok: true, value: 'ran' });
    const childFrame = { url: indexUrl };
    for (const event of [
      { sender: window.webContents, senderFrame: childFrame },
      { sender: { mainFrame }, senderFrame: mainFrame },
      { sender: window.webContents, senderFrame: null },
    ]) {
      expect(await handler(event, 'ready', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    mainFrame.url = 'https://evil.example/';
    expect(await handler({ sender: window.webContents, senderFrame: mainFrame }, 'ready', {})).toMatchObject({ ok: false });
    expect(router.invoke).toHaveBeenCalledTimes(1);
  });
});
