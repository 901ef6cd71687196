/**
 * The desktop layer's entry point for the composition root (main/index.ts): log, IT policy,
 * settings, trusted CAs, the window with remembered bounds and close-to-tray, the tray, OS
 * notifications, start at login, tel:/callto: links and auto-update. Thin: the decisions live in
 * the electron-free modules beside it (controller.ts, policy.ts, update-decision.ts, …).
 *
 * Three steps, each returning what it built (no late binding):
 *   const early = prepareDesktop();          // at load, in the single-instance branch: Electron needs
 *                                            // some things before `ready` (macOS delivers `open-url` for
 *                                            // the link that launched the app before ready; Windows
 *                                            // needs the AppUserModelID before any toast)
 *   const desktop = await setupDesktop(early); // in whenReady: log, policy, settings, trusted CAs —
 *                                            // what the session and the core are made with
 *   const running = desktop.start({ session, core, outDir }); // tray, window, notifications, hotkeys,
 *                                            // links, updates, sign-in; `running.commands` go to
 *                                            // `core.routerWith(…)`
 * main/index.ts shows them in place.
 */
import { app, dialog, type BrowserWindow } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentSession } from '../../agent/session';
import type { ShellHandlers } from '../../app/core';
import { systemClock } from '../../agent/session';
import type { SoftphoneCore } from '../../app/core';
import type { Logger } from '../../gws/logger';
import type { AppInfo } from '../../../preload/contract';
import { DesktopController } from '../controller';
import { exportDiagnostics } from './diagnostics-export';
import { createHotkeyRegistry } from './global-shortcuts';
import { setupLogging } from '../log';
import { applyStartAtLogin, wasLaunchedAtLogin } from './login-item';
import { createNotifier } from './notifier';
import type { Policy, PolicyStatus, ResolvedSettings } from '../policy';
import { isLocked, policyFilePath, policyOf, resolveSettings } from '../policy';
import { loadMachinePolicy, nodePolicyEnvironment } from '../policy-sources/machine-policy';
import { listenForPhoneLinks } from './protocol';
import { closeDecision, quitDecision } from '../quit-decision';
import type { UserSettings } from '../settings';
import { SettingsRepository, memorySettingsBackend } from '../settings';
import { openSettingsStore, safeStorageCipher } from './settings-store';
import { rememberingSignIn, signInWithRememberedPassword } from '../sign-in-memory';
import { createTray } from './tray';
import { loadTrustedCas, trustCertificates } from '../trusted-ca';
import { updateConfig } from '../update-decision';
import { UpdateService } from '../update-service';
import { electronUpdaterPort } from './updater';
import { listenForWake } from './wake';
import { createMainWindow } from './window';
import { createTranslator, effectiveLanguage, type Language } from '../../../preload/i18n';

export const APP_USER_MODEL_ID = 'com.gwssoftphone.desktop';

export interface EarlyDesktop {
  readonly phoneLinks: ReturnType<typeof listenForPhoneLinks>;
}

/** Call synchronously at load time (before `app.whenReady()`), only in the instance that holds the lock. */
export function prepareDesktop(): EarlyDesktop {
  // Windows shows toasts only for an app with an AppUserModelID matching its Start-menu shortcut
  // (electron-builder's NSIS installer creates it from `appId`).
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  return { phoneLinks: listenForPhoneLinks() };
}

/** What AppInfo gets from the desktop layer: what IT locked, its defaults, and how its policy was read. */
export type DesktopAppInfo = Pick<AppInfo, 'locked' | 'language'> &
  Partial<Pick<AppInfo, 'defaultServerUrl' | 'defaultUsername' | 'defaultPlace'>> & {
    policy: { state: PolicyStatus['state']; path: string; problem?: string };
  };

export interface DesktopStartContext {
  session: AgentSession;
  /** The core the session is served through: the desktop sends events and app info through it. */
  core: SoftphoneCore;
  /** Where the renderer is (the window loads `out/renderer/index.html`). */
  outDir: string;
}

