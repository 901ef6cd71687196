/**
 * One end-to-end environment per test: the GWS simulator (control API on, short timings), the real
 * main-process core (agent session + contract router) and the browser harness serving the built
 * renderer, all on 127.0.0.1 with port 0.
 */
import { join } from 'node:path';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../sim';
import type { AgentSession } from '../../../main/agent/session';
import type { SoftphoneCore } from '../../../main/app/core';
import type { Harness } from '../../../main/harness/server';
import { startHarnessedCore } from '../../../main/harness/compose';
import type { WorkRulesInput } from '../../../main/agent/work-rules';

/**
 * Calling hours are the customer's wall clock (issue 12 #7): a test that dials must not depend on
 * the time of day it runs at, so tests call at any hour unless they ask for the hours.
 */
export const ANY_HOUR: WorkRulesInput = { callingHours: { start: '00:00', end: '00:00' } };

export interface E2eEnvironment {
  sim: Simulator;
  session: AgentSession;
  core: SoftphoneCore;
  harness: Harness;
  close(): Promise<void>;
}

export const FAST_TIMINGS = { answerMs: 400, busyMs: 300, noAnswerMs: 600, answeringMachineMs: 400, consultAnswerMs: 300 };

export async function startEnvironment(options: SimulatorOptions = {}, workRules: WorkRulesInput = ANY_HOUR): Promise<E2eEnvironment> {
  const sim = await startSimulator({ port: 0, control: true, quiet: true, timings: FAST_TIMINGS, ...options });
  const { session, core, harness, close } = await startHarnessedCore({
    rendererDir: join(process.cwd(), 'out', 'renderer'),
    session: { backoff: { baseMs: 100, capMs: 1_000 }, workRules },
    app: { version: 'e2e', defaultServerUrl: sim.url, defaultUsername: 'agent1' },
  });
  return {
    sim,
    session,
    core,
    harness,
    async close() {
      await close();
      await sim.close();
    },
  };
}
