/**
 * electron-updater behind UpdaterPort: a generic provider (IT's server hosting latest.yml and the
 * installers), no automatic download (UpdateService decides), install on quit allowed. Staged
 * rollouts are decided by update-decision.ts (IT's ring may override the feed's percentage), so
 * electron-updater's own staging check is turned off and the percentage passed on.
 */
import { app } from 'electron';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import electronUpdater from 'electron-updater';
import type { Logger } from '../../gws/logger';
import type { UpdaterEvent, UpdaterPort } from '../update-service';

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
      autoUpdater.isUserWithinRollout = () => true;
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
    installationId() {
      // One id per profile, kept across updates: the same machine stays in the same rollout bucket.
      const file = join(app.getPath('userData'), 'rollout-id');
      try {
        const id = readFileSync(file, 'utf8').trim();
        if (/^[0-9a-f-]{36}$/.test(id)) return id;
      } catch {
        // first run: created below
      }
      const id = randomUUID();
      try {
        writeFileSync(file, `${id}\n`);
      } catch (error) {
        log.warn('rollout id not saved', { error: error instanceof Error ? error.message : String(error) });
      }
      return id;
    },
    onEvent(listener: (event: UpdaterEvent) => void) {
      const on = {
        checking: () => listener({ type: 'checking' }),
        available: (info: { version: string; stagingPercentage?: number }) =>
          listener({ type: 'available', version: info.version, ...(typeof info.stagingPercentage === 'number' && { stagingPercentage: info.stagingPercentage }) }),
        none: () => listener({ type: 'not-available' }),
        progress: (p: { percent: number }) => listener({ type: 'progress', percent: p.percent }),
        downloaded: (info: { version: string }) => listener({ type: 'downloaded', version: info.version }),
        error: (error: Error) => listener({ type: 'error', message: error.message }),
      };
      const events: [string, (...args: never[]) => void][] = [
        ['checking-for-update', on.checking],
        ['update-available', on.available],
        ['update-not-available', on.none],
        ['download-progress', on.progress],
        ['update-downloaded', on.downloaded],
        ['error', on.error],
      ];
      const emitter = autoUpdater as unknown as { on(event: string, f: (...args: never[]) => void): void; off(event: string, f: (...args: never[]) => void): void };
      for (const [event, f] of events) emitter.on(event, f);
      return () => {
        for (const [event, f] of events) emitter.off(event, f);
      };
    },
  };
}
