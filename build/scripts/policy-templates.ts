// Windows ADMX/ADML and a sample macOS .mobileconfig, generated from the policy schema
// (main/desktop/policy.ts) so that a key added there appears here without anyone remembering to.
//   npm run policy:templates      writes build/policy/ (committed; the release workflow ships it)
// test/unit/policy-templates.test.ts fails when the committed files lag behind the schema.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_ID } from '../../main/desktop/policy-sources/macos-managed';
import type { PlistValue } from '../../main/desktop/policy-sources/plist';
import { writePlist } from '../../main/desktop/policy-sources/plist';
import type { PolicyKey } from '../../main/desktop/policy-sources/schema-keys';
import { policyGroups, policyKeys } from '../../main/desktop/policy-sources/schema-keys';
import { POLICY_PRODUCT, POLICY_VENDOR } from '../../main/desktop/policy-sources/windows-registry';

/** Keys of policy.json that mean nothing in the registry or a profile, and why. */
export const NOT_IN_OS_TEMPLATES: Record<string, string> = {
  version: 'the format version of policy.json',
};

export const ADMX_FILE = 'gws-softphone.admx';
export const ADML_FILE = join('en-US', 'gws-softphone.adml');
export const MOBILECONFIG_FILE = `${BUNDLE_ID}.mobileconfig`;
/** Jamf Pro's *Application & Custom Settings → Custom Schema* (a JSON Schema with titles). */
export const JAMF_MANIFEST_FILE = `${BUNDLE_ID}.jamf-manifest.json`;

const REGISTRY_KEY = `Software\\Policies\\${POLICY_VENDOR}\\${POLICY_PRODUCT}`;
const NAMESPACE = `${POLICY_VENDOR}.Policies.${POLICY_VENDOR}`;
const ROOT_CATEGORY = POLICY_VENDOR;

