// Issue 11: the failures real networks and servers cause, reproduced against the simulator THROUGH
// a fault proxy (test/support/fault-proxy.ts) that swallows traffic without closing sockets, plus
// the simulator's own 503 storms and state loss. One test per failure of the issue:
//   a. ~12 s of HTTP 503 while signing in again after the session was lost → never signed out
//   b. the re-read after a re-handshake meets 503s → `resyncing` until it succeeds, never
//      `connected` with calls that were not re-read, and the call that rang meanwhile shows
//   c. a 5 s black hole that swallows a notification → the call that rang in it and one that rings
//      after it show
//   d. the same right after sign-in, pooled sockets dead too (a VPN reconnect)
//   e. the server lost its state → Dial / Reject / Complete of the record in hand (also a Complete
//      sent before the link noticed the loss): dropped with a GONE notice, the contact-center
//      session is there again, and Get record works again, without signing out
//   f. a long outage (12 s, seen at once) → `offlineSince` set to the outage start while
//      reconnecting/resyncing, cleared when connected
//   g. (issue 16) a 60 s suspend, then wake() → reconnected and re-read at once, with the call that
//      rang meanwhile
// No timing is asserted: conditions are awaited with generous bounds, and the times that matter
// (end of the hole → call shown) are measured and printed. Backoff 100 ms / 1 s as in the other
// integration tests; request timeouts are the product's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentSession } from '../../main/agent/session';
import { createAgentSession } from '../../main/agent/session';
import type { AgentSnapshot, ConnectionState, LastError } from '../../main/agent/snapshot';
import type { Logger } from '../../main/gws/logger';
import { startSimulator } from '../../sim';
import type { Simulator } from '../../sim';
import { FAST_TIMINGS, expectNoOperationSentTwice, newInboundCall, waitForCallsToMatchServer, waitForPreviewPhase } from '../support/core-sim';
import { waitForConnection, waitForSnapshot, waitUntil } from '../support/core-wait';
import type { FaultProxy } from '../support/fault-proxy';
import { serverErrorsFor, startFaultProxy } from '../support/fault-proxy';

const USER = 'agent1';
const CAMPAIGN = 'Collections_Preview';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const debugLogger: Logger = {
  debug: () => undefined,
  info: (m, f) => console.log(`[core] ${m}`, f ?? ''),
  warn: (m, f) => console.log(`[core] WARN ${m}`, f ?? ''),
  error: (m, f) => console.log(`[core] ERROR ${m}`, f ?? ''),
};

let sim: Simulator;
let proxy: FaultProxy;
let s: AgentSession | undefined;
let history: Transition[];
let errors: LastError[];

interface Transition {
  state: ConnectionState;
  at: number;
  offlineSince: number | undefined;
  reason: string | undefined;
  /** GET /api/v2/me/calls answered 200 since `readMark` when this transition happened. */
  callsReadOk: boolean;
  calls: string[];
}

/** Request-log seq after which a successful GET of the calls counts as "re-read". */
let readMark = Number.POSITIVE_INFINITY;

function callsReadSince(mark: number): boolean {
  return sim.control.requests(mark).some((r) => r.method === 'GET' && r.path === '/api/v2/me/calls' && r.status === 200);
}

/** Signs in THROUGH the proxy, records every connection change and every error shown. */
async function signIn(): Promise<AgentSession> {
  const session = createAgentSession({ logger: process.env.CORE_DEBUG ? debugLogger : quiet, backoff: { baseMs: 100, capMs: 1_000 } });
  s = session;
  session.onDidChange((snap: AgentSnapshot, changes) => {
    if (changes.includes('connection')) {
      history.push({
        state: snap.connection.state,
        at: Date.now(),
        offlineSince: snap.connection.offlineSince,
        reason: snap.connection.reason,
        callsReadOk: Number.isFinite(readMark) && callsReadSince(readMark),
        calls: Object.keys(snap.calls),
      });
    }
    if (changes.includes('lastError') && snap.lastError) errors.push(snap.lastError);
  });
  await session.signIn({ serverUrl: proxy.url, username: USER, password: USER });
  await waitForConnection(session, 'connected');
  return session;
}

