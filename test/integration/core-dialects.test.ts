// The core flows against EVERY simulator dialect (gws-api.md: where a shape is not confirmed the
// client accepts each plausible form, and the simulator can send each). One test per dialect runs:
// sign-in, a configured Not Ready reason, preview get/dial/complete, DTMF, a disposition, an error
// shown, recovery after a simulator restart, and an app restart that still knows its campaigns.
import { describe, expect, it } from 'vitest';
import { memoryCampaignStore } from '../../main/agent/campaign-memory';
import type { AgentSession } from '../../main/agent/session';
import { createAgentSession } from '../../main/agent/session';
import { DEFAULT_DIALECT, DIALECT_KEYS, DIALECT_VALUES } from '../../sim';
import type { Dialect, Simulator } from '../../sim';
import { waitForPreviewPhase } from '../support/core-sim';
import { waitForConnection, waitForSnapshot } from '../support/core-wait';
import { quietLogger, useSimulator } from '../support/sim-fixtures';

const CAMPAIGN = 'Collections_Preview';

/** The default, each non-default value alone, and every non-default value at once. */
const MATRIX: Array<{ name: string; dialect: Partial<Dialect> }> = [
  { name: 'default', dialect: {} },
  ...DIALECT_KEYS.flatMap((key) => DIALECT_VALUES[key].filter((v) => v !== DEFAULT_DIALECT[key]).map((v) => ({ name: `${key}=${v}`, dialect: { [key]: v } as Partial<Dialect> }))),
  { name: 'every non-default value', dialect: Object.fromEntries(DIALECT_KEYS.map((k) => [k, DIALECT_VALUES[k][1]])) as Partial<Dialect> },
];

const fx = useSimulator({ per: 'manual' });

function newSession(store: ReturnType<typeof memoryCampaignStore>, configured: string[] = []): AgentSession {
  return fx.track(createAgentSession({ logger: quietLogger, backoff: { baseMs: 100, capMs: 1000 }, campaignStore: store, configuredCampaigns: configured, operationTimeoutMs: 8_000 }));
}

const bodies = (server: Simulator, operationName: string) =>
  server.control
    .requests()
    .filter((r) => (r.body as { operationName?: unknown } | undefined)?.operationName === operationName)
    .map((r) => ({ path: r.path, body: r.body as Record<string, unknown>, statusCode: r.statusCode }));

const established = (s: AgentSession) => Object.values(s.snapshot.calls).find((c) => c.state === 'Established');