/** Titles and explanations by key without the `defaults.` prefix. A key missing here still gets a generic text. */
const TEXT: Record<string, { title: string; explain: string; sample?: PlistValue }> = {
  serverUrl: { title: 'GWS server URL', explain: 'The address of the Genesys Web Services server (http or https), e.g. https://gws.corp.example.com.', sample: 'https://gws.corp.example.com' },
  place: { title: 'Place', explain: "The agent's place (e.g. Place_7001).", sample: 'Place_7001' },
  startAtLogin: { title: 'Start at login', explain: 'Start the app, hidden in the tray, when the agent logs in.', sample: true },
  notifications: { title: 'Notifications', explain: 'Operating-system notifications per event.' },
  'notifications.incomingCall': { title: 'Notify: incoming call', explain: 'Show a notification when a call rings.', sample: true },
  'notifications.callEstablished': { title: 'Notify: call established', explain: 'Show a notification when a call is connected.', sample: false },
  'notifications.callReleased': { title: 'Notify: call released', explain: 'Show a notification when a call ends.', sample: true },
  'notifications.previewRecord': { title: 'Notify: preview record', explain: 'Show a notification when a preview record arrives.', sample: true },
  'notifications.connection': { title: 'Notify: connection', explain: 'Show a notification when the connection to the server is lost or restored.', sample: true },
  'notifications.previewRecordActions': { title: 'Notify: Dial and Reject on the preview toast', explain: 'Show Dial and Reject buttons on the preview record notification (Windows, macOS). Off: the notification only opens the record.', sample: true },
  hotkeys: { title: 'Global hotkeys', explain: 'System-wide keys, e.g. CommandOrControl+F10 (Cmd on macOS, Ctrl elsewhere); an empty value means no key.' },
  'hotkeys.answerOrHangUp': { title: 'Hotkey: answer or hang up', explain: 'Answers the ringing call, else hangs up the call in progress.', sample: 'CommandOrControl+F9' },
  'hotkeys.dialRecord': { title: 'Hotkey: dial the preview record', explain: 'Dials the preview record in hand (once; never outside the calling hours).', sample: 'CommandOrControl+F10' },
  'hotkeys.rejectRecord': { title: 'Hotkey: reject the preview record', explain: 'Rejects the preview record in hand.', sample: 'CommandOrControl+F11' },
  'hotkeys.readyNotReady': { title: 'Hotkey: Ready / Not Ready', explain: 'Ready becomes Not Ready; any other state becomes Ready.', sample: 'CommandOrControl+F12' },
  'hotkeys.holdRetrieve': { title: 'Hotkey: hold / retrieve', explain: 'Holds the call in progress, else retrieves the held call.', sample: 'CommandOrControl+F8' },
  'hotkeys.showWindow': { title: 'Hotkey: show the window', explain: 'Brings the softphone window to the front.', sample: 'CommandOrControl+F7' },
  raiseOnRing: { title: 'Bring the window forward on ring', explain: 'Bring the window forward when a call rings.', sample: true },
  closeToTray: { title: 'Close to tray', explain: 'Closing the window hides it to the tray instead of quitting.', sample: true },
  rememberPassword: { title: 'Allow remembering the password', explain: 'Whether the agent may keep the password. It is stored only encrypted by the OS (Windows DPAPI, macOS Keychain).', sample: false },
  updates: { title: 'Updates', explain: 'Where updates come from and which ones are installed.' },
  'updates.feedUrl': { title: 'Update feed URL', explain: 'Folder on your web server holding latest.yml, latest-mac.yml, latest-linux.yml and the installers, as electron-builder writes them.', sample: 'https://updates.corp.example.com/gws-softphone/' },
  'updates.channel': { title: 'Update channel', explain: 'latest (default) or e.g. beta (reads beta.yml; pre-releases allowed).', sample: 'latest' },
  'updates.disabled': { title: 'Turn off updates', explain: 'Enabled: the app never checks for updates (you deploy new versions yourself).', sample: false },
  'updates.pinnedVersion': { title: 'Pin a version', explain: 'Only this version (e.g. 1.2.0) is ever downloaded; never a downgrade: an app newer than the pin stays as it is.', sample: '1.2.0' },
  'updates.ring': { title: 'Rollout ring', explain: 'early: takes a release as soon as it is in the feed (your pilot machines). broad (default): follows the stagingPercentage of the feed.', sample: 'broad' },
  campaigns: { title: 'Campaigns', explain: 'Outbound campaign names the agent can start a preview session in even when the server never announces them. One name per line.', sample: ['Collections_Preview'] },
  trustedCaCertificates: { title: 'Trusted CA certificates', explain: 'PEM files of your own certificate authorities, trusted for the GWS server and the update feed. One path per line.', sample: ['/Library/Application Support/GWS Softphone/corp-root-ca.pem'] },
  workRules: { title: 'Work rules', explain: 'After Call Work and calling hours.' },
  'workRules.afterCallWork': { title: 'After Call Work', explain: "Put the agent in After Call Work when a record's call ends.", sample: true },
  'workRules.afterComplete': { title: 'After a record is closed', explain: 'previous: back to the state the agent had before; ready: Ready.', sample: 'previous' },
  'workRules.callingHours': { title: 'Calling hours', explain: "Hours in which a customer may be called, in the customer's time zone." },
  'workRules.callingHours.start': { title: 'Calling hours: start', explain: 'HH:MM, 24 h (e.g. 08:00).', sample: '08:00' },
  'workRules.callingHours.end': { title: 'Calling hours: end', explain: 'HH:MM, 24 h, excluded (e.g. 21:00).', sample: '21:00' },
  'workRules.callingHours.outside': { title: 'Calling hours: outside them', explain: 'ask: the agent confirms a dial outside the hours; block: refused; off: no check.', sample: 'ask' },
  'workRules.readyAfterWrapUp': { title: 'Ready when the wrap-up time ends', explain: "Back to Ready when the call's wrap-up time (WrapUpTime) runs out in After Call Work. Set here, the agent cannot change it.", sample: false },
  defaults: { title: 'Defaults the agent may change', explain: 'Starting values only: the agent may change them.' },
};

function base(path: readonly string[]): string {
  return (path[0] === 'defaults' && path.length > 1 ? path.slice(1) : path).join('.');
}