const lastSeq = (): number => sim.control.requests().at(-1)?.seq ?? 0;
const signedOut = (): Transition[] => history.filter((t) => t.state === 'signed-out');
const describeHistory = (): string => history.map((t) => `${t.state}${t.reason ? ` (${t.reason})` : ''}`).join(' → ');
const isGone = (e: { code: string } | null | undefined): boolean => (e?.code as string | undefined) === 'GONE';

beforeEach(async () => {
  history = [];
  errors = [];
  readMark = Number.POSITIVE_INFINITY;
  sim = await startSimulator({ port: 0, timings: FAST_TIMINGS });
  proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: sim.port } });
});

afterEach(async () => {
  await s?.dispose();
  s = undefined;
  await proxy.close();
  await sim.close();
});

/** A new inbound call right after `healedAt`: how long until the snapshot shows it (printed, not asserted). */
async function callShownAfter(session: AgentSession, healedAt: number, label: string, timeoutMs = 45_000): Promise<number> {
  const id = sim.control.inboundCall({ to: USER, from: '+15550001111' });
  await waitForSnapshot(session, (x) => x.calls[id] !== undefined, { what: `inbound call ${id} shown after ${label}`, timeoutMs }).catch((error: Error) => {
    throw new Error(`${error.message}\nconnection history: ${describeHistory()}\nproxy: ${JSON.stringify(proxy.stats())}`);
  });
  const took = Date.now() - healedAt;
  console.log(`[core-faults] ${label}: end of the hole → new call shown in ${took} ms (connection: ${describeHistory()}; proxy ${JSON.stringify(proxy.stats())})`);
  return took;
}

