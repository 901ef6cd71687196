// Recovery: after each fault the snapshot again equals the server's calls and no operation
// reached the server twice.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentSession } from '../../main/agent/session';
import { answeredInboundCall, expectNoOperationSentTwice, newInboundCall, waitForCallsToMatchServer } from '../support/core-sim';
import { waitForCallState, waitForConnection, waitForSnapshot } from '../support/core-wait';
import { useSimulator } from '../support/sim-fixtures';

const fx = useSimulator({ per: 'test' });
let s: AgentSession;

beforeEach(async () => {
  s = await fx.signedIn();
});

const establishedCall = (): Promise<string> => answeredInboundCall(fx.sim, s);

const sawState = (state: string) => {
  const seen: string[] = [];
  const sub = s.onDidChange((snap, changes) => {
    if (changes.includes('connection')) seen.push(snap.connection.state);
  });
  return { seen, done: () => sub.dispose(), saw: () => seen.includes(state) };
};

describe('core recovery against the simulator', () => {
  it('survives a simulator restart mid-call, dropping the call that ended meanwhile', async () => {
    const kept = await establishedCall();
    const ended = await newInboundCall(fx.sim, s, 'agent1', '5557777');
    const watch = sawState('reconnecting');
    const restart = fx.sim.control.restart({ downMs: 400 });
    fx.sim.control.remoteHangup(ended); // its notification is lost with the restart
    await restart;
    await waitForSnapshot(s, () => watch.saw(), { what: 'reconnecting seen' });
    await waitForConnection(s, 'connected', 15_000);
    await waitForCallsToMatchServer(s, fx.sim);
    expect(Object.keys(s.snapshot.calls)).toEqual([kept]);
    watch.done();
    // and the session still works
    await s.hold(kept);
    await waitForCallState(s, kept, 'Held');
    await waitForCallsToMatchServer(s, fx.sim);
    expectNoOperationSentTwice(fx.sim);
  });

  it('re-handshakes after every CometD client is dropped and re-reads the calls it missed', async () => {
    const kept = await establishedCall();
    const watch = sawState('reconnecting');
    fx.sim.control.dropClients();
    const missed = fx.sim.control.inboundCall({ to: 'agent1', from: '5558888' }); // published to nobody
    await waitForSnapshot(s, (x) => x.calls[missed]?.state === 'Ringing', { what: 'missed call recovered by the re-read', timeoutMs: 15_000 });
    expect(watch.saw()).toBe(true);
    watch.done();
    await waitForConnection(s, 'connected');
    await waitForCallsToMatchServer(s, fx.sim);
    expect(Object.keys(s.snapshot.calls).sort()).toEqual([kept, missed].sort());
    const truth = fx.sim.control.state().agents.find((a) => a.userName === 'agent1');
    expect(truth?.cometdSessions).toBe(1);
    await s.answer(missed);
    await waitForCallState(s, missed, 'Established');
    expectNoOperationSentTwice(fx.sim);
  });

  it('signs in again when the HTTP session expires, keeping calls and sending nothing twice', async () => {
    const kept = await establishedCall();
    const mark = fx.sim.control.requests().at(-1)?.seq ?? 0;
    fx.sim.control.expireSession('agent1');
    const missed = fx.sim.control.inboundCall({ to: 'agent1', from: '5556666' });
    await waitForSnapshot(s, (x) => x.calls[missed] !== undefined && x.connection.state === 'connected', { what: 'recovered after expiry', timeoutMs: 15_000 });
    await waitForCallsToMatchServer(s, fx.sim);
    // The new session's CSRF token is read again (403 → GET /me → one retry) before the Hold goes through.
    await s.hold(kept);
    await waitForCallState(s, kept, 'Held');
    const holds = fx.sim.control.requests(mark).filter((r) => (r.body as { operationName?: string } | undefined)?.operationName === 'Hold');
    expect(holds.filter((r) => r.status === 200)).toHaveLength(1);
    expect(fx.sim.control.requests(mark).filter((r) => r.method === 'POST' && (r.body as { operationName?: string } | undefined)?.operationName === 'StartContactCenterSession')).toHaveLength(0);
    const truth = fx.sim.control.state().agents.find((a) => a.userName === 'agent1');
    expect(truth?.contactCenterSession).toBe(true);
    expect(truth?.cometdSessions).toBe(1);
    expectNoOperationSentTwice(fx.sim);
  });

  it('reports failing requests without repeating operations, and re-reads until the server answers', async () => {
    const kept = await establishedCall();
    const mark = fx.sim.control.requests().at(-1)?.seq ?? 0;
    fx.sim.control.failNext({ count: 2, status: 503 });
    await expect(s.hold(kept)).rejects.toMatchObject({ code: 'SERVER', httpStatus: 503, operationName: 'Hold' });
    await expect(s.hold(kept)).rejects.toMatchObject({ code: 'SERVER', httpStatus: 503 });
    expect(s.snapshot.lastError).toMatchObject({ code: 'SERVER', operationName: 'Hold' });
    expect(s.snapshot.pendingOperations).toEqual({});
    const holds = fx.sim.control.requests(mark).filter((r) => r.method === 'POST');
    expect(holds).toHaveLength(2); // one per call, never repeated by the client
    await s.hold(kept);
    await waitForCallState(s, kept, 'Held');

    // The re-read after a re-handshake keeps trying (GETs only) until it gets the calls.
    fx.sim.control.failNext({ count: 3, status: 500, pathPrefix: '/api/v2/me/calls' });
    fx.sim.control.dropClients();
    const missed = fx.sim.control.inboundCall({ to: 'agent1', from: '5554444' });
    await waitForSnapshot(s, (x) => x.calls[missed] !== undefined, { what: 'missed call after failing re-reads', timeoutMs: 15_000 });
    await waitForCallsToMatchServer(s, fx.sim);
    expect(fx.sim.control.state().pendingFailures).toBe(0);
    expectNoOperationSentTwice(fx.sim);
  });
});
