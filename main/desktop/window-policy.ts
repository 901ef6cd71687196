/**
 * Decisions of the window adapter, electron-free so they are unit-tested: what a window may load,
 * where it may navigate, which links leave for the OS browser, which permissions are granted.
 */

/** Every BrowserWindow gets exactly these; tests assert them (issue: Electron hardening). */
export const hardenedWebPreferences = {
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
  disableBlinkFeatures: 'Auxclick',
} as const;

const EXTERNAL_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** Links the agent clicks open in the OS browser only for these schemes; anything else is refused. */
export function isAllowedExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return EXTERNAL_SCHEMES.has(url.protocol) && (url.protocol === 'mailto:' || url.hostname.length > 0);
  } catch {
    return false;
  }
}

/** The app's own page: the packaged renderer file (file://…/out/renderer/index.html) and nothing else. */
export function isAppUrl(raw: string, rendererIndexUrl: string): boolean {
  try {
    const url = new URL(raw);
    const own = new URL(rendererIndexUrl);
    return url.protocol === own.protocol && url.host === own.host && url.pathname === own.pathname;
  } catch {
    return false;
  }
}

/** No permission (camera, microphone, notifications from the page, geolocation…) is ever granted to web content: media runs on the agent's phone. */
export function isPermissionGranted(_permission: string): boolean {
  return false;
}

export interface Bounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export const DEFAULT_BOUNDS: Bounds = { width: 1100, height: 760 };
export const MIN_SIZE = { width: 720, height: 520 } as const;

/**
 * Remembered bounds are used only when they still fit on one of the displays (a laptop undocked
 * from its second screen must not open the window off-screen).
 */
export function restoreBounds(saved: Partial<Bounds> | undefined, displays: { x: number; y: number; width: number; height: number }[]): Bounds {
  if (!saved || typeof saved.width !== 'number' || typeof saved.height !== 'number') return { ...DEFAULT_BOUNDS };
  const width = Math.max(MIN_SIZE.width, Math.round(saved.width));
  const height = Math.max(MIN_SIZE.height, Math.round(saved.height));
  if (typeof saved.x !== 'number' || typeof saved.y !== 'number') return { width, height };
  const { x, y } = saved;
  const visible = displays.some((d) => x + 80 <= d.x + d.width && x + width - 80 >= d.x && y >= d.y && y + 40 <= d.y + d.height);
  return visible ? { x: Math.round(x), y: Math.round(y), width, height } : { width, height };
}
