/**
 * The policy checker: `gws-softphone --check-policy [file] [--json]` (the installed app) and
 * `npm run agent -- --check-policy [file] [--json]`. Prints every source the OS offers (or the one
 * file given), the effective policy with the source of each key, and every problem. Exit 0: the
 * policy is valid (or there is none); 1: malformed (the app would ignore it); 2: bad usage.
 * Electron-free: the app's main process runs the same function before it starts anything.
 */
import { extname } from 'node:path';
import type { EffectivePolicy, PolicyEnvironment, PolicySourceReading } from '../desktop/policy-sources/machine-policy';
import { SOURCE_LABELS, combinePolicySources, leafPaths, readPolicySources } from '../desktop/policy-sources/machine-policy';
import { payloadOfProfile } from '../desktop/policy-sources/macos-managed';
import { POLICY_REGISTRY_PATH, decodeRegExport, registryReading } from '../desktop/policy-sources/windows-registry';
import { policyKeys } from '../desktop/policy-sources/schema-keys';

export const CHECK_POLICY_FLAG = '--check-policy';

export const CHECK_POLICY_USAGE = `usage: gws-softphone --check-policy [FILE] [--json]
  no FILE   the policy this machine would apply: Group Policy (Windows), configuration profiles
            (macOS) and the policy file, with the source of each key
  FILE      check one file before a rollout: policy.json, a .reg file (HKLM/HKCU\\${POLICY_REGISTRY_PATH}),
            a .mobileconfig or a managed-preferences .plist (XML)
  --json    the report as JSON
  exit: 0 valid (or no policy), 1 malformed (the app would ignore the whole policy), 2 bad usage`;

export interface CheckPolicyRequest {
  file?: string;
  json: boolean;
}

/** The arguments after `--check-policy`, or undefined when the flag is absent. A usage error is a string. */
export function checkPolicyArgs(argv: readonly string[]): CheckPolicyRequest | string | undefined {
  const at = argv.indexOf(CHECK_POLICY_FLAG);
  if (at < 0) return undefined;
  const request: CheckPolicyRequest = { json: false };
  for (const arg of argv.slice(at + 1)) {
    if (arg === '--json') request.json = true;
    else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (request.file === undefined) request.file = arg;
    else return `only one FILE may be given (got ${request.file} and ${arg})`;
  }
  return request;
}

async function readRegFile(file: string, environment: PolicyEnvironment): Promise<PolicySourceReading[]> {
  let text: string;
  try {
    text = environment.readBytes ? decodeRegExport(await environment.readBytes(file)) : await environment.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return [{ kind: 'group-policy-machine', scope: 'machine', source: file, state: 'invalid', problem: `cannot be read (${code ?? String(error)})` }];
  }
  const keys = policyKeys();
  const readings: PolicySourceReading[] = (
    [
      ['HKEY_LOCAL_MACHINE', 'group-policy-machine', 'machine'],
      ['HKEY_CURRENT_USER', 'group-policy-user', 'user'],
    ] as const
  ).map(([hive, kind, scope]) => {
    const r = registryReading(text, `${hive}\\${POLICY_REGISTRY_PATH}`, `${file} [${hive === 'HKEY_LOCAL_MACHINE' ? 'HKLM' : 'HKCU'}]`, keys);
    return r.state === 'read' ? { kind, scope, state: 'read', source: r.source, value: r.policy.value, origins: r.policy.origins } : { kind, scope, ...r };
  });
  if (readings.every((r) => r.state === 'none')) {
    return [{ kind: 'group-policy-machine', scope: 'machine', source: file, state: 'invalid', problem: `no values under HKEY_LOCAL_MACHINE or HKEY_CURRENT_USER\\${POLICY_REGISTRY_PATH}` }];
  }
  // The same parse error would be reported twice (once per hive): once is enough.
  const invalid = readings.find((r) => r.state === 'invalid');
  return invalid && readings.every((r) => r.state === 'invalid' && r.problem === invalid.problem) ? [{ ...invalid, source: file }] : readings;
}

