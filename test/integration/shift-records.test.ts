// Issue 12 (what an agent hits in one shift), at the core against the simulator over loopback:
// do-not-call on the number shown, After Call Work around wrap-up, the server's call result kept,
// a confirmed record edit shown.
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentSession } from '../../main/agent/session';
import { createAgentSession } from '../../main/agent/session';
import type { WorkRulesInput } from '../../main/agent/work-rules';
import { DEFAULT_SCENARIO_FILE, loadScenarioFile, startSimulator } from '../../sim';
import type { Scenario, Simulator } from '../../sim';
import { FAST_TIMINGS, waitForPreviewPhase } from '../support/core-sim';
import { waitForConnection, waitForSnapshot } from '../support/core-wait';

let sim: Simulator | undefined;
const sessions: AgentSession[] = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.dispose();
  await sim?.close();
  sim = undefined;
});

/** The built-in scenario with only these records left in `campaign` (the first is handed out first). */
function scenarioWith(campaign: string, handles: number[]): Scenario {
  const scenario = loadScenarioFile(DEFAULT_SCENARIO_FILE);
  for (const c of scenario.campaigns) {
    if (c.name === campaign) c.records = handles.map((h) => c.records.find((r) => r.recordHandle === h)).filter((r) => r !== undefined);
  }
  return scenario;
}

async function start(scenario: Scenario, workRules?: WorkRulesInput): Promise<AgentSession> {
  sim = await startSimulator({ port: 0, timings: FAST_TIMINGS, scenario });
  const session = createAgentSession({ backoff: { baseMs: 100, capMs: 1000 }, ...(workRules && { workRules }) });
  sessions.push(session);
  await session.signIn({ serverUrl: sim.url, username: 'agent1', password: 'agent1' });
  await waitForConnection(session, 'connected');
  return session;
}

async function offered(session: AgentSession, campaign: string): Promise<void> {
  await (await session.startPreviewSession(campaign)).outcome;
  // A push campaign sends the record by itself; a preview campaign is asked.
  if (campaign !== 'Renewals_Push') await (await session.getPreviewRecord(campaign)).outcome;
  await waitForPreviewPhase(session, 'offered');
}

const userState = (session: AgentSession) => session.snapshot.device?.userState;
const truthRecord = (handle: number) => sim?.control.state().campaigns.flatMap((c) => (c as { records: Array<Record<string, unknown>> }).records).find((r) => r['recordHandle'] === handle);

