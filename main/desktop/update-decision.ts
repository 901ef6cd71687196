/**
 * Auto-update decisions, electron-free. The feed is IT's generic server (policy `updates.feedUrl`,
 * else the URL electron-builder baked into app-update.yml); IT can disable updates or pin one
 * version; a downloaded update is installed only on the agent's request or at quit, and never
 * while a call is live or the agent is wrapping one up.
 *
 * Staged rollouts: the feed's `stagingPercentage` (electron-builder's field in latest.yml) is
 * honoured here, not inside electron-updater, so that IT's rollout ring can override it: a machine
 * in the `early` ring takes a release as soon as it is in the feed; a `broad` one (the default)
 * only when its stable bucket (0–100, from an id kept in the profile) is below the percentage.
 * A version IT pinned is taken whatever the percentage: the pin is IT's own decision.
 */
import { createHash } from 'node:crypto';
import type { AgentSnapshot } from '../agent/snapshot';
import { hasLiveCall, isAfterCallWork } from './agent-view';
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
  /** `early`: ignore the feed's stagingPercentage; `broad` (default): honour it. */
  ring: 'early' | 'broad';
}

export function updateConfig(policy: Policy, env: { isPackaged: boolean; platform: NodeJS.Platform; appImage?: string }): UpdateConfig {
  const updates = policy.updates ?? {};
  const channel = updates.channel ?? 'latest';
  const base = { channel, ring: updates.ring ?? ('broad' as const), allowPrerelease: channel !== 'latest', allowDowngrade: false as const, ...(updates.feedUrl && { feedUrl: updates.feedUrl }), ...(updates.pinnedVersion && { pinnedVersion: updates.pinnedVersion }) };
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
  /** The feed's `stagingPercentage` for `version` (absent: 100 %). */
  stagingPercentage?: number;
  /** This installation's place in a staged rollout, 0 ≤ bucket < 100 (rolloutBucket()). */
  rolloutBucket?: number;
}

/** A stable bucket in [0, 100) for an installation id: the same machine gets the same answer every check. */
export function rolloutBucket(installationId: string): number {
  const digest = createHash('sha256').update(installationId).digest();
  return (digest.readUInt32BE(0) / 0x1_0000_0000) * 100;
}

/** After Call Work or a preview record in wrap-up: the agent is still working on the last call. */
export function isWrappingUp(snapshot: AgentSnapshot): boolean {
  const phase = snapshot.previewRecord.phase;
  return phase === 'wrap-up' || phase === 'completing' || isAfterCallWork(snapshot);
}

function stagingBlocks(state: UpdaterState, config: UpdateConfig): string | undefined {
  if (config.ring === 'early' || state.stagingPercentage === undefined) return undefined;
  const percentage = Math.max(0, Math.min(100, state.stagingPercentage));
  if ((state.rolloutBucket ?? 0) < percentage) return undefined;
  return `staged rollout at ${percentage}%: this machine's turn has not come (ring broad)`;
}

export type UpdateDecision =
  | { kind: 'disabled'; reason: string }
  | { kind: 'check' }
  | { kind: 'wait' }
  | { kind: 'download'; version: string }
  | { kind: 'ignore'; version: string; reason: string }
  | { kind: 'offer-restart'; version: string }
  | { kind: 'restart-blocked'; version: string; reason: string; because: 'call' | 'wrap-up' }
  | { kind: 'restart'; version: string };

export function updateDecision(state: UpdaterState, snapshot: AgentSnapshot, config: UpdateConfig): UpdateDecision {
  if (!config.enabled) return { kind: 'disabled', reason: config.disabledReason ?? 'Updates are turned off.' };
  switch (state.phase) {
    case 'available': {
      const version = state.version ?? '';
      if (config.pinnedVersion && compareVersions(config.pinnedVersion, state.currentVersion) < 0) {
        return { kind: 'ignore', version, reason: `IT pinned version ${config.pinnedVersion}, older than the installed ${state.currentVersion}: never a downgrade` };
      }
      if (config.pinnedVersion && compareVersions(version, config.pinnedVersion) !== 0) {
        return { kind: 'ignore', version, reason: `IT pinned version ${config.pinnedVersion}` };
      }
      if (compareVersions(version, state.currentVersion) <= 0) return { kind: 'ignore', version, reason: 'not newer than the running version' };
      const staged = config.pinnedVersion ? undefined : stagingBlocks(state, config);
      if (staged) return { kind: 'ignore', version, reason: staged };
      return { kind: 'download', version };
    }
    case 'downloaded': {
      const version = state.version ?? '';
      if (!state.restartRequested) return { kind: 'offer-restart', version };
      if (hasLiveCall(snapshot)) return { kind: 'restart-blocked', version, reason: 'A call is in progress: restart after the call.', because: 'call' };
      if (isWrappingUp(snapshot)) return { kind: 'restart-blocked', version, reason: 'Wrap-up is in progress: restart once the record is closed.', because: 'wrap-up' };
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
