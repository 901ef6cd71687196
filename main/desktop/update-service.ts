/**
 * Drives an updater (electron-updater behind UpdaterPort) with updateDecision(): check at start and
 * every 4 hours, download in the background only what the policy allows, publish AppInfo.update,
 * and restart only on the agent's request and never during a call.
 */
import type { AgentSnapshot } from '../agent/snapshot';
import type { Clock } from '../agent/session';
import type { Logger } from '../gws/logger';
import type { AppInfo } from '../../preload/contract';
import type { UpdateConfig, UpdateDecision, UpdaterState } from './update-decision';
import { CHECK_INTERVAL_MS, rolloutBucket, updateDecision } from './update-decision';

export type UpdaterEvent =
  | { type: 'checking' }
  | { type: 'available'; version: string; stagingPercentage?: number }
  | { type: 'not-available' }
  | { type: 'progress'; percent: number }
  | { type: 'downloaded'; version: string }
  | { type: 'error'; message: string };

export interface UpdaterPort {
  configure(config: UpdateConfig): void;
  check(): Promise<void>;
  download(): Promise<void>;
  /** Quits the app and runs the installer (the app's quit path still signs the agent out). */
  quitAndInstall(): void;
  onEvent(listener: (event: UpdaterEvent) => void): () => void;
  /** A random id kept in the profile: places this installation in a staged rollout (rolloutBucket). */
  installationId?(): string;
}

export type AppUpdateInfo = NonNullable<AppInfo['update']>;

export interface UpdateServiceDeps {
  port: UpdaterPort;
  config: UpdateConfig;
  currentVersion: string;
  snapshot(): AgentSnapshot;
  publish(update: AppUpdateInfo): void;
  clock: Clock;
  log: Logger;
}

export class UpdateService {
  private state: UpdaterState;
  private timer: unknown;
  private unsubscribe: (() => void) | undefined;
  private lastPublished = '';

  constructor(private readonly deps: UpdateServiceDeps) {
    this.state = { phase: 'idle', currentVersion: deps.currentVersion, now: deps.clock.now() };
    const id = deps.port.installationId?.();
    if (id !== undefined) this.state.rolloutBucket = rolloutBucket(id);
  }

  start(): void {
    if (!this.deps.config.enabled) {
      this.publish({ state: 'disabled', ...(this.deps.config.disabledReason && { message: this.deps.config.disabledReason }) });
      return;
    }
    this.deps.port.configure(this.deps.config);
    this.unsubscribe = this.deps.port.onEvent((event) => this.onEvent(event));
    this.publish({ state: 'idle' });
    this.tick();
  }

  dispose(): void {
    this.unsubscribe?.();
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The agent clicked "Restart to update". Returns what happened (blocked during a call). */
  requestRestart(): UpdateDecision {
    const decision = this.decide({ restartRequested: true });
    if (decision.kind === 'restart') {
      this.deps.log.info('installing update', { version: decision.version });
      this.deps.port.quitAndInstall();
    } else if (decision.kind === 'restart-blocked') {
      this.publish({ state: 'ready', version: decision.version, message: decision.reason });
    }
    return decision;
  }

  get phase(): UpdaterState['phase'] {
    return this.state.phase;
  }

  private decide(extra: Partial<UpdaterState> = {}): UpdateDecision {
    return updateDecision({ ...this.state, now: this.deps.clock.now(), ...extra }, this.deps.snapshot(), this.deps.config);
  }

  private tick = (): void => {
    this.timer = undefined;
    const decision = this.decide();
    if (decision.kind === 'check') {
      this.state = { ...this.state, phase: 'checking', lastCheckAt: this.deps.clock.now() };
      this.publish({ state: 'checking' });
      this.deps.port.check().catch((error: unknown) => this.onEvent({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
    }
    this.timer = this.deps.clock.setTimeout(this.tick, Math.min(CHECK_INTERVAL_MS, 30 * 60 * 1000));
  };

  private onEvent(event: UpdaterEvent): void {
    switch (event.type) {
      case 'checking':
        this.state = { ...this.state, phase: 'checking' };
        return this.publish({ state: 'checking' });
      case 'not-available':
        this.state = { ...this.state, phase: 'idle' };
        return this.publish({ state: 'idle' });
      case 'available': {
        const { stagingPercentage: _previous, ...rest } = this.state;
        this.state = { ...rest, phase: 'available', version: event.version, ...(event.stagingPercentage !== undefined && { stagingPercentage: event.stagingPercentage }) };
        const decision = this.decide();
        if (decision.kind === 'download') {
          this.state = { ...this.state, phase: 'downloading' };
          this.publish({ state: 'downloading', version: event.version });
          this.deps.port.download().catch((error: unknown) => this.onEvent({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
        } else {
          this.deps.log.info('update not taken', { version: event.version, reason: decision.kind === 'ignore' ? decision.reason : decision.kind });
          this.state = { ...this.state, phase: 'idle' };
          this.publish({ state: 'idle' });
        }
        return;
      }
      case 'progress':
        return this.publish({ state: 'downloading', ...(this.state.version && { version: this.state.version }), message: `${Math.round(event.percent)}%` });
      case 'downloaded':
        this.state = { ...this.state, phase: 'downloaded', version: event.version };
        return this.publish({ state: 'ready', version: event.version });
      case 'error':
        this.deps.log.warn('update failed', { message: event.message });
        // A failed download is retried at the next check; a downloaded update stays ready.
        if (this.state.phase === 'downloaded') return;
        this.state = { ...this.state, phase: 'error' };
        return this.publish({ state: 'error', message: 'The update could not be checked or downloaded; it will be retried.' });
    }
  }

  private publish(update: AppUpdateInfo): void {
    const key = JSON.stringify(update);
    if (key === this.lastPublished) return;
    this.lastPublished = key;
    this.deps.publish(update);
  }
}
