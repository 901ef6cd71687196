/**
 * `electron-builder --linux dir` with a stand-in Electron distribution (offline: no Electron zip is
 * downloaded, see TOOLCHAIN.md): app.asar holds main, preload and renderer and nothing else of the
 * repository, and app-update.yml points at the configured feed. Needs electron-builder installed
 * and a build in out/ (made here when missing).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'node_modules', 'electron-builder', 'cli.js');
const FEED = 'https://updates.corp.test/gws-softphone/';

// electron-builder is a dev dependency: when it is missing the test fails rather than skips.
describe('electron-builder --linux dir (stand-in Electron)', () => {
  const work = mkdtempSync(join(tmpdir(), 'gws-pack-'));
  const dist = join(work, 'electron-dist');
  const output = join(work, 'release');
  let files: string[] = [];
  let updateYml = '';

  beforeAll(() => {
    if (!existsSync(join(root, 'out', 'main', 'index.js')) || !existsSync(join(root, 'out', 'renderer', 'index.html'))) {
      execFileSync(process.execPath, ['build/scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
    }
    mkdirSync(join(dist, 'resources'), { recursive: true });
    mkdirSync(join(dist, 'locales'), { recursive: true });
    writeFileSync(join(dist, 'electron'), '#!/bin/sh\necho stand-in electron\n');
    chmodSync(join(dist, 'electron'), 0o755);
    const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
    writeFileSync(join(dist, 'version'), electronVersion);
    writeFileSync(join(dist, 'LICENSE'), 'stand-in');
    writeFileSync(join(dist, 'LICENSES.chromium.html'), '<p>stand-in</p>');
    writeFileSync(join(dist, 'locales', 'en-US.pak'), '');

    const run = spawnSync(
      process.execPath,
      [cli, '--linux', 'dir', '--publish', 'never', `-c.electronDist=${dist}`, `-c.directories.output=${output}`, `-c.publish.url=${FEED}`],
      { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_BUILDER_OFFLINE: 'true', CSC_IDENTITY_AUTO_DISCOVERY: 'false' }, timeout: 180_000 },
    );
    if (run.status !== 0) throw new Error(`electron-builder failed (${run.status}):\n${run.stdout}\n${run.stderr}`);

    const resources = join(output, 'linux-unpacked', 'resources');
    const asar = createRequire(join(root, 'package.json'))('@electron/asar') as { listPackage(path: string, options: { isPack: boolean }): string[] };
    files = asar.listPackage(join(resources, 'app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    updateYml = readFileSync(join(resources, 'app-update.yml'), 'utf8');
  }, 240_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds main, preload and renderer', () => {
    for (const file of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html']) expect(files).toContain(file);
  });

  it('holds no sources, tests, simulator, harness or source maps', () => {
    const offending = files.filter((f) =>
      /^\/(main|preload|renderer|sim|test|build|docs|src)\//.test(f) || /\/(harness|__tests__)\//.test(f) || /\.(test|spec)\.[cm]?[jt]s$/.test(f) || f.endsWith('.map') || /\.ts$/.test(f.replace(/\.d\.ts$/, '')),
    );
    expect(offending.filter((f) => !f.startsWith('/node_modules/'))).toEqual([]);
    expect(files.some((f) => f.startsWith('/node_modules/cometd-nodejs-server/'))).toBe(false);
  });

  it('ships the tray icons beside the archive', () => {
    expect(existsSync(join(output, 'linux-unpacked', 'resources', 'tray', 'readyTemplate.png'))).toBe(true);
  });

  it('writes app-update.yml for the configured generic feed', () => {
    expect(updateYml).toMatch(/provider: generic/);
    expect(updateYml).toContain(`url: ${FEED}`);
    expect(updateYml).toMatch(/updaterCacheDirName: gws-softphone-updater/);
  });
});
