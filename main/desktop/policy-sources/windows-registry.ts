/**
 * Windows Group Policy: the policy as GPO writes it under `SOFTWARE\Policies\<vendor>\GWS Softphone`
 * (the ADMX in build/policy/ describes the same layout). Read with the OS's own `reg.exe query /s`
 * and parsed here, electron-free and tested with captured output (test/unit/policy-sources.test.ts).
 *
 * Layout: one value per key, named as the key's last part, in a subkey per object
 * (`…\GWS Softphone\updates` → `feedUrl`); a list is a subkey of values named 1, 2, 3, …
 * (the ADMX `list` element, as Chrome and Edge do); booleans are REG_DWORD 0/1.
 */
import { setOwnPath as setPath } from './own-path';
import type { PolicyKey } from './schema-keys';
import { findPolicyKey } from './schema-keys';

export const POLICY_VENDOR = 'GWSSoftphone';
export const POLICY_PRODUCT = 'GWS Softphone';
/** Relative to HKLM or HKCU. */
export const POLICY_REGISTRY_PATH = `SOFTWARE\\Policies\\${POLICY_VENDOR}\\${POLICY_PRODUCT}`;

export type RegistryValue =
  | { type: 'REG_SZ' | 'REG_EXPAND_SZ'; data: string }
  | { type: 'REG_DWORD' | 'REG_QWORD'; data: number }
  | { type: 'REG_MULTI_SZ'; data: string[] }
  | { type: string; data: string };

/** Key path as printed (`HKEY_LOCAL_MACHINE\SOFTWARE\…`) → value name → value. */
export type RegistryTree = Map<string, Map<string, RegistryValue>>;

