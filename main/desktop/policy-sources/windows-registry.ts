/**
 * Windows Group Policy: the policy as GPO writes it under `SOFTWARE\Policies\<vendor>\GWS Softphone`
 * (the ADMX in build/policy/ describes the same layout). Read with the OS's own `reg.exe export`
 * (UTF-16: every character survives, which `reg query`'s console code page does not promise) and
 * parsed here, electron-free and tested with fixtures (test/unit/policy-sources.test.ts). The same
 * parser reads a .reg file given to `--check-policy`.
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

export class RegFileError extends Error {}

/** What `reg export` writes: UTF-16LE with a byte-order mark (UTF-8 accepted for a hand-made file). */
export function decodeRegExport(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes);
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.subarray(2).toString('utf16le');
  return buffer.toString('utf8').replace(/^\uFEFF/, '');
}

function unquote(text: string, at: number): { value: string; end: number } {
  if (text[at] !== '"') throw new RegFileError(`expected a quoted string in: ${text}`);
  let value = '';
  for (let i = at + 1; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\\') {
      value += text[i + 1] ?? '';
      i += 1;
    } else if (ch === '"') return { value, end: i + 1 };
    else value += ch;
  }
  throw new RegFileError(`unterminated string in: ${text}`);
}

function hexBytes(text: string): Buffer {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) throw new RegFileError(`not hex bytes: ${text}`);
  return Buffer.from(parts.map((p) => Number.parseInt(p, 16)));
}

function utf16Strings(bytes: Buffer): string[] {
  return bytes.toString('utf16le').split('\0');
}

function regValue(data: string): RegistryValue | undefined {
  if (data === '-') return undefined; // a deletion: nothing to apply
  if (data.startsWith('"')) {
    const { value, end } = unquote(data, 0);
    if (data.slice(end).trim() !== '') throw new RegFileError(`text after the string: ${data}`);
    return { type: 'REG_SZ', data: value };
  }
  const dword = /^dword:([0-9a-fA-F]{1,8})$/.exec(data);
  if (dword) return { type: 'REG_DWORD', data: Number.parseInt(dword[1] ?? '0', 16) };
  const hex = /^hex(?:\(([0-9a-fA-F]+)\))?:(.*)$/s.exec(data);
  if (!hex) throw new RegFileError(`not a registry value: ${data}`);
  const kind = hex[1] === undefined ? 3 : Number.parseInt(hex[1], 16);
  const bytes = hexBytes(hex[2] ?? '');
  switch (kind) {
    case 1:
    case 2:
      return { type: kind === 1 ? 'REG_SZ' : 'REG_EXPAND_SZ', data: utf16Strings(bytes)[0] ?? '' };
    case 4:
      return { type: 'REG_DWORD', data: bytes.length === 4 ? bytes.readUInt32LE(0) : Number.NaN };
    case 7:
      return { type: 'REG_MULTI_SZ', data: utf16Strings(bytes).filter((s) => s !== '') };
    case 0xb:
      return { type: 'REG_QWORD', data: bytes.length === 8 ? Number(bytes.readBigUInt64LE(0)) : Number.NaN };
    default:
      return { type: kind === 3 ? 'REG_BINARY' : `REG_TYPE_${kind}`, data: bytes.toString('hex') };
  }
}

/**
 * Parses a .reg file as `reg export` writes it ("Windows Registry Editor Version 5.00"; REGEDIT4
 * too): `[key]` sections, `"name"="text"`, `dword:`, `hex(n):` values continued over lines with
 * a trailing backslash. Throws RegFileError with the line that is wrong.
 */
export function parseRegFile(text: string): RegistryTree {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines.findIndex((l) => l.trim() !== '');
  if (header < 0 || !/^(Windows Registry Editor Version 5\.00|REGEDIT4)$/.test(lines[header]?.trim() ?? '')) {
    throw new RegFileError('not a .reg file (the first line must be "Windows Registry Editor Version 5.00")');
  }
  const tree: RegistryTree = new Map();
  // null: inside a `[-key]` deletion section, whose lines apply nothing.
  let current: Map<string, RegistryValue> | null | undefined;
  for (let i = header + 1; i < lines.length; i += 1) {
    let line = lines[i] ?? '';
    if (line.trim() === '' || line.trimStart().startsWith(';')) continue;
    // hex values continue over lines ending in a backslash.
    while (/^\s*("(?:[^"\\]|\\.)*"|@)=hex/.test(line) && line.trimEnd().endsWith('\\') && i + 1 < lines.length) {
      line = line.trimEnd().slice(0, -1) + (lines[i + 1] ?? '').trim();
      i += 1;
    }
    const section = /^\[(-?)(.*)\]\s*$/.exec(line.trim());
    if (section) {
      current = section[1] === '-' ? null : (tree.get(section[2] ?? '') ?? new Map());
      if (current) tree.set(section[2] ?? '', current);
      continue;
    }
    if (current === null) continue;
    if (current === undefined) throw new RegFileError(`a value outside any [key]: ${line}`);
    const trimmed = line.trim();
    let name: string;
    let rest: string;
    if (trimmed.startsWith('@=')) {
      name = '';
      rest = trimmed.slice(2);
    } else {
      const quoted = unquote(trimmed, 0);
      if (trimmed[quoted.end] !== '=') throw new RegFileError(`expected = after the value name: ${line}`);
      name = quoted.value;
      rest = trimmed.slice(quoted.end + 1);
    }
    const value = regValue(rest.trim());
    if (value) current.set(name, value);
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

/** `reg export <key> <file> /y /reg:64`, the file read back (decodeRegExport) and removed. */
export type RegistryExport = (key: string) => Promise<{ exitCode: number; text: string; stderr?: string }>;

/**
 * The policy under `<hive>\SOFTWARE\Policies\…`. reg.exe exits 1 when the key does not exist:
 * the normal case on a machine without GPO for the app.
 */
export async function readRegistryPolicy(hive: 'HKLM' | 'HKCU', exportKey: RegistryExport, keys: readonly PolicyKey[]): Promise<RegistryReading> {
  const query = `${hive}\\${POLICY_REGISTRY_PATH}`;
  const root = `${hive === 'HKLM' ? 'HKEY_LOCAL_MACHINE' : 'HKEY_CURRENT_USER'}\\${POLICY_REGISTRY_PATH}`;
  let result;
  try {
    result = await exportKey(query);
  } catch (error) {
    return { state: 'invalid', source: query, problem: `reg.exe could not be run (${error instanceof Error ? error.message : String(error)})` };
  }
  if (result.exitCode !== 0) {
    // "ERROR: The system was unable to find the specified registry key or value." (localised).
    if (result.exitCode === 1) return { state: 'none', source: query };
    return { state: 'invalid', source: query, problem: `reg.exe failed (exit ${result.exitCode}) ${result.stderr ?? ''}`.trim() };
  }
  return registryReading(result.text, root, query, keys);
}

/** A .reg text (an export, or a file given to the checker) as a reading of the policy under `root`. */
export function registryReading(text: string, root: string, source: string, keys: readonly PolicyKey[]): RegistryReading {
  let tree: RegistryTree;
  try {
    tree = parseRegFile(text);
  } catch (error) {
    return { state: 'invalid', source, problem: error instanceof Error ? error.message : String(error) };
  }
  const policy = registryToPolicy(tree, root, keys);
  if (policy.problems.length > 0) return { state: 'invalid', source, problem: policy.problems.join('; ') };
  if (Object.keys(policy.value).length === 0) return { state: 'none', source };
  return { state: 'read', source, policy };
}
