// `npm run soak -- --agents N`: N agent sessions (one process) on one simulator, which restarts.
// Reconnects use the core's full-jitter backoff from the very first retry, so the handshakes
// spread over seconds instead of arriving as one spike. Prints the handshakes-per-second
// histogram (counted by the simulator), recovery times, memory and CPU.
import { createAgentSession } from '../main/agent/session';
import type { AgentSession } from '../main/agent/session';
import type { Logger } from '../main/gws/logger';
import { DEFAULT_BACKOFF } from '../main/gws/backoff';
import { startSimulator } from '../sim';
import type { ScenarioInput, Simulator } from '../sim';
import { describeStats, histogram, mulberry32, percentile } from './lib';

export interface StormOptions {
  agents: number;
  seed: number;
  downMs: number;
  logger: Logger;
  /** Core backoff for the storm (full jitter: random() * min(cap, base * 2^attempt)). */
  backoff?: { baseMs: number; capMs: number };
}

const RECOVERY_LIMIT_MS = 30_000;
const MIN_SPREAD_S = 10;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function scenario(agents: number): ScenarioInput {
  return {
    name: 'storm',
    agents: Array.from({ length: agents }, (_, i) => ({
      userName: `storm${i + 1}`,
      password: `storm${i + 1}`,
      place: `Place_${20_000 + i}`,
      dn: String(20_000 + i),
      group: 'Storm',
    })),
  };
}

