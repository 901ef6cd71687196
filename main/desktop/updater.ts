/**
 * electron-updater behind UpdaterPort: a generic provider (IT's server hosting latest.yml and the
 * installers), no automatic download (UpdateService decides), install on quit allowed.
 */
import electronUpdater from 'electron-updater';
import type { Logger } from '../gws/logger';
import type { UpdaterEvent, UpdaterPort } from './update-service';

export function electronUpdaterPort(log: Logger): UpdaterPort {
  // electron-updater is CommonJS: its named export is reached through the default import.
  const { autoUpdater } = electronUpdater;
  return {
    configure(config) {
      autoUpdater.autoDownload = false;
      autoUpdater.autoInstallOnAppQuit = true;
      autoUpdater.allowDowngrade = config.allowDowngrade;
      autoUpdater.allowPrerelease = config.allowPrerelease;
      autoUpdater.channel = config.channel;
      autoUpdater.logger = { info: (m?: unknown) => log.info(String(m)), warn: (m?: unknown) => log.warn(String(m)), error: (m?: unknown) => log.error(String(m)), debug: (m: string) => log.debug(m) };
      if (config.feedUrl) autoUpdater.setFeedURL({ provider: 'generic', url: config.feedUrl, channel: config.channel });
    },
    async check() {
      await autoUpdater.checkForUpdates();
    },
    async download() {
      await autoUpdater.downloadUpdate();
    },
    quitAndInstall() {
      // Silent on Windows (the agent asked for it), relaunch afterwards.
      autoUpdater.quitAndInstall(true, true);
    },
    onEvent(listener: (event: UpdaterEvent) => void) {
      const on = {
        checking: () => listener({ type: 'checking' }),
        available: (info: { version: string }) => listener({ type: 'available', version: info.version }),
        none: () => listener({ type: 'not-available' }),
        progress: (p: { percent: number }) => listener({ type: 'progress', percent: p.percent }),
        downloaded: (info: { version: string }) => listener({ type: 'downloaded', version: info.version }),
        error: (error: Error) => listener({ type: 'error', message: error.message }),
      };
      autoUpdater.on('checking-for-update', on.checking);
      autoUpdater.on('update-available', on.available);
      autoUpdater.on('update-not-available', on.none);
      autoUpdater.on('download-progress', on.progress);
      autoUpdater.on('update-downloaded', on.downloaded);
      autoUpdater.on('error', on.error);
      return () => {
        autoUpdater.off('checking-for-update', on.checking);
        autoUpdater.off('update-available', on.available);
        autoUpdater.off('update-not-available', on.none);
        autoUpdater.off('download-progress', on.progress);
        autoUpdater.off('update-downloaded', on.downloaded);
        autoUpdater.off('error', on.error);
      };
    },
  };
}
