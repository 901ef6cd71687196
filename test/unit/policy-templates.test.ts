import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error -- jsdom has no bundled types (and @types/jsdom is not a dependency): the few DOM calls used are typed below.
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Ajv } from 'ajv';
import { ADML_FILE, ADMX_FILE, JAMF_MANIFEST_FILE, MOBILECONFIG_FILE, NOT_IN_OS_TEMPLATES, admx, adml, jamfManifest, mobileconfig } from '../../build/scripts/policy-templates';
import { PolicySchema } from '../../main/desktop/policy';
import { leafPaths } from '../../main/desktop/policy-sources/machine-policy';
import { payloadOfProfile } from '../../main/desktop/policy-sources/macos-managed';
import { parsePlist } from '../../main/desktop/policy-sources/plist';
import { policyKeys, policyKeysOf } from '../../main/desktop/policy-sources/schema-keys';
import { parseRegFile, registryToPolicy } from '../../main/desktop/policy-sources/windows-registry';

/** The part of the DOM these tests use (the Node tsconfig has no DOM lib). */
interface XmlElement {
  localName: string;
  namespaceURI: string | null;
  textContent: string | null;
  children: ArrayLike<XmlElement>;
  getAttribute(name: string): string | null;
  querySelector(selector: string): XmlElement | null;
  querySelectorAll(selector: string): ArrayLike<XmlElement> & Iterable<XmlElement>;
}
interface XmlDocument {
  documentElement: XmlElement;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
  getElementsByTagNameNS(ns: string, name: string): ArrayLike<XmlElement> & Iterable<XmlElement>;
}
type Document = XmlDocument;
const { DOMParser } = (new JSDOM() as { window: { DOMParser: new () => { parseFromString(text: string, type: string): XmlDocument } } }).window;
const NS = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';

function parseXml(text: string): Document {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  if (error) throw new Error(`not well-formed XML: ${error.textContent}`);
  return doc;
}

/** The keys the templates must cover, read from the schema now (not from a list kept by hand). */
const expected = () =>
  policyKeys()
    .map((k) => k.path.join('.'))
    .filter((id) => !(id in NOT_IN_OS_TEMPLATES));