export async function runStorm(options: StormOptions): Promise<number> {
  const { agents, seed, downMs, logger } = options;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const sim = await startSimulator({ scenario: scenario(agents), quiet: true });
  console.log(`storm: ${agents} sessions, seed ${seed}, restart down ${downMs} ms, backoff base ${backoff.baseMs} ms cap ${backoff.capMs} ms, simulator ${sim.url}`);
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  let rssPeak = 0;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 250);

  const sessions: AgentSession[] = [];
  for (let i = 0; i < agents; i += 1) {
    sessions.push(createAgentSession({ logger, backoff, random: mulberry32(seed * 100_003 + i), requestTimeoutMs: 15_000 }));
  }
  // Sign in 20 at a time (a morning log-in, not the storm being measured).
  const signInStart = Date.now();
  for (let i = 0; i < agents; i += 20) {
    await Promise.all(sessions.slice(i, i + 20).map((s, j) => s.signIn({ serverUrl: sim.url, username: `storm${i + j + 1}`, password: `storm${i + j + 1}` })));
  }
  console.log(`  ${agents} sessions signed in in ${((Date.now() - signInStart) / 1000).toFixed(1)} s; rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  const rssBefore = process.memoryUsage().rss;

  // Each session: when it is connected again after the restart.
  const lostAt = new Array<number | undefined>(agents).fill(undefined);
  const backAt = new Array<number | undefined>(agents).fill(undefined);
  const subs = sessions.map((s, i) =>
    s.onDidChange((snap, changes) => {
      if (!changes.includes('connection')) return;
      if (snap.connection.state !== 'connected') lostAt[i] ??= Date.now();
      else if (lostAt[i] !== undefined && backAt[i] === undefined) backAt[i] = Date.now();
    }),
  );

  const restartAt = Date.now();
  const cpuStorm0 = process.cpuUsage();
  await sim.control.restart({ downMs });
  const serverBack = Date.now();
  console.log(`  simulator restarted (down ${serverBack - restartAt} ms)`);

  // One read of the simulator's truth per check of all sessions (it lists every agent: reading it
  // per session made the check itself O(N²) and the run's CPU figure mostly the check's).
  const truthByUser = (): Map<string, ReturnType<Simulator['control']['state']>['agents'][number]> => new Map(sim.control.state().agents.map((a) => [a.userName, a]));
  const matches = (i: number, agentsTruth: ReturnType<typeof truthByUser>): boolean => {
    const s = sessions[i] as AgentSession;
    const truth = agentsTruth.get(`storm${i + 1}`);
    return s.snapshot.connection.state === 'connected' && truth !== undefined && truth.cometdSessions === 1 && s.snapshot.device?.userState.state === (truth.userState as { state?: string }).state && Object.keys(s.snapshot.calls).length === truth.calls.length;
  };
  const deadline = serverBack + RECOVERY_LIMIT_MS + 15_000;
  let lastReport = Date.now();
  while (Date.now() < deadline) {
    const done = backAt.filter((t) => t !== undefined).length;
    if (done === agents) {
      const t = truthByUser();
      if (sessions.every((_, i) => matches(i, t))) break;
    }
    if (Date.now() - lastReport > 5_000) {
      lastReport = Date.now();
      console.log(`  +${Math.round((Date.now() - serverBack) / 1000)} s: ${done}/${agents} reconnected`);
    }
    await sleep(100);
  }
  const cpuStorm = process.cpuUsage(cpuStorm0);
  const stormWall = Date.now() - restartAt;
  for (const sub of subs) sub.dispose();

  const recoveries = backAt.map((t) => (t === undefined ? Number.POSITIVE_INFINITY : t - serverBack));
  const finite = recoveries.filter((r) => Number.isFinite(r));
  const late = recoveries.filter((r) => r > RECOVERY_LIMIT_MS).length;
  const finalTruth = truthByUser();
  const mismatched = sessions.map((_, i) => i).filter((i) => !matches(i, finalTruth)).length;
  const handshakes = sim.control.handshakes(restartAt);
  const first = Math.min(...handshakes);
  const last = Math.max(...handshakes);
  const spreadS = handshakes.length > 0 ? (last - first) / 1000 : 0;
  const perSecond = new Map<number, number>();
  for (const t of handshakes) perSecond.set(Math.floor((t - serverBack) / 1000), (perSecond.get(Math.floor((t - serverBack) / 1000)) ?? 0) + 1);
  const peak = Math.max(0, ...perSecond.values());
  // The middle 90 % of first handshakes (a spike has them all within one second).
  const sorted = [...handshakes].sort((a, b) => a - b);
  const p5 = sorted[Math.floor(sorted.length * 0.05)] ?? 0;
  const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;

  console.log('');
  console.log(`  /meta/handshake per second after the server is back (${handshakes.length} handshakes, counted by the simulator):`);
  for (const line of histogram(handshakes, serverBack)) console.log(line);
  console.log(`  handshakes spread over ${spreadS.toFixed(1)} s (5th–95th percentile ${((p95 - p5) / 1000).toFixed(1)} s), peak ${peak}/s`);
  console.log(`  recovery after the server is back: ${describeStats(finite)}; over ${RECOVERY_LIMIT_MS / 1000} s or never: ${late}; snapshot ≠ truth at the end: ${mismatched}`);
  console.log(`  memory: rss ${(rssBefore / 2 ** 20).toFixed(0)} MiB with ${agents} sessions, peak ${(Math.max(rssPeak, process.memoryUsage().rss) / 2 ** 20).toFixed(0)} MiB (${((rssBefore / agents) / 2 ** 10).toFixed(0)} KiB per session incl. simulator)`);
  console.log(`  cpu during the storm: ${((cpuStorm.user + cpuStorm.system) / 1000 / stormWall * 100).toFixed(0)} % of one core over ${(stormWall / 1000).toFixed(1)} s; whole run ${(((process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1000) / (Date.now() - t0) * 100).toFixed(0)} %`);
  clearInterval(sampler);
  const p99 = percentile(finite, 99);
  await Promise.all(sessions.map((s) => s.dispose()));
  await sim.close();
  // Spread: the middle 90 % of the handshakes, so a few stragglers cannot pass off a spike as spread.
  const middleSpreadS = (p95 - p5) / 1000;
  const ok = late === 0 && mismatched === 0 && middleSpreadS >= MIN_SPREAD_S;
  console.log(`  every session ≤ ${RECOVERY_LIMIT_MS / 1000} s: ${late === 0 ? 'yes' : 'NO'} (p99 ${p99} ms); middle 90 % of handshakes spread ≥ ${MIN_SPREAD_S} s: ${middleSpreadS >= MIN_SPREAD_S ? 'yes' : 'NO'}`);
  console.log(ok ? 'PASS' : 'FAIL');
  return ok ? 0 : 1;
}
