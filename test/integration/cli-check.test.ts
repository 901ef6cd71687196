// The compatibility check (`npm run agent -- --check`, docs/gws-compatibility.md): the pure
// classifier fed observations directly, the check run in-process against the simulator in the
// default dialect and in every non-default value, and the CLI itself as a child process.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { WireObservation } from '../../main/agent/session-types';
import type { AgentSnapshot } from '../../main/agent/snapshot';
import { initialSnapshot } from '../../main/agent/snapshot';
import { runCompatCheck } from '../../main/cli/compat-check';
import type { CompatReport } from '../../main/cli/compat-report';
import { buildCompatReport, formatCompatReport, simulatorDialect } from '../../main/cli/compat-report';
import { DEFAULT_SCENARIO_FILE, loadScenarioFile } from '../../sim';
import type { Dialect } from '../../sim';
import { useSimulator } from '../support/sim-fixtures';

const NON_DEFAULT: Dialect = { errors: 'notification', participants: 'strings', records: 'user-data', campaignReplay: 'off', referenceIdEcho: 'all', callIdInReads: 'connId', recordingState: 'absent' };
/** What the check classifies: it records no call, so a recordingState dialect is not its to tell (the client reads both). */
const { recordingState: _notClassified, ...CLASSIFIED } = NON_DEFAULT;
const PROBES = { dial: '5551234', error: '5550003', record: 'Collections_Preview' };
const matched = (r: CompatReport): Record<string, string> => Object.fromEntries(Object.entries(r.dialects).map(([k, v]) => [k, v.matched]));

const fx = useSimulator({ per: 'manual' });

// ---- the pure classifier --------------------------------------------------------------------------

function snapshotWith(over: Partial<AgentSnapshot> = {}): AgentSnapshot {
  return {
    ...initialSnapshot(0),
    connection: { state: 'connected', since: 0 },
    user: {
      id: 'u1',
      userName: 'agent1',
      firstName: '',
      lastName: '',
      agentStates: [{ operationName: 'OutToLunch', displayName: 'Out to Lunch', reason: 'Lunch' }],
      callResults: ['Answer', 'Busy'],
      defaultCallResult: 'Busy',
      dispositions: { key: 'Outcome', values: ['Sale'] },
      settings: {
        'interaction-workspace': {
          'outbound.call-result-values': 'Answer,Busy,Nonsense',
          'outbound.call-result-automatically-selected': 'Busy',
          'interaction.disposition.key-name': 'Outcome',
          'interaction.disposition.values': 'Sale',
          'custom.option': 'x',
        },
      },
    },
    device: { id: 'd1', dn: '5001', userState: { state: 'NotReady', displayName: 'Not Ready', since: 0 }, doNotDisturb: false, capabilities: [] },
    ...over,
  };
}

const note = (channel: string, data: Record<string, unknown>): WireObservation => ({ kind: 'notification', channel, data });
const reply = (method: 'GET' | 'POST', path: string, body: Record<string, unknown>): WireObservation => ({ kind: 'reply', method, path, body: { statusCode: 0, ...body } });
const call = (extra: Record<string, unknown>) => ({ id: 'UUID1', callUuid: 'UUID1', connId: '00aa', state: 'Dialing', ...extra });