function words(name: string): string {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export function titleOf(path: readonly string[]): string {
  return TEXT[base(path)]?.title ?? words(path[path.length - 1] ?? '');
}

export function explainOf(key: PolicyKey): string {
  const id = key.path.join('.');
  const text = TEXT[base(key.path)]?.explain ?? `Sets ${base(key.path)} (see docs/it-deployment.md).`;
  const how = key.path[0] === 'defaults' ? 'A starting value: the agent may change it.' : 'Set and locked: the agent sees it read-only.';
  const scope = key.scope === 'machine' ? ' Machine-wide: read from the computer policy only.' : '';
  const kind = key.kind === 'enum' ? ` Values: ${key.options?.join(', ')}.` : '';
  return `${text}${kind}\n\n${how}${scope}\n\nPolicy key: ${id}`;
}

export function sampleOf(key: PolicyKey): PlistValue {
  const known = TEXT[base(key.path)]?.sample;
  if (known !== undefined) return known;
  switch (key.kind) {
    case 'boolean':
      return true;
    case 'enum':
      return key.options?.[0] ?? '';
    case 'list':
      return ['example'];
    case 'integer':
      return key.values?.[0] ?? 0;
    case 'number':
      return key.minimum ?? key.maximum ?? 1;
    case 'string':
      return key.format === 'url' ? 'https://example.com/' : 'example';
    case 'other':
      throw unsupported(key);
  }
}

/** A schema type the OS templates cannot express yet: teach it here and in schema-keys.ts. */
function unsupported(key: PolicyKey): Error {
  return new Error(`policy key ${key.path.join('.')}: schema type "${key.schemaType}" has no Group Policy / profile form yet (build/scripts/policy-templates.ts)`);
}

/** Whole, non-negative numbers fit a REG_DWORD and the ADMX decimal box; anything else is typed as text. */
function dwordNumber(key: PolicyKey): boolean {
  return key.kind === 'number' && key.whole === true && (key.minimum ?? 0) >= 0 && (key.maximum ?? 0) <= 0xffffffff;
}

const templateKeys = (keys: readonly PolicyKey[]) =>
  keys.filter((k) => {
    if (k.path.join('.') in NOT_IN_OS_TEMPLATES) return false;
    if (k.kind === 'other') throw unsupported(k);
    return true;
  });
const policyName = (path: readonly string[]) => path.join('_');
const categoryName = (group: readonly string[]) => (group.length === 0 ? ROOT_CATEGORY : `${ROOT_CATEGORY}_${group.join('_')}`);
const registryKeyOf = (path: readonly string[]) => [REGISTRY_KEY, ...path].join('\\');

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function admx(keys: readonly PolicyKey[] = policyKeys()): string {
  const used = templateKeys(keys);
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- Generated by build/scripts/policy-templates.ts from main/desktop/policy.ts: do not edit. -->',
    '<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">',
    '  <policyNamespaces>',
    `    <target prefix="gwssoftphone" namespace="${NAMESPACE}" />`,
    '  </policyNamespaces>',
    '  <resources minRequiredRevision="1.0" />',
    '  <supportedOn>',
    '    <definitions>',
    '      <definition name="SUPPORTED_WIN10" displayName="$(string.SUPPORTED_WIN10)" />',
    '    </definitions>',
    '  </supportedOn>',
    '  <categories>',
    `    <category name="${ROOT_CATEGORY}" displayName="$(string.${ROOT_CATEGORY})" />`,
  ];
  for (const group of policyGroups(used)) {
    out.push(`    <category name="${categoryName(group)}" displayName="$(string.${categoryName(group)})">`, `      <parentCategory ref="${categoryName(group.slice(0, -1))}" />`, '    </category>');
  }
  out.push('  </categories>', '  <policies>');
  for (const key of used) {
    const name = policyName(key.path);
    const group = key.path.slice(0, -1);
    const leaf = key.path[key.path.length - 1] ?? '';
    const klass = key.scope === 'machine' ? 'Machine' : 'Both';
    const common = `name="${name}" class="${klass}" displayName="$(string.${name})" explainText="$(string.${name}_Explain)"`;
    const where = [`      <parentCategory ref="${categoryName(group)}" />`, '      <supportedOn ref="SUPPORTED_WIN10" />'];
    if (key.kind === 'boolean') {
      out.push(`    <policy ${common} key="${xml(registryKeyOf(group))}" valueName="${leaf}">`, ...where);
      out.push('      <enabledValue>', '        <decimal value="1" />', '      </enabledValue>', '      <disabledValue>', '        <decimal value="0" />', '      </disabledValue>', '    </policy>');
      continue;
    }
    out.push(`    <policy ${common} presentation="$(presentation.${name})" key="${xml(registryKeyOf(key.kind === 'list' ? key.path : group))}">`, ...where, '      <elements>');
    if (key.kind === 'string' || (key.kind === 'number' && !dwordNumber(key))) out.push(`        <text id="${name}" valueName="${leaf}" required="true"${key.maxLength !== undefined ? ` maxLength="${key.maxLength}"` : ''} />`);
    else if (key.kind === 'number') out.push(`        <decimal id="${name}" valueName="${leaf}" required="true" minValue="${key.minimum ?? 0}" maxValue="${key.maximum ?? 4294967295}" />`);
    else if (key.kind === 'enum') {
      out.push(`        <enum id="${name}" valueName="${leaf}" required="true">`);
      for (const option of key.options ?? []) out.push(`          <item displayName="$(string.${name}_${option})">`, '            <value>', `              <string>${xml(option)}</string>`, '            </value>', '          </item>');
      out.push('        </enum>');
    } else if (key.kind === 'list') out.push(`        <list id="${name}" key="${xml(registryKeyOf(key.path))}" valuePrefix="" />`);
    else if (key.kind === 'integer') out.push(`        <decimal id="${name}" valueName="${leaf}" required="true" minValue="${Math.min(...(key.values ?? [0]))}" maxValue="${Math.max(...(key.values ?? [0]))}" />`);
    out.push('      </elements>', '    </policy>');
  }
  out.push('  </policies>', '</policyDefinitions>', '');
  return out.join('\n');
}

