/**
 * Property tests for the policy parsers: whatever policy GPO or a profile carries, the registry
 * reader and the plist parser give it back unchanged, and names such as `__proto__` stay data.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicySchema } from '../../main/desktop/policy';
import { combinePolicySources } from '../../main/desktop/policy-sources/machine-policy';
import { parseManagedPreferences } from '../../main/desktop/policy-sources/macos-managed';
import type { PlistValue } from '../../main/desktop/policy-sources/plist';
import { parsePlist, writePlist } from '../../main/desktop/policy-sources/plist';
import type { PolicyKey } from '../../main/desktop/policy-sources/schema-keys';
import { policyKeys } from '../../main/desktop/policy-sources/schema-keys';
import { parseRegFile, registryToPolicy } from '../../main/desktop/policy-sources/windows-registry';

const ROOT = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\GWSSoftphone\\GWS Softphone';
const keys = policyKeys().filter((k) => k.path.join('.') !== 'version');
// A REG_SZ value on one line of a .reg file: anything but line breaks and NUL (quotes and backslashes are escaped).
const regText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => !/[\r\n\0]/.test(s));

function valueFor(key: PolicyKey): fc.Arbitrary<unknown> {
  switch (key.kind) {
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...(key.options ?? []));
    case 'list':
      return fc.array(regText, { maxLength: 12 });
    case 'integer':
      return fc.constantFrom(...(key.values ?? [0]));
    case 'number':
      return fc.integer({ min: key.minimum ?? 0, max: key.maximum ?? 1000 });
    case 'string':
    case 'other':
      return regText;
  }
}

/** Some of the keys, each with a value of its kind, nested as in policy.json. */
const policyObject = fc.subarray(keys, { minLength: 1 }).chain((chosen) =>
  fc.tuple(...chosen.map(valueFor)).map((values) => {
    const out: Record<string, unknown> = {};
    chosen.forEach((key, i) => {
      let node = out;
      for (const part of key.path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
      node[key.path[key.path.length - 1] ?? ''] = values[i];
    });
    return out;
  }),
);

/** What `reg export` writes for a policy written the GPO way (lists as values 1, 2, 3, …). */
function regExportOutput(policy: Record<string, unknown>): string {
  const text = (v: unknown) => `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  const blocks = new Map<string, string[]>();
  const block = (path: string[]) => {
    const key = [ROOT, ...path].join('\\');
    if (!blocks.has(key)) blocks.set(key, []);
    return blocks.get(key)!;
  };
  const walk = (node: Record<string, unknown>, path: string[]) => {
    for (const [name, value] of Object.entries(node)) {
      if (Array.isArray(value)) {
        const lines = block([...path, name]);
        value.forEach((v, i) => lines.push(`"${i + 1}"=${text(v)}`));
      } else if (typeof value === 'object' && value !== null) walk(value as Record<string, unknown>, [...path, name]);
      else if (typeof value === 'boolean' || typeof value === 'number') block(path).push(`"${name}"=dword:${Number(value).toString(16).padStart(8, '0')}`);
      else block(path).push(`"${name}"=${text(value)}`);
    }
  };
  walk(policy, []);
  return `Windows Registry Editor Version 5.00\r\n\r\n${[...blocks].map(([key, lines]) => `[${key}]\r\n${lines.join('\r\n')}\r\n`).join('\r\n')}`;
}

describe('registry reader (property)', () => {
  it('reads back any policy written the GPO way', () => {
    fc.assert(
      fc.property(policyObject, (policy) => {
        const { value, problems } = registryToPolicy(parseRegFile(regExportOutput(policy)), ROOT, keys);
        expect(problems).toEqual([]);
        expect(value).toEqual(policy);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps `__proto__` and `constructor` as data the schema refuses, never touching Object.prototype', () => {
    const output = `Windows Registry Editor Version 5.00\r\n\r\n[${ROOT}\\__proto__]\r\n"polluted"="yes"\r\n\r\n[${ROOT}]\r\n"constructor"="x"\r\n`;
    const { value } = registryToPolicy(parseRegFile(output), ROOT, keys);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(value).sort()).toEqual(['__proto__', 'constructor']);
    expect(PolicySchema.safeParse(value).success).toBe(false);
    const result = combinePolicySources([{ kind: 'group-policy-machine', scope: 'machine', source: 'HKLM', state: 'read', value }]);
    expect(result.status.state).toBe('invalid');
    expect(result.problems.join(' ')).toMatch(/__proto__|constructor/);
  });
});

describe('property lists (property)', () => {
  const plistText = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !s.includes('\r'));
  const leaf: fc.Arbitrary<PlistValue> = fc.oneof(plistText, fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)));
  const { value: plistValue } = fc.letrec<{ value: PlistValue }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(plistText, tie('value'), { maxKeys: 4 })),
  }));

  it('parses back whatever it writes', () => {
    fc.assert(
      fc.property(plistValue, (value) => {
        expect(parsePlist(writePlist(value))).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it('a `__proto__` key in managed preferences is data the schema refuses', () => {
    const reading = parseManagedPreferences('<plist><dict><key>__proto__</key><dict><key>polluted</key><true/></dict></dict></plist>', 'p');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(reading.state).toBe('read');
    if (reading.state !== 'read') return;
    expect(Object.hasOwn(reading.value, '__proto__')).toBe(true);
    expect(PolicySchema.safeParse(reading.value).success).toBe(false);
  });
});
