import { describe, expect, it } from 'vitest';
import { isLocked, loadPolicy, parsePolicy, policyFilePath, policyOf, resolveSettings } from '../../main/desktop/policy';
import { BUILTIN_DEFAULTS } from '../../main/desktop/settings';

const PATH = '/etc/gws-softphone/policy.json';

describe('policy file location', () => {
  it('is machine-wide on each OS', () => {
    expect(policyFilePath('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\GWS Softphone\\policy.json');
    expect(policyFilePath('win32', {})).toBe('C:\\ProgramData\\GWS Softphone\\policy.json');
    expect(policyFilePath('darwin')).toBe('/Library/Application Support/GWS Softphone/policy.json');
    expect(policyFilePath('linux')).toBe(PATH);
  });
});

describe('parsePolicy', () => {
  it('accepts a full policy (with a BOM, as Notepad saves it)', () => {
    const text = `\uFEFF${JSON.stringify({
      version: 1,
      serverUrl: 'https://gws.corp.example/',
      place: 'Place_7001',
      updates: { feedUrl: 'https://updates.corp.example/softphone/', channel: 'latest', disabled: false, pinnedVersion: '1.4.2' },
      startAtLogin: true,
      notifications: { incomingCall: true },
      trustedCaCertificates: ['/etc/ssl/corp-root.pem'],
      defaults: { raiseOnRing: false },
    })}`;
    const status = parsePolicy(text, PATH);
    expect(status.state).toBe('applied');
    expect(policyOf(status).updates?.pinnedVersion).toBe('1.4.2');
  });

  it.each([
    ['{ "serverUrl": ', /not valid JSON/],
    ['{"serverUrl": "ftp://x"}', /serverUrl: must be an http/],
    ['{"updatesDisabled": true}', /Unrecognized key/],
    ['{"updates": {"pinnedVersion": "latest"}}', /updates.pinnedVersion: must be a version/],
    ['[1, 2]', /\(root\)/],
    ['{"notifications": {"incomingCall": "yes"}}', /notifications.incomingCall/],
  ])('reports a malformed policy %s with the path of the problem', (text, problem) => {
    const status = parsePolicy(text, PATH);
    expect(status.state).toBe('invalid');
    if (status.state === 'invalid') expect(status.problem).toMatch(problem);
    // …and it is ignored as a whole.
    expect(policyOf(status)).toEqual({});
  });

  it('treats a missing file as no policy and an unreadable one as invalid, never throwing', async () => {
    const enoent = Object.assign(new Error('nope'), { code: 'ENOENT' });
    const eacces = Object.assign(new Error('nope'), { code: 'EACCES' });
    await expect(loadPolicy(PATH, () => Promise.reject(enoent))).resolves.toEqual({ state: 'none', path: PATH });
    await expect(loadPolicy(PATH, () => Promise.reject(eacces))).resolves.toMatchObject({ state: 'invalid', problem: expect.stringContaining('EACCES') });
    await expect(loadPolicy(PATH, () => Promise.resolve('{"serverUrl":"https://a.example"}'))).resolves.toMatchObject({ state: 'applied' });
  });
});

describe('resolveSettings: policy > user > policy defaults > built-in', () => {
  it('uses built-in defaults with no policy and no user choice', () => {
    expect(resolveSettings({}, {})).toEqual({ values: BUILTIN_DEFAULTS, locked: [] });
  });

  it('lets the policy set and lock, overriding the user', () => {
    const resolved = resolveSettings(
      { serverUrl: 'https://mine.example', place: 'P1', startAtLogin: false, notifications: { incomingCall: false, callReleased: false } },
      { serverUrl: 'https://gws.corp.example', startAtLogin: true, notifications: { incomingCall: true }, updates: { disabled: true } },
    );
    expect(resolved.values).toMatchObject({ serverUrl: 'https://gws.corp.example', place: 'P1', startAtLogin: true });
    expect(resolved.values.notifications).toMatchObject({ incomingCall: true, callReleased: false, callEstablished: true });
    expect(resolved.locked.sort()).toEqual(['notifications.incomingCall', 'serverUrl', 'startAtLogin', 'updates']);
    expect(isLocked(resolved, 'serverUrl')).toBe(true);
    expect(isLocked(resolved, 'place')).toBe(false);
    expect(isLocked(resolved, 'updates.channel')).toBe(true);
  });

  it('applies policy defaults only where the user has not chosen, and does not lock them', () => {
    const policy = { defaults: { raiseOnRing: false, closeToTray: false, notifications: { callEstablished: false } } };
    const resolved = resolveSettings({ closeToTray: true }, policy);
    expect(resolved.values).toMatchObject({ raiseOnRing: false, closeToTray: true });
    expect(resolved.values.notifications.callEstablished).toBe(false);
    expect(resolved.locked).toEqual([]);
  });

  it('a false in the policy still wins (not mistaken for "unset")', () => {
    expect(resolveSettings({ startAtLogin: true }, { startAtLogin: false }).values.startAtLogin).toBe(false);
  });
});
