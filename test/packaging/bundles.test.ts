/**
 * The built bundles load: every import of out/main/index.js resolves at run time (a named export
 * missing from a CommonJS dependency would only show in the packaged app), and the sandboxed
 * preload exposes exactly the contract — one function per command plus `on`, never ipcRenderer.
 * `electron` is a stand-in (test/fixtures/electron-stub): the binary cannot be downloaded here.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { commandNames } from '../../preload/channels';

const root = process.cwd();
const register = join(root, 'test/fixtures/electron-stub/register.mjs');

beforeAll(() => {
  if (!existsSync(join(root, 'out/main/index.js')) || !existsSync(join(root, 'out/preload/index.cjs'))) {
    execFileSync(process.execPath, ['build/scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  }
}, 240_000);

describe('built bundles', () => {
  it('the main bundle loads with all its imports, and a second instance quits at once', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', register, '--input-type=module', '-e', "await import('./out/main/index.js'); console.log(JSON.stringify({ quit: globalThis.__electronStubQuit === true }));"],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual({ quit: true });
  });

  it('the preload exposes one function per command and on(), nothing else', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        register,
        '-e',
        "require('./out/preload/index.cjs'); const api = require('electron').__exposed.softphone; console.log(JSON.stringify({ keys: Object.keys(api).sort(), types: [...new Set(Object.values(api).map((v) => typeof v))], frozen: Object.isFrozen(api) }));",
      ],
      { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ELECTRON_STUB_PROCESS: 'preload' } },
    );
    expect(run.status, run.stderr).toBe(0);
    const exposed = JSON.parse(run.stdout.trim()) as { keys: string[]; types: string[]; frozen: boolean };
    expect(exposed.keys).toEqual([...commandNames, 'on'].sort());
    expect(exposed.types).toEqual(['function']);
    expect(exposed.frozen).toBe(true);
  });
});
