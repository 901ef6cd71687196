/**
 * electron-log adapter: one file in the OS log folder (Windows %APPDATA%\GWS Softphone\logs,
 * macOS ~/Library/Logs/GWS Softphone, Linux ~/.config/GWS Softphone/logs), every message redacted
 * by a hook before any transport writes it. Exposes the core's Logger interface.
 */
import log from 'electron-log/main';
import type { Logger } from '../gws/logger';
import { redact } from './redact';

export interface DesktopLog {
  logger: Logger;
  /** Paths of the log files (current and rotated) for diagnostics. */
  files(): string[];
}

export function setupLogging(): DesktopLog {
  // The hook runs before every transport (file and console): nothing unredacted is ever written.
  log.hooks.push((message) => ({ ...message, data: message.data.map((item: unknown) => redact(item)) }));
  log.transports.file.level = 'info';
  log.transports.file.maxSize = 5 * 1024 * 1024;
  log.transports.console.level = process.env.NODE_ENV === 'development' ? 'debug' : 'warn';
  log.errorHandler.startCatching({ showDialog: false });
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (fields === undefined) log[level](message);
      else log[level](message, fields);
    };
  return {
    logger: { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') },
    files() {
      const current = log.transports.file.getFile().path;
      return [current, current.replace(/\.log$/, '.old.log')];
    },
  };
}