describe('ADMX/ADML from the schema', () => {
  const admxDoc = parseXml(admx());
  const admlDoc = parseXml(adml());
  const policies = [...admxDoc.getElementsByTagNameNS(NS, 'policy')];

  it('are well-formed Group Policy definitions', () => {
    expect(admxDoc.documentElement.localName).toBe('policyDefinitions');
    expect(admlDoc.documentElement.localName).toBe('policyDefinitionResources');
    expect(admxDoc.documentElement.namespaceURI).toBe(NS);
    expect(new Set(policies.map((p) => p.getAttribute('name'))).size).toBe(policies.length);
  });

  it('have one policy per schema key, at the registry key and value the reader expects', () => {
    const covered = policies.map((p) => {
      const key = p.getAttribute('key') ?? '';
      const valueName = p.getAttribute('valueName') ?? p.querySelector('text, enum, decimal')?.getAttribute('valueName');
      const list = p.querySelector('list');
      const sub = key.replace('Software\\Policies\\GWSSoftphone\\GWS Softphone', '').split('\\').filter(Boolean);
      return list ? sub.join('.') : [...sub, valueName].join('.');
    });
    expect(covered.sort()).toEqual(expected().sort());
  });

  it('define every string and presentation they reference', () => {
    const strings = new Set([...admlDoc.getElementsByTagNameNS(NS, 'string')].map((s) => s.getAttribute('id')));
    const presentations = new Set([...admlDoc.getElementsByTagNameNS(NS, 'presentation')].map((s) => s.getAttribute('id')));
    const text = admx();
    for (const [, id] of text.matchAll(/\$\(string\.([^)]+)\)/g)) expect(strings, id).toContain(id);
    for (const [, id] of text.matchAll(/\$\(presentation\.([^)]+)\)/g)) expect(presentations, id).toContain(id);
    for (const p of policies) {
      const presentation = [...admlDoc.getElementsByTagNameNS(NS, 'presentation')].find((x) => x.getAttribute('id') === p.getAttribute('name'));
      const refs = Array.from(presentation?.children ?? []).map((c) => c.getAttribute('refId'));
      for (const el of p.querySelectorAll('elements > *')) expect(refs, p.getAttribute('name') ?? '').toContain(el.getAttribute('id'));
    }
  });

  it('write what the registry reader reads back into a valid policy', () => {
    // What GPO writes when every policy is enabled with the value of the sample profile.
    const sample = payloadOfProfile(mobileconfig(), 'sample');
    if (sample.state !== 'read') throw new Error('no sample');
    const root = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\GWSSoftphone\\GWS Softphone';
    const blocks = new Map<string, string[]>();
    for (const p of policies) {
      const key = `HKEY_LOCAL_MACHINE\\${(p.getAttribute('key') ?? '').replace(/^Software/, 'SOFTWARE')}`;
      const sub = key.slice(root.length).split('\\').filter(Boolean);
      const lines = blocks.get(key) ?? [];
      const list = p.querySelector('list');
      let value: unknown = sample.value;
      const name = list ? undefined : (p.getAttribute('valueName') ?? p.querySelector('text, enum, decimal')?.getAttribute('valueName') ?? '');
      for (const part of name ? [...sub, name] : sub) value = (value as Record<string, unknown>)[part];
      const text = (v: unknown) => `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
      if (list) (value as string[]).forEach((v, i) => lines.push(`"${i + 1}"=${text(v)}`));
      else if (typeof value === 'boolean') lines.push(`"${name}"=dword:0000000${value ? 1 : 0}`);
      // An ADMX <decimal> writes a REG_DWORD.
      else if (typeof value === 'number' && p.querySelector('decimal')) lines.push(`"${name}"=dword:${value.toString(16).padStart(8, '0')}`);
      else lines.push(`"${name}"=${text(value)}`);
      blocks.set(key, lines);
    }
    // What `reg export` of the key would write after GPO applied every policy.
    const output = `Windows Registry Editor Version 5.00\r\n\r\n${[...blocks].map(([key, lines]) => `[${key}]\r\n${lines.join('\r\n')}\r\n`).join('\r\n')}`;
    const { value } = registryToPolicy(parseRegFile(output), root, policyKeys());
    expect(PolicySchema.safeParse(value).success).toBe(true);
    expect(value).toEqual(sample.value);
  });

  it('follow a key added to the schema, with no list to update', () => {
    const grown = policyKeysOf(
      PolicySchema.extend({ recording: z.strictObject({ pauseOnHold: z.boolean().optional(), mode: z.enum(['auto', 'manual']).optional(), maxMinutes: z.number().int().min(1).max(600).optional(), gain: z.number().optional() }).optional() }),
    );
    const text = admx(grown);
    expect(text).toContain('<policy name="recording_pauseOnHold"');
    expect(text).toContain('key="Software\\Policies\\GWSSoftphone\\GWS Softphone\\recording" valueName="pauseOnHold"');
    expect(text).toContain('<enum id="recording_mode" valueName="mode"');
    expect(adml(grown)).toContain('<string id="recording_pauseOnHold">Pause on hold</string>');
    expect(text).toContain('<decimal id="recording_maxMinutes" valueName="maxMinutes" required="true" minValue="1" maxValue="600" />');
    expect(text).toContain('<text id="recording_gain" valueName="gain" required="true" />');
    expect(mobileconfig(grown)).toContain('<key>pauseOnHold</key>');
    expect(JSON.parse(jamfManifest(grown)).properties.recording.properties.maxMinutes).toMatchObject({ type: 'integer', minimum: 1, maximum: 600 });
  });

  it('refuse a kind of value they cannot express, naming the key (the app itself keeps reading it)', () => {
    const odd = policyKeysOf(PolicySchema.extend({ ports: z.array(z.number()).optional() }));
    expect(odd.find((k) => k.path[0] === 'ports')).toMatchObject({ kind: 'other', schemaType: 'array of number' });
    expect(() => admx(odd)).toThrow(/policy key ports: schema type "array of number" has no Group Policy/);
    expect(() => mobileconfig(odd)).toThrow(/ports/);
  });
});

describe('sample .mobileconfig from the schema', () => {
  const text = mobileconfig();

  it('is a well-formed configuration profile with our payload', () => {
    parseXml(text.replace(/<!DOCTYPE[^>]*>/, ''));
    const profile = parsePlist(text) as Record<string, unknown>;
    expect(profile).toMatchObject({ PayloadType: 'Configuration', PayloadVersion: 1, PayloadScope: 'System' });
    const [payload] = profile['PayloadContent'] as Record<string, unknown>[];
    expect(payload).toMatchObject({ PayloadType: 'com.gwssoftphone.desktop', PayloadVersion: 1 });
    expect(payload?.['PayloadUUID']).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  });

  it('sets every schema key to a value the schema accepts', () => {
    const reading = payloadOfProfile(text, 'sample');
    if (reading.state !== 'read') throw new Error(`sample not read: ${JSON.stringify(reading)}`);
    expect(PolicySchema.safeParse(reading.value).error?.issues ?? []).toEqual([]);
    expect(leafPaths(reading.value).map((p) => p.join('.')).sort()).toEqual(expected().sort());
  });
});

describe('Jamf custom schema from the schema', () => {
  const manifest = JSON.parse(jamfManifest()) as Record<string, unknown>;

  it('has every key, and accepts the sample profile while refusing what the app refuses', () => {
    const paths: string[] = [];
    const walk = (node: { properties?: Record<string, { type?: string; properties?: unknown }> }, prefix: string[]) => {
      for (const [name, child] of Object.entries(node.properties ?? {})) {
        if (child.type === 'object') walk(child as never, [...prefix, name]);
        else paths.push([...prefix, name].join('.'));
      }
    };
    walk(manifest as never, []);
    expect(paths.sort()).toEqual(expected().sort());
    const validate = new Ajv({ strict: false }).compile(manifest);
    const sample = payloadOfProfile(mobileconfig(), 'sample');
    if (sample.state !== 'read') throw new Error('no sample');
    expect(validate(sample.value), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ updates: { ring: 'everyone' } })).toBe(false);
    expect(validate({ serverURL: 'https://x' })).toBe(false);
    expect(validate({ startAtLogin: 'yes' })).toBe(false);
  });
});

describe('the committed templates in build/policy/', () => {
  const committed = (name: string) => readFileSync(join(import.meta.dirname, '..', '..', 'build', 'policy', name), 'utf8');
  it.each([
    [ADMX_FILE, admx],
    [ADML_FILE, adml],
    [MOBILECONFIG_FILE, mobileconfig],
    [JAMF_MANIFEST_FILE, jamfManifest],
  ])('%s matches the schema (else run `npm run policy:templates`)', (name, generate) => {
    expect(committed(name), `build/policy/${name} is stale: run npm run policy:templates`).toBe(generate());
  });
});
