/**
 * Figure 7, in a process of its own (`node --expose-gc --import tsx bench/memory.ts --calls N`):
 * the simulator and the agent core only, so the heap measured is theirs. After a warm-up, N calls
 * each go Dialing → Established → Released through published notifications (in closed-loop chunks,
 * so the core is never more than one chunk behind), then the heap is compared after full GCs.
 * The simulator keeps nothing per published message, so the growth is the core's (an upper bound).
 * Prints one JSON line (MemoryResult) on stdout.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../sim';
import { createAgentSession } from '../main/agent/session';
import { createSoftphoneCore } from '../main/app/core';
import { sleep } from './clock';
import { benchCallId, callMessage } from './messages';
import { tapCore } from './taps';

export interface MemoryResult {
  calls: number;
  warmup: number;
  heapBefore: number;
  heapAfter: number;
  growth: number;
  liveCalls: number;
  historyLength: number;
  /** The JSON size of the final snapshot: what a renderer receives on getSnapshot. */
  snapshotBytes: number;
  /** Contract events the softphone core emitted (one per snapshot change). */
  coreEvents: number;
  ms: number;
}

const CHUNK = 100;

async function gcHard(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(20);
  }
  return process.memoryUsage().heapUsed;
}

export async function memoryInProcess(calls: number, warmup: number): Promise<MemoryResult> {
  const sim = await startSimulator({ port: 0, quiet: true });
  const session = createAgentSession();
  const tap = tapCore(session);
  // The softphone core too: its listener turns every change into a contract event, like in the app.
  const core = createSoftphoneCore(session, { version: 'bench', defaultServerUrl: sim.url, defaultUsername: 'agent1', locked: [], shell: 'browser-harness' });
  let events = 0;
  core.subscribe(() => {
    events += 1;
  });
  try {
    await session.signIn({ serverUrl: sim.url, username: 'agent1', password: 'agent1' });
    const msg = { baseUrl: sim.url, dn: '5001' };
    const run = async (prefix: string, count: number) => {
      for (let c = 0; c < count; c += CHUNK) {
        const size = Math.min(CHUNK, count - c);
        const expected = tap.length + 3 * size;
        for (let i = c; i < c + size; i++) {
          const id = benchCallId(prefix, i);
          for (const state of ['Dialing', 'Established', 'Released'] as const) sim.control.publish({ userName: 'agent1', channel: '/v2/me/calls', data: callMessage(id, state, msg) });
        }
        await tap.waitForCount(expected, 30_000);
      }
    };
    await run('WARM', warmup);
    const heapBefore = await gcHard();
    const t0 = performance.now();
    await run('MEM', calls);
    const ms = performance.now() - t0;
    tap.arrivals.length = 0; // the tap's own log is not the core's memory
    const heapAfter = await gcHard();
    return {
      calls,
      warmup,
      heapBefore,
      heapAfter,
      growth: heapAfter - heapBefore,
      liveCalls: Object.keys(session.snapshot.calls).length,
      historyLength: session.snapshot.callHistory.length,
      snapshotBytes: JSON.stringify(session.snapshot).length,
      coreEvents: events,
      ms,
    };
  } finally {
    await session.dispose().catch(() => undefined);
    core.dispose();
    await sim.close();
  }
}

/** Runs this file in a child process with --expose-gc and returns its result. */
export function measureMemory(calls: number, warmup: number): Promise<MemoryResult> {
  const file = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file, '--calls', String(calls), '--warmup', String(warmup)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(line) as MemoryResult);
      } catch (e) {
        reject(new Error(`memory child failed (${String(e)}): ${out.slice(-500)}`));
      }
    });
  });
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  memoryInProcess(arg('--calls', 10_000), arg('--warmup', 500))
    .then((r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
