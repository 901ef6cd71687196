/**
 * The main window adapter (thin: its decisions live in window-policy.ts). Hardened explicitly:
 * contextIsolation, sandbox, no Node, no window.open, no navigation away from the app, external links
 * only for http/https/mailto, every permission request denied.
 */
import { BrowserWindow, screen, session, shell, type WebContents } from 'electron';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { isAllowedExternalUrl, isAppUrl, isPermissionGranted, MIN_SIZE, restoreBounds, type Bounds } from '../window-policy';

export interface MainWindowOptions {
  outDir: string;
  savedBounds?: Partial<Bounds>;
  show: boolean;
  onBoundsChanged?: (bounds: Bounds) => void;
}

/** Guards for every web contents the app ever creates (set once, in app 'web-contents-created'). */
export function guardWebContents(contents: WebContents, rendererIndexUrl: string): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, rendererIndexUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, rendererIndexUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(isPermissionGranted(permission)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission));
}

export function rendererIndexUrl(outDir: string): string {
  return pathToFileURL(join(outDir, 'renderer', 'index.html')).toString();
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const bounds = restoreBounds(options.savedBounds, screen.getAllDisplays().map((d) => d.workArea));
  const window = new BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'GWS Softphone',
    autoHideMenuBar: true,
    // Spelled out (not spread, no type wrapper) so that reviewers and electronegativity see each
    // value; test/unit/security-hardening.test.ts holds them equal to hardenedWebPreferences.
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      // Middle-click would otherwise open a link in a new window, around setWindowOpenHandler.
      disableBlinkFeatures: 'Auxclick',
      preload: join(options.outDir, 'preload', 'index.cjs'),
    },
  });
  window.once('ready-to-show', () => {
    if (options.show) window.show();
  });
  const save = () => {
    if (!window.isMinimized() && !window.isMaximized()) options.onBoundsChanged?.(window.getBounds());
  };
  window.on('resized', save);
  window.on('moved', save);
  void window.loadURL(rendererIndexUrl(options.outDir));
  return window;
}