describe('buildCompatReport (pure)', () => {
  it('names the documented dialect when the observations show it', () => {
    const observations: WireObservation[] = [
      reply('GET', '/api/v2/me?subresources=*', { user: {} }),
      reply('GET', '/api/v2/settings/agent-states', { settings: [{ operationName: 'OutToLunch' }, { displayName: 'no operationName' }] }),
      note('/v2/me/devices', { messageType: 'DeviceStateChangeMessage', devices: [] }),
      note('/v2/me/outbound', { messageType: 'OutboundCampaignMessage', notificationType: 'CampaignStarted', campaign: { name: 'C1', dialingMode: 'Preview' } }),
      note('/v2/me/calls', { messageType: 'CallStateChangeMessage', notificationType: 'StatusChange', call: call({ participants: [{ phoneNumber: '5551234' }] }) }),
      reply('GET', '/api/v2/me/calls?fields=*', { calls: [call({ participants: [{ phoneNumber: '5551234' }] })] }),
      note('/v2/me/calls', { messageType: 'ErrorMessage', errorCode: 71, errorMessage: 'Invalid called DN', referenceId: 'r1' }),
      reply('POST', '/api/v2/me/outbound-campaigns/C1', {}),
      note('/v2/me/outbound', { messageType: 'OutboundRecordMessage', notificationType: 'PreviewRecord', referenceId: 'r2', record: { recordHandle: 7, userData: { GSW_RECORD_HANDLE: 7 } } }),
    ];
    const campaigns = { C1: { name: 'C1', dialingMode: 'Preview', state: 'Started', previewSessionActive: true } };
    const r = buildCompatReport({ server: 'http://gws', user: 'agent1', observations, snapshot: snapshotWith({ campaigns }), serverVersion: { ok: true, version: '8.5.2' } });
    expect(matched(r)).toEqual({ errors: 'message', participants: 'objects', records: 'top-level', campaignReplay: 'on', referenceIdEcho: 'outbound-only', callIdInReads: 'callUuid' });
    expect(simulatorDialect(r)).toBe('errors=message,participants=objects,records=top-level,campaignReplay=on,referenceIdEcho=outbound-only,callIdInReads=callUuid');
    expect(r.agentStates).toEqual({ source: 'server', states: [{ operationName: 'OutToLunch', displayName: 'Out to Lunch', reason: 'Lunch' }], skipped: 1 });
    expect(r.workspace).toMatchObject({
      present: true,
      callResults: { values: ['Answer', 'Busy'], source: 'workspace', ignored: ['Nonsense'] },
      defaultCallResult: { configured: 'Busy', used: 'Busy' },
      disposition: { key: 'Outcome', keySource: 'workspace', values: ['Sale'] },
      otherOptions: ['custom.option'],
    });
    expect(r.campaigns).toEqual([{ name: 'C1', dialingMode: 'Preview', state: 'Started', source: 'announced-on-sign-in' }]);
    expect(r.warnings.join('\n')).toMatch(/Nonsense/);
    const text = formatCompatReport(r);
    expect(text).toContain('Server version: 8.5.2');
    expect(text).toMatch(/errors\s+ErrorMessage\s+\[errors=message\]/);
    expect(text).toMatch(/call id in reads\s+equals callUuid\s+\[callIdInReads=callUuid\]/);
    expect(text).toContain('C1  Preview  announced by the server on sign-in');
  });

  it('names the other forms: notificationType Error, strings, userData only, no replay, referenceId echoed, connId in reads', () => {
    const observations: WireObservation[] = [
      note('/v2/me/devices', { messageType: 'DeviceStateChangeMessage', devices: [], referenceId: 'start-1' }),
      note('/v2/me/calls', { messageType: 'CallStateChangeMessage', notificationType: 'StatusChange', call: call({ participants: ['5551234'], participantsInfo: [{}] }) }),
      reply('GET', '/api/v2/me/calls?fields=*', { calls: [call({ id: '00aa', participants: ['5551234'] })] }),
      note('/v2/me/calls', { messageType: 'CallStateChangeMessage', notificationType: 'Error', errorCode: 71, errorMessage: 'Invalid called DN' }),
      reply('POST', '/api/v2/me/outbound-campaigns/C1', {}),
      // A campaign announced only in answer to the agent's own operation is not a replay on sign-in.
      note('/v2/me/outbound', { messageType: 'OutboundCampaignMessage', notificationType: 'CampaignStarted', campaign: { name: 'C1' } }),
      note('/v2/me/outbound', { messageType: 'OutboundRecordMessage', notificationType: 'PreviewRecord', record: { userData: { GSW_RECORD_HANDLE: 7, GSW_CAMPAIGN_NAME: 'C2' } } }),
    ];
    const campaigns = {
      C1: { name: 'C1', dialingMode: 'Preview', state: 'Started', previewSessionActive: true },
      C2: { name: 'C2', dialingMode: 'Preview', state: 'Unknown', previewSessionActive: false },
      C3: { name: 'C3', dialingMode: 'Preview', state: 'Unknown', previewSessionActive: false },
      C4: { name: 'C4', dialingMode: 'Preview', state: 'Unknown', previewSessionActive: false },
    };
    const r = buildCompatReport({ server: 'http://gws', user: 'agent1', observations, snapshot: snapshotWith({ campaigns }), serverVersion: { ok: false, reason: 'HTTP 404' }, configuredCampaigns: ['C3'] });
    expect(matched(r)).toEqual({ errors: 'notification', participants: 'strings', records: 'user-data', campaignReplay: 'off', referenceIdEcho: 'all', callIdInReads: 'connId' });
    expect(r.dialects.participants.detail).toContain('participantsInfo');
    expect(r.campaigns.map((c) => [c.name, c.source])).toEqual([
      ['C1', 'announced-later'],
      ['C2', 'learnt-from-record'],
      ['C3', 'configured'],
      ['C4', 'remembered-or-configured'],
    ]);
    expect(formatCompatReport(r)).toContain('Server version: unknown (HTTP 404)');
  });

  it('says "not observed" where nothing showed, and "none" for missing agent states and Workspace options', () => {
    const user = { ...snapshotWith().user!, agentStates: [], callResults: ['Answer'], dispositions: { key: 'DispositionCode', values: [] }, settings: {} };
    delete (user as { defaultCallResult?: string }).defaultCallResult;
    const r = buildCompatReport({ server: 'http://gws', user: 'agent1', observations: [], snapshot: snapshotWith({ user }), serverVersion: { ok: true, version: '8.5.2' } });
    expect(matched(r)).toEqual({ errors: 'not-observed', participants: 'not-observed', records: 'not-observed', campaignReplay: 'off', referenceIdEcho: 'not-observed', callIdInReads: 'not-observed' });
    expect(r.agentStates.source).toBe('missing');
    expect(r.workspace).toMatchObject({ present: false, callResults: { source: 'ocs-table' }, disposition: { keySource: 'default', values: [] } });
    const text = formatCompatReport(r);
    expect(text).toContain('Agent states: none (GET /api/v2/settings/agent-states missing or empty: agents will see no Not Ready reasons)');
    expect(text).toContain('from the OCS fallback table');
    expect(text).toMatch(/errors\s+not observed/);
    expect(text).toContain('Campaigns: none known');
    expect(simulatorDialect(r)).toBe('campaignReplay=off');
  });

  it('says "both forms" when a server mixes them, and never throws on junk', () => {
    const observations: WireObservation[] = [
      note('/v2/me/calls', { messageType: 'ErrorMessage' }),
      note('/v2/me/calls', { messageType: 'CallStateChangeMessage', notificationType: 'Error' }),
      note('/v2/me/calls', { messageType: 'CallStateChangeMessage', call: call({ participants: ['1', { phoneNumber: '2' }] }) }),
      { kind: 'notification', channel: '/v2/me/calls', data: 'junk' },
      { kind: 'notification', channel: '/v2/me/calls', data: null },
      { kind: 'reply', method: 'GET', path: '/api/v2/me/calls?fields=*', body: { calls: [null, 3, { id: 'x' }] } },
    ];
    const r = buildCompatReport({ server: 's', user: 'u', observations, snapshot: initialSnapshot(0), serverVersion: { ok: true, version: '1' } });
    expect(matched(r)).toMatchObject({ errors: 'mixed', participants: 'mixed', callIdInReads: 'other' });
    expect(() => formatCompatReport(r)).not.toThrow();
  });
});

