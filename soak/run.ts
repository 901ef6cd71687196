// `npm run soak`: the agent core (in-process) against the simulator through a preview campaign,
// with faults injected at seeded random moments; checks after each fault that the snapshot equals
// the simulator's truth once recovered, and at the end that no operation reached the server twice
// and every record outcome exactly once. `--agents N`: the reconnect-storm run instead.
// See docs/reliability.md.
//
//   npm run soak                     # default: ≥ 100 faults, ~3–4 min
//   npm run soak -- --quick          # 12 faults, ≲ 40 s (run by npm test)
//   npm run soak -- --seed 7 --faults 200
//   npm run soak -- --agents 300     # reconnect storm: 300 sessions, one simulator restart
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
import { FAULT_KINDS, describeStats, mulberry32, percentile, shuffledBag } from './lib';
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
}

class Driver {
  stopping = false;
  stopped = false;
  cycles = 0;
  readonly intents: Intent[] = [];
  errors = 0;

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
        await s.getPreviewRecord(CAMPAIGN);
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
        const ack = await s.completeRecord('Answer');
        this.intents.push({ recordHandle: handle, referenceId: ack.referenceId, queued: ack.queued === true });
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

/** Why the snapshot differs from the simulator's truth now ('' when it matches). */
function mismatch(s: AgentSnapshot, truth: SimTruth): string {
  const agent = agentTruth(truth);
  if (s.connection.state !== 'connected') return `connection ${s.connection.state}`;
  if (agent.cometdSessions !== 1) return `${agent.cometdSessions} CometD sessions at the server`;
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
  const undelivered = (s.outbox ?? []).filter((e) => e.state !== 'sending');
  if (undelivered.length > 0) return `outbox: ${undelivered.map((e) => `${e.operationName} ${e.recordHandle} ${e.state}`).join(', ')}`;
  return '';
}

// ---- the default soak -----------------------------------------------------------------------------

async function soak(): Promise<number> {
  const quick = values.quick === true;
  const faultCount = values.faults !== undefined ? Number(values.faults) : quick ? 12 : 102;
  const rng = mulberry32(seed);
  const between = (lo: number, hi: number): number => Math.round(lo + rng() * (hi - lo));
  const dir = await mkdtemp(join(tmpdir(), 'soak-'));
  const sim: Simulator = await startSimulator({ scenario: scenario(quick ? 400 : 4_000), timings: { answerMs: 60, consultAnswerMs: 60 }, quiet: true });
  const session = createAgentSession({
    logger,
    backoff: { baseMs: 100, capMs: 1_000 },
    requestTimeoutMs: 2_500,
    operationTimeoutMs: 3_000,
    outboxStore: fileOutboxStore(join(dir, 'outbox.json')),
    random: mulberry32(seed + 1),
  });
  const log: LoggedRequest[] = [];
  let lastSeq = 0;
  const collect = (): void => {
    const fresh = sim.control.requests(lastSeq);
    if (fresh.length > 0) lastSeq = fresh[fresh.length - 1]?.seq ?? lastSeq;
    log.push(...fresh);
  };
  const collector = setInterval(collect, 250);

  const started = Date.now();
  console.log(`soak: seed ${seed}, ${faultCount} faults${quick ? ' (quick)' : ''}, simulator ${sim.url}`);
  await session.signIn({ serverUrl: sim.url, username: USER, password: USER });
  const driver = new Driver(session);
  const driving = driver.run();

  const injected: Record<FaultKind, number> = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const recoveries: number[] = [];
  const unrecovered: string[] = [];
  const bag = shuffledBag(FAULT_KINDS, faultCount, rng);

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
    }
    injected[kind] += 1;
    // Recovered: the snapshot equals the simulator's truth (checked in one tick, both in-process).
    let why: string;
    for (;;) {
      why = mismatch(session.snapshot, sim.control.state());
      if (why === '') break;
      if (Date.now() - backAt > RECOVERY_LIMIT_MS) break;
      await sleep(15);
    }
    const took = Date.now() - backAt;
    if (why === '') recoveries.push(took);
    else unrecovered.push(`#${i + 1} ${kind} (${detail}): ${why}`);
    if (verbose || why !== '') console.log(`  fault ${i + 1}/${faultCount} ${kind}${detail ? ` (${detail})` : ''}: ${why === '' ? `recovered in ${took} ms` : `NOT recovered: ${why}`}`);
    else if ((i + 1) % 10 === 0) console.log(`  ${i + 1}/${faultCount} faults, ${driver.cycles} records done, ${Math.round((Date.now() - started) / 1000)} s`);
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
  collect();
  clearInterval(collector);
  const truth = sim.control.state();
  const finalMismatch = mismatch(session.snapshot, truth);

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
  const dialsByRecord = new Map<string, number>();
  for (const r of processed.filter((x) => body(x)['operationName'] === 'Dial')) {
    const handle = String((body(r)['outboundRecord'] as { recordHandle?: unknown } | undefined)?.recordHandle);
    dialsByRecord.set(handle, (dialsByRecord.get(handle) ?? 0) + 1);
  }
  const doubledDials = [...dialsByRecord.entries()].filter(([, n]) => n > 1);
  const outcomesByRecord = new Map<string, number>();
  for (const o of truth.outcomes.filter((x) => OUTCOMES.has(x.operationName))) {
    const handle = String(o.recordHandle);
    outcomesByRecord.set(handle, (outcomesByRecord.get(handle) ?? 0) + 1);
  }
  const doubledOutcomes = [...outcomesByRecord.entries()].filter(([, n]) => n > 1);
  const records = (truth.campaigns.find((c) => c['name'] === CAMPAIGN) as { records: Array<{ recordHandle: number; status: string }> }).records;
  const status = new Map(records.map((r) => [String(r.recordHandle), r.status]));
  const intended = new Set(driver.intents.map((i) => i.recordHandle));
  const lostOutcomes = [...intended].filter((h) => (outcomesByRecord.get(h) ?? 0) !== 1 || status.get(h) !== 'Completed');
  const stray = [...outcomesByRecord.keys()].filter((h) => !intended.has(h));
  const agent = agentTruth(truth);
  const callsLost = agent.calls.length + Object.keys(session.snapshot.calls).length;
  const stranded = agent.records.filter((r) => String(r['recordHandle']) !== String(session.snapshot.previewRecord.record?.recordHandle)).length;
  const probes = log.filter((r) => body(r)['operationName'] === 'GetChainedRecord').length;
  // Bounded re-sends: the first send plus at most MAX_UNANSWERED_RESENDS unanswered re-sends, and a
  // few more where a send met a 503 or a cut before the server saw it.
  const resentInALoop = maxSendsOfOneOutcome > MAX_UNANSWERED_RESENDS + 3;
  const failedRequests = log.filter((r) => r.status >= 500).length;

