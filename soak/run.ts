// `npm run soak`: the agent core (in-process) against the simulator through a preview campaign,
// with faults injected at seeded random moments; checks after each fault that the snapshot equals
// the simulator's truth once recovered, and at the end that no operation reached the server twice
// and every record outcome exactly once. `--agents N`: the reconnect-storm run instead.
// See docs/reliability.md.
//
// The session signs in THROUGH a fault proxy (test/support/fault-proxy.ts) in front of the
// simulator, so that the network can also fail silently (blackHole).
//
//   npm run soak                     # default: 110 faults (10 per kind), ~5–7 min
//   npm run soak -- --quick          # 12 faults, every kind at least once, ≲ 60 s (run by npm test)
//   npm run soak -- --seed 7 --faults 200
//   npm run soak -- --product-timings  # the product's request timeout and backoff (slower recoveries)
//   npm run soak -- --skip lostState,blackHole   # without these fault kinds
//   npm run soak -- --agents 1000    # reconnect storm: 1000 sessions, one simulator restart
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_UNANSWERED_RESENDS, fileOutboxStore } from '../main/agent/outbox';
import type { AgentSession } from '../main/agent/session';
import { createAgentSession } from '../main/agent/session';
import type { AgentSnapshot } from '../main/agent/snapshot';
import type { Logger } from '../main/gws/logger';
import { DEFAULT_BACKOFF } from '../main/gws/backoff';
import { startSimulator } from '../sim';
import type { LoggedRequest, ScenarioInput, SimTruth, Simulator } from '../sim';
import { serverErrorsFor, startFaultProxy } from '../test/support/fault-proxy';
import { FAULT_KINDS, describeSpread, describeStats, mulberry32, percentile, shuffledBag } from './lib';
import type { FaultKind } from './lib';
import { runStorm } from './storm';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    quick: { type: 'boolean', default: false },
    faults: { type: 'string' },
    agents: { type: 'string' },
    'down-ms': { type: 'string' },
    'base-ms': { type: 'string' },
    'cap-ms': { type: 'string' },
    verbose: { type: 'boolean', default: false },
    'product-timings': { type: 'boolean', default: false },
    skip: { type: 'string' },
  },
});

const seed = Number(values.seed);
const verbose = values.verbose === true;
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const logger: Logger = verbose
  ? { debug: () => undefined, info: (m, f) => console.log(`  core: ${m}`, f ?? ''), warn: (m, f) => console.log(`  core WARN: ${m}`, f ?? ''), error: (m, f) => console.log(`  core ERROR: ${m}`, f ?? '') }
  : quiet;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const USER = 'soak1';
const CAMPAIGN = 'Soak_Preview';
const RECOVERY_LIMIT_MS = 30_000;
/** This many faults in a row not recovered for the same reason: a dead end, the run stops injecting. */
const DEAD_END_FAULTS = 4;
/** This many faults in a row without a record completed (and 20 s): the agent is stuck. */
const STUCK_FAULTS = 6;

function scenario(records: number): ScenarioInput {
  return {
    name: 'soak',
    agents: [{ userName: USER, password: USER, firstName: 'Soak', lastName: 'Agent', place: 'Place_9001', dn: '9001', group: 'Soak' }],
    campaigns: [
      {
        name: CAMPAIGN,
        dialingMode: 'Preview',
        group: 'Soak',
        callingList: 'CL_Soak',
        applicationId: 900,
        wrapUpTime: 0,
        records: Array.from({ length: records }, (_, i) => ({ recordHandle: 10_000 + i, chainId: 10_000 + i, phoneNumber: `+1212${String(5_000_000 + i).padStart(7, '0')}` })),
      },
    ],
  };
}

// ---- the agent (drives the core only through its public API) -------------------------------------

interface Intent {
  recordHandle: string;
  referenceId: string;
  queued: boolean;
  /** When the agent entered it (epoch ms). */
  at: number;
}

/** A CompleteRecord the core refused at once (the agent saw the error; nothing was kept). */
interface RefusedOutcome {
  recordHandle: string;
  code: string;
  message: string;
  referenceId?: string;
  at: number;
}

const codeOf = (error: unknown): string => String((error as { code?: unknown } | null)?.code ?? 'ERROR');

class Driver {
  stopping = false;
  stopped = false;
  cycles = 0;
  readonly intents: Intent[] = [];
  readonly refusedOutcomes: RefusedOutcome[] = [];
  errors = 0;
  /**
   * Outbox entries shown as failed: the agent retries each once (`retryOutboxEntry`), and if it
   * fails again discards it (`discardOutboxEntry`), as the UI offers. Reported, never hidden.
   */
  readonly failedEntries = new Map<string, { referenceId: string; recordHandle: string; operationName: string; error: string; at: number; retried: boolean; discarded: boolean }>();
  /** Get record refused because the server had no preview session any more: the agent started it again by hand. */
  previewSessionRestartsByHand = 0;
  private getRecordRefusals = 0;

  constructor(private readonly s: AgentSession) {}

