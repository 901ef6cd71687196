/**
 * The effective IT policy of this machine, from every source the OS offers, electron-free.
 *
 * Precedence, per key (a key set by a higher source wins; objects are merged key by key):
 *   Windows: HKLM\SOFTWARE\Policies\… (Group Policy, machine) > HKCU\SOFTWARE\Policies\… (user) > policy.json
 *   macOS:   device configuration profile > user configuration profile > policy.json
 *   Linux:   policy.json
 * Within every source the same rules as the file: top-level keys are set and locked, `defaults`
 * are starting values. Keys that describe the machine (updates, trusted CAs) are never taken from
 * a user-scoped source (a notice says so). A malformed source makes the whole policy ignored, as a
 * malformed file always did: half a policy could lock the wrong value. docs/it-deployment.md.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir, userInfo } from 'node:os';
import type { Policy, PolicyStatus } from '../policy';
import { PolicySchema, loadPolicy, policyFilePath } from '../policy';
import { managedPreferencesPath, readManagedPreferences } from './macos-managed';
import { getOwnPath, isTree, setOwnPath } from './own-path';
import type { PolicyKey } from './schema-keys';
import { MACHINE_ONLY_KEYS, policyKeys } from './schema-keys';
import type { RegistryExport, RunCommand } from './windows-registry';
import { decodeRegExport, readRegistryPolicy, regExePath } from './windows-registry';

export type PolicySourceKind = 'group-policy-machine' | 'group-policy-user' | 'profile-device' | 'profile-user' | 'file';

export interface PolicySourceReading {
  kind: PolicySourceKind;
  /** Where: `HKLM\SOFTWARE\Policies\…`, a file path. */
  source: string;
  scope: 'machine' | 'user';
  state: 'none' | 'read' | 'invalid';
  problem?: string;
  /** The raw policy object (state `read`). */
  value?: Record<string, unknown>;
  /** Dotted key → exact place in the source. */
  origins?: Record<string, string>;
}

export interface EffectivePolicy {
  /** What setup.ts and AppInfo use (path: the sources read, joined). */
  status: PolicyStatus;
  policy: Policy;
  sources: PolicySourceReading[];
  /** Dotted key of the effective policy → where it came from. */
  origins: Record<string, string>;
  /** Malformed sources: any one makes the policy ignored. */
  problems: string[];
  /** Not errors: e.g. a machine-only key found in a user-scoped source (ignored). */
  notices: string[];
}

export const SOURCE_LABELS: Record<PolicySourceKind, string> = {
  'group-policy-machine': 'Group Policy (machine)',
  'group-policy-user': 'Group Policy (user)',
  'profile-device': 'configuration profile (device)',
  'profile-user': 'configuration profile (user)',
  file: 'policy file',
};

const isObject = isTree;

/** Dotted leaf keys of a policy object (lists are leaves). */
export function leafPaths(value: Record<string, unknown>, prefix: string[] = []): string[][] {
  return Object.entries(value).flatMap(([k, v]) => (isObject(v) ? leafPaths(v, [...prefix, k]) : [[...prefix, k]]));
}

const getPath = getOwnPath;
const setPath = setOwnPath;