describe.each(MATRIX)('core flows, dialect $name', ({ dialect }) => {
  it('signs in, sets a reason, runs a preview record with DTMF and a disposition, shows an error, and recovers', async () => {
    const server = await fx.start({ dialect });
    const store = memoryCampaignStore();
    // IT configured the campaign: with campaignReplay=off the server never announces it.
    const s = newSession(store, [CAMPAIGN]);
    await s.signIn({ serverUrl: server.url, username: 'agent1', password: 'agent1' });
    await waitForConnection(s, 'connected');
    expect(s.snapshot.user?.agentStates.map((a) => a.operationName)).toContain('OutToLunch');
    expect(s.snapshot.user?.callResults).toContain('Answer');

    // A configured Not Ready reason: its own operationName, confirmed by the state it causes.
    const lunch = await s.notReady('OutToLunch');
    await expect(lunch.outcome).resolves.toBe('confirmed');
    expect(bodies(server, 'OutToLunch')[0]).toMatchObject({ path: '/api/v2/me/channels/voice', statusCode: 0 });
    expect(bodies(server, 'OutToLunch')[0]?.body).not.toHaveProperty('reasonCode');
    expect(s.snapshot.device?.userState).toMatchObject({ state: 'NotReady', reason: 'Lunch', operationName: 'OutToLunch' });

    // Preview: get, dial, DTMF, disposition, hang up, complete.
    await expect((await s.startPreviewSession(CAMPAIGN)).outcome).resolves.toBe('confirmed');
    await s.getPreviewRecord(CAMPAIGN);
    await waitForPreviewPhase(s, 'offered');
    const record = s.snapshot.previewRecord.record;
    expect(record?.phoneNumber).toMatch(/\d/);
    expect(record?.callingList).toBeTruthy();
    await expect((await s.dialPreviewRecord()).outcome).resolves.toBe('confirmed');
    await waitForPreviewPhase(s, 'on-call');
    const call = established(s);
    expect(call?.participants[0]?.phoneNumber).toMatch(/\d/);
    const callId = call?.id ?? '';
    await expect((await s.sendDtmf(callId, '12')).outcome).resolves.toBe('confirmed');
    expect(bodies(server, 'SendDtmf')[0]?.body).toMatchObject({ operationName: 'SendDtmf', digits: '12' });
    // Recording: the snapshot says so whether the server names recordingState or only its capabilities tell.
    await expect((await s.startCallRecording(callId)).outcome).resolves.toBe('confirmed');
    await waitForSnapshot(s, (x) => x.calls[callId]?.recording === true, { what: 'the call shown as recorded' });
    await expect((await s.stopCallRecording(callId)).outcome).resolves.toBe('confirmed');
    await waitForSnapshot(s, (x) => x.calls[callId]?.recording === false, { what: 'the call shown as not recorded' });
    await expect((await s.setCallDisposition(callId, 'Sale')).outcome).resolves.toBe('confirmed');
    expect(bodies(server, 'SetCallDisposition')[0]?.path).toBe(`/api/v2/me/calls/${callId}`);
    await expect((await s.hangup(callId)).outcome).resolves.toBe('confirmed');
    await waitForPreviewPhase(s, 'wrap-up');
    const completed = await s.completeRecord('Answer');
    await expect(completed.outcome).resolves.toBe('confirmed');
    await waitForPreviewPhase(s, 'done');
    const handle = Number(record?.recordHandle);
    const truth = server.control.state();
    expect(truth.campaigns.flatMap((c) => c['records'] as Array<Record<string, unknown>>).find((r) => r['recordHandle'] === handle)).toMatchObject({ status: 'Completed', callResult: 'Answer' });
    expect(truth.outcomes.filter((o) => o.recordHandle === handle)).toHaveLength(1);

    // An error, shown to the agent in words.
    const bad = await s.dial('5550003');
    await expect(bad.outcome).rejects.toMatchObject({ code: 'SERVER' });
    expect(s.snapshot.lastError).toMatchObject({ code: 'SERVER', operationName: 'Dial', message: expect.stringMatching(/Invalid called DN/) });
    s.clearError();

    // Recovery after a simulator restart, mid-call: the re-read call is the same call.
    const inbound = server.control.inboundCall({ to: 'agent1', from: '5551234' });
    const ringing = await waitForSnapshot(s, (x) => Object.values(x.calls).some((c) => c.state === 'Ringing'), { what: 'inbound ringing' });
    const inboundId = Object.values(ringing.calls).find((c) => c.state === 'Ringing')?.id ?? inbound;
    await expect((await s.answer(inboundId)).outcome).resolves.toBe('confirmed');
    await server.control.restart({ downMs: 300 });
    await waitForSnapshot(s, (x) => x.connection.state === 'connected' && x.pendingOperations !== undefined && Object.keys(x.calls).length === 1, { timeoutMs: 15_000, what: 'reconnected with the call' });
    await waitForSnapshot(s, (x) => x.calls[inboundId]?.state === 'Established', { timeoutMs: 15_000, what: 'the same call after the re-read' });
    await expect((await s.hangup(inboundId)).outcome).resolves.toBe('confirmed');
    await waitForSnapshot(s, (x) => Object.keys(x.calls).length === 0, { what: 'no call left' });

    // An app restart: the campaign list is remembered even where the server never announces it.
    await s.dispose();
    const again = newSession(store);
    await again.signIn({ serverUrl: server.url, username: 'agent1', password: 'agent1' });
    await waitForConnection(again, 'connected');
    expect(again.snapshot.campaigns[CAMPAIGN]).toBeDefined();
  });
});