describe('issue 11 faults, through a fault proxy', () => {
  it('a. 503s for ~12 s while signing in again after the session was lost: retried, never signed out', async () => {
    const session = await signIn();
    const mark = lastSeq();
    // The storm is in place before the session is lost: the very first re-sign-in meets it.
    const storm = serverErrorsFor(sim.control, sim.url, { ms: 12_000, pathPrefix: '/api/v2/me' });
    sim.control.expireSession(USER);
    await waitForSnapshot(session, (x) => x.connection.state !== 'connected', { what: 'session loss noticed', timeoutMs: 15_000 });
    const met = await storm;
    expect(session.snapshot.connection.state, describeHistory()).not.toBe('signed-out');
    const failedSignIns = sim.control.requests(mark).filter((r) => r.path === '/api/v2/me' && r.status === 503).length;
    console.log(`[core-faults] a: the client met ${met} × 503 (${failedSignIns} on GET /api/v2/me) during the 12 s storm`);
    expect(met, 'the storm needed more tries than the 6 the old client gave').toBeGreaterThan(6);
    await waitForConnection(session, 'connected', 20_000);
    expect(signedOut(), describeHistory()).toEqual([]);
    await newInboundCall(sim, session, USER);
    await waitForCallsToMatchServer(session, sim, USER);
    expectNoOperationSentTwice(sim);
  }, 60_000);

  it('b. the re-read after a re-handshake meets 503s: resyncing until it succeeds, never connected with calls not re-read', async () => {
    const session = await signIn();
    readMark = lastSeq();
    const storm = serverErrorsFor(sim.control, sim.url, { ms: 3_000, pathPrefix: '/api/v2/me/calls' });
    const before = history.length;
    sim.control.dropClients();
    const missed = sim.control.inboundCall({ to: USER, from: '+15550002222' }); // published to nobody
    await waitForSnapshot(session, (x) => x.connection.state === 'resyncing', { what: 'resyncing while the re-read fails', timeoutMs: 10_000 });
    await storm;
    await waitForSnapshot(session, (x) => x.calls[missed] !== undefined && x.connection.state === 'connected', { what: 'missed call re-read and connected', timeoutMs: 20_000 });
    const failedReads = sim.control.requests(readMark).filter((r) => r.path === '/api/v2/me/calls' && r.status === 503).length;
    expect(failedReads, 'the re-read met the 503s').toBeGreaterThan(0);
    const connectedAfterDrop = history.slice(before).filter((t) => t.state === 'connected');
    expect(connectedAfterDrop.length).toBeGreaterThan(0);
    const lying = connectedAfterDrop.filter((t) => !t.callsReadOk || !t.calls.includes(missed));
    expect(lying, `"connected" before the calls were re-read: ${describeHistory()}`).toEqual([]);
    expect(history.some((t) => t.state === 'resyncing')).toBe(true);
    expect(signedOut()).toEqual([]);
    await waitForCallsToMatchServer(session, sim, USER);
    expectNoOperationSentTwice(sim);
  }, 45_000);

  it('c. a 5 s black hole that swallows a notification: the call that rang in it and one that rings after it show', async () => {
    const session = await signIn();
    await sleep(1_500); // the link is idle in its long poll
    // Wi-Fi roaming: connections that carried nothing in the hole survive it; the long poll that
    // carried the notification of the call ringing in the hole lost it and is dead for good.
    const hole = proxy.blackHoleFor(5_000);
    await sleep(2_000);
    const inHole = sim.control.inboundCall({ to: USER, from: '+15550003333' });
    await hole;
    const healedAt = Date.now();
    expect(proxy.stats().bytesDropped, 'the notification was swallowed').toBeGreaterThan(0);
    await callShownAfter(session, healedAt, 'c. 5 s black hole (a notification lost in it)');
    await waitForSnapshot(session, (x) => x.calls[inHole] !== undefined, { what: 'the call that rang in the hole', timeoutMs: 15_000 });
    await waitForConnection(session, 'connected', 30_000);
    await waitForCallsToMatchServer(session, sim, USER, 15_000);
    expect(signedOut()).toEqual([]);
    expectNoOperationSentTwice(sim);
  }, 90_000);

  it('d. a 5 s black hole right after sign-in, pooled sockets dead too: a call that rings after it shows', async () => {
    const session = await signIn();
    // At once: the sign-in's keep-alive sockets are in the pool and die with the network.
    await proxy.blackHoleFor(5_000, { strandAll: true });
    const healedAt = Date.now();
    await callShownAfter(session, healedAt, 'd. 5 s black hole right after sign-in');
    await waitForConnection(session, 'connected', 30_000);
    await waitForCallsToMatchServer(session, sim, USER, 15_000);
    expect(signedOut()).toEqual([]);
    expectNoOperationSentTwice(sim);
  }, 90_000);

  describe('e. the server lost its state while a record is in hand', () => {
    /** What the agent does next, as the UI offers it: start the preview session if none is shown, then Get record. */
    async function getNextRecord(session: AgentSession): Promise<void> {
      const tries: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        try {
          if (!session.snapshot.campaigns[CAMPAIGN]?.previewSessionActive) {
            await session.startPreviewSession(CAMPAIGN);
            await waitForSnapshot(session, (x) => x.campaigns[CAMPAIGN]?.previewSessionActive === true, { what: 'preview session', timeoutMs: 5_000 });
          }
          await session.getPreviewRecord(CAMPAIGN);
          await waitForPreviewPhase(session, 'offered', 5_000);
          return;
        } catch (error) {
          tries.push(String(error));
          await sleep(300);
        }
      }
      throw new Error(`Get record does not work after the server lost its state: ${tries.join(' | ')}; preview ${JSON.stringify(session.snapshot.previewRecord)}`);
    }

    async function recordInHand(session: AgentSession, phase: 'offered' | 'wrap-up'): Promise<string> {
      await session.startPreviewSession(CAMPAIGN);
      await waitForSnapshot(session, (x) => x.campaigns[CAMPAIGN]?.previewSessionActive === true, { what: 'preview session' });
      await session.getPreviewRecord(CAMPAIGN);
      await waitForPreviewPhase(session, 'offered');
      if (phase === 'wrap-up') {
        await session.dialPreviewRecord();
        await waitForPreviewPhase(session, 'on-call');
        await session.hangup(session.snapshot.previewRecord.callId ?? '');
        await waitForPreviewPhase(session, 'wrap-up');
      }
      return String(session.snapshot.previewRecord.record?.recordHandle);
    }

    // `atOnce`: the agent acts right after the loss, before the notification link has noticed it:
    // the server's first word about it is the reply to that operation (statusCode 2: no
    // contact-center session any more), and the link comes back by a handshake that succeeds. The
    // agent tries once more once the client is back in a contact-center session.
    const cases = [
      { op: 'Dial', phase: 'offered', atOnce: false, act: (x: AgentSession) => x.dialPreviewRecord() },
      { op: 'Reject', phase: 'offered', atOnce: false, act: (x: AgentSession) => x.rejectRecord() },
      { op: 'Complete', phase: 'wrap-up', atOnce: false, act: (x: AgentSession) => x.completeRecord('Answer') },
      { op: 'Complete (sent at once)', phase: 'wrap-up', atOnce: true, act: (x: AgentSession) => x.completeRecord('Answer') },
    ] as const;

    for (const c of cases) {
      it(`${c.op} of the record in hand fails with a GONE notice, the record is dropped, Get record works, no sign-out`, async () => {
        const session = await signIn();
        const handle = await recordInHand(session, c.phase);
        sim.control.reset(); // the server forgets records, calls, sessions
        let result = 'not tried: the record was dropped before';
        const act = async (): Promise<void> => {
          if (session.snapshot.previewRecord.phase === c.phase && String(session.snapshot.previewRecord.record?.recordHandle) === handle) {
            result = await c.act(session).then(
              () => 'accepted',
              (error: unknown) => `refused: ${String(error)}`,
            );
          }
        };
        if (c.atOnce) {
          await act();
          // Refused with statusCode 2 (no contact-center session any more): the agent tries once
          // more when the client is back in a contact-center session, as the UI still offers it.
          await waitUntil(() => session.snapshot.connection.state === 'connected' && sim.control.state().agents.find((a) => a.userName === USER)?.contactCenterSession === true, {
            what: 'connected, with a contact-center session at the server again',
            timeoutMs: 20_000,
          });
          const first = result;
          await act();
          result = `${first}; then ${result}`;
        } else {
          await waitForSnapshot(session, (x) => x.connection.state !== 'connected', { what: 'state loss noticed', timeoutMs: 15_000 });
          await waitForConnection(session, 'connected', 20_000);
          await act();
        }
        await waitForSnapshot(session, (x) => (x.previewRecord.phase === 'idle' || x.previewRecord.phase === 'done') && String(x.previewRecord.record?.recordHandle) !== handle, {
          what: `record ${handle} dropped after ${c.op} (${result})`,
          timeoutMs: 15_000,
        });
        await waitUntil(() => errors.some(isGone), { what: `a GONE notice (errors shown: ${JSON.stringify(errors.map((e) => `${e.code}: ${e.message}`))})`, timeoutMs: 5_000 });
        console.log(`[core-faults] e. ${c.op} after the server lost its state: ${result}; notice: ${errors.filter(isGone).map((e) => e.message).join(' | ')}`);
        await waitForSnapshot(session, (x) => (x.outbox ?? []).every((e) => e.recordHandle !== handle), { what: `no outcome of ${handle} left in the outbox`, timeoutMs: 15_000 });
        await waitUntil(() => sim.control.state().agents.find((a) => a.userName === USER)?.contactCenterSession === true, {
          what: 'the contact-center session started again at the server',
          timeoutMs: 15_000,
        });
        await getNextRecord(session);
        expect(session.snapshot.connection.state).toBe('connected');
        expect(signedOut(), describeHistory()).toEqual([]);
      }, 60_000);
    }
  });

  it('g. a suspend (network gone 60 s, a call rang meanwhile), then wake(): reconnected and re-read at once, the call shows', async () => {
    // The product's backoff (not the fast one): without wake() the next retry could be 10 s away.
    const session = createAgentSession({ logger: process.env.CORE_DEBUG ? debugLogger : quiet });
    s = session;
    await session.signIn({ serverUrl: proxy.url, username: USER, password: USER });
    await waitForConnection(session, 'connected');
    await sleep(1_000);
    // The lid closes: every connection is dead for good; a call rings and is released on the server.
    const hole = proxy.blackHoleFor(60_000, { strandAll: true });
    await sleep(5_000);
    const rang = sim.control.inboundCall({ to: USER, from: '+15550006666' });
    await hole;
    // The lid opens: the OS says so.
    const wokenAt = Date.now();
    session.wake('resume');
    await waitForSnapshot(session, (x) => x.calls[rang] !== undefined && x.connection.state === 'connected', { what: 'reconnected and the call that rang in the suspend shown', timeoutMs: 30_000 });
    await waitForCallsToMatchServer(session, sim, USER, 15_000);
    console.log(`[core-faults] g. 60 s suspend: wake → connected with the server's calls in ${Date.now() - wokenAt} ms (the issue asks ≤ 2 s; bench: resumeResyncMs)`);
    expect(signedOut()).toEqual([]);
    expectNoOperationSentTwice(sim);
  }, 120_000);

  it('f. a long outage: offlineSince is the outage start while reconnecting/resyncing, cleared once connected', async () => {
    const session = await signIn();
    await sleep(1_000);
    // A 12 s outage the client sees at once (its connections are reset as the network goes), and
    // during which every retry disappears into the hole.
    const holeStart = Date.now();
    proxy.resetAll();
    const hole = proxy.blackHoleFor(12_000, { strandAll: true });
    const noticed = await waitForSnapshot(session, (x) => x.connection.state === 'reconnecting' || x.connection.state === 'resyncing', { what: 'the outage noticed', timeoutMs: 30_000 });
    const noticedAt = Date.now();
    const since = noticed.connection.offlineSince;
    await hole;
    const healedAt = Date.now();
    await waitForConnection(session, 'connected', 60_000);
    console.log(
      `[core-faults] f. 12 s outage: noticed ${noticedAt - holeStart} ms after it began, offlineSince ${since === undefined ? 'not set' : `${since - holeStart >= 0 ? '+' : ''}${since - holeStart} ms`} from its start, connected ${Date.now() - healedAt} ms after it ended; ${describeHistory()}`,
    );
    expect(since, 'offlineSince set while reconnecting/resyncing').toBeTypeOf('number');
    expect(since as number).toBeGreaterThanOrEqual(holeStart - 1_000);
    expect(since as number).toBeLessThanOrEqual(noticedAt);
    const outage = history.filter((t) => t.at >= noticedAt - 5 && (t.state === 'reconnecting' || t.state === 'resyncing'));
    expect(outage.length).toBeGreaterThan(0);
    expect(outage.map((t) => t.offlineSince), `offlineSince stays the outage start: ${describeHistory()}`).toEqual(outage.map(() => since));
    expect(history.some((t) => t.state === 'reconnecting' && t.at >= holeStart && t.at <= healedAt), 'reconnecting during the outage').toBe(true);
    expect(session.snapshot.connection.offlineSince).toBeUndefined();
    expect(signedOut()).toEqual([]);
  }, 90_000);
});