/** Step 1 (`setupDesktop`): what the session and the core need from the desktop, read before either exists. */
export interface Desktop {
  readonly logger: Logger;
  /** Fields for the core's initial AppInfo (spread over the composition root's own). */
  readonly appInfo: DesktopAppInfo;
  /** Launched at login: start hidden in the tray. */
  readonly startHidden: boolean;
  /** PEM certificates of the CAs IT trusts for the GWS server (policy `trustedCaCertificates`). */
  readonly trustedCertificates: string[];
  /** Campaign names IT configured (policy `campaigns`). */
  readonly configuredCampaigns: string[];
  /** After Call Work, calling hours and preview pacing (policy `workRules`): given to the agent session. */
  readonly workRules: Policy['workRules'];
  /**
   * Step 2, once the session and the core exist: the tray, the window (remembered bounds,
   * close-to-tray), OS notifications, global hotkeys, phone links, updates and the automatic
   * sign-in, built in that order and returned running.
   */
  start(context: DesktopStartContext): RunningDesktop;
}

/** Step 2's result: everything it built, for the composition root. */
export interface RunningDesktop {
  /** The main window (index.ts forgets it once closed). */
  readonly window: BrowserWindow;
  /**
   * The contract commands the desktop answers itself (`core.routerWith`): settings, test
   * notification, diagnostics, install update, and the sign-in (locked settings enforced, then
   * remembered).
   */
  readonly commands: ShellHandlers;
  /** Asks the agent while a call is live; true when the app may quit. Call from before-quit. */
  confirmQuit(): Promise<boolean>;
  dispose(): void;
}

export interface DesktopOptions {
  /** Development/tests only: read the policy from here instead of the machine-wide path. Ignored when packaged. */
  policyPath?: string;
}

export async function setupDesktop(early: EarlyDesktop, options: DesktopOptions = {}): Promise<Desktop> {
  const logging = setupLogging();
  const log = logging.logger;
  log.info('starting', { version: app.getVersion(), electron: process.versions.electron, platform: process.platform });

  const policyPath = !app.isPackaged && options.policyPath ? options.policyPath : policyFilePath(process.platform, process.env);
  // Group Policy (Windows) and configuration profiles (macOS) before the file: policy-sources/machine-policy.ts.
  const machinePolicy = await loadMachinePolicy(nodePolicyEnvironment({ jsonPath: policyPath }));
  for (const notice of machinePolicy.notices) log.warn('IT policy notice', { notice });
  const policyStatus = machinePolicy.status;
  if (policyStatus.state === 'invalid') log.error('IT policy ignored: the file is malformed', { path: policyStatus.path, problem: policyStatus.problem });
  else if (policyStatus.state === 'applied') log.info('IT policy applied', { path: policyStatus.path });
  const policy = policyOf(policyStatus);

  let trustedCertificates: string[] = [];
  if (policy.trustedCaCertificates?.length) {
    const { certificates, problems } = await loadTrustedCas(policy.trustedCaCertificates, (p) => readFile(p, 'utf8'));
    for (const problem of problems) log.error('trusted CA certificate not usable', { problem });
    // The agent session gets them explicitly (REST and CometD); the process-wide defaults cover the rest (updater).
    trustedCertificates = certificates;
    log.info('trusted CA certificates', { count: certificates.length, via: trustCertificates(certificates) });
  }

  let backend;
  try {
    backend = openSettingsStore();
  } catch (error) {
    // An unwritable profile must not stop the agent working: settings then live for this run only.
    log.error('settings store unavailable, using memory', { error: error instanceof Error ? error.message : String(error) });
    backend = memorySettingsBackend();
  }
  const repository = new SettingsRepository(backend, safeStorageCipher);
  let resolved: ResolvedSettings = resolveSettings(repository.user(), policy);
  const refresh = () => (resolved = resolveSettings(repository.user(), policy));
  const memory = { repository, resolved: () => resolved, log };

  // The setting (IT may lock it), else the OS's preferred languages (issue 13).
  // The OS's list is read once: the tray asks for the language on every render.
  const systemLanguages = app.getPreferredSystemLanguages();
  const language = () => effectiveLanguage(resolved.values.language, systemLanguages);
  const startHidden = wasLaunchedAtLogin();
  void applyStartAtLogin(resolved.values.startAtLogin, log);

  const appInfo: DesktopAppInfo = {
    locked: resolved.locked,
    ...(resolved.values.serverUrl && { defaultServerUrl: resolved.values.serverUrl }),
    ...(resolved.values.username && { defaultUsername: resolved.values.username }),
    ...(resolved.values.place && { defaultPlace: resolved.values.place }),
    policy: { state: policyStatus.state, path: policyStatus.path, ...(policyStatus.state === 'invalid' && { problem: policyStatus.problem }) },
    language: language(),
  };

  return {
    logger: log,
    appInfo,
    startHidden,
    trustedCertificates,
    configuredCampaigns: policy.campaigns ?? [],
    workRules: policy.workRules,
    start: ({ session, core, outDir }) =>
      startDesktop({ early, log, logging, policyStatus, policy, backend, repository, memory, resolved: () => resolved, refresh, language, startHidden, session, core, outDir }),
  };
}

