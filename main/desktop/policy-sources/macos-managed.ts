/**
 * macOS managed preferences: a configuration profile (MDM) whose payload type is the app's bundle
 * id writes `/Library/Managed Preferences/<bundle id>.plist` (device profile) or
 * `/Library/Managed Preferences/<user>/<bundle id>.plist` (user profile). The keys are the policy
 * file's, nested the same way (dicts for objects, arrays for lists). The file may be a binary
 * plist: the OS's `plutil -convert xml1` turns it into XML, parsed by plist.ts. Electron-free.
 */
import { posix } from 'node:path';
import type { PlistValue } from './plist';
import { PlistError, parsePlist } from './plist';
import type { RunCommand } from './windows-registry';

export const BUNDLE_ID = 'com.gwssoftphone.desktop';
export const MANAGED_PREFERENCES_DIR = '/Library/Managed Preferences';

export function managedPreferencesPath(user?: string): string {
  return user ? posix.join(MANAGED_PREFERENCES_DIR, user, `${BUNDLE_ID}.plist`) : posix.join(MANAGED_PREFERENCES_DIR, `${BUNDLE_ID}.plist`);
}

export type ManagedReading =
  | { state: 'none'; source: string }
  | { state: 'read'; source: string; value: Record<string, unknown>; origins: Record<string, string> }
  | { state: 'invalid'; source: string; problem: string };

/**
 * Keys a profile payload carries about itself (PayloadUUID, PayloadVersion, …): not settings.
 * Only these are dropped; anything else unknown stays for the schema to refuse.
 */
const PAYLOAD_KEYS = new Set(['PayloadType', 'PayloadVersion', 'PayloadIdentifier', 'PayloadUUID', 'PayloadEnabled', 'PayloadDisplayName', 'PayloadDescription', 'PayloadOrganization']);

function plain(value: PlistValue): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Date || value instanceof Uint8Array || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}

function leaves(value: unknown, prefix: string[], source: string, out: Record<string, string>): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    for (const [k, v] of Object.entries(value)) leaves(v, [...prefix, k], source, out);
  } else if (prefix.length > 0) out[prefix.join('.')] = `${source} → ${prefix.join('.')}`;
}

/** The policy object in a managed-preferences dict (or a profile payload). */
export function managedPreferencesToPolicy(dict: PlistValue, source: string): ManagedReading {
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict) || dict instanceof Date || dict instanceof Uint8Array) {
    return { state: 'invalid', source, problem: 'the property list is not a dictionary' };
  }
  const value = Object.fromEntries(Object.entries(dict).filter(([k]) => !PAYLOAD_KEYS.has(k)).map(([k, v]) => [k, plain(v)]));
  if (Object.keys(value).length === 0) return { state: 'none', source };
  const origins: Record<string, string> = {};
  leaves(value, [], source, origins);
  return { state: 'read', source, value, origins };
}

/** Parses XML plist text (what plutil prints) into a reading. */
export function parseManagedPreferences(xml: string, source: string): ManagedReading {
  try {
    return managedPreferencesToPolicy(parsePlist(xml), source);
  } catch (error) {
    return { state: 'invalid', source, problem: error instanceof PlistError ? `not a valid property list (${error.message})` : String(error) };
  }
}

/**
 * Reads one managed-preferences file through `plutil -convert xml1 -o - <file>` (binary or XML in,
 * XML out). A missing file is the normal case.
 */
export async function readManagedPreferences(path: string, run: RunCommand, exists: (path: string) => Promise<boolean>): Promise<ManagedReading> {
  if (!(await exists(path))) return { state: 'none', source: path };
  let result;
  try {
    result = await run('/usr/bin/plutil', ['-convert', 'xml1', '-o', '-', path]);
  } catch (error) {
    return { state: 'invalid', source: path, problem: `plutil could not be run (${error instanceof Error ? error.message : String(error)})` };
  }
  if (result.exitCode !== 0) return { state: 'invalid', source: path, problem: `plutil failed (exit ${result.exitCode}) ${result.stderr ?? ''}`.trim() };
  return parseManagedPreferences(result.stdout, path);
}

/**
 * The payload for our bundle id inside a .mobileconfig (for `--check-policy profile.mobileconfig`):
 * the first PayloadContent entry whose PayloadType is the bundle id.
 */
export function payloadOfProfile(xml: string, source: string): ManagedReading {
  let root: PlistValue;
  try {
    root = parsePlist(xml);
  } catch (error) {
    return { state: 'invalid', source, problem: `not a valid property list (${error instanceof Error ? error.message : String(error)})` };
  }
  const content = typeof root === 'object' && !Array.isArray(root) && !(root instanceof Date) && !(root instanceof Uint8Array) ? root['PayloadContent'] : undefined;
  if (!Array.isArray(content)) return managedPreferencesToPolicy(root, source); // a plain preferences plist
  const payload = content.find((p) => typeof p === 'object' && !Array.isArray(p) && !(p instanceof Date) && !(p instanceof Uint8Array) && p['PayloadType'] === BUNDLE_ID);
  if (payload === undefined) return { state: 'invalid', source, problem: `the profile has no payload of type ${BUNDLE_ID}` };
  return managedPreferencesToPolicy(payload, `${source} (payload ${BUNDLE_ID})`);
}
