/**
 * `gws-softphone --check-policy` in the built main bundle (out/main/index.js), with the `electron`
 * stand-in of test/fixtures/electron-stub: the checker runs before anything else (no single-instance
 * lock, no window), prints its report and exits with its code through app.exit().
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();
const register = join(root, 'test/fixtures/electron-stub/register.mjs');

beforeAll(() => {
  if (!existsSync(join(root, 'out/main/index.js'))) execFileSync(process.execPath, ['build/scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
}, 240_000);

// app.exit() records the code; the stand-in's quit() (the single-instance path) sets __electronStubQuit.
const script = `
const electron = (await import('electron')).default;
electron.app.exit = (code) => { globalThis.__exit = code; };
await import('./out/main/index.js');
await new Promise((resolve) => setTimeout(resolve, 1500));
console.log(JSON.stringify({ exit: globalThis.__exit ?? null, lockTaken: globalThis.__electronStubQuit === true }));
`;

function runApp(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', register, '--input-type=module', '-e', script, '--', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  const lines = run.stdout.trim().split('\n');
  return { ...(JSON.parse(lines.pop() ?? '{}') as { exit: number | null; lockTaken: boolean }), report: lines.join('\n'), stderr: run.stderr };
}

describe('the built app: --check-policy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'check-policy-bundle-'));
  writeFileSync(join(dir, 'good.json'), '{"serverUrl":"https://gws.example","defaults":{"closeToTray":true}}');
  writeFileSync(join(dir, 'bad.json'), '{"updates":{"ring":"everyone"}}');

  it('prints the report and exits 0 for a valid policy, before the single-instance lock', () => {
    const r = runApp('--check-policy', join(dir, 'good.json'));
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.report).toMatch(/serverUrl\s+locked\s+"https:\/\/gws\.example"/);
    expect(r.report).toMatch(/defaults\.closeToTray\s+default\s+true/);
    expect(r).toMatchObject({ exit: 0, lockTaken: false });
  });

  it('exits 1 for a malformed one and 2 on bad usage', () => {
    const bad = runApp('--check-policy', join(dir, 'bad.json'));
    expect(bad.report).toContain('updates.ring: Invalid option');
    expect(bad).toMatchObject({ exit: 1, lockTaken: false });
    expect(runApp('--check-policy', '--what')).toMatchObject({ exit: 2, lockTaken: false });
  });
});