async function readOneFile(file: string, environment: PolicyEnvironment): Promise<PolicySourceReading[]> {
  const ext = extname(file).toLowerCase();
  if (ext === '.reg') return readRegFile(file, environment);
  if (ext === '.mobileconfig' || ext === '.plist' || ext === '.xml') {
    let text: string;
    try {
      text = await environment.readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      return [{ kind: 'profile-device', scope: 'machine', source: file, state: 'invalid', problem: `cannot be read (${code ?? String(error)})` }];
    }
    if (text.startsWith('bplist')) {
      return [{ kind: 'profile-device', scope: 'machine', source: file, state: 'invalid', problem: 'a binary property list: convert it first with `plutil -convert xml1 <file>`' }];
    }
    return [{ kind: 'profile-device', scope: 'machine', ...payloadOfProfile(text, file) }];
  }
  // JSON: exactly as the app reads the policy file (a missing file is reported, not "no policy").
  const readings = await readPolicySources({ ...environment, platform: 'linux', jsonPath: file });
  return readings.map((r) => (r.state === 'none' ? { ...r, state: 'invalid' as const, problem: 'no such file' } : r));
}

export interface CheckPolicyReport {
  ok: boolean;
  effective: EffectivePolicy;
}

export async function checkPolicy(request: CheckPolicyRequest, environment: PolicyEnvironment): Promise<CheckPolicyReport> {
  const readings = request.file !== undefined ? await readOneFile(request.file, environment) : await readPolicySources(environment);
  const effective = combinePolicySources(readings);
  return { ok: effective.problems.length === 0, effective };
}

function show(value: unknown): string {
  return Array.isArray(value) ? value.map((v) => JSON.stringify(v)).join(', ') : JSON.stringify(value);
}

function getPath(value: unknown, path: string[]): unknown {
  let node = value;
  for (const part of path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}

export function formatPolicyReport(report: CheckPolicyReport): string {
  const { effective } = report;
  const lines: string[] = ['GWS Softphone policy check', '', 'Sources, highest precedence first:'];
  for (const s of effective.sources) {
    const state = s.state === 'read' ? 'read' : s.state === 'none' ? 'not present' : 'MALFORMED';
    lines.push(`  ${SOURCE_LABELS[s.kind].padEnd(31)} ${state.padEnd(11)} ${s.source}`);
  }
  lines.push('');
  const paths = leafPaths(effective.policy as Record<string, unknown>);
  if (report.ok && paths.length > 0) {
    lines.push('Effective policy (locked: the agent cannot change it; default: a starting value the agent may change):');
    const width = Math.max(...paths.map((p) => p.join('.').length));
    for (const path of paths) {
      const id = path.join('.');
      const how = path[0] === 'defaults' ? 'default' : 'locked ';
      lines.push(`  ${id.padEnd(width)}  ${how}  ${show(getPath(effective.policy, path))}`);
      lines.push(`  ${''.padEnd(width)}           from ${effective.origins[id] ?? '?'}`);
    }
    lines.push('');
  } else if (report.ok) {
    lines.push('No policy: every setting is the agent’s own choice, then the built-in default.', '');
  }
  if (effective.problems.length > 0) {
    lines.push('Problems:');
    for (const p of effective.problems) lines.push(`  - ${p}`);
    lines.push('');
  }
  if (effective.notices.length > 0) {
    lines.push('Notices:');
    for (const n of effective.notices) lines.push(`  - ${n}`);
    lines.push('');
  }
  lines.push(
    report.ok
      ? `Result: valid${paths.length > 0 ? ` (${paths.length} setting${paths.length === 1 ? '' : 's'})` : ''}.`
      : 'Result: MALFORMED. The app ignores the whole policy and runs on the agents’ own settings until it is fixed.',
  );
  return `${lines.join('\n')}\n`;
}

export function policyReportJson(report: CheckPolicyReport): string {
  const { effective } = report;
  return `${JSON.stringify(
    {
      ok: report.ok,
      sources: effective.sources.map((s) => ({ kind: s.kind, source: s.source, state: s.state, ...(s.problem !== undefined && { problem: s.problem }) })),
      policy: effective.policy,
      origins: effective.origins,
      problems: effective.problems,
      notices: effective.notices,
    },
    null,
    2,
  )}\n`;
}

export interface CheckPolicyOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs the checker for argv (the part after the flag is read); returns the exit code. */
export async function runCheckPolicy(argv: readonly string[], environment: PolicyEnvironment, out: CheckPolicyOutput): Promise<number> {
  const request = checkPolicyArgs(argv);
  if (request === undefined || typeof request === 'string') {
    out.stderr(`${request ?? 'missing --check-policy'}\n${CHECK_POLICY_USAGE}\n`);
    return 2;
  }
  const report = await checkPolicy(request, environment);
  out.stdout(request.json ? policyReportJson(report) : formatPolicyReport(report));
  return report.ok ? 0 : 1;
}