describe('issue 12 at the core', () => {
  it('#1 "this number only" on another number of the chain marks that number\'s record, not the one in hand', async () => {
    const s = await start(scenarioWith('Renewals_Push', [201, 202]));
    await (await s.ready()).outcome;
    await offered(s, 'Renewals_Push');
    expect(s.snapshot.previewRecord.record?.recordHandle).toBe(201);
    await (await s.getChainedRecords()).outcome;
    await waitForSnapshot(s, (x) => x.previewRecord.chainedRecords.length === 1, { what: 'the mobile number of the chain' });
    const mobile = s.snapshot.previewRecord.chainedRecords[0];
    expect(mobile).toMatchObject({ recordHandle: 202, phoneNumber: '+16785550202', phoneType: 'Mobile' });

    await (await s.doNotCallRecord('RecordOnly', mobile)).outcome;
    await waitForSnapshot(s, (x) => x.previewRecord.chainedRecords.length === 0, { what: 'the mobile leaves the chain' });
    expect(truthRecord(202)?.['status']).toBe('DoNotCall');
    expect(truthRecord(201)?.['status']).not.toBe('DoNotCall');
    // The home number is still the record in hand: it can still be dialled.
    expect(s.snapshot.previewRecord).toMatchObject({ phase: 'offered', record: { recordHandle: 201 } });
  });

  it('#1 dialling another number of the chain makes its record the one in hand: the outcome goes on it', async () => {
    const s = await start(scenarioWith('Renewals_Push', [201, 202]), { afterCallWork: false });
    await (await s.ready()).outcome;
    await offered(s, 'Renewals_Push');
    await (await s.getChainedRecords()).outcome;
    await waitForSnapshot(s, (x) => x.previewRecord.chainedRecords.length === 1, { what: 'the chain' });
    const mobile = s.snapshot.previewRecord.chainedRecords[0];
    await (await s.dialPreviewRecord(mobile)).outcome;
    await waitForPreviewPhase(s, 'on-call');
    expect(s.snapshot.previewRecord.record?.recordHandle).toBe(202);
    expect(s.snapshot.previewRecord.chainedRecords.map((r) => r.recordHandle)).toEqual([201]);
    const callId = s.snapshot.previewRecord.callId as string;
    await (await s.hangup(callId)).outcome;
    await waitForPreviewPhase(s, 'wrap-up');
    await (await s.completeRecord('Answer')).outcome;
    await waitForPreviewPhase(s, 'done');
    expect(sim?.control.state().outcomes.filter((o) => o.operationName === 'CompleteRecord').map((o) => o.recordHandle)).toEqual([202]);
  });

  it('#2 goes to After Call Work when the record\'s call ends and back to the earlier state on Complete', async () => {
    const s = await start(scenarioWith('Collections_Preview', [101]));
    await (await s.notReady('OutToLunch')).outcome;
    await offered(s, 'Collections_Preview');
    await (await s.dialPreviewRecord()).outcome;
    await waitForPreviewPhase(s, 'on-call');
    await (await s.hangup(s.snapshot.previewRecord.callId as string)).outcome;
    await waitForSnapshot(s, (x) => x.device?.userState.workMode === 'AfterCallWork', { what: 'After Call Work during wrap-up' });
    expect(s.snapshot.previewRecord.phase).toBe('wrap-up');
    await (await s.completeRecord('Answer')).outcome;
    await waitForSnapshot(s, (x) => x.device?.userState.reason === 'Lunch', { what: 'back to Out to Lunch' });
    expect(userState(s)).toMatchObject({ state: 'NotReady', operationName: 'OutToLunch' });
  });

  it('#2 IT can turn After Call Work off, or send the agent Ready on Complete', async () => {
    const s = await start(scenarioWith('Collections_Preview', [101]), { afterComplete: 'ready' });
    await (await s.notReady()).outcome;
    await offered(s, 'Collections_Preview');
    await (await s.dialPreviewRecord()).outcome;
    await waitForPreviewPhase(s, 'on-call');
    await (await s.hangup(s.snapshot.previewRecord.callId as string)).outcome;
    await waitForSnapshot(s, (x) => x.device?.userState.workMode === 'AfterCallWork', { what: 'After Call Work' });
    await (await s.completeRecord('Answer')).outcome;
    await waitForSnapshot(s, (x) => x.device?.userState.state === 'Ready', { what: 'Ready after Complete' });
    await s.dispose();
    await sim?.close();

    const off = await start(scenarioWith('Collections_Preview', [101]), { afterCallWork: false });
    await (await off.ready()).outcome;
    await offered(off, 'Collections_Preview');
    await (await off.dialPreviewRecord()).outcome;
    await waitForPreviewPhase(off, 'on-call');
    await (await off.hangup(off.snapshot.previewRecord.callId as string)).outcome;
    await waitForPreviewPhase(off, 'wrap-up');
    expect(sim?.control.requests().some((r) => (r.body as { operationName?: string } | undefined)?.operationName === 'AfterCallWork')).toBe(false);
    expect(userState(off)?.state).toBe('Ready');
  });

  it('#3 a busy line: the server\'s result is kept for wrap-up and the history says Busy', async () => {
    const s = await start(scenarioWith('Collections_Preview', [103]));
    await offered(s, 'Collections_Preview');
    await (await s.dialPreviewRecord()).outcome;
    await waitForPreviewPhase(s, 'wrap-up');
    expect(s.snapshot.calls).toEqual({});
    expect(s.snapshot.previewRecord.serverCallResult).toBe('Busy');
    expect(s.snapshot.callHistory[0]).toMatchObject({ recordHandle: '103', result: 'Busy' });
  });

  it('#5 a record edit the server confirmed shows on the record', async () => {
    const s = await start(scenarioWith('Collections_Preview', [103]));
    await offered(s, 'Collections_Preview');
    expect(s.snapshot.previewRecord.record?.otherFields['balance']).toBe('89.10');
    await (await s.updateRecord({ otherFields: { balance: '12345.67' } })).outcome;
    await waitForSnapshot(s, (x) => x.previewRecord.record?.otherFields['balance'] === '12345.67', { what: 'the new balance on the record' });
    // The Dial posts the record back: with the new value.
    expect((s.snapshot.previewRecord.record?.wire['otherFields'] as Record<string, unknown>)['balance']).toBe('12345.67');
  });

  it('#13 a record without other numbers: the chain request ends with ChainedRecordsDataEnd and no numbers (the card says so)', async () => {
    const s = await start(scenarioWith('Collections_Preview', [111]));
    await offered(s, 'Collections_Preview');
    await (await s.getChainedRecords()).outcome;
    await waitForSnapshot(s, (x) => x.previewRecord.lastNotification === 'ChainedRecordsDataEnd', { what: 'the end of the chain' });
    expect(s.snapshot.previewRecord).toMatchObject({ phase: 'offered', chainedRecords: [] });
  });
});
