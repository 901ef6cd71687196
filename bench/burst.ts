/**
 * Figure 5: N call notifications published as fast as the simulator takes them (chunks of 100
 * synchronous publications, one macrotask each, so the server can flush between chunks), each to
 * the floor client and to the core. Counted: arrivals at the floor and in the core (each
 * publication changes one call's state, so each must be one arrival), the final state on screen
 * (every call must end in its last published state), and the time until the screen shows it. The
 * event-loop delay of this process (core, harness, and also the simulator and the floor client,
 * which live here too) is sampled with monitorEventLoopDelay at 1 ms resolution throughout.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { now, sleep, until } from './clock';
import type { World } from './env';
import { benchCallId, callMessage, flip, type BenchCallState } from './messages';
import { domCallStates, installObservers, readCallLog } from './page';

export interface BurstResult {
  n: number;
  calls: number;
  publishMs: number;
  floorDrainMs: number;
  coreDrainMs: number;
  screenFinalMs: number;
  lost: { floor: number; core: number; screen: number };
  /** DOM state changes seen (the screen may skip intermediate states; only the final one counts). */
  screenTransitions: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

const CHUNK = 100;

export async function measureBurst(world: World, o: { n: number; calls: number; timeoutMs: number }): Promise<BurstResult> {
  const { sim, page, coreTap, floorTap, session } = world;
  await installObservers(page);
  const msg = { baseUrl: sim.url, dn: '5001' };
  const ids = Array.from({ length: o.calls }, (_, i) => benchCallId('BURST', i));
  const states = new Map<string, BenchCallState>();
  const publish = (id: string, state: BenchCallState) => {
    const data = callMessage(id, state, msg);
    sim.control.publish({ userName: 'agent2', channel: '/v2/me/calls', data });
    sim.control.publish({ userName: 'agent1', channel: '/v2/me/calls', data });
  };
  // The calls exist and are on screen before the burst.
  for (const id of ids) {
    states.set(id, 'Dialing');
    publish(id, 'Dialing');
  }
  await until('the burst calls in the core', () => ids.every((id) => session.snapshot.calls[id]?.state === 'Dialing'));
  await page.locator('[data-testid=call]').nth(o.calls - 1).waitFor({ timeout: 10_000 });
  const calibration = await world.calibrate();
  const logStart = (await readCallLog(page, Number.MAX_SAFE_INTEGER)).length;
  const core0 = coreTap.length;
  const floor0 = floorTap.length;

  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const start = now();
  // The last message of each call puts it on Held, a state it never had before: the screen's final
  // state then differs from its first, whichever flips the core's coalescing folds away.
  const flips = o.n - ids.length;
  for (let i = 0; i < o.n; i++) {
    const id = ids[i % ids.length] as string;
    const state = i < flips ? flip(states.get(id) as BenchCallState) : 'Held';
    states.set(id, state);
    publish(id, state);
    if ((i + 1) % CHUNK === 0) await new Promise((r) => setImmediate(r));
  }
  const publishMs = now() - start;
  await floorTap.waitForCount(floor0 + o.n, o.timeoutMs).catch(() => undefined);
  await coreTap.waitForCount(core0 + o.n, o.timeoutMs).catch(() => undefined);
  const floorArrivals = floorTap.arrivals.slice(floor0);
  const coreArrivals = coreTap.arrivals.slice(core0);

  // The screen is done when it shows every final state and its log has been quiet for 300 ms.
  const final = Object.fromEntries(ids.map((id) => [id, states.get(id) as string]));
  const deadline = now() + o.timeoutMs;
  let length = -1;
  let quietSince = now();
  for (;;) {
    const [shown, log] = await Promise.all([domCallStates(page), readCallLog(page, Number.MAX_SAFE_INTEGER)]);
    if (log.length !== length) {
      length = log.length;
      quietSince = now();
    }
    const matches = ids.every((id) => shown[id] === final[id]);
    if ((matches && now() - quietSince >= 300) || now() > deadline) break;
    await sleep(100);
  }
  loop.disable();
  const entries = (await readCallLog(page, logStart)).entries;
  const shown = await domCallStates(page);
  const lastSeen = new Map<string, number>();
  for (const [id, , t] of entries) lastSeen.set(id, t - calibration.offset);
  // A call whose last state equals its state before the burst may never change on screen at all
  // (the core coalesces one CometD reply's changes into one render): it contributes no time; whether
  // it ended right is counted in `lost.screen` below.
  const screenFinal = Math.max(start, ...ids.map((id) => lastSeen.get(id) ?? start));

  // Clean up: the calls go to history.
  for (const id of ids) publish(id, 'Released');
  await until('the burst calls to be released', () => ids.every((id) => session.snapshot.calls[id] === undefined), 10_000);
  await page.locator('[data-testid=call]').first().waitFor({ state: 'detached', timeout: 30_000 });

  const last = (xs: { time: number }[]) => (xs.length > 0 ? (xs[xs.length - 1] as { time: number }).time - start : Number.NaN);
  return {
    n: o.n,
    calls: o.calls,
    publishMs,
    floorDrainMs: floorArrivals.length >= o.n ? last(floorArrivals) : Number.NaN,
    coreDrainMs: coreArrivals.length >= o.n ? last(coreArrivals) : Number.NaN,
    screenFinalMs: screenFinal - start,
    lost: {
      floor: o.n - floorArrivals.length,
      core: o.n - coreArrivals.length,
      screen: ids.filter((id) => shown[id] !== final[id]).length,
    },
    screenTransitions: entries.length,
    eventLoopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
  };
}
