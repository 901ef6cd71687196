/**
 * electron-builder.yml: valid against electron-builder's own JSON schema (draft-07, via ajv), and
 * saying what the issue asks (ids, targets, protocols, feed, what enters the archive).
 */
import { Ajv } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const schemePath = join(root, 'node_modules', 'app-builder-lib', 'scheme.json');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a YAML document, checked field by field below

describe('electron-builder.yml', () => {
  it('validates against app-builder-lib/scheme.json (electron-builder is a dev dependency)', () => {
    const schema = JSON.parse(readFileSync(schemePath, 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(valid ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`)).toEqual([]);
  });

  it('names the app and its update feed', () => {
    expect(config).toMatchObject({ appId: 'com.gwssoftphone.desktop', productName: 'GWS Softphone', asar: true });
    expect(config.publish).toEqual({ provider: 'generic', url: 'https://updates.example.invalid/gws-softphone/', channel: 'latest' });
  });

  it('packages only the built bundle', () => {
    expect(config.files.filter((f: string) => !f.startsWith('!'))).toEqual(['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json']);
    expect(config.extraResources).toEqual([{ from: 'build/tray', to: 'tray' }]);
  });

  it('declares the installers of each OS', () => {
    expect(config.win.target).toEqual(['nsis', 'msi']);
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: false });
    expect(config.msi).toMatchObject({ perMachine: true });
    expect(config.mac).toMatchObject({ target: ['dmg', 'zip'], hardenedRuntime: true, entitlements: 'build/entitlements.mac.plist' });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('registers tel: and callto:', () => {
    expect(config.protocols).toEqual([{ name: 'Phone number link', schemes: ['tel', 'callto'] }]);
  });

  it('points at icons and entitlements that exist', () => {
    for (const file of ['build/icon.ico', 'build/icon.png', 'build/entitlements.mac.plist', 'build/icons/512x512.png', 'build/icons/16x16.png']) {
      expect(existsSync(join(root, file)), file).toBe(true);
    }
    for (const status of ['offline', 'ready', 'not-ready', 'after-call-work', 'on-call', 'preview-waiting']) {
      for (const suffix of ['.png', '@2x.png', 'Template.png', 'Template@2x.png', '.ico']) expect(existsSync(join(root, 'build', 'tray', `${status}${suffix}`)), status + suffix).toBe(true);
    }
    // PNG signature and size of the macOS app icon source (≥ 512 px).
    const png = readFileSync(join(root, 'build', 'icon.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
  });
});