// ---- the check against the simulator ---------------------------------------------------------------

describe('the check against the simulator', () => {
  it('default dialect: every behaviour matches the documented form; probes clean up; the agent is signed out', async () => {
    const sim = await fx.start();
    const result = await runCompatCheck({ serverUrl: sim.url, username: 'agent1', password: 'agent1', waitMs: 3000, probeTimeoutMs: 5000, probes: PROBES });
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    const r = result.report;
    expect(matched(r)).toEqual({ errors: 'message', participants: 'objects', records: 'top-level', campaignReplay: 'on', referenceIdEcho: 'outbound-only', callIdInReads: 'callUuid' });
    expect(r.serverVersion).toEqual({ ok: true, version: '8.5.200.50' });
    expect(r.signIn).toEqual({ ok: true, device: { dn: '5001', userState: 'Not Ready' } });
    expect(r.agentStates.states.map((s) => s.operationName)).toEqual(['OutToLunch', 'Break', 'Meeting', 'Training', 'TechnicalIssue']);
    expect(r.workspace.callResults.source).toBe('workspace');
    expect(r.workspace.disposition).toEqual({ key: 'DispositionCode', keySource: 'workspace', values: ['Sale', 'NoSale', 'Callback', 'Complaint', 'Information'] });
    expect(r.campaigns).toEqual([
      { name: 'Collections_Preview', dialingMode: 'Preview', state: 'Started', source: 'announced-on-sign-in' },
      { name: 'Renewals_Push', dialingMode: 'PushPreview', state: 'Started', source: 'announced-on-sign-in' },
    ]);
    expect(r.probes.every((p) => p.ok)).toBe(true);
    expect(r.probes.map((p) => p.name)).toEqual([
      'dial 5551234', 'read calls', 'hang up', 'error: dial 5550003',
      'StartPreviewSession Collections_Preview', 'GetPreviewRecord', 'RejectRecord (back to the calling list)', 'EndPreviewSession Collections_Preview',
    ]);

    // Signed out, no call left, no record held, no extra HTTP session left behind by the check's own GETs.
    const truth = sim.control.state();
    expect(truth.agents.find((a) => a.userName === 'agent1')).toMatchObject({ contactCenterSession: false, httpSessions: 0, calls: [], records: [], previewSessions: [] });
    // The probed record went back to the calling list (RejectRecord), nothing else was applied.
    expect(truth.outcomes.map((o) => [o.operationName, o.recordHandle])).toEqual([['RejectRecord', 101]]);
    const records = truth.campaigns.flatMap((c) => c['records'] as Array<Record<string, unknown>>);
    expect(records.find((x) => x['recordHandle'] === 101)).toMatchObject({ status: 'Ready', attempts: 0 });
    const requests = sim.control.requests();
    expect(requests.some((q) => q.method === 'GET' && q.path === '/api/v2/diagnostics/version' && q.status === 200)).toBe(true);
    expect((requests.at(-1)?.body as { operationName?: string } | undefined)?.operationName).toBe('EndContactCenterSession');
  });

  it('every non-default dialect: the report names each', async () => {
    const sim = await fx.start({ dialect: NON_DEFAULT });
    const result = await runCompatCheck({ serverUrl: sim.url, username: 'agent1', password: 'agent1', waitMs: 1000, probeTimeoutMs: 5000, probes: PROBES, configuredCampaigns: ['Renewals_Push'] });
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    expect(matched(result.report)).toEqual(CLASSIFIED);
    expect(simulatorDialect(result.report)).toBe('errors=notification,participants=strings,records=user-data,campaignReplay=off,referenceIdEcho=all,callIdInReads=connId');
    expect(result.report.campaigns.map((c) => [c.name, c.source])).toEqual([
      ['Collections_Preview', 'announced-later'],
      ['Renewals_Push', 'configured'],
    ]);
    expect(result.report.probes.every((p) => p.ok)).toBe(true);
  });

  it.each([
    ['errors=notification', { errors: 'notification' }, { errors: 'notification', participants: 'objects', callIdInReads: 'callUuid' }],
    ['participants=strings', { participants: 'strings' }, { errors: 'message', participants: 'strings' }],
    ['callIdInReads=connId', { callIdInReads: 'connId' }, { callIdInReads: 'connId', referenceIdEcho: 'outbound-only' }],
    ['referenceIdEcho=all', { referenceIdEcho: 'all' }, { referenceIdEcho: 'all', campaignReplay: 'on' }],
  ] as const)('%s alone: only that behaviour changes', async (_name, dialect, expected) => {
    const sim = await fx.start({ dialect });
    const result = await runCompatCheck({ serverUrl: sim.url, username: 'agent2', password: 'agent2', waitMs: 2000, probeTimeoutMs: 5000, probes: { dial: PROBES.dial, error: PROBES.error } });
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    expect(matched(result.report)).toMatchObject(expected);
    expect(result.report.dialects.records.matched).toBe('not-observed');
  });

  it('without probes the check changes nothing: it only signs in, reads and signs out', async () => {
    const sim = await fx.start();
    const result = await runCompatCheck({ serverUrl: sim.url, username: 'agent1', password: 'agent1', waitMs: 2000 });
    expect(result.ok).toBe(true);
    const posts = sim.control.requests().filter((q) => q.method === 'POST').map((q) => (q.body as { operationName?: string }).operationName);
    expect(posts).toEqual(['StartContactCenterSession', 'EndContactCenterSession']);
    if (result.ok) expect(matched(result.report)).toMatchObject({ errors: 'not-observed', participants: 'not-observed', records: 'not-observed', callIdInReads: 'not-observed', campaignReplay: 'on' });
  });

  it('a server without agent states, call results or campaigns: says so', async () => {
    const scenario = { ...loadScenarioFile(DEFAULT_SCENARIO_FILE), agentStates: [], campaigns: [], workspaceOptions: { 'outbound.call-result-values': '', 'interaction.disposition.values': '' } };
    const sim = await fx.start({ scenario });
    const result = await runCompatCheck({ serverUrl: sim.url, username: 'agent3', password: 'agent3', waitMs: 500 });
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    const r = result.report;
    expect(r.agentStates).toEqual({ source: 'empty', states: [], skipped: 0 });
    expect(r.workspace.callResults.source).toBe('ocs-table');
    expect(r.campaigns).toEqual([]);
    const text = formatCompatReport(r);
    expect(text).toContain('Agent states: none (GET /api/v2/settings/agent-states missing or empty: agents will see no Not Ready reasons)');
    expect(text).toContain('  the GET answered an empty list');
    expect(text).toContain('from the OCS fallback table');
    expect(text).toContain('disposition codes: none');
    expect(text).toContain('automatic dial:    off (outbound.timed-preview-auto-dial not set');
    expect(text).toContain('Campaigns: none known');
  });

  it('reports the preview pacing Workspace configures, and an unreadable countdown as ignored', async () => {
    for (const [timed, expected] of [
      ['12', 'automatic dial:    after 12 s (outbound.timed-preview-auto-dial = 12;'],
      // The value's form is not confirmed: a JSON number is read too.
      [9, 'automatic dial:    after 9 s (outbound.timed-preview-auto-dial = 9;'],
      ['soon', 'automatic dial:    off (outbound.timed-preview-auto-dial = soon, not a number of seconds: ignored;'],
    ] as const) {
      const scenario = { ...loadScenarioFile(DEFAULT_SCENARIO_FILE), workspaceOptions: { 'outbound.timed-preview-auto-dial': timed, 'outbound-callback.ringing-bell': 'RING|5|0' } };
      const sim = await fx.start({ scenario });
      const result = await runCompatCheck({ serverUrl: sim.url, username: 'agent3', password: 'agent3', waitMs: 300 });
      if (!result.ok) throw new Error(JSON.stringify(result.failure));
      const text = formatCompatReport(result.report);
      expect(text).toContain(expected);
      expect(text).toContain('pushed record:     ring (outbound-callback.ringing-bell = RING|5|0)');
      expect(text).not.toMatch(/other options:.*timed-preview/);
    }
  });

  it('a wrong password: no report, the typed error in words', async () => {
    const sim = await fx.start();
    const result = await runCompatCheck({ serverUrl: sim.url, username: 'agent1', password: 'nope', waitMs: 500 });
    expect(result).toMatchObject({ ok: false, failure: { signIn: { ok: false, error: { code: 'AUTH_FAILED' }, explanation: 'the server refused the user name or password' } } });
  });
});