  private async waitFor(predicate: (x: AgentSnapshot) => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (predicate(this.s.snapshot)) return true;
      await sleep(10);
    }
    return predicate(this.s.snapshot);
  }

  async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.step();
      } catch (error) {
        this.errors += 1;
        if (verbose) console.log(`  driver: ${String(error)}`);
        await sleep(50);
      }
    }
  }

  private async step(): Promise<void> {
    const s = this.s;
    const snap = s.snapshot;
    const failed = (snap.outbox ?? []).find((e) => e.state === 'failed');
    if (failed !== undefined) {
      const seen = this.failedEntries.get(failed.id);
      const error = failed.lastError ? `${failed.lastError.code}: ${failed.lastError.message}` : 'no error';
      if (seen === undefined) {
        this.failedEntries.set(failed.id, { referenceId: failed.referenceId, recordHandle: failed.recordHandle, operationName: failed.operationName, error, at: Date.now(), retried: true, discarded: false });
        if (verbose) console.log(`  driver: outbox entry ${failed.operationName} ${failed.recordHandle} failed (${error}): retried`);
        s.retryOutboxEntry(failed.id);
      } else if (!seen.discarded) {
        seen.discarded = true;
        seen.error = error;
        if (verbose) console.log(`  driver: outbox entry ${failed.operationName} ${failed.recordHandle} failed again (${error}): discarded`);
        s.discardOutboxEntry(failed.id);
      }
      await sleep(20);
      return;
    }
    if (snap.connection.state !== 'connected') {
      await sleep(30);
      return;
    }
    const p = snap.previewRecord;
    switch (p.phase) {
      case 'idle':
      case 'done': {
        if (this.stopping) {
          this.stopped = true;
          return;
        }
        if (p.phase === 'done') this.cycles += 1;
        if (!snap.campaigns[CAMPAIGN]?.previewSessionActive) {
          await s.startPreviewSession(CAMPAIGN);
          await this.waitFor((x) => x.campaigns[CAMPAIGN]?.previewSessionActive === true, 3_000);
          return;
        }
        try {
          await s.getPreviewRecord(CAMPAIGN);
          this.getRecordRefusals = 0;
        } catch (error) {
          // After the server lost its state it has no preview session for the agent any more. If
          // the core still shows one, Get record is refused: the agent starts the session again.
          if (codeOf(error) === 'NOT_ALLOWED_IN_STATE' && ++this.getRecordRefusals >= 2 && this.s.snapshot.previewRecord.phase !== 'requested') {
            this.getRecordRefusals = 0;
            this.previewSessionRestartsByHand += 1;
            await sleep(200);
            await s.startPreviewSession(CAMPAIGN);
          }
          throw error;
        }
        await this.waitFor((x) => x.previewRecord.phase !== 'requested', 4_000);
        if (this.s.snapshot.previewRecord.phase === 'idle' && this.s.snapshot.previewRecord.lastNotification === 'NoRecordsAvailable') throw new Error('records ran out');
        return;
      }
      case 'requested':
      case 'dialing':
      case 'completing':
        await sleep(20);
        return;
      case 'offered': {
        const handle = String(p.record?.recordHandle);
        try {
          await s.dialPreviewRecord();
        } catch (error) {
          if (verbose) console.log(`  driver: dial ${handle}: ${String(error)}`);
          await sleep(100);
          return;
        }
        await this.waitFor((x) => x.previewRecord.phase !== 'offered' && x.previewRecord.phase !== 'dialing', 3_000);
        return;
      }
      case 'on-call': {
        const callId = p.callId;
        const call = callId !== undefined ? snap.calls[callId] : undefined;
        if (!call || !call.capabilities.includes('Hangup')) {
          await sleep(20);
          return;
        }
        await s.hangup(call.id);
        await this.waitFor((x) => x.previewRecord.phase !== 'on-call', 3_000);
        return;
      }
      case 'wrap-up': {
        const handle = String(p.record?.recordHandle);
        const at = Date.now();
        let ack;
        try {
          ack = await s.completeRecord('Answer');
        } catch (error) {
          const referenceId = (error as { referenceId?: unknown } | null)?.referenceId;
          this.refusedOutcomes.push({ recordHandle: handle, code: codeOf(error), message: String((error as Error)?.message ?? error), at, ...(typeof referenceId === 'string' ? { referenceId } : {}) });
          throw error;
        }
        this.intents.push({ recordHandle: handle, referenceId: ack.referenceId, queued: ack.queued === true, at });
        await this.waitFor((x) => x.previewRecord.phase !== 'completing', 2_000);
        return;
      }
      default:
        await sleep(20);
    }
  }
}

// ---- snapshot vs truth -----------------------------------------------------------------------------

function agentTruth(truth: SimTruth) {
  const agent = truth.agents.find((a) => a.userName === USER);
  if (!agent) throw new Error('no soak agent in the simulator');
  return agent;
}

