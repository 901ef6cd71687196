/**
 * Every policy key, read from PolicySchema itself (main/desktop/policy.ts) so that the Windows
 * registry reader, the macOS profile reader, the ADMX/ADML and .mobileconfig generators and the
 * policy checker can never miss a key somebody adds to the schema. Electron-free.
 */
import type { z } from 'zod';
import { PolicySchema } from '../policy';

export type PolicyKeyKind = 'boolean' | 'string' | 'enum' | 'list' | 'integer';

export interface PolicyKey {
  /** e.g. `['updates', 'feedUrl']`, `['defaults', 'notifications', 'incomingCall']`. */
  path: string[];
  kind: PolicyKeyKind;
  /** `enum`: the allowed values. */
  options?: string[];
  /** `string`: `url` for http(s) URLs, `pattern` when a regular expression constrains it. */
  format?: 'url' | 'pattern';
  maxLength?: number;
  /** `integer`: the only allowed values (a literal). */
  values?: number[];
  /** `machine`: read from the machine-wide source only (HKLM, the device profile, the file). */
  scope: 'machine' | 'user';
}

/**
 * Top-level keys that describe the machine, not the person signed in to it: never read from a
 * user-scoped source (HKCU, a user profile). An update feed or a trusted CA is the machine's.
 */
export const MACHINE_ONLY_KEYS: ReadonlySet<string> = new Set(['version', 'updates', 'trustedCaCertificates']);

// Zod 4 keeps a schema's definition in `_zod.def`; only the few kinds the policy uses are read.
interface Def {
  type: string;
  innerType?: ZodLike;
  shape?: Record<string, ZodLike>;
  element?: ZodLike;
  entries?: Record<string, string>;
  values?: unknown[];
  format?: string;
  checks?: { _zod: { def: { check: string; format?: string; maximum?: number } } }[];
}
interface ZodLike {
  _zod: { def: Def };
}

function defOf(schema: ZodLike): Def {
  let def = schema._zod.def;
  // optional / default / nullable wrappers: the key is the same.
  while ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType) def = def.innerType._zod.def;
  return def;
}

function shapeOf(def: Def): Record<string, ZodLike> {
  // z.strictObject keeps its shape as a getter on the def.
  return def.shape ?? {};
}

function leaf(path: string[], def: Def, scope: PolicyKey['scope']): PolicyKey {
  const where = path.join('.');
  switch (def.type) {
    case 'boolean':
      return { path, kind: 'boolean', scope };
    case 'string': {
      const checks = def.checks?.map((c) => c._zod.def) ?? [];
      const max = checks.find((c) => c.check === 'max_length')?.maximum;
      const format = def.format === 'url' ? 'url' : checks.some((c) => c.format === 'regex') ? 'pattern' : undefined;
      return { path, kind: 'string', scope, ...(format && { format }), ...(max !== undefined && { maxLength: max }) };
    }
    case 'enum':
      return { path, kind: 'enum', scope, options: Object.values(def.entries ?? {}) };
    case 'literal': {
      const values = (def.values ?? []).filter((v): v is number => typeof v === 'number');
      if (values.length !== (def.values ?? []).length) throw new Error(`policy key ${where}: only numeric literals are supported`);
      return { path, kind: 'integer', scope, values };
    }
    case 'array': {
      const element = def.element ? defOf(def.element) : undefined;
      if (element?.type !== 'string') throw new Error(`policy key ${where}: only lists of strings are supported`);
      return { path, kind: 'list', scope };
    }
    default:
      // A new kind of value must be taught to the readers and the templates, never dropped silently.
      throw new Error(`policy key ${where}: schema type "${def.type}" is not supported by the OS policy sources`);
  }
}

function walk(schema: ZodLike, prefix: string[], scope: PolicyKey['scope'] | undefined, out: PolicyKey[]): void {
  for (const [name, child] of Object.entries(shapeOf(defOf(schema)))) {
    const path = [...prefix, name];
    const keyScope = scope ?? (MACHINE_ONLY_KEYS.has(name) ? 'machine' : 'user');
    const def = defOf(child);
    if (def.type === 'object') walk(child, path, keyScope, out);
    else out.push(leaf(path, def, keyScope));
  }
}

/** Every leaf key of a policy schema (objects are walked; lists are leaves). */
export function policyKeysOf(schema: z.ZodType): PolicyKey[] {
  const out: PolicyKey[] = [];
  walk(schema as unknown as ZodLike, [], undefined, out);
  return out;
}

/** Every leaf key of the policy, in schema order. */
export function policyKeys(): PolicyKey[] {
  return policyKeysOf(PolicySchema);
}

/** The key at a path, if the schema has it (`['updates', 'feedUrl']`). */
export function findPolicyKey(keys: readonly PolicyKey[], path: readonly string[]): PolicyKey | undefined {
  const id = path.join('.');
  return keys.find((k) => k.path.join('.') === id);
}

/** Paths of the objects that hold keys (`updates`, `defaults`, `defaults.notifications`, …). */
export function policyGroups(keys: readonly PolicyKey[]): string[][] {
  const seen = new Map<string, string[]>();
  for (const key of keys) {
    for (let i = 1; i < key.path.length; i += 1) {
      const group = key.path.slice(0, i);
      seen.set(group.join('.'), group);
    }
  }
  return [...seen.values()];
}