export function adml(keys: readonly PolicyKey[] = policyKeys()): string {
  const used = templateKeys(keys);
  const strings: [string, string][] = [
    ['SUPPORTED_WIN10', 'Windows 10 or later'],
    [ROOT_CATEGORY, POLICY_PRODUCT],
  ];
  for (const group of policyGroups(used)) strings.push([categoryName(group), titleOf(group)]);
  const presentations: string[] = [];
  for (const key of used) {
    const name = policyName(key.path);
    const title = titleOf(key.path);
    strings.push([name, key.path[0] === 'defaults' ? `${title} (default)` : title], [`${name}_Explain`, explainOf(key)]);
    if (key.kind === 'enum') for (const option of key.options ?? []) strings.push([`${name}_${option}`, option]);
    const control =
      key.kind === 'string' || (key.kind === 'number' && !dwordNumber(key))
        ? `<textBox refId="${name}"><label>${xml(title)}</label></textBox>`
        : key.kind === 'number'
          ? `<decimalTextBox refId="${name}" defaultValue="${key.minimum ?? 0}">${xml(title)}</decimalTextBox>`
        : key.kind === 'enum'
          ? `<dropdownList refId="${name}" noSort="true" defaultItem="0">${xml(title)}</dropdownList>`
          : key.kind === 'list'
            ? `<listBox refId="${name}">${xml(title)}</listBox>`
            : key.kind === 'integer'
              ? `<decimalTextBox refId="${name}" defaultValue="${key.values?.[0] ?? 0}">${xml(title)}</decimalTextBox>`
              : undefined;
    if (control) presentations.push(`      <presentation id="${name}">`, `        ${control}`, '      </presentation>');
  }
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- Generated by build/scripts/policy-templates.ts from main/desktop/policy.ts: do not edit. -->',
    '<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">',
    `  <displayName>${POLICY_PRODUCT}</displayName>`,
    `  <description>Group Policy settings for ${POLICY_PRODUCT} (docs/it-deployment.md).</description>`,
    '  <resources>',
    '    <stringTable>',
    ...strings.map(([id, text]) => `      <string id="${id}">${xml(text)}</string>`),
    '    </stringTable>',
    '    <presentationTable>',
    ...presentations,
    '    </presentationTable>',
    '  </resources>',
    '</policyDefinitionResources>',
    '',
  ].join('\n');
}