function issuesOf(value: unknown): string[] {
  const parsed = PolicySchema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

/** Combines readings given in precedence order (highest first). Pure. */
export function combinePolicySources(readings: readonly PolicySourceReading[]): EffectivePolicy {
  const problems: string[] = [];
  const notices: string[] = [];
  const usable: { reading: PolicySourceReading; value: Record<string, unknown> }[] = [];
  for (const reading of readings) {
    if (reading.state === 'invalid') {
      problems.push(`${reading.source}: ${reading.problem ?? 'malformed'}`);
      continue;
    }
    if (reading.state !== 'read' || !reading.value) continue;
    let value = reading.value;
    if (reading.scope === 'user') {
      const machineOnly = Object.keys(value).filter((k) => MACHINE_ONLY_KEYS.has(k));
      if (machineOnly.length > 0) {
        notices.push(`${reading.source}: ${machineOnly.join(', ')} ignored (machine-wide settings are read from the machine's policy only)`);
        value = Object.fromEntries(Object.entries(value).filter(([k]) => !MACHINE_ONLY_KEYS.has(k)));
      }
    }
    const issues = issuesOf(value);
    for (const issue of issues) problems.push(`${reading.source}: ${issue}`);
    if (issues.length === 0) usable.push({ reading, value: PolicySchema.parse(value) as Record<string, unknown> });
  }
  const sources = [...readings];
  const readFrom = usable.map((u) => u.reading.source);
  if (problems.length > 0) {
    return {
      status: { state: 'invalid', path: readings.filter((r) => r.state !== 'none').map((r) => r.source).join(' + '), problem: problems.join(' | ') },
      policy: {},
      sources,
      origins: {},
      problems,
      notices,
    };
  }
  const merged: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  for (const { reading, value } of usable) {
    for (const path of leafPaths(value)) {
      const id = path.join('.');
      if (Object.hasOwn(origins, id)) continue; // a higher source set it
      setPath(merged, path, getPath(value, path));
      origins[id] = reading.origins?.[id] ?? `${reading.source} → ${id}`;
    }
  }
  // Each source was valid alone, but a rule across keys (a refinement) may still refuse the mix.
  const combined = PolicySchema.safeParse(merged);
  if (!combined.success) {
    const mixed = issuesOf(merged).map((issue) => `the combined policy: ${issue}`);
    return { status: { state: 'invalid', path: readFrom.join(' + '), problem: mixed.join(' | ') }, policy: {}, sources, origins: {}, problems: mixed, notices };
  }
  const policy = combined.data;
  const status: PolicyStatus = usable.length === 0 ? { state: 'none', path: readings.map((r) => r.source).join(' + ') } : { state: 'applied', path: readFrom.join(' + '), policy };
  return { status, policy, sources, origins, problems, notices };
}

export interface PolicyEnvironment {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  run: RunCommand;
  /** Windows: `reg export` of one key, as text (nodeRegistryExport). */
  regExport: RegistryExport;
  readFile(path: string): Promise<string>;
  /** Bytes of a file (a .reg file given to the checker may be UTF-16); absent: readFile's text. */
  readBytes?(path: string): Promise<Uint8Array>;
  exists(path: string): Promise<boolean>;
  /** The macOS short user name (user profiles live in a folder named after it). */
  user?: string;
  /** Development and `--check-policy <file>` only: this JSON file instead of the machine's. */
  jsonPath?: string;
}

async function readJsonSource(path: string, readFile: PolicyEnvironment['readFile']): Promise<PolicySourceReading> {
  const status = await loadPolicy(path, readFile);
  if (status.state === 'none') return { kind: 'file', source: path, scope: 'machine', state: 'none' };
  if (status.state === 'invalid') return { kind: 'file', source: path, scope: 'machine', state: 'invalid', problem: status.problem };
  const value = status.policy as Record<string, unknown>;
  const origins = Object.fromEntries(leafPaths(value).map((p) => [p.join('.'), `${path} → ${p.join('.')}`]));
  return { kind: 'file', source: path, scope: 'machine', state: 'read', value, origins };
}

/** Every source of this OS, highest precedence first. */
export async function readPolicySources(environment: PolicyEnvironment, keys: readonly PolicyKey[] = policyKeys()): Promise<PolicySourceReading[]> {
  const { platform, env, run } = environment;
  const jsonPath = environment.jsonPath ?? policyFilePath(platform, env);
  const readings: PolicySourceReading[] = [];
  if (platform === 'win32') {
    for (const [hive, kind, scope] of [['HKLM', 'group-policy-machine', 'machine'], ['HKCU', 'group-policy-user', 'user']] as const) {
      const r = await readRegistryPolicy(hive, environment.regExport, keys);
      readings.push(r.state === 'read' ? { kind, scope, state: 'read', source: r.source, value: r.policy.value, origins: r.policy.origins } : { kind, scope, ...r });
    }
  } else if (platform === 'darwin') {
    const device = await readManagedPreferences(managedPreferencesPath(), run, environment.exists);
    readings.push({ kind: 'profile-device', scope: 'machine', ...device });
    if (environment.user) {
      const user = await readManagedPreferences(managedPreferencesPath(environment.user), run, environment.exists);
      readings.push({ kind: 'profile-user', scope: 'user', ...user });
    }
  }
  readings.push(await readJsonSource(jsonPath, environment.readFile));
  return readings;
}

export async function loadMachinePolicy(environment: PolicyEnvironment): Promise<EffectivePolicy> {
  return combinePolicySources(await readPolicySources(environment));
}

/** Runs an OS tool without a shell or a console window; never throws for a non-zero exit. */
export const runCommand: RunCommand = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { windowsHide: true, timeout: 15_000, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ stdout, stderr, exitCode: error ? Number(error.code) : 0 });
    });
  });

/**
 * `reg.exe export <key> <temp file> /y /reg:64` by its full path (never one found first on the
 * PATH), the UTF-16 file read back and removed: unlike `reg query`'s console output, every
 * character survives (a campaign name with accents).
 */
export function nodeRegistryExport(regExe: string, run: RunCommand = runCommand): RegistryExport {
  return async (key) => {
    const dir = await mkdtemp(join(tmpdir(), 'gws-policy-'));
    const file = join(dir, 'policy.reg');
    try {
      const result = await run(regExe, ['export', key, file, '/y', '/reg:64']);
      if (result.exitCode !== 0) return { exitCode: result.exitCode, text: '', ...(result.stderr !== undefined && { stderr: result.stderr }) };
      return { exitCode: 0, text: decodeRegExport(await readFile(file)) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

/** The real machine (used by the app and the checker). */
export function nodePolicyEnvironment(overrides: Partial<PolicyEnvironment> = {}): PolicyEnvironment {
  const user = safeUserName();
  return {
    platform: process.platform,
    env: process.env,
    run: runCommand,
    regExport: nodeRegistryExport(regExePath(process.env)),
    readFile: (path) => readFile(path, 'utf8'),
    readBytes: (path) => readFile(path),
    exists: (path) => access(path).then(() => true, () => false),
    ...(user !== undefined && { user }),
    ...overrides,
  };
}

function safeUserName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}
