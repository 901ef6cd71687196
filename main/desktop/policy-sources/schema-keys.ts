/**
 * Every policy key, read from PolicySchema itself (main/desktop/policy.ts) so that the Windows
 * registry reader, the macOS profile reader, the ADMX/ADML and .mobileconfig generators and the
 * policy checker can never miss a key somebody adds to the schema. Electron-free.
 */
import type { z } from 'zod';
import { PolicySchema } from '../policy';

/**
 * `other`: a kind the OS sources cannot describe yet (e.g. a list of numbers). The readers still
 * pass such a value through for the schema to judge, so the app keeps starting; the template
 * generator refuses it, so `npm test` says what to teach it.
 */
export type PolicyKeyKind = 'boolean' | 'string' | 'enum' | 'list' | 'integer' | 'number' | 'other';

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
  /** `number`: bounds, and whether only whole numbers are allowed. */
  minimum?: number;
  maximum?: number;
  whole?: boolean;
  /** `other`: the schema type found. */
  schemaType?: string;
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
  checks?: { _zod: { def: { check: string; format?: string; maximum?: number; value?: number } } }[];
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
      if (values.length !== (def.values ?? []).length) return { path, kind: 'other', scope, schemaType: 'literal (not a number)' };
      return { path, kind: 'integer', scope, values };
    }
    case 'number': {
      const checks = def.checks?.map((c) => c._zod.def) ?? [];
      const minimum = checks.find((c) => c.check === 'greater_than')?.value;
      const maximum = checks.find((c) => c.check === 'less_than')?.value;
      const whole = checks.some((c) => c.check === 'number_format' && (c.format === 'safeint' || c.format === 'int32' || c.format === 'uint32'));
      return { path, kind: 'number', scope, whole, ...(minimum !== undefined && { minimum }), ...(maximum !== undefined && { maximum }) };
    }
    case 'array': {
      const element = def.element ? defOf(def.element) : undefined;
      if (element?.type !== 'string') return { path, kind: 'other', scope, schemaType: `array of ${element?.type ?? 'unknown'}` };
      return { path, kind: 'list', scope };
    }
    default:
      return { path, kind: 'other', scope, schemaType: def.type };
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