/** A stable UUID from a name, so the generated profile does not change on every run. */
function nameUuid(name: string): string {
  const h = createHash('sha1').update(`gws-softphone:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

/** The payload's settings: every key with a sample value, nested as in policy.json. */
export function samplePolicy(keys: readonly PolicyKey[] = policyKeys()): Record<string, PlistValue> {
  const root: Record<string, PlistValue> = {};
  for (const key of templateKeys(keys)) {
    let node = root;
    for (const part of key.path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, PlistValue>;
    node[key.path[key.path.length - 1] ?? ''] = sampleOf(key);
  }
  return root;
}

export function mobileconfig(keys: readonly PolicyKey[] = policyKeys()): string {
  const payload: Record<string, PlistValue> = {
    PayloadType: BUNDLE_ID,
    PayloadVersion: 1,
    PayloadIdentifier: `${BUNDLE_ID}.policy`,
    PayloadUUID: nameUuid('payload'),
    PayloadDisplayName: `${POLICY_PRODUCT} policy`,
    PayloadEnabled: true,
    ...samplePolicy(keys),
  };
  const profile: Record<string, PlistValue> = {
    PayloadContent: [payload],
    PayloadDescription: `Sample policy for ${POLICY_PRODUCT}: every setting with an example value (generated from the policy schema). Delete what you do not set; see docs/it-deployment.md.`,
    PayloadDisplayName: `${POLICY_PRODUCT} (sample policy)`,
    PayloadIdentifier: 'com.example.gws-softphone.policy',
    PayloadOrganization: 'Example Corp',
    PayloadRemovalDisallowed: true,
    PayloadScope: 'System',
    PayloadType: 'Configuration',
    PayloadUUID: nameUuid('profile'),
    PayloadVersion: 1,
  };
  return writePlist(profile);
}

interface JsonSchema {
  title?: string;
  description?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean;
  items?: JsonSchema;
  enum?: (string | number)[];
  pattern?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

/**
 * The same keys as a JSON Schema for MDMs that build their form from one (Jamf Pro's custom schema):
 * titles and descriptions for the form, types and enums for its controls. The schema's regular
 * expressions are not repeated here: the app and the checker judge the values.
 */
export function jamfManifest(keys: readonly PolicyKey[] = policyKeys()): string {
  const root: JsonSchema = { title: `${POLICY_PRODUCT} (${BUNDLE_ID})`, description: `IT policy for ${POLICY_PRODUCT}. Generated from the policy schema; see docs/it-deployment.md.`, type: 'object', properties: {}, additionalProperties: false };
  for (const key of templateKeys(keys)) {
    let node = root;
    key.path.slice(0, -1).forEach((part, i) => {
      const group = key.path.slice(0, i + 1);
      node.properties ??= {};
      node = node.properties[part] ??= { title: titleOf(group), type: 'object', properties: {}, additionalProperties: false };
    });
    const leaf: JsonSchema = { title: key.path[0] === 'defaults' ? `${titleOf(key.path)} (default)` : titleOf(key.path), description: explainOf(key).replace(/\n\n/g, ' ') };
    if (key.kind === 'boolean') leaf.type = 'boolean';
    else if (key.kind === 'string') Object.assign(leaf, { type: 'string' }, key.maxLength !== undefined && { maxLength: key.maxLength });
    else if (key.kind === 'enum') Object.assign(leaf, { type: 'string', enum: key.options ?? [] });
    else if (key.kind === 'list') Object.assign(leaf, { type: 'array', items: { type: 'string' } });
    else if (key.kind === 'number') Object.assign(leaf, { type: key.whole ? 'integer' : 'number' }, key.minimum !== undefined && { minimum: key.minimum }, key.maximum !== undefined && { maximum: key.maximum });
    else Object.assign(leaf, { type: 'integer', enum: key.values ?? [] });
    node.properties ??= {};
    node.properties[key.path[key.path.length - 1] ?? ''] = leaf;
  }
  return `${JSON.stringify(root, null, 2)}\n`;
}

export function writeTemplates(outDir: string): string[] {
  const files: [string, string][] = [
    [ADMX_FILE, admx()],
    [ADML_FILE, adml()],
    [MOBILECONFIG_FILE, mobileconfig()],
    [JAMF_MANIFEST_FILE, jamfManifest()],
  ];
  for (const [name, text] of files) {
    mkdirSync(dirname(join(outDir, name)), { recursive: true });
    writeFileSync(join(outDir, name), text);
  }
  return files.map(([name]) => join(outDir, name));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ?? join('build', 'policy');
  for (const file of writeTemplates(outDir)) console.log(`wrote ${file}`);
}
