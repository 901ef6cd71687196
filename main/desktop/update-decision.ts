/**
 * Auto-update decisions, electron-free. The feed is IT's generic server (policy `updates.feedUrl`,
 * else the URL electron-builder baked into app-update.yml); IT can disable updates or pin one
 * version; a downloaded update is installed only on the agent's request or at quit, and never
 * while a call is live.
 */
import type { AgentSnapshot } from '../agent/snapshot';
import { hasLiveCall } from './agent-view';
import type { Policy } from './policy';

export const CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;

export interface UpdateConfig {
  enabled: boolean;
  /** Why not, for AppInfo.update.message. */
  disabledReason?: string;
  /** Overrides the build's app-update.yml URL when set. */
  feedUrl?: string;
  channel: string;
  allowPrerelease: boolean;
  /** Always false: a pinned or older feed never downgrades an agent. */
  allowDowngrade: false;
  pinnedVersion?: string;
}

export function updateConfig(policy: Policy, env: { isPackaged: boolean; platform: NodeJS.Platform; appImage?: string }): UpdateConfig {
  const updates = policy.updates ?? {};
  const channel = updates.channel ?? 'latest';
  const base = { channel, allowPrerelease: channel !== 'latest', allowDowngrade: false as const, ...(updates.feedUrl && { feedUrl: updates.feedUrl }), ...(updates.pinnedVersion && { pinnedVersion: updates.pinnedVersion }) };
  if (updates.disabled) return { ...base, enabled: false, disabledReason: 'Updates are turned off by your IT department.' };
  if (!env.isPackaged) return { ...base, enabled: false, disabledReason: 'Updates apply to installed builds only.' };
  // A deb installed by the package manager is updated by it (electron-updater cannot on Linux but for AppImage).
  if (env.platform === 'linux' && !env.appImage) return { ...base, enabled: false, disabledReason: 'Updates come through your package manager.' };
  return { ...base, enabled: true };
}

/** Numeric semver compare (pre-release sorts before its release). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.replace(/^v/, '').split('-', 2);
    return { nums: core.split('.').map((n) => Number.parseInt(n, 10) || 0), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i += 1) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

export type UpdaterPhase = 'idle' | 'checking' | 'available' | 'downloading' | 'downloaded' | 'error';

export interface UpdaterState {
  phase: UpdaterPhase;
  currentVersion: string;
  /** The feed's version (available / downloading / downloaded). */
  version?: string;
  lastCheckAt?: number;
  now: number;
  /** The agent asked to restart now (tray or UI). */
  restartRequested?: boolean;
}

export type UpdateDecision =
  | { kind: 'disabled'; reason: string }
  | { kind: 'check' }
  | { kind: 'wait' }
  | { kind: 'download'; version: string }
  | { kind: 'ignore'; version: string; reason: string }
  | { kind: 'offer-restart'; version: string }
  | { kind: 'restart-blocked'; version: string; reason: string }
  | { kind: 'restart'; version: string };

export function updateDecision(state: UpdaterState, snapshot: AgentSnapshot, config: UpdateConfig): UpdateDecision {
  if (!config.enabled) return { kind: 'disabled', reason: config.disabledReason ?? 'Updates are turned off.' };
  switch (state.phase) {
    case 'available': {
      const version = state.version ?? '';
      if (config.pinnedVersion && compareVersions(version, config.pinnedVersion) !== 0) {
        return { kind: 'ignore', version, reason: `IT pinned version ${config.pinnedVersion}` };
      }
      if (compareVersions(version, state.currentVersion) <= 0) return { kind: 'ignore', version, reason: 'not newer than the running version' };
      return { kind: 'download', version };
    }
    case 'downloaded': {
      const version = state.version ?? '';
      if (!state.restartRequested) return { kind: 'offer-restart', version };
      if (hasLiveCall(snapshot)) return { kind: 'restart-blocked', version, reason: 'A call is in progress: restart after the call.' };
      return { kind: 'restart', version };
    }
    case 'checking':
    case 'downloading':
      return { kind: 'wait' };
    case 'idle':
    case 'error':
      return state.lastCheckAt === undefined || state.now - state.lastCheckAt >= CHECK_INTERVAL_MS ? { kind: 'check' } : { kind: 'wait' };
  }
}
