/**
 * @doyensec/electronegativity over the app's own code (main, preload, renderer): zero findings
 * beyond the reviewed ones in build/security/electronegativity-accepted.json (docs/security.md).
 * It scans a copy without tests, the simulator and node_modules, as the shipped app holds none.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = process.cwd();
const accepted = (JSON.parse(readFileSync(join(root, 'build/security/electronegativity-accepted.json'), 'utf8')) as {
  accepted: { check: string; file: string; reason: string }[];
}).accepted;

interface Sarif {
  runs: { results: { ruleId: string; locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[] }[] }[];
}

describe('electronegativity', () => {
  it('finds nothing in the app beyond the reviewed, documented findings', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'gws-eneg-'));
    try {
      for (const folder of ['main', 'preload', 'renderer']) cpSync(join(root, folder), join(dir, 'app', folder), { recursive: true });
      cpSync(join(root, 'package.json'), join(dir, 'app', 'package.json'));
      // SARIF, not CSV: the scanner's CSV writer sometimes cuts a row that holds a multi-line sample.
      const out = join(dir, 'findings.sarif');
      const cli = join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');
      const run = spawnSync(process.execPath, [cli, '-i', join(dir, 'app'), '-o', out, '-e', '45.5.0', '-r', '-v', 'false'], { encoding: 'utf8', timeout: 110_000 });
      expect(run.status, run.stderr).toBe(0);
      const sarif = JSON.parse(readFileSync(out, 'utf8')) as Sarif;
      const findings = (sarif.runs[0]?.results ?? []).map((r) => ({ check: r.ruleId, file: r.locations?.[0]?.physicalLocation?.artifactLocation?.uri }));
      const unexpected = findings.filter((f) => !accepted.some((a) => a.check === f.check && a.file === f.file));
      expect(unexpected).toEqual([]);
      const stale = accepted.filter((a) => !findings.some((f) => f.check === a.check && f.file === a.file));
      expect(stale, 'accepted findings that no longer occur: remove them from the list and docs/security.md').toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
