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

/** RFC 4180-ish: quoted fields may hold commas and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split(/\r?\n/).filter(Boolean)) {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        cells.push(cell.trim());
        cell = '';
      } else cell += ch;
    }
    cells.push(cell.trim());
    rows.push(cells);
  }
  return rows;
}

describe('electronegativity', () => {
  it('finds nothing in the app beyond the reviewed, documented findings', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'gws-eneg-'));
    try {
      for (const folder of ['main', 'preload', 'renderer']) cpSync(join(root, folder), join(dir, 'app', folder), { recursive: true });
      cpSync(join(root, 'package.json'), join(dir, 'app', 'package.json'));
      const out = join(dir, 'findings.csv');
      const cli = join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');
      const run = spawnSync(process.execPath, [cli, '-i', join(dir, 'app'), '-o', out, '-e', '45.5.0', '-r', '-v', 'false'], { encoding: 'utf8', timeout: 110_000 });
      expect(run.status, run.stderr).toBe(0);
      const [header, ...rows] = parseCsv(readFileSync(out, 'utf8'));
      expect(header?.[0]).toBe('issue');
      const findings = rows.map((r) => ({ check: r[0]!, file: r[3]!, location: r[4]!, sample: r[5]! }));
      const unexpected = findings.filter((f) => !accepted.some((a) => a.check === f.check && a.file === f.file));
      expect(unexpected).toEqual([]);
      const stale = accepted.filter((a) => !findings.some((f) => f.check === a.check && f.file === a.file));
      expect(stale, 'accepted findings that no longer occur: remove them from the list and docs/security.md').toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