// ---- the CLI as a child process --------------------------------------------------------------------

function cli(args: string[], password = 'agent1'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'main/cli/agent.ts', ...args], { cwd: process.cwd(), env: { ...process.env, GWS_PASSWORD: password }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run agent -- --check', () => {
  it('default dialect: exit 0 and the report in words', async () => {
    const sim = await fx.start();
    const { code, stdout, stderr } = await cli(['--server', sim.url, '--user', 'agent1', '--check', '--wait-ms', '2000', '--probe-dial', '5551234', '--probe-error', '5550003']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`GWS compatibility check: ${sim.url} as agent1`);
    expect(stdout).toContain('Sign-in: OK (device 5001, Not Ready)');
    expect(stdout).toContain('Server version: 8.5.200.50');
    expect(stdout).toMatch(/OutToLunch\s+Out to Lunch\s+reason Lunch/);
    expect(stdout).toContain('from Workspace (outbound.call-result-values)');
    expect(stdout).toMatch(/Collections_Preview\s+Preview\s+announced by the server on sign-in/);
    expect(stdout).toMatch(/errors\s+ErrorMessage\s+\[errors=message\]/);
    expect(stdout).toMatch(/participants\s+objects\s+\[participants=objects\]/);
    expect(stdout).toMatch(/records\s+not observed/);
    expect(stdout).toMatch(/campaign replay on sign-in\s+seen\s+\[campaignReplay=on\]/);
    expect(stdout).toMatch(/referenceId echo \(voice\/agent state\)\s+none\s+\[referenceIdEcho=outbound-only\]/);
    expect(stdout).toMatch(/call id in reads\s+equals callUuid\s+\[callIdInReads=callUuid\]/);
    expect(sim.control.state().agents.find((a) => a.userName === 'agent1')?.contactCenterSession).toBe(false);
  }, 30_000);

  it('non-default dialect with --json: the structured report', async () => {
    const sim = await fx.start({ dialect: NON_DEFAULT });
    const { code, stdout } = await cli(['--server', sim.url, '--user', 'agent1', '--check', '--json', '--wait-ms', '1000', '--probe-dial', PROBES.dial, '--probe-error', PROBES.error, '--probe-record', PROBES.record]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as CompatReport;
    expect(matched(report)).toEqual(CLASSIFIED);
    expect(report.signIn.ok).toBe(true);
  }, 30_000);

  it('a wrong password: exit 1 and a clear message', async () => {
    const sim = await fx.start();
    const { code, stdout, stderr } = await cli(['--server', sim.url, '--user', 'agent1', '--check'], 'wrong');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('sign-in failed: the server refused the user name or password');
    expect(stderr).toContain('AUTH_FAILED');
  }, 30_000);

  it('bad usage: exit 2', async () => {
    const stray = await cli(['--server', 'http://127.0.0.1:1', '--user', 'agent1', '--json']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--json needs --check');
    const wait = await cli(['--server', 'http://127.0.0.1:1', '--user', 'agent1', '--check', '--wait-ms', 'soon']);
    expect(wait.code).toBe(2);
    expect(wait.stderr).toContain('--wait-ms');
  }, 30_000);
});
