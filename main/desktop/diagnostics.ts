/**
 * "Export diagnostics": one .tar.gz with the logs, versions, redacted settings and policy, so an
 * agent can send IT one file. Built from plain data here; diagnostics-export.ts collects it.
 * Everything passes through redact() again, whatever the log writer already did.
 */
import type { AppInfo } from '../../preload/contract';
import type { PolicyStatus } from './policy';
import { redact, redactText } from './redact';
import type { TarEntry } from './tar';
import { tarGz } from './tar';

export interface DiagnosticsInput {
  now: number;
  versions: Record<string, string | undefined>;
  platform: { os: string; release: string; arch: string; locale?: string };
  appInfo: AppInfo;
  settings: Record<string, unknown>;
  policy: PolicyStatus;
  /** Log files: name and content (the tail of big files is enough). */
  logs: { name: string; text: string }[];
  agent?: unknown;
}

/** Log files are cut to their last bytes: the recent past is what IT needs, the archive stays small. */
export const MAX_LOG_BYTES = 5 * 1024 * 1024;

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function diagnosticsFileName(now: number): string {
  return `gws-softphone-diagnostics-${new Date(now).toISOString().replace(/[:.]/g, '-')}.tar.gz`;
}

function diagnosticsEntries(input: DiagnosticsInput): TarEntry[] {
  const mtime = Math.floor(input.now / 1000);
  const dir = 'gws-softphone-diagnostics';
  const { encryptedPassword: _omit, ...settings } = input.settings;
  const entries: TarEntry[] = [
    {
      name: `${dir}/about.json`,
      data: json({ generatedAt: new Date(input.now).toISOString(), versions: input.versions, platform: input.platform, app: redact(input.appInfo) }),
      mtime,
    },
    { name: `${dir}/settings.json`, data: json(redact({ ...settings, rememberedSignIn: _omit !== undefined })), mtime },
    { name: `${dir}/policy.json`, data: json(redact(input.policy)), mtime },
  ];
  if (input.agent !== undefined) entries.push({ name: `${dir}/agent-state.json`, data: json(redact(input.agent)), mtime });
  for (const log of input.logs) {
    const safeName = log.name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) || 'log.txt';
    const text = log.text.length > MAX_LOG_BYTES ? log.text.slice(-MAX_LOG_BYTES) : log.text;
    entries.push({ name: `${dir}/logs/${safeName}`, data: redactText(text), mtime });
  }
  return entries;
}

export function diagnosticsArchive(input: DiagnosticsInput): Buffer {
  return tarGz(diagnosticsEntries(input));
}