/**
 * Why the snapshot differs from the simulator's truth now ('' when it matches). `staleSessions`:
 * after a black hole the server may keep the dead CometD session of a client that handshook again
 * until its maxInterval runs out (the client cannot reach it to say goodbye): more than one is
 * then not a client fault.
 */
function mismatch(s: AgentSnapshot, truth: SimTruth, o: { staleSessions?: boolean } = {}): string {
  const agent = agentTruth(truth);
  if (s.connection.state !== 'connected') return `connection ${s.connection.state}`;
  if (!agent.contactCenterSession) return 'connected, but no contact-center session at the server';
  if (o.staleSessions === true ? agent.cometdSessions < 1 : agent.cometdSessions !== 1) return `${agent.cometdSessions} CometD sessions at the server`;
  const snapCalls = Object.values(s.calls).map((c) => `${c.id}:${c.state}`).sort().join(',');
  const simCalls = agent.calls.map((c) => `${String(c['id'])}:${String(c['state'])}`).sort().join(',');
  if (snapCalls !== simCalls) return `calls ${snapCalls || '-'} ≠ ${simCalls || '-'}`;
  const us = agent.userState as { state?: string; workMode?: string };
  if (s.device?.userState.state !== us.state) return `agent state ${s.device?.userState.state} ≠ ${us.state}`;
  const held = agent.records.map((r) => String(r['recordHandle']));
  const p = s.previewRecord;
  if (['offered', 'dialing', 'on-call', 'wrap-up'].includes(p.phase) && !held.includes(String(p.record?.recordHandle))) {
    return `current record ${String(p.record?.recordHandle)} (${p.phase}) not held (held: ${held.join(',') || '-'})`;
  }
  if (p.phase === 'completing' && !(s.outbox ?? []).some((e) => e.recordHandle === String(p.record?.recordHandle))) {
    return `record ${String(p.record?.recordHandle)} completing with nothing of it in the outbox`;
  }
  const undelivered = (s.outbox ?? []).filter((e) => e.state !== 'sending');
  if (undelivered.length > 0) return `outbox: ${undelivered.map((e) => `${e.operationName} ${e.recordHandle} ${e.state}`).join(', ')}`;
  return '';
}

// ---- the default soak -----------------------------------------------------------------------------

type OutcomeTruth = SimTruth['outcomes'][number];

/** A GONE notice the core showed: something the server no longer knew was dropped. */
interface GoneNotice {
  at: number;
  message: string;
  referenceId?: string;
  operationName?: string;
}

