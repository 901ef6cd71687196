import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lintWorkflow, workflowFiles } from '../../build/scripts/lint-workflows';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  needs?: string | string[];
  strategy?: { matrix: { include: { name: string; os: string; targets: string }[] } };
  steps: Step[];
}
const load = (name: string) => parse(readFileSync(`.github/workflows/${name}`, 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, Job> };

describe('workflow linter (offline)', () => {
  it('finds the committed workflows valid', () => {
    const files = workflowFiles();
    expect(files).toEqual(['.github/workflows/ci.yml', '.github/workflows/release.yml']);
    for (const file of files) expect(lintWorkflow(readFileSync(file, 'utf8'), file)).toEqual([]);
  });

  it('reports a YAML error with its place, and schema errors with their path', () => {
    expect(lintWorkflow('on: push\njobs:\n  a:\n    name: x: y\n', 'bad.yml')).toEqual([expect.objectContaining({ file: 'bad.yml', line: 4, message: expect.stringContaining('Parse Error') })]);
    const findings = lintWorkflow('on:\n  push:\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: b\n    timeout-minutes: soon\n    steps:\n      - run: echo\n', 'bad.yml');
    expect(findings.map((f) => f.message).join('\n')).toMatch(/timeout-minutes/);
    expect(lintWorkflow('on:\n  push:\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: b\n    steps:\n      - run: echo\n', 'bad.yml').map((f) => f.message).join('\n')).toMatch(/unresolved job b|Unresolved job/i);
  });
});

describe('the release workflow', () => {
  const release = load('release.yml');
  const build = release.jobs['build'];
  const steps = build?.steps ?? [];
  const run = steps.map((s) => s.run ?? '').join('\n');

  it('builds on Windows, macOS and Ubuntu with the installer targets IT deploys', () => {
    const include = build?.strategy?.matrix.include ?? [];
    expect(include.map((m) => m.os)).toEqual(['windows-latest', 'macos-latest', 'ubuntu-latest']);
    expect(include.map((m) => m.targets)).toEqual([expect.stringContaining('--win nsis msi'), expect.stringContaining('--mac dmg zip'), expect.stringContaining('--linux AppImage deb')]);
    expect(Object.keys(release.on)).toEqual(['push', 'workflow_dispatch']);
  });

  it('installs with the Electron binary, builds, and runs the _electron specs (xvfb on Linux) against the packaged app', () => {
    expect(run).toContain('npm ci');
    expect(run).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    expect(run).toContain("require('electron')");
    expect(run).toContain('npm run build');
    expect(run).toMatch(/xvfb-run -a npx playwright test test\/electron/);
    expect(run).toMatch(/GWS_ELECTRON_APP=/);
    expect(steps.find((s) => s.run?.includes('playwright'))?.env).toEqual({ GWS_ELECTRON_REQUIRED: '1' });
  });

  it('signs and notarizes from secrets, and says so when they are absent', () => {
    const installers = steps.find((s) => s.run?.includes('electron-builder'));
    expect(Object.values(installers?.env ?? {}).join(' ')).toMatch(/secrets\.WIN_CSC_LINK.*secrets\.MAC_CSC_LINK.*secrets\.APPLE_API_KEY_P8/s);
    expect(installers?.run).toContain('::notice title=Not signed::');
    expect(installers?.run).toContain('::notice title=Not notarized::');
    expect(installers?.run).toContain('--publish never');
  });

  it('uploads installers and feed files, then one IT feed folder with the policy templates', () => {
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact') && String(s.with?.['path']).includes('latest*.yml'));
    for (const pattern of ['*.exe', '*.msi', '*.dmg', '*.zip', '*.AppImage', '*.deb', '*.blockmap', 'latest*.yml']) expect(String(upload?.with?.['path'])).toContain(`release/${pattern}`);
    const feed = release.jobs['feed'];
    expect(feed?.needs).toBe('build');
    expect(feed?.steps.map((s) => s.with?.['name']).filter(Boolean)).toEqual(['it-feed', 'it-policy-templates']);
  });
});

describe('the ci workflow', () => {
  it('runs .ci/run', () => {
    const ci = load('ci.yml');
    expect(ci.jobs['test']?.steps.map((s) => s.run).filter(Boolean)).toEqual(['bash .ci/run']);
  });
});
