/**
 * The browser harness around a real core: agent session → softphone core → harness server. The
 * `npm run dev:web` CLI, the end-to-end tests and the benchmark all run this same composition.
 */
import { createAgentSession, type AgentSession, type AgentSessionOptions } from '../agent/session';
import { createSoftphoneCore, type SoftphoneCore } from '../app/core';
import type { AppInfo } from '../../preload/contract';
import { startHarness, type Harness } from './server';

export interface HarnessedCore {
  session: AgentSession;
  core: SoftphoneCore;
  harness: Harness;
  /** Closes the harness and the session (without signing out). */
  close(): Promise<void>;
}

export interface HarnessedCoreOptions {
  rendererDir: string;
  app: Omit<AppInfo, 'shell' | 'locked'> & Partial<Pick<AppInfo, 'locked'>>;
  session?: AgentSessionOptions;
  port?: number;
  log?: (line: string) => void;
  /** Runs before the core subscribes to the session (a benchmark's listener goes first). */
  beforeCore?: (session: AgentSession) => void;
}

export async function startHarnessedCore(options: HarnessedCoreOptions): Promise<HarnessedCore> {
  const session = createAgentSession(options.session);
  options.beforeCore?.(session);
  const core = createSoftphoneCore(session, { locked: [], ...options.app, shell: 'browser-harness' }, options.log);
  const harness = await startHarness({
    router: core.router,
    subscribe: core.subscribe,
    rendererDir: options.rendererDir,
    ...(options.port !== undefined && { port: options.port }),
    ...(options.log && { log: options.log }),
  });
  return {
    session,
    core,
    harness,
    async close() {
      await session.dispose().catch(() => undefined);
      core.dispose();
      await harness.close();
    },
  };
}
