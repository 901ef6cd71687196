// `npm test`: lint, type checks, every Vitest suite, then the Playwright suites (renderer in Debian's
// Chromium through the browser harness; Electron where a binary exists). Each step runs even when an
// earlier one failed, so one run reports everything. The last line is `N passed, N failed[, N skipped]`
// (CI reads it): tests count one each, and lint and each type check count as one check.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const results = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
mkdirSync('test-results', { recursive: true });

function run(name, command, args, env = {}) {
  console.log(`\n── ${name}: ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function check(name, command, args) {
  if (run(name, command, args)) results.passed += 1;
  else {
    results.failed += 1;
    failures.push(name);
  }
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const only = process.argv.slice(2);
const wants = (step) => only.length === 0 || only.includes(step);

if (wants('lint')) check('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
// The GitHub Actions workflows against the workflow schema (offline; build/scripts/lint-workflows.ts).
if (wants('workflows')) check('workflows (action-validator)', 'npx', ['tsx', 'build/scripts/lint-workflows.ts']);
if (wants('typecheck')) {
  check('typecheck node (sim, tests, scripts)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
  check('typecheck main', 'npx', ['tsc', '--noEmit', '-p', 'main/tsconfig.json']);
  check('typecheck preload', 'npx', ['tsc', '--noEmit', '-p', 'preload/tsconfig.json']);
  check('typecheck bench', 'npx', ['tsc', '--noEmit', '-p', 'bench/tsconfig.json']);
  check('typecheck browser tests (Playwright specs)', 'npx', ['tsc', '--noEmit', '-p', 'test/e2e/tsconfig.json']);
  check('typecheck component tests (svelte-check)', 'npx', ['svelte-check', '--tsconfig', 'test/component/tsconfig.json', '--fail-on-warnings', '--output', 'human']);
  check('typecheck renderer (svelte-check)', 'npx', ['svelte-check', '--tsconfig', 'renderer/tsconfig.json', '--fail-on-warnings', '--output', 'human']);
}

// Built once, before the suites: the packaging tests and the browser tests use out/.
const built = !(wants('vitest') || wants('e2e')) || run('build (main, preload, renderer)', 'npm', ['run', 'build']);
if (!built) {
  results.failed += 1;
  failures.push('build');
}

if (wants('vitest')) {
  const out = 'test-results/vitest.json';
  const ok = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  const report = readJson(out);
  if (report) {
    results.passed += report.numPassedTests ?? 0;
    results.failed += (report.numFailedTests ?? 0) + (ok || report.numFailedTests ? 0 : 1);
    results.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    if (!ok) failures.push('vitest');
  } else {
    results.failed += 1;
    failures.push('vitest (no report)');
  }
}

// A short fault soak: exits non-zero on any call, operation or record outcome lost or doubled.
if (wants('soak')) check('soak --quick (faults against the simulator)', 'npx', ['tsx', 'soak/run.ts', '--quick']);

if (wants('e2e')) {
  if (built) {
    const out = 'test-results/playwright.json';
    const ok = run('playwright', 'npx', ['playwright', 'test']);
    const report = existsSync(out) ? readJson(out) : undefined;
    if (report?.stats) {
      const s = report.stats;
      results.passed += (s.expected ?? 0) + (s.flaky ?? 0);
      results.failed += (s.unexpected ?? 0) + (ok || s.unexpected ? 0 : 1);
      results.skipped += s.skipped ?? 0;
      if (!ok) failures.push('playwright');
    } else {
      results.failed += 1;
      failures.push('playwright (no report)');
    }
    // The benchmark runs small so it never rots; its numbers are reported, not asserted.
    check('bench --quick (numbers not asserted)', 'npx', ['tsx', 'bench/run.ts', '--quick', '--no-build']);
  }
}

if (failures.length > 0) console.log(`\nFailed steps: ${failures.join(', ')}`);
const line = `${results.passed} passed, ${results.failed} failed${results.skipped ? `, ${results.skipped} skipped` : ''}`;
writeFileSync('test-results/summary.txt', `${line}\n`);
console.log(line);
process.exit(results.failed === 0 ? 0 : 1);