// `s`: a value may hold U+2028/U+2029, which `.` would otherwise refuse.
const VALUE_LINE = /^ {4}(.*?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/s;

function typed(type: string, raw: string): RegistryValue {
  switch (type) {
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return { type, data: raw };
    case 'REG_DWORD':
    case 'REG_QWORD':
      // reg.exe prints numbers in hex (0x1); a QWORD beyond 2^53 is not a policy value anyway.
      return { type, data: Number.parseInt(raw, 16) };
    case 'REG_MULTI_SZ':
      // reg.exe separates the strings with a literal `\0`.
      return { type, data: raw === '' ? [] : raw.split('\\0').filter((s) => s !== '') };
    default:
      return { type, data: raw };
  }
}

/** Parses `reg query <key> /s` output (one key header, then its values, per block). */
export function parseRegQuery(output: string): RegistryTree {
  const tree: RegistryTree = new Map();
  let current: Map<string, RegistryValue> | undefined;
  for (const line of output.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    if (/^HKEY_[A-Z_]+(\\|$)/.test(line)) {
      current = new Map();
      tree.set(line.trimEnd(), current);
      continue;
    }
    const match = VALUE_LINE.exec(line);
    if (!match || !current) continue; // e.g. "End of search: 3 match(es) found." in some locales
    const [, name = '', type = '', raw = ''] = match;
    current.set(name === '(Default)' ? '' : name, typed(type, raw));
  }
  return tree;
}

export interface RegistryPolicy {
  /** The policy object, ready for PolicySchema (values as found: the schema judges them). */
  value: Record<string, unknown>;
  /** Dotted key → where it was found (`HKLM\…\updates → feedUrl`). */
  origins: Record<string, string>;
  /** What cannot be a policy value at all (a binary value, a stray value in a list subkey). */
  problems: string[];
}

const VALUE_TYPES = new Set(['REG_SZ', 'REG_EXPAND_SZ', 'REG_DWORD', 'REG_QWORD', 'REG_MULTI_SZ']);

const HIVES: Record<string, string> = { HKEY_LOCAL_MACHINE: 'HKLM', HKEY_CURRENT_USER: 'HKCU' };

function shortHive(key: string): string {
  const [hive = '', ...rest] = key.split('\\');
  return [HIVES[hive] ?? hive, ...rest].join('\\');
}

function plain(value: RegistryValue, key: PolicyKey | undefined): unknown {
  if (key?.kind === 'boolean' && (value.type === 'REG_DWORD' || value.type === 'REG_QWORD') && (value.data === 0 || value.data === 1)) return value.data === 1;
  // A number that is not a whole, positive one is written as text (the ADMX uses a text box for it).
  if (key?.kind === 'number' && value.type === 'REG_SZ' && /^-?\d+(\.\d+)?$/.test(value.data)) return Number(value.data);
  return value.data;
}


/**
 * Turns the registry tree under `root` into a policy object, the schema's keys guiding only what
 * a value means (a list subkey, a 0/1 boolean). Anything else found is kept as it is, so the strict
 * schema reports an unknown or mistyped value instead of it vanishing.
 */
export function registryToPolicy(tree: RegistryTree, root: string, keys: readonly PolicyKey[]): RegistryPolicy {
  const value: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  const problems: string[] = [];
  const rootLower = root.toLowerCase();
  for (const [keyPath, values] of tree) {
    const lower = keyPath.toLowerCase();
    if (lower !== rootLower && !lower.startsWith(`${rootLower}\\`)) continue;
    const sub = keyPath.slice(root.length).split('\\').filter((p) => p !== '');
    const listKey = findPolicyKey(keys, sub);
    if (listKey?.kind === 'list') {
      // Values 1, 2, 3… in numeric order; an empty list subkey means an empty list.
      const items = [...values.entries()].filter(([name]) => /^\d+$/.test(name)).sort(([a], [b]) => Number(a) - Number(b));
      setPath(value, sub, items.map(([, v]) => v.data));
      origins[sub.join('.')] = shortHive(keyPath);
      for (const [name] of values) {
        if (name !== '' && !/^\d+$/.test(name)) problems.push(`${shortHive(keyPath)} → ${name}: not a list entry (a list is values named 1, 2, 3, …)`);
      }
      continue;
    }
    for (const [name, v] of values) {
      if (name === '') continue;
      if (!VALUE_TYPES.has(v.type)) {
        problems.push(`${shortHive(keyPath)} → ${name}: ${v.type} is not a policy value (use REG_SZ or REG_DWORD)`);
        continue;
      }
      const path = [...sub, name];
      const key = findPolicyKey(keys, path);
      // A list may also come as one REG_MULTI_SZ value (a .reg file written by hand).
      setPath(value, path, key?.kind === 'list' && v.type === 'REG_MULTI_SZ' ? v.data : plain(v, key));
      origins[path.join('.')] = `${shortHive(keyPath)} → ${name}`;
    }
  }
  return { value, origins, problems };
}

export type RunCommand = (file: string, args: string[]) => Promise<{ stdout: string; exitCode: number; stderr?: string }>;

export type RegistryReading =
  | { state: 'none'; source: string }
  | { state: 'read'; source: string; policy: RegistryPolicy }
  | { state: 'invalid'; source: string; problem: string };

/** Windows' own reg.exe by its full path (never one found first on the PATH). */
export function regExePath(env: Record<string, string | undefined>): string {
  return `${env.SystemRoot || env.SYSTEMROOT || 'C:\\Windows'}\\System32\\reg.exe`;
}

/**
 * `reg query "<hive>\SOFTWARE\Policies\…" /s /reg:64`. reg.exe exits 1 when the key does not
 * exist: the normal case on a machine without GPO for the app.
 */
export async function readRegistryPolicy(hive: 'HKLM' | 'HKCU', run: RunCommand, keys: readonly PolicyKey[], regExe = 'reg.exe'): Promise<RegistryReading> {
  const query = `${hive}\\${POLICY_REGISTRY_PATH}`;
  const root = `${hive === 'HKLM' ? 'HKEY_LOCAL_MACHINE' : 'HKEY_CURRENT_USER'}\\${POLICY_REGISTRY_PATH}`;
  let result;
  try {
    result = await run(regExe, ['query', query, '/s', '/reg:64']);
  } catch (error) {
    return { state: 'invalid', source: query, problem: `reg.exe could not be run (${error instanceof Error ? error.message : String(error)})` };
  }
  if (result.exitCode !== 0) {
    // "ERROR: The system was unable to find the specified registry key or value." (localised).
    if (result.exitCode === 1) return { state: 'none', source: query };
    return { state: 'invalid', source: query, problem: `reg.exe failed (exit ${result.exitCode}) ${result.stderr ?? ''}`.trim() };
  }
  const tree = parseRegQuery(result.stdout);
  const policy = registryToPolicy(tree, root, keys);
  if (policy.problems.length > 0) return { state: 'invalid', source: query, problem: policy.problems.join('; ') };
  if (Object.keys(policy.value).length === 0) return { state: 'none', source: query };
  return { state: 'read', source: query, policy };
}
