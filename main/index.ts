/**
 * The composition root: the only place that wires Electron to the services. Everything it builds
 * runs under plain Node too (main/agent, main/app), except the thin adapters in main/desktop.
 */
import type { BrowserWindow } from 'electron';
import { app } from 'electron';
import { join } from 'node:path';
import { createAgentSession } from './agent/session';
import { fileOutboxStore } from './agent/outbox';
import { fileCampaignStore } from './agent/campaign-memory';
import { createSoftphoneCore } from './app/core';
import { leaveForQuit } from './app/quit';
import { checkPolicyArgs, runCheckPolicy } from './cli/check-policy';
import { startSimulatorProcess, type SimulatorProcess } from './dev/simulator-process';
import { serveIpc, sendToWindow } from './desktop/electron/ipc';
import { installAppMenu } from './desktop/electron/menu';
import { prepareDesktop, setupDesktop, type EarlyDesktop } from './desktop/electron/setup';
import { nodePolicyEnvironment } from './desktop/policy-sources/machine-policy';
import { denyAllPermissions, guardWebContents, rendererIndexUrl } from './desktop/electron/window';

const outDir = join(app.getAppPath(), 'out');
const indexUrl = rendererIndexUrl(outDir);
let window: BrowserWindow | undefined;
let sim: SimulatorProcess | undefined;

// One instance per agent workstation: a second launch brings the first forward.
// `--check-policy [file]` (IT's policy checker) prints its report and exits: nothing else starts.
if (checkPolicyArgs(process.argv) !== undefined) {
  void runCheckPolicy(process.argv, nodePolicyEnvironment(), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }).then((code) => app.exit(code));
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Before ready: the Windows AppUserModelID and the macOS open-url listener must exist before the
  // OS delivers the tel: link that launched the app.
  const early = prepareDesktop();
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, indexUrl));
  void app.whenReady().then(() => start(early));
}

async function start(early: EarlyDesktop) {
  denyAllPermissions();
  installAppMenu();
  const shell = await setupDesktop(early); // log, IT policy, settings, trusted CAs

  // Development: with no server configured anywhere, the built-in simulator is the default (never packaged).
  const configured = process.env.GWS_SERVER_URL;
  if (!configured && !app.isPackaged && !shell.appInfo.defaultServerUrl) {
    sim = await startSimulatorProcess({ cwd: app.getAppPath() }).catch((error: unknown) => {
      shell.logger.error('the built-in simulator did not start', { error: String(error) });
      return undefined;
    });
  }

  // The session logs through electron-log (redacted) and remembers sign-ins (password via safeStorage only).
  // Record outcomes entered offline survive a restart: the outbox lives in the profile folder.
  const outboxStore = fileOutboxStore(join(app.getPath('userData'), 'outbox.json'), {
    onProblem: (problem) => shell.logger.error('outbox file problem', { problem: problem.message }),
  });
  // The campaign list is remembered per account beside it (a server need not announce campaigns).
  const campaignStore = fileCampaignStore(join(app.getPath('userData'), 'campaigns.json'), (problem) => shell.logger.warn('campaign list file problem', { problem }));
  const session = createAgentSession({ logger: shell.logger, trustedCertificates: shell.trustedCertificates, outboxStore, campaignStore, configuredCampaigns: shell.configuredCampaigns, workRules: shell.workRules });
  const core = createSoftphoneCore(
    session,
    {
      version: app.getVersion(),
      defaultServerUrl: sim?.url ?? '',
      ...(sim && { defaultUsername: 'agent1' }),
      shell: 'electron',
      ...shell.appInfo, // policy > user settings; locked[]; policy status
      ...(configured && { defaultServerUrl: configured }),
    },
    (line) => shell.logger.warn(line),
  );
  core.subscribe((event, payload) => sendToWindow(window, event, payload));
  // Tray, window (remembered bounds, close-to-tray, hidden when launched at login), notifications,
  // hotkeys, tel: links, updates: built around the session and the core, returned running.
  const running = shell.start({ session, core, outDir });
  running.window.on('closed', () => {
    window = undefined;
  });
  window = running.window;
  // The session's commands plus the desktop's own (settings, test notification, diagnostics,
  // updates, and its sign-in: locked settings enforced, the sign-in remembered).
  serveIpc(() => window, core.routerWith(running.commands), indexUrl);

  let signedOut = false;
  let asking = false;
  app.on('before-quit', (event) => {
    if (signedOut) return;
    event.preventDefault();
    if (asking) return;
    asking = true;
    // A live call asks first; then the agent is signed out cleanly (EndContactCenterSession).
    void running.confirmQuit().then((confirmed) => {
      asking = false;
      if (!confirmed) return;
      signedOut = true;
      // Signs out cleanly, unless record outcomes still wait in the outbox (see main/app/quit.ts).
      void leaveForQuit(session)
        .then((result) => shell.logger.info('quit', { result }))
        .finally(async () => {
          running.dispose();
          await session.dispose();
          await sim?.stop();
          app.quit();
        });
    });
  });
}

// With close-to-tray the window hides instead of closing; when it does close (setting off, or no
// tray on this desktop) the app quits through the same confirm + sign-out path.
app.on('window-all-closed', () => app.quit());
