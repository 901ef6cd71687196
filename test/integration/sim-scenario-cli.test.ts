import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_FILE, loadScenarioFile } from '../../sim/index';
import { useSimulator } from '../support/sim-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'sim-scenario-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const fx = useSimulator({ per: 'manual' });

describe('scenario files', () => {
  it('loads the built-in scenario: 2+ agents, a Preview and a PushPreview campaign, 25+ records incl. hostile text', async () => {
    const sim = await fx.start();
    const truth = sim.control.state();
    expect(truth.agents.map((a) => [a.userName, a.dn])).toEqual(expect.arrayContaining([['agent1', '5001'], ['agent2', '5002']]));
    const records = truth.campaigns.flatMap((c) => c.records as unknown[]);
    expect(records.length).toBeGreaterThanOrEqual(25);
    expect(truth.campaigns.map((c) => c.dialingMode)).toEqual(['Preview', 'PushPreview']);
    const values = loadScenarioFile(DEFAULT_SCENARIO_FILE).campaigns.flatMap((c) => c.records.flatMap((r) => Object.values(r.fields)));
    expect(values).toContain('<img src=x onerror=alert(1)>');
    expect(values).toContain('<script>alert(1)</script>');
    expect(values.some((v) => typeof v === 'string' && v.length >= 2000)).toBe(true);
  });

  it('reads YAML and JSON', () => {
    const yaml = file('ok.yaml', 'agents:\n  - { userName: u, password: p, place: P, dn: "7001", group: G }\n');
    expect(loadScenarioFile(yaml).agents[0]?.dn).toBe('7001');
    const json = file('ok.json', JSON.stringify({ agents: [{ userName: 'u', password: 'p', place: 'P', dn: '7001', group: 'G' }] }));
    expect(loadScenarioFile(json).campaigns).toEqual([]);
  });

  it('names the file and the field path of a bad scenario', () => {
    const bad = file('bad.yaml', [
      'agents:',
      '  - { userName: u, password: p, place: P, dn: "7001", group: G }',
      'campaigns:',
      '  - name: C',
      '    dialingMode: Preview',
      '    group: G',
      '    callingList: L',
      '    applicationId: 1',
      '    records:',
      '      - { phoneNumber: "1", timeZone: Mars/Olympus }',
    ].join('\n'));
    expect(() => loadScenarioFile(bad)).toThrow(/bad\.yaml.*campaigns\.0\.records\.0\.timeZone/);
    const unknownKey = file('bad2.json', JSON.stringify({ agents: [{ userName: 'u', password: 'p', place: 'P', dn: 'x', group: 'G' }] }));
    expect(() => loadScenarioFile(unknownKey)).toThrow(/bad2\.json.*agents\.0\.dn/);
    const renamed = file('bad4.yaml', 'agents:\n  - { userName: u, password: p, place: P, dn: "7001", group: G }\nnotReadyReasons:\n  - { code: Lunch, displayName: Lunch }\n');
    expect(() => loadScenarioFile(renamed)).toThrow(/bad4\.yaml: notReadyReasons: .*use agentStates/);
    const badState = file('bad5.json', JSON.stringify({ agents: [{ userName: 'u', password: 'p', place: 'P', dn: '7001', group: 'G' }], agentStates: [{ operationName: 'NotReady' }] }));
    expect(() => loadScenarioFile(badState)).toThrow(/agentStates\.0\.operationName: duplicate or built-in operationName NotReady/);
    const notYaml = file('bad3.yaml', 'agents: [ {');
    expect(() => loadScenarioFile(notYaml)).toThrow(/bad3\.yaml/);
    return expect(fx.start({ scenario: bad })).rejects.toThrow(/timeZone/);
  });
});

describe('CLI', () => {
  const children: Array<ReturnType<typeof spawn>> = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  /** Starts the CLI; resolves once it printed its URL and `readyWhen`. */
  const serving = async (args: string[], readyWhen: string): Promise<{ child: ReturnType<typeof spawn>; url: string; out: string }> => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sim/cli.ts', ...args], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
      child.stdout?.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m?.[1] && out.includes(readyWhen)) {
          clearTimeout(t);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    return { child, url, out };
  };

  it('prints its URL and the agent logins, serves, and stops on SIGTERM', async () => {
    const { child, url, out } = await serving(['--port', '0', '--control', '--answer-ms', '100'], 'agent2');
    expect(out).toContain('agent1 / agent1 / Place_5001 / 5001');
    const version = (await (await fetch(`${url}/api/v2/diagnostics/version`)).json()) as { statusCode: number };
    expect(version.statusCode).toBe(0);
    expect((await fetch(`${url}/sim/control/state`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  /** Runs the CLI to its exit; resolves with the exit code and stderr. */
  const runToExit = (args: string[]): Promise<{ code: number | null; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'sim/cli.ts', ...args], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let stderr = '';
      child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
    });

  it('validates --dialect: an unknown key, an unknown value or a malformed entry exits 2 with the reason', async () => {
    const badValue = await runToExit(['--port', '0', '--dialect', 'errors=loud']);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain('--dialect: dialect errors must be one of message, notification');
    const badKey = await runToExit(['--port', '0', '--dialect', 'colour=red']);
    expect([badKey.code, badKey.stderr]).toEqual([2, expect.stringContaining('unknown dialect key colour')]);
    const malformed = await runToExit(['--port', '0', '--dialect', 'errors']);
    expect([malformed.code, malformed.stderr]).toEqual([2, expect.stringContaining('not key=value')]);
  });

  it('--dialect sets the dialect (repeatable), shown by the control API', async () => {
    const { child, url, out } = await serving(
      ['--port', '0', '--control', '--dialect', 'errors=notification,participants=strings', '--dialect', 'callIdInReads=connId'],
      'Dialect:',
    );
    expect(out).toContain('errors=notification,participants=strings');
    const dialect = (await (await fetch(`${url}/sim/control/dialect`)).json()) as Record<string, string>;
    expect(dialect).toEqual({ errors: 'notification', participants: 'strings', records: 'top-level', campaignReplay: 'on', referenceIdEcho: 'outbound-only', callIdInReads: 'connId', recordingState: 'named' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('--help lists every dialect key with its values, default first', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sim/cli.ts', '--help'], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    await new Promise((resolve) => child.on('exit', resolve));
    for (const line of ['errors=message|notification', 'participants=objects|strings', 'records=top-level|user-data', 'campaignReplay=on|off', 'referenceIdEcho=outbound-only|all', 'callIdInReads=callUuid|connId']) {
      expect(out).toContain(line);
    }
  });
});