  const elapsed = (Date.now() - started) / 1000;
  console.log('');
  console.log(`soak finished in ${elapsed.toFixed(1)} s (seed ${seed})`);
  console.log(`  faults injected: ${bag.length} — ${FAULT_KINDS.map((k) => `${k} ${injected[k]}`).join(', ')}`);
  console.log(`  records completed: ${driver.intents.length} (${driver.intents.filter((i) => i.queued).length} went through the outbox queued), REST requests ${log.length} (${failedRequests} answered 5xx), probes ${probes}`);
  console.log(`  outcome re-sends: ${resends} (refused by the server as already processed: ${truth.refusedDuplicateOutcomes}); most sends of one outcome: ${maxSendsOfOneOutcome}${resentInALoop ? ' — RE-SENT IN A LOOP' : ''}`);
  console.log(`  recovery after the server is back: ${describeStats(recoveries)} (${recoveries.length} of ${bag.length} faults)`);
  console.log(`  not recovered within ${RECOVERY_LIMIT_MS / 1000} s: ${unrecovered.length}${finalMismatch ? `; final state differs: ${finalMismatch}` : ''}`);
  console.log(`  calls lost: ${callsLost}`);
  console.log(`  operations doubled: ${doubledRefs.length + doubledDials.length + doubledOutcomes.length} (same referenceId ${doubledRefs.length}, Dials of one record ${doubledDials.length}, outcomes of one record ${doubledOutcomes.length})`);
  console.log(`  outcomes lost: ${lostOutcomes.length}${stray.length ? `, outcomes nobody entered: ${stray.length}` : ''}`);
  console.log(`  records stranded (held by the agent, unknown to the core): ${stranded}`);
  for (const u of unrecovered) console.log(`  ! ${u}`);
  for (const [ref, n] of doubledRefs) console.log(`  ! referenceId ${ref} processed ${n} times`);
  for (const [h, n] of doubledDials) console.log(`  ! record ${h} dialled ${n} times`);
  for (const [h, n] of doubledOutcomes) console.log(`  ! record ${h} got ${n} outcomes`);
  for (const h of lostOutcomes) console.log(`  ! outcome of record ${h} lost (processed ${outcomesByRecord.get(h) ?? 0}, status ${status.get(h)})`);
  console.log(`  p50 ${percentile(recoveries, 50)} ms, p99 ${percentile(recoveries, 99)} ms, max ${Math.max(0, ...recoveries)} ms`);

  await session.dispose();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
  const bad = (resentInALoop ? 1 : 0) + probes + callsLost + doubledRefs.length + doubledDials.length + doubledOutcomes.length + lostOutcomes.length + stray.length + unrecovered.length + (finalMismatch ? 1 : 0);
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
