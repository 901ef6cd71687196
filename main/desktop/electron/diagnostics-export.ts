/**
 * "Export diagnostics" adapter: asks where to save, collects logs and facts, writes one .tar.gz.
 */
import { app, dialog, type BrowserWindow } from 'electron';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import os from 'node:os';
import type { AppInfo } from '../../../preload/contract';
import type { Translator } from '../../../preload/i18n';
import type { AgentSnapshot } from '../../agent/snapshot';
import type { PolicyStatus } from '../policy';
import { MAX_LOG_BYTES, diagnosticsArchive, diagnosticsFileName } from '../diagnostics';

export interface DiagnosticsSources {
  window(): BrowserWindow | undefined;
  logFiles(): string[];
  appInfo(): AppInfo;
  settings(): Record<string, unknown>;
  policy(): PolicyStatus;
  snapshot(): AgentSnapshot | undefined;
  /** The save dialog's words, in the agent's language. */
  translator?(): Translator;
}

async function tail(path: string): Promise<string | undefined> {
  try {
    const text = await readFile(path, 'utf8');
    return text.length > MAX_LOG_BYTES ? text.slice(-MAX_LOG_BYTES) : text;
  } catch {
    return undefined;
  }
}

/** Returns the written file, or undefined when the agent cancelled. */
export async function exportDiagnostics(sources: DiagnosticsSources, targetPath?: string): Promise<string | undefined> {
  const now = Date.now();
  let file = targetPath;
  if (!file) {
    const defaultPath = join(app.getPath('desktop'), diagnosticsFileName(now));
    const window = sources.window();
    const t = sources.translator?.().t;
    const options = {
      title: t?.('desktop.diagnostics.dialogTitle') ?? 'Export diagnostics',
      defaultPath,
      filters: [{ name: t?.('desktop.diagnostics.archive') ?? 'Archive', extensions: ['tar.gz', 'tgz'] }],
    };
    const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    if (result.canceled || !result.filePath) return undefined;
    file = result.filePath;
  }
  const logs: { name: string; text: string }[] = [];
  for (const path of sources.logFiles()) {
    const text = await tail(path);
    if (text !== undefined) logs.push({ name: basename(path), text });
  }
  const archive = diagnosticsArchive({
    now,
    versions: { app: app.getVersion(), electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node },
    platform: { os: process.platform, release: os.release(), arch: process.arch, locale: app.getLocale() },
    appInfo: sources.appInfo(),
    settings: sources.settings(),
    policy: sources.policy(),
    logs,
    agent: sources.snapshot(),
  });
  await writeFile(file, archive);
  return file;
}
