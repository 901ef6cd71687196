/**
 * What figure 8 (bench/footprint.ts) writes under `footprint` in bench/results/latest.json. Types
 * only, free of DOM and Playwright, so the table (footprint-rows.ts) and its unit test use them.
 */
import type { IdleProbeResult } from './footprint-probe';
import type { Summary } from './stats';

export interface RendererIdle {
  windowMs: number;
  layoutsPerSec: number;
  styleRecalcsPerSec: number;
  /** Main-thread task time over the window, % of one core. */
  cpuPercent: number;
  /** JS timer callbacks the page ran per second (setTimeout/setInterval, wrapped by an init script). */
  timerFiresPerSec: number;
  requests: number;
}

export interface PerProcessMemory {
  afterSignIn: number;
  afterCalls: number;
}

export interface FootprintResult {
  signInMs: number;
  signInFloorMs: number;
  idleCoreCpuPercent: number;
  idleCoreCpuFloorPercent: number;
  idleCoreWakeupsPerSec: number;
  idleCoreWakeupsFloorPerSec: number;
  idleRendererLayoutsPerSec: number;
  idleRendererLayoutsFloorPerSec: number;
  /** Layouts/s with the window hidden (visibilitychange emulated) and on the sign-in form (no timer on screen). */
  idleRendererLayoutsHiddenPerSec: number;
  idleRendererLayoutsSignInFormPerSec: number;
  idleRequestsPerMin: number;
  idleRequestsFloorPerMin: number;
  coreRssMb: PerProcessMemory;
  coreRssFloorMb: PerProcessMemory;
  coreHeapMb: PerProcessMemory;
  coreHeapFloorMb: PerProcessMemory;
  rendererHeapMb: PerProcessMemory;
  rendererHeapFloorMb: number;
  coldStartMs: number;
  coldStartFloorMs: number;
  resumeResyncMs: number;
  /** The suspend simulated for resumeResyncMs (60 s; 5 s in --quick). */
  resumeSuspendMs: number;
  chromium: string;
  detail: {
    signIn: Summary;
    /** Of the sign-in: submit → the page has "connected" (harness WebSocket both ways + the core's sign-in); the rest is rendering. */
    signInToConnected: Summary;
    /** Of the sign-in: the core's own `connecting` → `connected`. */
    signInCore: Summary;
    signInFloor: Summary;
    coldStart: Summary;
    coldStartFloor: Summary;
    /** Of the cold start (p50s): the core process up (harness listening) from its spawn; Chromium launched; the page to its sign-in form (floor: to `load` of the blank page). */
    coreReady: Summary;
    coldStartParts: {
      /** In the core process, from its start: modules loaded; then the harness (esbuild bundles its WebSocket client: dev only) and the core composed. */
      coreLoadedMs: number;
      coreHarnessMs: number;
      browserMs: number;
      pageMs: number;
      floorBrowserMs: number;
      floorPageMs: number;
    };
    idle: { core: IdleProbeResult; floor: IdleProbeResult; renderer: RendererIdle; blank: RendererIdle; hidden: RendererIdle; signInForm: RendererIdle };
    calls: { count: number; liveCalls: number; historyLength: number; snapshotBytes: number };
    /** The heap between the two samples, after the idle windows (what time alone adds). */
    heapAfterIdleMb: { core: number; floor: number };
    resume: { suspendMs: number; connectionHistory: string[] };
  };
}
