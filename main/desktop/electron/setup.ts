/**
 * The desktop layer's entry point for the composition root (main/index.ts): log, IT policy,
 * settings, trusted CAs, the window with remembered bounds and close-to-tray, the tray, OS
 * notifications, start at login, tel:/callto: links and auto-update. Thin: the decisions live in
 * the electron-free modules beside it (controller.ts, policy.ts, update-decision.ts, …).
 *
 * Two steps because Electron needs some things before `ready` (macOS delivers `open-url` for the
 * link that launched the app before ready; Windows needs the AppUserModelID before any toast):
 *   const early = prepareDesktop();                       // at load, in the single-instance branch
 *   const desktop = await setupDesktop(early, { outDir }); // in whenReady, before the session
 * main/index.ts shows both in place.
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
import type { HotkeyProblem } from '../hotkeys';
import { setupLogging } from '../log';
import { applyStartAtLogin, wasLaunchedAtLogin } from './login-item';
import { createNotifier } from './notifier';
import type { Policy, PolicyStatus, ResolvedSettings } from '../policy';
import { isLocked, policyFilePath, policyOf, resolveSettings } from '../policy';
import { loadMachinePolicy, nodePolicyEnvironment } from '../policy-sources/machine-policy';
import { listenForPhoneLinks } from './protocol';
import { closeDecision, quitDecision } from '../quit-decision';
import type { EffectiveSettings, UserSettings } from '../settings';
import { SettingsRepository, memorySettingsBackend } from '../settings';
import { openSettingsStore, safeStorageCipher } from './settings-store';
import { rememberingSignIn, signInWithRememberedPassword } from '../sign-in-memory';
import { createTray } from './tray';
import { loadTrustedCas, trustCertificates } from '../trusted-ca';
import type { UpdateDecision } from '../update-decision';
import { updateConfig } from '../update-decision';
import { UpdateService } from '../update-service';
import { electronUpdaterPort } from './updater';
import { listenForWake } from './wake';
import { createMainWindow } from './window';
import { createTranslator, effectiveLanguage } from '../../../preload/i18n';

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
  core: SoftphoneCore;
  getWindow(): BrowserWindow | undefined;
}

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
  /** After Call Work and calling hours (policy `workRules`): given to the agent session. */
  readonly workRules: Policy['workRules'];
  /**
   * The contract commands the desktop answers itself, for the core: settings, test notification,
   * diagnostics, install update, and the sign-in (locked settings enforced, then remembered).
   */
  commands(session: AgentSession): ShellHandlers;
  /** The main window with remembered bounds and close-to-tray. */
  createWindow(outDir: string): BrowserWindow;
  /** Tray, notifications, phone links, updates, automatic sign-in. Call once the core exists. */
  start(context: DesktopStartContext): void;
  /** Asks the agent while a call is live; true when the app may quit. Call from before-quit. */
  confirmQuit(): Promise<boolean>;
  testNotification(): boolean;
  exportDiagnostics(targetPath?: string): Promise<string | undefined>;
  installUpdate(): UpdateDecision | undefined;
  settings(): { values: EffectiveSettings; locked: string[]; hotkeyProblems: HotkeyProblem[] };
  /** Changes settings the agent may change; locked ones are refused (their names are returned). */
  updateSettings(update: Partial<Omit<UserSettings, 'encryptedPassword' | 'windowBounds'>>): { refused: string[] };
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
  const language = () => effectiveLanguage(resolved.values.language, app.getPreferredSystemLanguages());
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

  let context: DesktopStartContext | undefined;
  let controller: DesktopController | undefined;
  let updates: UpdateService | undefined;
  let trayPort: ReturnType<typeof createTray> | undefined;
  const hotkeys = createHotkeyRegistry();
  const bindHotkeys = () => {
    // Problems are phrased in the agent's language (re-bound when it changes).
    const problems = hotkeys.apply(resolved.values.hotkeys, (action) => controller?.handleHotkey(action), createTranslator(language()));
    for (const problem of problems) log.warn('hotkey not bound', { ...problem });
    return problems;
  };
  let quitting = false;
  const window = () => context?.getWindow();
  const showWindow = () => {
    const w = window();
    if (!w || w.isDestroyed()) return;
    if (w.isMinimized()) w.restore();
    w.show();
    w.focus();
  };
  const raiseWindow = () => {
    const w = window();
    if (!w || w.isDestroyed()) return;
    if (w.isMinimized()) w.restore();
    // Over the other apps, without taking the keyboard from what the agent is typing.
    w.showInactive();
    w.moveTop();
    w.flashFrame(true);
  };
  const diagnostics = (targetPath?: string) =>
    exportDiagnostics(
      {
        window,
        logFiles: () => logging.files(),
        appInfo: () => context?.core.appInfo ?? { version: app.getVersion(), defaultServerUrl: '', locked: resolved.locked, shell: 'electron' },
        settings: () => ({ ...backend.store }),
        policy: () => policyStatus,
        snapshot: () => context?.session.snapshot,
        translator: () => createTranslator(language()),
      },
      targetPath,
    );

  const desktop: Desktop = {
    logger: log,
    appInfo,
    startHidden,
    trustedCertificates,
    configuredCampaigns: policy.campaigns ?? [],
    workRules: policy.workRules,
    commands: (session) => ({
      signIn: rememberingSignIn(session, memory),
      getSettings: () => desktop.settings(),
      updateSettings: (update) => desktop.updateSettings(update),
      testNotification: () => ({ shown: desktop.testNotification() }),
      exportDiagnostics: async () => {
        const path = await desktop.exportDiagnostics();
        return path ? { path } : {};
      },
      installUpdate: () => {
        const decision = desktop.installUpdate();
        if (!decision) return { decision: 'none', reason: createTranslator(language()).t('desktop.update.noneReady') };
        return { decision: decision.kind, ...('reason' in decision && { reason: decision.reason }) };
      },
    }),

    createWindow(outDir) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const w = createMainWindow({
        outDir,
        show: !startHidden,
        ...(repository.user().windowBounds && { savedBounds: repository.user().windowBounds }),
        onBoundsChanged: (bounds) => {
          // Moving a window fires dozens of events: write once it settles.
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => repository.set('windowBounds', bounds), 500);
        },
      });
      w.on('close', (event) => {
        if (closeDecision({ closeToTray: resolved.values.closeToTray, quitting, trayAvailable: trayPort !== undefined }) === 'hide-to-tray') {
          event.preventDefault();
          w.hide();
        }
      });
      return w;
    },

    start(ctx) {
      context = ctx;
      try {
        const iconDir = app.isPackaged ? join(process.resourcesPath, 'tray') : join(app.getAppPath(), 'build', 'tray');
        trayPort = createTray(iconDir, (action) => controller?.handleTrayAction(action));
      } catch (error) {
        // Some Linux desktops have no status area: the app then works without a tray (close quits).
        log.warn('no tray', { error: error instanceof Error ? error.message : String(error) });
      }
      const iconPath = app.isPackaged ? join(process.resourcesPath, 'tray', 'on-call@2x.png') : join(app.getAppPath(), 'build', 'tray', 'on-call@2x.png');
      controller = new DesktopController({
        session: ctx.session,
        core: ctx.core,
        ...(trayPort && { tray: trayPort }),
        notifier: createNotifier(iconPath),
        window: {
          show: showWindow,
          raise: raiseWindow,
          isInFront: () => {
            const w = window();
            return !!w && !w.isDestroyed() && w.isVisible() && !w.isMinimized() && w.isFocused();
          },
        },
        settings: () => resolved.values,
        requestQuit: () => app.quit(),
        installUpdate: () => void desktop.installUpdate(),
        exportDiagnostics: () => void diagnostics().catch((error: unknown) => log.error('diagnostics export failed', { error: String(error) })),
        log,
        // The regional format (24 h or AM/PM) for "Offline since 10:42" in the tray and toasts.
        locale: app.getSystemLocale(),
        // The tray, toasts and dialogs speak the agent's language (issue 13).
        language,
      });
      controller.start();
      // At start the agent is told in a toast; after a change in Settings, Settings shows it.
      controller.reportHotkeysNotActive(bindHotkeys());
      // Resume, unlock: a long poll held before may be dead — reconnect and re-read at once.
      listenForWake(systemClock, (reason) => ctx.session.wake(reason));
      early.phoneLinks.register();
      early.phoneLinks.setHandler((url) => controller?.openPhoneLink(url));

      updates = new UpdateService({
        port: electronUpdaterPort(log),
        config: updateConfig(policy, { isPackaged: app.isPackaged, platform: process.platform, ...(process.env.APPIMAGE && { appImage: process.env.APPIMAGE }) }),
        currentVersion: app.getVersion(),
        snapshot: () => ctx.session.snapshot,
        publish: (update) => {
          ctx.core.setAppInfo({ update });
          controller?.setUpdateReady(update.state === 'ready' && update.version ? { version: update.version } : undefined);
        },
        clock: systemClock,
        log,
      });
      updates.start();

      void signInWithRememberedPassword(ctx.session, memory);
    },

    async confirmQuit() {
      const snapshot = context?.session.snapshot;
      const decision = snapshot ? quitDecision(snapshot, language()) : { kind: 'quit' as const };
      if (decision.kind === 'confirm') {
        showWindow();
        const w = window();
        const box = { type: 'warning' as const, buttons: [decision.stayButton, decision.quitButton], defaultId: 0, cancelId: 0, message: decision.message, detail: decision.detail };
        const { response } = w ? await dialog.showMessageBox(w, box) : await dialog.showMessageBox(box);
        if (response !== 1) return false;
      }
      quitting = true;
      return true;
    },

    testNotification: () => controller?.testNotification() ?? false,
    exportDiagnostics: (targetPath) => diagnostics(targetPath),
    installUpdate: () => updates?.requestRestart(),
    settings: () => ({ values: resolved.values, locked: resolved.locked, hotkeyProblems: hotkeys.problems() }),

    updateSettings(update) {
      const refused: string[] = [];
      for (const [key, value] of Object.entries(update) as [keyof typeof update, unknown][]) {
        const lockedKeys = key === 'notifications' || key === 'hotkeys' ? Object.keys((value as object | undefined) ?? {}).map((k) => `${key}.${k}`) : [key];
        if (lockedKeys.some((k) => isLocked(resolved, k))) {
          refused.push(key);
          continue;
        }
        if (key === 'notifications') repository.set('notifications', { ...repository.user().notifications, ...(value as object) });
        else if (key === 'hotkeys') repository.set('hotkeys', { ...repository.user().hotkeys, ...(value as object) });
        else repository.set(key, value as never);
      }
      const before = resolved.values.startAtLogin;
      refresh();
      if (resolved.values.startAtLogin !== before) void applyStartAtLogin(resolved.values.startAtLogin, log);
      if (('hotkeys' in update || 'language' in update) && controller) bindHotkeys();
      if ('language' in update) {
        context?.core.setAppInfo({ language: language() });
        controller?.languageChanged();
      }
      return { refused };
    },

    dispose() {
      updates?.dispose();
      hotkeys.release();
      controller?.dispose();
      trayPort?.dispose();
    },
  };
  return desktop;
}
