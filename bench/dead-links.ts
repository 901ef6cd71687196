// `npx tsx bench/dead-links.ts`: what a silent black hole costs (docs/reliability.md, "Dead links").
// One agent session signs in to the simulator THROUGH a TCP fault proxy; the proxy swallows every
// byte for `--hole-ms` without closing a socket (Wi-Fi roaming, a VPN reconnect, a NAT timeout),
// then heals; an inbound call rings right after; the figure is the time from the end of the hole
// to the call in the snapshot. Each configuration runs the hole at several moments: right after
// sign-in, just after a long poll went out, and at a random point of a long poll. The simulator's
// long-poll timeout is 25 s (as in GWS's default CometD configuration).
//
//   npx tsx bench/dead-links.ts                      # maxNetworkDelay 15 s (former) vs 2 s (product)
//   npx tsx bench/dead-links.ts --delays 2000 --trials 5
import { parseArgs } from 'node:util';
import type { AgentSession } from '../main/agent/session';
import { createAgentSession } from '../main/agent/session';
import type { Logger } from '../main/gws/logger';
import { startSimulator } from '../sim';
import { startFaultProxy } from '../test/support/fault-proxy';

const { values } = parseArgs({
  options: {
    delays: { type: 'string', default: '15000,2000' },
    trials: { type: 'string', default: '3' },
    'hole-ms': { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
  },
});

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let seed = Number(values.seed);
const random = (): number => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

function waitFor(session: AgentSession, predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  if (predicate()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sub.dispose();
      resolve(false);
    }, timeoutMs);
    const sub = session.onDidChange(() => {
      if (!predicate()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(true);
    });
  });
}

/**
 * `after-sign-in`: the hole opens as soon as sign-in is done. `call-during-hole`: a call rings in the
 * middle of the hole, so the long poll's reply carrying it is swallowed (the worst case: the client
 * only learns from its own deadline). `random`: the hole opens at a random point of a long poll.
 */
type Moment = 'after-sign-in' | 'call-during-hole' | 'random';

async function trial(maxNetworkDelayMs: number, moment: Moment, holeMs: number): Promise<number | undefined> {
  const sim = await startSimulator({ port: 0, quiet: true, timings: { answerMs: 600_000 } });
  const target = new URL(sim.url);
  // A dead path: the far side of a connection that lost bytes is not torn down for a minute.
  const proxy = await startFaultProxy({ target: { host: target.hostname, port: Number(target.port) }, lingerMs: 60_000 });
  const session = createAgentSession({ logger: quiet, maxNetworkDelayMs, backoff: { baseMs: 5_000, capMs: 10_000 } });
  try {
    await session.signIn({ serverUrl: proxy.url, username: 'agent1', password: 'agent1' });
    if (moment === 'random') await sleep(Math.round(random() * 20_000));
    const hole = proxy.blackHoleFor(holeMs);
    const ids: string[] = [];
    if (moment === 'call-during-hole') {
      await sleep(holeMs / 2);
      ids.push(sim.control.inboundCall({ to: 'agent1', from: '5550100' }));
    }
    await hole;
    const healedAt = Date.now();
    ids.push(sim.control.inboundCall({ to: 'agent1', from: '5550199' }));
    const known = (id: string) => Object.values(session.snapshot.calls).some((c) => c.id === id || c.callUuid === id || c.connId === id);
    const shown = await waitFor(session, () => ids.every(known), 90_000);
    return shown ? Date.now() - healedAt : undefined;
  } finally {
    await session.dispose();
    await proxy.close();
    await sim.close();
  }
}

async function main(): Promise<void> {
  const delays = String(values.delays).split(',').map(Number);
  const trials = Number(values.trials);
  const holeMs = Number(values['hole-ms']);
  const moments: Moment[] = ['after-sign-in', 'call-during-hole', 'random'];
  console.log(`dead links: a ${holeMs} ms black hole, then an inbound call; time from the end of the hole to the call shown`);
  for (const delay of delays) {
    const all: number[] = [];
    for (const moment of moments) {
      const figures: string[] = [];
      for (let i = 0; i < trials; i += 1) {
        const ms = await trial(delay, moment, holeMs);
        if (ms !== undefined) all.push(ms);
        figures.push(ms === undefined ? 'not shown in 90 s' : `${(ms / 1000).toFixed(1)} s`);
      }
      console.log(`  maxNetworkDelay ${delay} ms, hole ${moment}: ${figures.join(', ')}`);
    }
    all.sort((a, b) => a - b);
    const p50 = all[Math.floor((all.length - 1) / 2)] ?? 0;
    console.log(`  maxNetworkDelay ${delay} ms: median ${(p50 / 1000).toFixed(1)} s, worst ${((all.at(-1) ?? 0) / 1000).toFixed(1)} s over ${all.length} holes`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
