/**
 * The composition root: the only place that wires Electron to the services. Everything it builds
 * runs under plain Node too (main/agent, main/app), except the thin adapters in main/desktop.
 */
import type { BrowserWindow } from 'electron';
import { app } from 'electron';
import { join } from 'node:path';
import { createAgentSession } from './agent/session';
import { createSoftphoneCore, type SoftphoneCore } from './app/core';
import { startSimulatorProcess, type SimulatorProcess } from './dev/simulator-process';
import { serveIpc, sendToWindow } from './desktop/ipc';
import { createMainWindow, denyAllPermissions, guardWebContents, rendererIndexUrl } from './desktop/window';

const outDir = join(app.getAppPath(), 'out');
const indexUrl = rendererIndexUrl(outDir);
let window: BrowserWindow | undefined;
let core: SoftphoneCore | undefined;
let sim: SimulatorProcess | undefined;

// One instance per agent workstation: a second launch brings the first forward.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, indexUrl));
  void app.whenReady().then(start);
}

async function start() {
  denyAllPermissions();
  // Development: with no server configured, the built-in simulator is the default (never packaged).
  const configured = process.env.GWS_SERVER_URL;
  if (!configured && !app.isPackaged) sim = await startSimulatorProcess({ cwd: app.getAppPath() }).catch(() => undefined);

  const session = createAgentSession();
  core = createSoftphoneCore(session, {
    version: app.getVersion(),
    defaultServerUrl: configured ?? sim?.url ?? '',
    ...(sim && { defaultUsername: 'agent1' }),
    locked: [],
    shell: 'electron',
  });
  serveIpc(() => window, core.router, indexUrl);
  core.subscribe((event, payload) => sendToWindow(window, event, payload));

  window = createMainWindow({ outDir, show: true });
  window.on('closed', () => {
    window = undefined;
  });

  let signedOut = false;
  app.on('before-quit', (event) => {
    if (signedOut) return;
    // Sign the agent out cleanly (EndContactCenterSession) before the process goes.
    event.preventDefault();
    signedOut = true;
    void session
      .signOut()
      .catch(() => undefined)
      .finally(async () => {
        await session.dispose();
        await sim?.stop();
        app.quit();
      });
  });
}

app.on('window-all-closed', () => app.quit());
