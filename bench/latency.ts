/**
 * Figures 1–3 in one pass, under the same load: every call notification is published to agent2
 * (the floor client) and to agent1 (the core, which feeds the screen), in alternating order. The
 * loop is closed on the Node side (the next publication waits until the floor and the core have
 * the previous one, plus a gap that lets both long polls re-arm); the screen is matched afterwards
 * from the page's MutationObserver log, on Node's clock through the calibrated offset.
 */
import { writeFileSync } from 'node:fs';
import { now, sleep, until } from './clock';
import type { Calibration, World } from './env';
import { benchCallId, callMessage, flip, type BenchCallState } from './messages';
import { installObservers, readCallLog, readChangeArrivals } from './page';
import { matchInOrder, summarize, type Summary } from './stats';

export interface LatencyResult {
  n: number;
  warmup: number;
  calls: number;
  gapMs: number;
  floor: Summary;
  core: Summary;
  screen: Summary;
  /** Publications with no matching arrival (coalesced or lost). */
  unmatched: { floor: number; core: number; screen: number };
  calibration: { before: Calibration; after: Calibration; driftMs: number };
  /** Screen split at the page's receipt of the `changes` message (absent if counts did not line up). */
  breakdown?: { coreToPage: Summary; pageToDom: Summary };
}

export async function measureLatency(world: World, o: { n: number; warmup: number; calls: number; gapMs: number }): Promise<LatencyResult> {
  const { sim, page, coreTap, floorTap } = world;
  await installObservers(page);
  const ids = Array.from({ length: o.calls }, (_, i) => benchCallId('LAT', i));
  const states = new Map<string, BenchCallState>();
  const msg = { baseUrl: sim.url, dn: '5001' };
  const published: { key: string; value: string; floorAt: number; coreAt: number }[] = [];
  const before = await world.calibrate();
  const logStart = (await readCallLog(page, Number.MAX_SAFE_INTEGER)).length;
  const wsStart = (await readChangeArrivals(page, Number.MAX_SAFE_INTEGER)).length;
  const coreStart = coreTap.length;

  // BENCH_PAGE_PROFILE=file.cpuprofile: the renderer's JS profile over this figure (open in Chrome DevTools).
  const profileFile = process.env.BENCH_PAGE_PROFILE;
  const cdp = profileFile ? await page.context().newCDPSession(page) : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  const total = o.warmup + o.n;
  for (let i = 0; i < total; i++) {
    const id = ids[i % ids.length] as string;
    const previous = states.get(id);
    const state: BenchCallState = previous === undefined ? 'Dialing' : flip(previous);
    states.set(id, state);
    const data = callMessage(id, state, msg);
    const coreCount = coreTap.length;
    const floorCount = floorTap.length;
    let floorAt: number;
    let coreAt: number;
    if (i % 2 === 0) {
      floorAt = now();
      sim.control.publish({ userName: 'agent2', channel: '/v2/me/calls', data });
      coreAt = now();
      sim.control.publish({ userName: 'agent1', channel: '/v2/me/calls', data });
    } else {
      coreAt = now();
      sim.control.publish({ userName: 'agent1', channel: '/v2/me/calls', data });
      floorAt = now();
      sim.control.publish({ userName: 'agent2', channel: '/v2/me/calls', data });
    }
    if (i >= o.warmup) published.push({ key: id, value: state, floorAt, coreAt });
    await Promise.all([coreTap.waitForCount(coreCount + 1, 5_000), floorTap.waitForCount(floorCount + 1, 5_000)]).catch(() => undefined);
    // A gap with jitter: both long polls re-arm, and publications do not phase-lock with frames.
    await sleep(o.gapMs + Math.random() * 2);
  }
  // Let the screen catch up, then read its log in one go.
  const lastId = ids[(total - 1) % ids.length] as string;
  const lastState = states.get(lastId) as string;
  const deadline = now() + 5_000;
  let entries = (await readCallLog(page, logStart)).entries;
  while (!entries.some(([id, s]) => id === lastId && s === lastState) && now() < deadline) {
    await sleep(50);
    entries = (await readCallLog(page, logStart)).entries;
  }
  if (cdp && profileFile) {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
    await cdp.detach();
  }
  const after = await world.calibrate();
  const offset = (before.offset + after.offset) / 2;
  const tolerance = Math.max(before.rttMs, after.rttMs) / 2 + 0.2;

  const floorLat = matchInOrder(published.map((p) => ({ key: p.key, value: p.value, time: p.floorAt })), floorTap.arrivals);
  const coreLat = matchInOrder(published.map((p) => ({ key: p.key, value: p.value, time: p.coreAt })), coreTap.arrivals);
  const screenObs = entries.map(([key, value, t]) => ({ key, value, time: t - offset }));
  const screenLat = matchInOrder(published.map((p) => ({ key: p.key, value: p.value, time: p.coreAt })), screenObs, tolerance);

  // Breakdown of Screen, when every publication made exactly one core change and one message:
  // core → page (the core's listeners, the harness WebSocket, Chromium's IO → main thread hop) and
  // page → DOM (the harness client, the renderer state, Svelte, the DOM).
  const ws = (await readChangeArrivals(page, wsStart)).entries.map((t) => t - offset);
  const coreArrivals = coreTap.arrivals.slice(coreStart);
  let breakdown: LatencyResult['breakdown'];
  if (ws.length === total && coreArrivals.length === total) {
    const toPage: number[] = [];
    const toDom: number[] = [];
    published.forEach((p, j) => {
      const k = o.warmup + j;
      toPage.push((ws[k] as number) - (coreArrivals[k] as { time: number }).time);
      toDom.push(p.coreAt + (screenLat[j] as number) - (ws[k] as number));
    });
    breakdown = { coreToPage: summarize(toPage), pageToDom: summarize(toDom) };
  }

  // The calls go away (to history) so the next figures start from a quiet screen.
  for (const id of ids) {
    const data = callMessage(id, 'Released', msg);
    sim.control.publish({ userName: 'agent1', channel: '/v2/me/calls', data });
    sim.control.publish({ userName: 'agent2', channel: '/v2/me/calls', data });
  }
  await until('the latency calls to be released', () => ids.every((id) => world.session.snapshot.calls[id] === undefined), 10_000);
  await page.locator('[data-testid=call]').first().waitFor({ state: 'detached', timeout: 10_000 });

  const unmatched = (xs: number[]) => xs.filter((x) => Number.isNaN(x)).length;
  return {
    n: o.n,
    warmup: o.warmup,
    calls: o.calls,
    gapMs: o.gapMs,
    floor: summarize(floorLat),
    core: summarize(coreLat),
    screen: summarize(screenLat),
    unmatched: { floor: unmatched(floorLat), core: unmatched(coreLat), screen: unmatched(screenLat) },
    calibration: { before, after, driftMs: after.offset - before.offset },
    ...(breakdown !== undefined && { breakdown }),
  };
}
