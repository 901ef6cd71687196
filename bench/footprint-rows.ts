/**
 * Figure 8's goals (issue 16) and its rows of the result table. Pure: test/unit/bench-footprint.test.ts.
 */
import type { FootprintResult } from './footprint-types';
import { added, ms, ratio, type Row } from './stats';

export const FOOTPRINT_GOALS = {
  /** Sign-in ≤ 1.3× the bare client's. */
  signInRatio: 1.3,
  /** % of one core, idle. */
  idleCoreCpuPercent: 0.5,
  /** No timer faster than 1 Hz while idle: at most one wake-up a second beyond the long poll. */
  idleCoreWakeupsPerSec: 1,
  /** The 1 s clocks only. */
  idleRendererLayoutsPerSec: 2,
  idleRequestsPerMin: 0,
  /** Core heap after 1,000 calls within this of the heap after sign-in (MB). */
  coreHeapGrowthMb: 5,
  rendererHeapMb: 30,
  /** The snapshot equals the server's this soon after wake(). */
  resumeResyncMs: 2_000,
} as const;

const none = '—';
const num = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const mbText = (x: number): string => `${num(x, 1)} MB`;

export function footprintRows(f: FootprintResult): Row[] {
  const g = FOOTPRINT_GOALS;
  const idle = f.detail.idle;
  const seconds = Math.round(idle.core.windowMs / 1000);
  const growth = f.coreHeapMb.afterCalls - f.coreHeapMb.afterSignIn;
  const floorGrowth = f.coreHeapFloorMb.afterCalls - f.coreHeapFloorMb.afterSignIn;
  return [
    {
      figure: `8 Sign-in: submit→workspace p50 (n=${f.detail.signIn.n})`,
      value: ms(f.signInMs),
      floor: ms(f.signInFloorMs),
      versus: ratio(f.signInMs, f.signInFloorMs),
      goal: `≤ ×${g.signInRatio}`,
      pass: f.signInMs <= g.signInRatio * f.signInFloorMs,
    },
    {
      figure: "8 … of which the core's connecting→connected p50",
      value: ms(f.detail.signInCore.p50),
      floor: ms(f.signInFloorMs),
      versus: ratio(f.detail.signInCore.p50, f.signInFloorMs),
      goal: none,
    },
    {
      figure: `8 Idle ${seconds} s: core CPU`,
      value: `${num(f.idleCoreCpuPercent)} %`,
      floor: `${num(f.idleCoreCpuFloorPercent)} %`,
      versus: none,
      goal: `≤ ${g.idleCoreCpuPercent} %`,
      pass: f.idleCoreCpuPercent <= g.idleCoreCpuPercent,
    },
    {
      figure: '8 Idle: core wake-ups/s beyond the long poll',
      value: num(f.idleCoreWakeupsPerSec),
      floor: num(f.idleCoreWakeupsFloorPerSec),
      versus: none,
      goal: `≤ ${g.idleCoreWakeupsPerSec}/s, no timer < 1 s`,
      pass: f.idleCoreWakeupsPerSec <= g.idleCoreWakeupsPerSec && idle.core.fastTimerFires === 0,
    },
    {
      figure: '8 Idle: renderer layouts/s (workspace)',
      value: num(f.idleRendererLayoutsPerSec),
      floor: num(f.idleRendererLayoutsFloorPerSec),
      versus: none,
      goal: `≤ ${g.idleRendererLayoutsPerSec}`,
      pass: f.idleRendererLayoutsPerSec <= g.idleRendererLayoutsPerSec,
    },
    {
      figure: '8 Idle: renderer layouts/s hidden / sign-in form',
      value: `${num(f.idleRendererLayoutsHiddenPerSec)} / ${num(f.idleRendererLayoutsSignInFormPerSec)}`,
      floor: num(f.idleRendererLayoutsFloorPerSec),
      versus: none,
      goal: '0 / 0',
      pass: f.idleRendererLayoutsHiddenPerSec === 0 && f.idleRendererLayoutsSignInFormPerSec === 0,
    },
    {
      figure: '8 Idle: renderer timer callbacks/s (workspace / hidden)',
      value: `${num(idle.renderer.timerFiresPerSec)} / ${num(idle.hidden.timerFiresPerSec)}`,
      floor: num(idle.blank.timerFiresPerSec),
      versus: none,
      goal: none,
    },
    {
      figure: '8 Idle: requests/min beyond the long poll',
      value: num(f.idleRequestsPerMin, 1),
      floor: num(f.idleRequestsFloorPerMin, 1),
      versus: none,
      goal: `${g.idleRequestsPerMin}`,
      pass: f.idleRequestsPerMin <= g.idleRequestsPerMin,
    },
    {
      figure: '8 Memory: core RSS after sign-in / after calls',
      value: `${mbText(f.coreRssMb.afterSignIn)} / ${mbText(f.coreRssMb.afterCalls)}`,
      floor: `${mbText(f.coreRssFloorMb.afterSignIn)} / ${mbText(f.coreRssFloorMb.afterCalls)}`,
      versus: none,
      goal: none,
    },
    {
      figure: `8 Memory: core heap after sign-in / after ${f.detail.calls.count.toLocaleString('en-US')} calls`,
      value: `${mbText(f.coreHeapMb.afterSignIn)} / ${mbText(f.coreHeapMb.afterCalls)}`,
      floor: `${mbText(f.coreHeapFloorMb.afterSignIn)} / ${mbText(f.coreHeapFloorMb.afterCalls)}`,
      versus: `${growth >= 0 ? '+' : '−'}${num(Math.abs(growth))} MB (floor ${floorGrowth >= 0 ? '+' : '−'}${num(Math.abs(floorGrowth))})`,
      goal: `growth ≤ ${g.coreHeapGrowthMb} MB`,
      pass: growth <= g.coreHeapGrowthMb,
    },
    {
      figure: '8 Memory: renderer JS heap after sign-in / after calls',
      value: `${mbText(f.rendererHeapMb.afterSignIn)} / ${mbText(f.rendererHeapMb.afterCalls)}`,
      floor: mbText(f.rendererHeapFloorMb),
      versus: none,
      goal: `≤ ${g.rendererHeapMb} MB`,
      pass: Math.max(f.rendererHeapMb.afterSignIn, f.rendererHeapMb.afterCalls) <= g.rendererHeapMb,
    },
    {
      figure: `8 Cold start: process start→sign-in form p50 (n=${f.detail.coldStart.n})`,
      value: ms(f.coldStartMs),
      floor: ms(f.coldStartFloorMs),
      versus: added(f.coldStartMs, f.coldStartFloorMs),
      goal: none,
    },
    {
      figure: `8 Resume: wake()→snapshot = server (${Math.round(f.resumeSuspendMs / 1000)} s suspend)`,
      value: ms(f.resumeResyncMs),
      floor: none,
      versus: none,
      goal: `≤ ${ms(g.resumeResyncMs)}`,
      pass: f.resumeResyncMs <= g.resumeResyncMs,
    },
  ];
}
