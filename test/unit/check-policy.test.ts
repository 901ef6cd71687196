import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPolicyArgs, runCheckPolicy } from '../../main/cli/check-policy';
import type { PolicyEnvironment } from '../../main/desktop/policy-sources/machine-policy';
import { writePlist } from '../../main/desktop/policy-sources/plist';

import { decodeRegExport } from '../../main/desktop/policy-sources/windows-registry';

const regFixture = (name: string) => decodeRegExport(readFileSync(join(import.meta.dirname, 'fixtures', 'policy', name)));

function machine(files: Record<string, string>, registry: Record<string, string> = {}, platform: NodeJS.Platform = 'linux'): PolicyEnvironment {
  return {
    platform,
    env: {},
    run: async () => ({ stdout: '', exitCode: 1 }),
    regExport: async (key) => (registry[key.slice(0, 4)] !== undefined ? { text: registry[key.slice(0, 4)] ?? '', exitCode: 0 } : { text: '', exitCode: 1 }),
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return text;
    },
    exists: async (path) => path in files,
  };
}

async function check(argv: string[], env: PolicyEnvironment) {
  let stdout = '';
  let stderr = '';
  const code = await runCheckPolicy(argv, env, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('--check-policy arguments', () => {
  it('finds the flag anywhere (the app gets `electron . --check-policy`), one file, --json', () => {
    expect(checkPolicyArgs(['/opt/GWS Softphone/gws-softphone', '--no-sandbox'])).toBeUndefined();
    expect(checkPolicyArgs(['electron', '.', '--check-policy'])).toEqual({ json: false });
    expect(checkPolicyArgs(['--check-policy', 'p.json', '--json'])).toEqual({ file: 'p.json', json: true });
    expect(checkPolicyArgs(['--check-policy', 'a', 'b'])).toMatch(/only one FILE/);
    expect(checkPolicyArgs(['--check-policy', '--verbose'])).toMatch(/unknown option --verbose/);
  });
});

describe('the policy checker', () => {
  it('exit 0 and "no policy" on a machine without one', async () => {
    const r = await check(['--check-policy'], machine({}));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('policy file                     not present /etc/gws-softphone/policy.json');
    expect(r.stdout).toContain('No policy');
  });

  it('prints each effective key, locked or default, with its source (Windows)', async () => {
    const env = machine({ 'C:\\ProgramData\\GWS Softphone\\policy.json': '{"raiseOnRing":true}' }, { HKLM: regFixture('hklm.reg'), HKCU: regFixture('hkcu.reg') }, 'win32');
    env.env = { ProgramData: 'C:\\ProgramData' };
    const r = await check(['--check-policy'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Group Policy \(machine\)\s+read\s+HKLM\\SOFTWARE\\Policies\\GWSSoftphone\\GWS Softphone/);
    expect(r.stdout).toMatch(/updates\.feedUrl\s+locked\s+"https:\/\/updates\.corp\.example\.com\/gws-softphone\/"\n\s+from HKLM\\SOFTWARE\\Policies\\GWSSoftphone\\GWS Softphone\\updates → feedUrl/);
    expect(r.stdout).toMatch(/defaults\.closeToTray\s+default\s+true/);
    expect(r.stdout).toMatch(/raiseOnRing\s+locked\s+false\n\s+from HKCU/);
    expect(r.stdout).toMatch(/campaigns\s+locked\s+"Collections_Preview", "Renewals_Push", "Relance_Été \\"Q3\\""/);
    expect(r.stdout).toContain('Notices:');
    expect(r.stdout).toMatch(/Result: valid \(\d+ settings\)\./);
  });

  it('exit 1 on a malformed file, with every problem', async () => {
    const r = await check(['--check-policy', '/tmp/p.json'], machine({ '/tmp/p.json': '{"updates":{"pinnedVersion":"1.2"},"serverUrl":"x","colour":"red"}' }));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('MALFORMED   /tmp/p.json');
    expect(r.stdout).toContain('updates.pinnedVersion: must be a version like 1.4.2');
    expect(r.stdout).toContain('serverUrl: must be an http:// or https:// URL');
    expect(r.stdout).toContain('colour');
    expect(r.stdout).toContain('Result: MALFORMED');
    expect((await check(['--check-policy', '/tmp/missing.json'], machine({}))).stdout).toContain('/tmp/missing.json: no such file');
    expect((await check(['--check-policy', '/tmp/bad.json'], machine({ '/tmp/bad.json': '{' }))).stdout).toContain('not valid JSON');
  });

  it('checks a .mobileconfig before it is pushed', async () => {
    const ok = writePlist({ PayloadContent: [{ PayloadType: 'com.gwssoftphone.desktop', PayloadUUID: 'x', serverUrl: 'https://gws.example', updates: { ring: 'early' } }] });
    const bad = writePlist({ PayloadContent: [{ PayloadType: 'com.gwssoftphone.desktop', updates: { ring: 'everyone' } }] });
    const env = machine({ 'ok.mobileconfig': ok, 'bad.mobileconfig': bad, 'bin.plist': 'bplist00…' });
    expect(await check(['--check-policy', 'ok.mobileconfig'], env)).toMatchObject({ code: 0, stdout: expect.stringMatching(/updates\.ring\s+locked\s+"early"/) });
    expect(await check(['--check-policy', 'bad.mobileconfig'], env)).toMatchObject({ code: 1, stdout: expect.stringContaining('updates.ring: Invalid option') });
    expect(await check(['--check-policy', 'bin.plist'], env)).toMatchObject({ code: 1, stdout: expect.stringContaining('plutil -convert xml1') });
  });

  it('checks a .reg file (UTF-16 as reg export writes it, or UTF-8), HKLM and HKCU with their precedence', async () => {
    const bytes = readFileSync(join(import.meta.dirname, 'fixtures', 'policy', 'hklm.reg'));
    const env = machine({});
    env.readBytes = async (path) => {
      if (path === 'gpo.reg') return bytes;
      if (path === 'both.reg') return Buffer.from(`${regFixture('hklm.reg')}\r\n${regFixture('hkcu.reg').replace(/^Windows Registry Editor Version 5\.00/, '')}`, 'utf8');
      if (path === 'other.reg') return Buffer.from('Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Other]\r\n"a"="b"\r\n');
      if (path === 'bad.reg') return Buffer.from('hello');
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    };
    const gpo = await check(['--check-policy', 'gpo.reg'], env);
    expect(gpo.code).toBe(0);
    expect(gpo.stdout).toMatch(/Group Policy \(machine\)\s+read\s+gpo\.reg \[HKLM\]/);
    expect(gpo.stdout).toMatch(/campaigns\s+locked\s+"Collections_Preview", "Renewals_Push", "Relance_Été \\"Q3\\""/);
    const both = await check(['--check-policy', 'both.reg'], env);
    expect(both.stdout).toMatch(/place\s+locked\s+"Place_7001"\n\s+from HKLM/);
    expect(both.stdout).toMatch(/raiseOnRing\s+locked\s+false\n\s+from HKCU/);
    expect(both.stdout).toContain('updates ignored');
    expect(await check(['--check-policy', 'other.reg'], env)).toMatchObject({ code: 1, stdout: expect.stringContaining('no values under HKEY_LOCAL_MACHINE or HKEY_CURRENT_USER') });
    expect(await check(['--check-policy', 'bad.reg'], env)).toMatchObject({ code: 1, stdout: expect.stringMatching(/bad\.reg: not a \.reg file/) });
    expect(await check(['--check-policy', 'missing.reg'], env)).toMatchObject({ code: 1, stdout: expect.stringContaining('cannot be read (ENOENT)') });
  });

  it('--json for scripts; exit 2 on bad usage', async () => {
    const r = await check(['--check-policy', 'p.json', '--json'], machine({ 'p.json': '{"place":"P1","defaults":{"closeToTray":true}}' }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      sources: [{ kind: 'file', source: 'p.json', state: 'read' }],
      policy: { place: 'P1', defaults: { closeToTray: true } },
      origins: { place: 'p.json → place', 'defaults.closeToTray': 'p.json → defaults.closeToTray' },
      problems: [],
      notices: [],
    });
    const usage = await check(['--check-policy', '--nope'], machine({}));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: gws-softphone --check-policy');
  });
});

describe('npm run agent -- --check-policy (the real process)', () => {
  it('exits 0 on a valid file and 1 on a malformed one', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'check-policy-'));
    writeFileSync(join(dir, 'good.json'), '{"version":1,"serverUrl":"https://gws.example"}');
    writeFileSync(join(dir, 'bad.json'), '{"version":2}');
    const run = (file: string) => spawnSync(process.execPath, ['--import', 'tsx', 'main/cli/agent.ts', '--check-policy', join(dir, file)], { encoding: 'utf8', timeout: 30_000 });
    const good = run('good.json');
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/serverUrl\s+locked\s+"https:\/\/gws\.example"/);
    const bad = run('bad.json');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('version: Invalid input: expected 1');
  }, 60_000);
});
