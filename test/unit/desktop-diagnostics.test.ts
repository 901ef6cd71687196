import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnosticsArchive, diagnosticsFileName } from '../../main/desktop/diagnostics';
import { tar } from '../../main/desktop/tar';

const dir = mkdtempSync(join(tmpdir(), 'gws-diag-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const input = {
  now: Date.UTC(2025, 0, 2, 3, 4, 5),
  versions: { app: '0.1.0', electron: '45.5.0', node: '22.0.0' },
  platform: { os: 'linux', release: '6.1', arch: 'x64' },
  appInfo: { version: '0.1.0', defaultServerUrl: 'https://agent1:hunter2@gws.example', locked: [], shell: 'electron' as const },
  settings: { username: 'agent1', encryptedPassword: 'safeStorage:v1:QUJD', serverUrl: 'https://gws.example' },
  policy: { state: 'applied' as const, path: '/etc/gws-softphone/policy.json', policy: { serverUrl: 'https://gws.example' } },
  logs: [{ name: 'main.log', text: '[info] POST /api/v2/me\nAuthorization: Basic c2VjcmV0\nCookie: JSESSIONID=node0abc\n{"password":"hunter2"}\n' }],
  agent: { connection: { state: 'connected' } },
};

describe('diagnostics archive', () => {
  it('is a .tar.gz that tar extracts, with logs, versions, settings and policy, and no secret', () => {
    const file = join(dir, diagnosticsFileName(input.now));
    expect(file).toMatch(/gws-softphone-diagnostics-2025-01-02T03-04-05-000Z\.tar\.gz$/);
    const archive = diagnosticsArchive(input);
    writeFileSync(file, archive);
    const listing = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(listing).toEqual(
      ['about.json', 'agent-state.json', 'logs/main.log', 'policy.json', 'settings.json'].map((f) => `gws-softphone-diagnostics/${f}`),
    );
    execFileSync('tar', ['-xzf', file, '-C', dir]);
    const root = join(dir, 'gws-softphone-diagnostics');
    const all = [...readdirSync(root), ...readdirSync(join(root, 'logs')).map((f) => `logs/${f}`)]
      .filter((f) => f !== 'logs')
      .map((f) => readFileSync(join(root, f), 'utf8'))
      .join('\n');
    for (const secret of ['hunter2', 'c2VjcmV0', 'node0abc', 'QUJD']) expect(all).not.toContain(secret);
    expect(JSON.parse(readFileSync(join(root, 'settings.json'), 'utf8'))).toMatchObject({ username: 'agent1', rememberedSignIn: true });
    expect(JSON.parse(readFileSync(join(root, 'about.json'), 'utf8')).versions.electron).toBe('45.5.0');
    expect(gunzipSync(archive).length % 512).toBe(0);
  });

  it('writes long names with the ustar prefix and refuses unsafe ones', () => {
    const long = `${'d'.repeat(120)}/file.txt`;
    const file = join(dir, 'long.tar');
    writeFileSync(file, tar([{ name: long, data: 'x' }]));
    expect(execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim()).toBe(long);
    expect(() => tar([{ name: '../evil', data: '' }])).toThrow(/unsafe/);
    expect(() => tar([{ name: '/etc/passwd', data: '' }])).toThrow(/unsafe/);
  });
});