interface StartInput {
  early: EarlyDesktop;
  log: Logger;
  logging: ReturnType<typeof setupLogging>;
  policyStatus: PolicyStatus;
  policy: Policy;
  backend: ReturnType<typeof openSettingsStore>;
  repository: SettingsRepository;
  memory: Parameters<typeof rememberingSignIn>[1];
  resolved(): ResolvedSettings;
  refresh(): void;
  language(): Language;
  startHidden: boolean;
  session: AgentSession;
  core: SoftphoneCore;
  outDir: string;
}

/**
 * Builds the running desktop in dependency order, each piece from the ones before it. The tray's
 * and the hotkeys' callbacks name the controller built after them: they run on the agent's clicks
 * and keys, once this function has returned.
 */
function startDesktop(input: StartInput): RunningDesktop {
  const { early, log, logging, policyStatus, policy, backend, repository, memory, resolved, refresh, language, session, core } = input;
  let quitting = false;

  const iconDir = app.isPackaged ? join(process.resourcesPath, 'tray') : join(app.getAppPath(), 'build', 'tray');
  const tray = ((): ReturnType<typeof createTray> | undefined => {
    try {
      return createTray(iconDir, (action) => controller.handleTrayAction(action));
    } catch (error) {
      // Some Linux desktops have no status area: the app then works without a tray (close quits).
      log.warn('no tray', { error: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  })();

  let boundsTimer: ReturnType<typeof setTimeout> | undefined;
  const window = createMainWindow({
    outDir: input.outDir,
    show: !input.startHidden,
    ...(repository.user().windowBounds && { savedBounds: repository.user().windowBounds }),
    onBoundsChanged: (bounds) => {
      // Moving a window fires dozens of events: write once it settles.
      if (boundsTimer) clearTimeout(boundsTimer);
      boundsTimer = setTimeout(() => repository.set('windowBounds', bounds), 500);
    },
  });
  window.on('close', (event) => {
    if (closeDecision({ closeToTray: resolved().values.closeToTray, quitting, trayAvailable: tray !== undefined }) === 'hide-to-tray') {
      event.preventDefault();
      window.hide();
    }
  });
  const usable = () => !window.isDestroyed();
  const showWindow = () => {
    if (!usable()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  const raiseWindow = () => {
    if (!usable()) return;
    if (window.isMinimized()) window.restore();
    // Over the other apps, without taking the keyboard from what the agent is typing.
    window.showInactive();
    window.moveTop();
    window.flashFrame(true);
  };
  const diagnostics = (targetPath?: string) =>
    exportDiagnostics(
      {
        window: () => (usable() ? window : undefined),
        logFiles: () => logging.files(),
        appInfo: () => core.appInfo,
        settings: () => ({ ...backend.store }),
        policy: () => policyStatus,
        snapshot: () => session.snapshot,
        translator: () => createTranslator(language()),
      },
      targetPath,
    );

  const iconPath = join(iconDir, 'on-call@2x.png');
  const controller = new DesktopController({
    session,
    core,
    ...(tray && { tray }),
    notifier: createNotifier(iconPath),
    window: {
      show: showWindow,
      raise: raiseWindow,
      isInFront: () => usable() && window.isVisible() && !window.isMinimized() && window.isFocused(),
    },
    settings: () => resolved().values,
    requestQuit: () => app.quit(),
    installUpdate: () => void updates.requestRestart(),
    exportDiagnostics: () => void diagnostics().catch((error: unknown) => log.error('diagnostics export failed', { error: String(error) })),
    log,
    // The regional format (24 h or AM/PM) for "Offline since 10:42" in the tray and toasts.
    locale: app.getSystemLocale(),
    // The tray, toasts and dialogs speak the agent's language (issue 13).
    language,
  });

  const hotkeys = createHotkeyRegistry();
  const bindHotkeys = () => {
    // Problems are phrased in the agent's language (re-bound when it changes).
    const problems = hotkeys.apply(resolved().values.hotkeys, (action) => controller.handleHotkey(action), createTranslator(language()));
    for (const problem of problems) log.warn('hotkey not bound', { ...problem });
    return problems;
  };

  controller.start();
  // At start the agent is told in a toast; after a change in Settings, Settings shows it.
  controller.reportHotkeysNotActive(bindHotkeys());
  // Resume, unlock: a long poll held before may be dead — reconnect and re-read at once.
  listenForWake(systemClock, (reason) => session.wake(reason));
  early.phoneLinks.register();
  early.phoneLinks.setHandler((url) => controller.openPhoneLink(url));

  const updates = new UpdateService({
    port: electronUpdaterPort(log),
    config: updateConfig(policy, { isPackaged: app.isPackaged, platform: process.platform, ...(process.env.APPIMAGE && { appImage: process.env.APPIMAGE }) }),
    currentVersion: app.getVersion(),
    snapshot: () => session.snapshot,
    publish: (update) => {
      core.setAppInfo({ update });
      controller.setUpdateReady(update.state === 'ready' && update.version ? { version: update.version } : undefined);
    },
    clock: systemClock,
    log,
  });
  updates.start();

  void signInWithRememberedPassword(session, memory);

  const updateSettings = (update: Partial<Omit<UserSettings, 'encryptedPassword' | 'windowBounds'>>): { refused: string[] } => {
    const refused: string[] = [];
    for (const [key, value] of Object.entries(update) as [keyof typeof update, unknown][]) {
      const lockedKeys = key === 'notifications' || key === 'hotkeys' ? Object.keys((value as object | undefined) ?? {}).map((k) => `${key}.${k}`) : [key];
      if (lockedKeys.some((k) => isLocked(resolved(), k))) {
        refused.push(key);
        continue;
      }
      if (key === 'notifications') repository.set('notifications', { ...repository.user().notifications, ...(value as object) });
      else if (key === 'hotkeys') repository.set('hotkeys', { ...repository.user().hotkeys, ...(value as object) });
      else repository.set(key, value as never);
    }
    const before = resolved().values.startAtLogin;
    refresh();
    if (resolved().values.startAtLogin !== before) void applyStartAtLogin(resolved().values.startAtLogin, log);
    if ('hotkeys' in update || 'language' in update) bindHotkeys();
    if ('language' in update) {
      core.setAppInfo({ language: language() });
      controller.languageChanged();
    }
    return { refused };
  };

  const commands: ShellHandlers = {
    signIn: rememberingSignIn(session, memory),
    getSettings: () => ({ values: resolved().values, locked: resolved().locked, hotkeyProblems: hotkeys.problems() }),
    updateSettings,
    testNotification: () => ({ shown: controller.testNotification() }),
    exportDiagnostics: async () => {
      const path = await diagnostics();
      return path ? { path } : {};
    },
    installUpdate: () => {
      const decision = updates.requestRestart();
      const tr = createTranslator(language());
      if (!decision) return { decision: 'none', reason: tr.t('desktop.update.noneReady') };
      // Why not now, in the agent's words (the decision's own reason is for the log).
      if (decision.kind === 'restart-blocked') return { decision: decision.kind, reason: tr.t(decision.because === 'call' ? 'desktop.update.blockedCall' : 'desktop.update.blockedWrapUp') };
      return { decision: decision.kind, ...('reason' in decision && { reason: decision.reason }) };
    },
  };

  return {
    window,
    commands,
    async confirmQuit() {
      const decision = quitDecision(session.snapshot, language());
      if (decision.kind === 'confirm') {
        showWindow();
        const box = { type: 'warning' as const, buttons: [decision.stayButton, decision.quitButton], defaultId: 0, cancelId: 0, message: decision.message, detail: decision.detail };
        const { response } = usable() ? await dialog.showMessageBox(window, box) : await dialog.showMessageBox(box);
        if (response !== 1) return false;
      }
      quitting = true;
      return true;
    },
    dispose() {
      updates.dispose();
      hotkeys.release();
      controller.dispose();
      tray?.dispose();
    },
  };
}