async function soak(): Promise<number> {
  const quick = values.quick === true;
  const productTimings = values['product-timings'] === true;
  const skipped = new Set((values.skip ?? '').split(',').map((k) => k.trim()).filter((k) => k !== ''));
  for (const k of skipped) if (!(FAULT_KINDS as readonly string[]).includes(k)) throw new Error(`--skip: no fault kind ${k} (kinds: ${FAULT_KINDS.join(', ')})`);
  const kinds = FAULT_KINDS.filter((k) => !skipped.has(k));
  const faultCount = values.faults !== undefined ? Number(values.faults) : quick ? 12 : 110;
  const rng = mulberry32(seed);
  const between = (lo: number, hi: number): number => Math.round(lo + rng() * (hi - lo));
  const dir = await mkdtemp(join(tmpdir(), 'soak-'));
  const sim: Simulator = await startSimulator({ scenario: scenario(quick ? 400 : 4_000), timings: { answerMs: 60, consultAnswerMs: 60 }, quiet: true });
  const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: sim.port } });
  const session = createAgentSession({
    logger,
    ...(productTimings ? {} : { backoff: { baseMs: 100, capMs: 1_000 }, requestTimeoutMs: 2_500, operationTimeoutMs: 3_000 }),
    outboxStore: fileOutboxStore(join(dir, 'outbox.json')),
    random: mulberry32(seed + 1),
  });
  const notices: GoneNotice[] = [];
  session.onDidChange((snap, changes) => {
    const e = snap.lastError;
    if (!changes.includes('lastError') || e === null || (e.code as string) !== 'GONE') return;
    notices.push({ at: Date.now(), message: e.message, ...(e.referenceId !== undefined ? { referenceId: e.referenceId } : {}), ...(e.operationName !== undefined ? { operationName: e.operationName } : {}) });
  });
  const log: LoggedRequest[] = [];
  let lastSeq = 0;
  const collect = (): void => {
    const fresh = sim.control.requests(lastSeq);
    if (fresh.length > 0) lastSeq = fresh[fresh.length - 1]?.seq ?? lastSeq;
    log.push(...fresh);
  };
  const collector = setInterval(collect, 250);

  // lostState resets the simulator: its outcomes, record statuses and request log start again. The
  // run is cut into epochs; what each epoch applied is kept before the reset.
  let epoch = 0;
  const applied: Array<OutcomeTruth & { epoch: number }> = [];
  const statusByEpoch: Array<Map<string, string>> = [];
  const lastSeqOfEpoch: number[] = [];
  const resets: number[] = [];
  let refusedDuplicates = 0;
  const closeEpoch = (truth: SimTruth): void => {
    collect();
    refusedDuplicates += truth.refusedDuplicateOutcomes;
    applied.push(...truth.outcomes.map((o) => ({ ...o, epoch })));
    const records = (truth.campaigns.find((c) => c['name'] === CAMPAIGN) as { records: Array<{ recordHandle: number; status: string }> }).records;
    statusByEpoch[epoch] = new Map(records.map((r) => [String(r.recordHandle), r.status]));
    lastSeqOfEpoch[epoch] = lastSeq;
    epoch += 1;
  };
  const epochOfSeq = (seq: number): number => {
    const i = lastSeqOfEpoch.findIndex((last) => seq <= last);
    return i === -1 ? epoch : i;
  };

  const started = Date.now();
  console.log(`soak: seed ${seed}, ${faultCount} faults${quick ? ' (quick)' : ''}${skipped.size > 0 ? ` without ${[...skipped].join(', ')}` : ''}${productTimings ? ', product timings' : ''}, simulator ${sim.url} behind fault proxy ${proxy.url}`);
  await session.signIn({ serverUrl: proxy.url, username: USER, password: USER });
  const driver = new Driver(session);
  const driving = driver.run();

  const injected: Record<FaultKind, number> = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const recoveriesByKind = new Map<FaultKind, number[]>(FAULT_KINDS.map((k) => [k, []]));
  const recoveries: number[] = [];
  const unrecovered: string[] = [];
  const callShownAfterHole: number[] = [];
  /** Each shown call's cost beside its hole's length: a shorter hole can cost more (the stuck poll's timeout counts from before it). */
  const holeCosts: { holeMs: number; tookMs: number }[] = [];
  const callNotShownAfterHole: string[] = [];
  const bag = shuffledBag(kinds, faultCount, rng);
  let holes = 0;
  let lastWhy = '';
  let sameWhy = 0;
  let deadEnd = '';
  let progress = { done: 0, fault: 0, at: Date.now() };

  const waitSnapshot = async (predicate: (x: AgentSnapshot) => boolean, ms: number): Promise<boolean> => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (predicate(session.snapshot)) return true;
      await sleep(5);
    }
    return predicate(session.snapshot);
  };
  /** A 503 storm must not share the simulator's failNext count with a failNext fault still pending. */
  const noFailuresPending = async (): Promise<void> => {
    const deadline = Date.now() + 5_000;
    while (sim.control.state().pendingFailures > 0 && Date.now() < deadline) await sleep(10);
  };

  for (const [i, kind] of bag.entries()) {
    await sleep(between(150, 900));
    let backAt = Date.now();
    let detail = '';
    switch (kind) {
      case 'restart': {
        // mid-call when possible
        const deadline = Date.now() + 2_000;
        while (Date.now() < deadline && !['dialing', 'on-call'].includes(session.snapshot.previewRecord.phase)) await sleep(5);
        const downMs = between(150, 900);
        detail = `down ${downMs} ms, phase ${session.snapshot.previewRecord.phase}`;
        await sim.control.restart({ downMs });
        backAt = Date.now();
        break;
      }
      case 'dropClients':
        sim.control.dropClients();
        break;
      case 'expireSession':
        sim.control.expireSession(USER);
        break;
      case 'failNext': {
        const count = between(2, 8);
        detail = `${count} × 503`;
        sim.control.failNext({ count });
        break;
      }
      case 'latency': {
        const ms = between(200, 1_500);
        const forMs = between(500, 2_000);
        detail = `${ms} ms for ${forMs} ms`;
        sim.control.setLatency(ms);
        await sleep(forMs);
        sim.control.setLatency(0);
        backAt = Date.now();
        break;
      }
      case 'lostAck': {
        // The next acknowledgement(s) of CompleteRecord never arrive: the outcome is applied, the
        // client cannot know, sends it again, and the processed record refuses the second one.
        const count = between(1, 2);
        detail = `${count} CompleteRecord acknowledgement${count > 1 ? 's' : ''}`;
        sim.control.dropAcks({ count, operationName: 'CompleteRecord' });
        const deadline = Date.now() + 8_000;
        while (Date.now() < deadline && sim.control.state().pendingDroppedAcks.length > 0) await sleep(10);
        backAt = Date.now();
        break;
      }
      case 'networkCut': {
        const ms = between(300, 2_000);
        if (rng() < 0.4) {
          // the reply of the next operation is lost after the server applied it
          const target = rng() < 0.5 ? '/api/v2/me/outbound-records/' : '/api/v2/me/';
          detail = `${ms} ms after the next POST under ${target}`;
          sim.control.cutNetwork({ ms, afterNext: target });
          const seq = lastSeq;
          const deadline = Date.now() + 5_000;
          while (Date.now() < deadline && !sim.control.requests(seq).some((r) => r.method === 'POST' && r.path.startsWith(target))) await sleep(5);
        } else {
          detail = `${ms} ms`;
          sim.control.cutNetwork({ ms });
        }
        await sleep(ms);
        backAt = Date.now();
        break;
      }
      case 'blackHole': {
        // Every byte swallowed, no socket closed. Every other hole comes right after a re-sign-in
        // (the sign-in's keep-alive sockets sit in the pool); half of them strand every connection
        // open during the hole, idle ones too (a VPN reconnect), the others only those that lost
        // bytes (Wi-Fi roaming).
        const afterSignIn = holes % 2 === 1;
        holes += 1;
        const ms = between(1_000, 6_000);
        const strandAll = rng() < 0.5;
        if (afterSignIn) {
          sim.control.expireSession(USER);
          await waitSnapshot((x) => x.connection.state !== 'connected', 10_000);
          await waitSnapshot((x) => x.connection.state === 'connected', 20_000);
        }
        detail = `${ms} ms${afterSignIn ? ' right after a re-sign-in' : ''}${strandAll ? ', every connection stranded' : ''}, phase ${session.snapshot.previewRecord.phase}`;
        await proxy.blackHoleFor(ms, { strandAll });
        backAt = Date.now();
        // A call that rings right after the hole: how long until the agent sees it.
        const callId = sim.control.inboundCall({ to: USER, from: `+1555${String(7_000_000 + i).padStart(7, '0')}` });
        const shown = await waitSnapshot((x) => x.calls[callId] !== undefined, RECOVERY_LIMIT_MS);
        if (shown) {
          callShownAfterHole.push(Date.now() - backAt);
          holeCosts.push({ holeMs: ms, tookMs: Date.now() - backAt });
        }
        else callNotShownAfterHole.push(`#${i + 1} (${detail})`);
        try {
          sim.control.remoteHangup(callId);
        } catch {
          // gone already
        }
        break;
      }
      case 'storm503SignIn': {
        // The session is lost, and signing in again meets 503s (a GWS node warming up) long
        // enough for several retries.
        await noFailuresPending();
        const ms = between(2_000, 5_000);
        const storm = serverErrorsFor(sim.control, sim.url, { ms, pathPrefix: '/api/v2/me' });
        sim.control.expireSession(USER);
        const met = await storm;
        detail = `${ms} ms of 503 on /api/v2/me, ${met} met`;
        backAt = Date.now();
        break;
      }
      case 'storm503Reread': {
        // A re-handshake, and the re-read of the calls meets 503s.
        await noFailuresPending();
        const ms = between(1_000, 4_000);
        const storm = serverErrorsFor(sim.control, sim.url, { ms, pathPrefix: '/api/v2/me/calls' });
        sim.control.dropClients();
        const met = await storm;
        detail = `${ms} ms of 503 on /api/v2/me/calls, ${met} met`;
        backAt = Date.now();
        break;
      }
      case 'lostState': {
        // The server forgets records, calls, preview and HTTP sessions (a restart without
        // persistence). The record in hand is refused; the agent gets the next one.
        detail = `phase ${session.snapshot.previewRecord.phase}`;
        const truth = sim.control.state();
        closeEpoch(truth); // synchronous with the reset: nothing applied in between
        sim.control.reset();
        resets.push(Date.now());
        backAt = Date.now();
        // Recovered only once the core has seen the loss (until then its old state may still match).
        await waitSnapshot((x) => x.connection.state !== 'connected' || x.connection.since >= backAt, 10_000);
        break;
      }
    }
    injected[kind] += 1;
    // Recovered: the snapshot equals the simulator's truth (checked in one tick, both in-process).
    let why: string;
    for (;;) {
      why = mismatch(session.snapshot, sim.control.state(), { staleSessions: kind === 'blackHole' });
      if (why === '') break;
      if (Date.now() - backAt > RECOVERY_LIMIT_MS) break;
      await sleep(15);
    }
    const took = Date.now() - backAt;
    if (why === '') {
      recoveries.push(took);
      recoveriesByKind.get(kind)?.push(took);
    } else unrecovered.push(`#${i + 1} ${kind} (${detail}): ${why}`);
    if (verbose || why !== '') console.log(`  fault ${i + 1}/${faultCount} ${kind}${detail ? ` (${detail})` : ''}: ${why === '' ? `recovered in ${took} ms` : `NOT recovered: ${why}`}`);
    else if ((i + 1) % 10 === 0) console.log(`  ${i + 1}/${faultCount} faults, ${driver.cycles} records done, ${Math.round((Date.now() - started) / 1000)} s`);
    // A dead end (the same mismatch after several faults in a row) would cost 30 s per fault left:
    // stop injecting and report it. So is an agent who gets nothing done any more while every
    // check passes (a state the truth comparison does not see).
    sameWhy = why !== '' && why === lastWhy ? sameWhy + 1 : why !== '' ? 1 : 0;
    lastWhy = why;
    const done = driver.intents.length + driver.refusedOutcomes.length;
    if (done !== progress.done) progress = { done, fault: i, at: Date.now() };
    if (sameWhy >= DEAD_END_FAULTS) {
      deadEnd = `the last ${DEAD_END_FAULTS} faults did not recover: ${why}; stopped injecting after fault ${i + 1} of ${faultCount}`;
    } else if (i - progress.fault >= STUCK_FAULTS && Date.now() - progress.at > 20_000) {
      const x = session.snapshot;
      deadEnd = `no record completed during the last ${i - progress.fault} faults (${Math.round((Date.now() - progress.at) / 1000)} s): preview ${x.previewRecord.phase}${x.previewRecord.record ? ` record ${String(x.previewRecord.record.recordHandle)}` : ''}, preview session ${x.campaigns[CAMPAIGN]?.previewSessionActive === true ? 'shown active' : 'not shown'}, last error ${x.lastError ? `${x.lastError.code}: ${x.lastError.message}` : '-'}; stopped injecting after fault ${i + 1} of ${faultCount}`;
    }
    if (deadEnd) {
      console.log(`  ! dead end: ${deadEnd}`);
      break;
    }
  }

  // Finish the record in hand, then let the outbox drain.
  driver.stopping = true;
  const stopDeadline = Date.now() + 30_000;
  while (!driver.stopped && Date.now() < stopDeadline) await sleep(20);
  driver.stopped = true;
  await driving;
  const drainDeadline = Date.now() + 30_000;
  while ((session.snapshot.outbox ?? []).length > 0 && Date.now() < drainDeadline) await sleep(20);
  await sleep(300);
  // The last fault may have been a black hole: a dead CometD session at the server expires by itself.
  let finalMismatch = mismatch(session.snapshot, sim.control.state());
  const settleDeadline = Date.now() + RECOVERY_LIMIT_MS;
  while (finalMismatch !== '' && Date.now() < settleDeadline) {
    await sleep(50);
    finalMismatch = mismatch(session.snapshot, sim.control.state());
  }
  clearInterval(collector);
  const truth = sim.control.state();
  closeEpoch(truth);

  // ---- the request log: nothing twice, every outcome once --------------------------------------
  const body = (r: LoggedRequest): Record<string, unknown> => (r.body !== null && typeof r.body === 'object' ? (r.body as Record<string, unknown>) : {});
  const processed = log.filter((r) => r.method === 'POST' && r.status === 200 && r.statusCode === 0);
  const OUTCOMES = new Set(['CompleteRecord', 'DoNotCallRecord', 'RescheduleRecord']);
  // Record outcomes are sent again with their referenceId by design (a processed record refuses
  // the second one): they are counted by what the server APPLIED, every other operation by POST.
  const refCount = new Map<string, number>();
  const outcomeSends = new Map<string, number>();
  for (const r of processed) {
    const ref = body(r)['referenceId'];
    if (typeof ref !== 'string') continue;
    const counts = OUTCOMES.has(String(body(r)['operationName'])) ? outcomeSends : refCount;
    counts.set(ref, (counts.get(ref) ?? 0) + 1);
  }
  const doubledRefs = [...refCount.entries()].filter(([, n]) => n > 1);
  const resends = [...outcomeSends.values()].reduce((n, c) => n + (c - 1), 0);
  const maxSendsOfOneOutcome = Math.max(0, ...outcomeSends.values());
  // A record is handed out again after the server lost its state: counted per epoch.
  const dialsByRecord = new Map<string, number>();
  for (const r of processed.filter((x) => body(x)['operationName'] === 'Dial')) {
    const key = `${epochOfSeq(r.seq)}:${String((body(r)['outboundRecord'] as { recordHandle?: unknown } | undefined)?.recordHandle)}`;
    dialsByRecord.set(key, (dialsByRecord.get(key) ?? 0) + 1);
  }
  const doubledDials = [...dialsByRecord.entries()].filter(([, n]) => n > 1);
  const outcomesByRecord = new Map<string, number>();
  const appliedByRef = new Map<string, Array<OutcomeTruth & { epoch: number }>>();
  for (const o of applied.filter((x) => OUTCOMES.has(x.operationName))) {
    const key = `${o.epoch}:${o.recordHandle}`;
    outcomesByRecord.set(key, (outcomesByRecord.get(key) ?? 0) + 1);
    const ref = String(o.referenceId);
    appliedByRef.set(ref, [...(appliedByRef.get(ref) ?? []), o]);
  }
  const doubledOutcomes = [...outcomesByRecord.entries()].filter(([, n]) => n > 1);
  // Each outcome the agent entered: applied exactly once (and the record Completed in that epoch),
  // or — only if the server lost its state meanwhile — dropped by the core with a GONE notice.
  const lostOutcomes: string[] = [];
  const droppedWithNotice: Intent[] = [];
  const noticeFor = (handle: string, referenceId: string | undefined, after: number): GoneNotice | undefined =>
    notices.find((n) => n.at >= after && resets.some((r) => r <= n.at) && ((referenceId !== undefined && n.referenceId === referenceId) || new RegExp(`\\b${handle}\\b`).test(n.message)));
  // Failed in the outbox, retried once, failed again and discarded by the agent: not applied, and
  // not a silent loss either (the agent saw it) — reported apart, and a FAIL all the same.
  const discardedByRef = new Map([...driver.failedEntries.values()].filter((e) => e.discarded).map((e) => [e.referenceId, e]));
  const failedThenDiscarded: string[] = [];
  for (const intent of driver.intents) {
    const hits = appliedByRef.get(intent.referenceId) ?? [];
    if (hits.length === 1) {
      const hit = hits[0] as OutcomeTruth & { epoch: number };
      if (statusByEpoch[hit.epoch]?.get(intent.recordHandle) !== 'Completed') lostOutcomes.push(`${intent.recordHandle} (applied, but the record is ${statusByEpoch[hit.epoch]?.get(intent.recordHandle)})`);
    } else if (hits.length === 0) {
      const discarded = discardedByRef.get(intent.referenceId);
      if (discarded !== undefined) failedThenDiscarded.push(`${intent.recordHandle} (${discarded.error})`);
      else if (noticeFor(intent.recordHandle, intent.referenceId, intent.at) !== undefined) droppedWithNotice.push(intent);
      else lostOutcomes.push(`${intent.recordHandle} (never applied${resets.length > 0 ? ', no GONE notice' : ''})`);
    }
  }
  const doubledByRef = [...appliedByRef.entries()].filter(([, hits]) => hits.length > 1);
  const entered = new Set([...driver.intents.map((x) => x.referenceId), ...driver.refusedOutcomes.flatMap((x) => (x.referenceId !== undefined ? [x.referenceId] : []))]);
  const stray = [...appliedByRef.keys()].filter((ref) => !entered.has(ref));
  // A Complete refused at once on a record the server lost: the core said so with a GONE notice.
  const isGoneRefusal = (x: RefusedOutcome): boolean => x.code === 'GONE' || noticeFor(x.recordHandle, x.referenceId, x.at - 1) !== undefined;
  const refusedGone = driver.refusedOutcomes.filter(isGoneRefusal);
  const refusedOther = driver.refusedOutcomes.filter((x) => !isGoneRefusal(x));
  const agent = agentTruth(truth);
  const callsLost = agent.calls.length + Object.keys(session.snapshot.calls).length;
  const stranded = agent.records.filter((r) => String(r['recordHandle']) !== String(session.snapshot.previewRecord.record?.recordHandle)).length;
  const probes = log.filter((r) => body(r)['operationName'] === 'GetChainedRecord').length;
  // Bounded re-sends: the first send plus at most MAX_UNANSWERED_RESENDS unanswered re-sends, and a
  // few more where a send met a 503 or a cut before the server saw it.
  // An entry the agent retried after it failed starts a new round of sends.
  const retriedRefs = new Set([...driver.failedEntries.values()].map((e) => e.referenceId));
  const sendBound = (ref: string): number => (MAX_UNANSWERED_RESENDS + 3) * (retriedRefs.has(ref) ? 2 : 1);
  const resentInALoop = [...outcomeSends.entries()].some(([ref, n]) => n > sendBound(ref));
  const storms = log.filter((r) => r.path.endsWith('/__storm-drain')).length;
  const failedRequests = log.filter((r) => r.status >= 500 && !r.path.endsWith('/__storm-drain')).length;
  const holeStats = proxy.stats();

  const elapsed = (Date.now() - started) / 1000;
  console.log('');
  console.log(`soak finished in ${elapsed.toFixed(1)} s (seed ${seed}${productTimings ? ', product timings' : ', backoff 100 ms / 1 s, request timeout 2.5 s'})`);
  console.log(`  faults injected: ${Object.values(injected).reduce((a, b) => a + b, 0)} of ${bag.length} — ${FAULT_KINDS.map((k) => `${k} ${injected[k]}`).join(', ')}`);
  console.log(`  records completed: ${driver.intents.length} (${driver.intents.filter((x) => x.queued).length} went through the outbox queued), REST requests ${log.length - storms} (${failedRequests} answered 5xx), probes ${probes}`);
  console.log(`  outcome re-sends: ${resends} (refused by the server as already processed: ${refusedDuplicates}); most sends of one outcome: ${maxSendsOfOneOutcome}${resentInALoop ? ' — RE-SENT IN A LOOP' : ''}`);
  console.log(`  recovery (snapshot = truth) after the server is back / the hole or storm ended: ${describeStats(recoveries)} (${recoveries.length} of ${Object.values(injected).reduce((a, b) => a + b, 0)} faults)`);
  console.log('  per fault kind:');
  for (const k of FAULT_KINDS) {
    const r = recoveriesByKind.get(k) ?? [];
    console.log(`    ${k.padEnd(15)} ${String(r.length).padStart(3)} × ${describeSpread(r)}`);
  }
  console.log(
    `  black hole: end of the hole → a new inbound call shown: ${describeSpread(callShownAfterHole)} (${callShownAfterHole.length} of ${injected.blackHole}${callNotShownAfterHole.length > 0 ? `, NOT shown within ${RECOVERY_LIMIT_MS / 1000} s: ${callNotShownAfterHole.length}` : ''}); ${holeStats.bytesDropped} bytes swallowed`,
  );
  console.log(
    `    per hole (length → cost): ${[...holeCosts].sort((a, b) => a.holeMs - b.holeMs).map((h) => `${(h.holeMs / 1000).toFixed(1)} s → ${(h.tookMs / 1000).toFixed(1)} s`).join(', ') || 'none'}; holes of ≥ 4.5 s: max ${holeCosts.some((h) => h.holeMs >= 4_500) ? `${(Math.max(...holeCosts.filter((h) => h.holeMs >= 4_500).map((h) => h.tookMs)) / 1000).toFixed(1)} s` : 'n/a'}`,
  );
  console.log(`  not recovered within ${RECOVERY_LIMIT_MS / 1000} s: ${unrecovered.length}${finalMismatch ? `; final state differs: ${finalMismatch}` : ''}${deadEnd ? `; DEAD END: ${deadEnd}` : ''}`);
  console.log(`  calls lost: ${callsLost}`);
  console.log(`  operations doubled: ${doubledRefs.length + doubledDials.length + doubledOutcomes.length + doubledByRef.length} (same referenceId ${doubledRefs.length}, Dials of one record ${doubledDials.length}, outcomes of one record ${doubledOutcomes.length}, one outcome applied twice ${doubledByRef.length})`);
  console.log(`  outcomes lost: ${lostOutcomes.length}${stray.length ? `, outcomes nobody entered: ${stray.length}` : ''}`);
  console.log(
    `  outcomes the server could not apply because it lost the record, dropped with a GONE notice: ${droppedWithNotice.length + refusedGone.length} (${droppedWithNotice.length} from the outbox, ${refusedGone.length} refused at once)${refusedOther.length > 0 ? `; Complete refused at once for another reason: ${refusedOther.length} (${[...new Set(refusedOther.map((x) => x.code))].join(', ')})` : ''}`,
  );
  const failedEntries = [...driver.failedEntries.values()];
  console.log(
    `  outbox entries shown as failed: ${failedEntries.length} (the agent's retry went through: ${failedEntries.filter((e) => !e.discarded).length}; discarded after a second failure: ${failedEntries.filter((e) => e.discarded).length}, of which never applied: ${failedThenDiscarded.length})`,
  );
  console.log(`  GONE notices shown: ${notices.length}; preview session started again by hand after a state loss: ${driver.previewSessionRestartsByHand}`);
  console.log(`  records stranded (held by the agent, unknown to the core): ${stranded}`);
  for (const u of unrecovered) console.log(`  ! ${u}`);
  for (const c of callNotShownAfterHole) console.log(`  ! call after black hole ${c} not shown`);
  for (const [ref, n] of doubledRefs) console.log(`  ! referenceId ${ref} processed ${n} times`);
  for (const [h, n] of doubledDials) console.log(`  ! record ${h} (epoch:record) dialled ${n} times`);
  for (const [h, n] of doubledOutcomes) console.log(`  ! record ${h} (epoch:record) got ${n} outcomes`);
  for (const [ref, hits] of doubledByRef) console.log(`  ! outcome ${ref} applied ${hits.length} times`);
  for (const h of lostOutcomes) console.log(`  ! outcome of record ${h} lost`);
  for (const h of failedThenDiscarded) console.log(`  ! outcome of record ${h} failed in the outbox twice and was discarded: never applied`);
  for (const e of failedEntries.slice(0, verbose ? undefined : 10)) console.log(`  outbox entry ${e.operationName} ${e.recordHandle} failed: ${e.error}${e.discarded ? ' (discarded)' : ' (retried)'}`);
  console.log(`  p50 ${percentile(recoveries, 50)} ms, p99 ${percentile(recoveries, 99)} ms, max ${Math.max(0, ...recoveries)} ms`);

  await session.dispose();
  await proxy.close();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
  const bad =
    (resentInALoop ? 1 : 0) +
    probes +
    callsLost +
    doubledRefs.length +
    doubledDials.length +
    doubledOutcomes.length +
    doubledByRef.length +
    lostOutcomes.length +
    failedThenDiscarded.length +
    stray.length +
    unrecovered.length +
    callNotShownAfterHole.length +
    (deadEnd ? 1 : 0) +
    (finalMismatch ? 1 : 0);
  if (driver.intents.length === 0) {
    console.log('  ! no record was completed');
    return 1;
  }
  console.log(bad === 0 ? 'PASS' : 'FAIL');
  return bad === 0 ? 0 : 1;
}

const agents = values.agents !== undefined ? Number(values.agents) : undefined;
const stormBackoff = { baseMs: Number(values['base-ms'] ?? DEFAULT_BACKOFF.baseMs), capMs: Number(values['cap-ms'] ?? DEFAULT_BACKOFF.capMs) };
const main = agents !== undefined ? runStorm({ agents, seed, downMs: values['down-ms'] !== undefined ? Number(values['down-ms']) : 1_000, logger, backoff: stormBackoff }) : soak();
main.then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
