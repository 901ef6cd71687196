/**
 * Secrets never reach the disk: after a full agent session with logging at its most verbose (every
 * HTTP request and reply header logged, the core at debug level), the log file, the settings file
 * and the diagnostics archive hold neither the password, nor the Authorization header, nor the CSRF
 * token, nor the JSESSIONID. The log pipeline is the app's: every logged item goes through
 * `redact` (main/desktop/log.ts does the same in its electron-log hook).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Conf from 'conf';
import { loadScenarioFile, DEFAULT_SCENARIO_FILE } from '../../sim';
import { createAgentSession } from '../../main/agent/session';
import { fetchTransport, type HttpTransport } from '../../main/gws/http-transport';
import type { Logger } from '../../main/gws/logger';
import { redact } from '../../main/desktop/redact';
import { SettingsRepository, settingsStoreOptions, type SecretCipher, type SettingsBackend } from '../../main/desktop/settings';
import { diagnosticsArchive } from '../../main/desktop/diagnostics';
import { waitForSnapshot } from '../support/core-wait';
import { useSimulator } from '../support/sim-fixtures';

const PASSWORD = 'S3cr3t-Pa55!';

function fileLogger(path: string): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    appendFileSync(path, `[${level}] ${[message, ...(fields === undefined ? [] : [fields])].map((item) => JSON.stringify(redact(item))).join(' ')}\n`);
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** The worst case: a transport that logs every header both ways, and remembers the real secrets to look for. */
function loggingTransport(log: Logger, seen: Set<string>): HttpTransport {
  const inner = fetchTransport();
  return {
    async request(request) {
      if (request.headers.Authorization) seen.add(request.headers.Authorization);
      log.debug('http request', { method: request.method, url: request.url, headers: request.headers, body: request.body });
      const response = await inner.request(request);
      for (const cookie of response.headers['set-cookie'] ?? []) {
        const id = /JSESSIONID=([^;]+)/.exec(cookie)?.[1];
        if (id) seen.add(id);
      }
      for (const token of response.headers['x-csrf-token'] ?? []) seen.add(token);
      log.debug('http response', { status: response.status, headers: response.headers, body: response.body });
      return response;
    },
  };
}

/** A stand-in for safeStorage: real encryption would differ, but any cipher text must not be the password. */
const cipher: SecretCipher = {
  isAvailable: async () => true,
  encrypt: async (text) => Buffer.from([...Buffer.from(text)].map((b) => b ^ 0x5a)),
  decrypt: async (data) => Buffer.from([...data].map((b) => b ^ 0x5a)).toString(),
};

let dir: string | undefined;

// After the fixture's own afterEach (hooks run in reverse): the session is disposed first.
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const fx = useSimulator({ per: 'manual' });

describe('secrets on disk', () => {
  it('after a full session, logs, settings and the diagnostics archive hold no secret', async () => {
    const scenario = loadScenarioFile(DEFAULT_SCENARIO_FILE);
    scenario.agents[0]!.password = PASSWORD;
    const sim = await fx.start({ scenario, timings: { answerMs: 100 } });
    dir = mkdtempSync(join(tmpdir(), 'gws-secrets-'));
    const logPath = join(dir, 'main.log');
    writeFileSync(logPath, '');
    const log = fileLogger(logPath);
    const secrets = new Set<string>([PASSWORD]);

    const session = fx.track(createAgentSession({ transport: loggingTransport(log, secrets), logger: log }));
    await session.signIn({ serverUrl: sim.url, username: 'agent1', password: PASSWORD });
    await session.ready();
    await session.startPreviewSession('Collections_Preview');
    await waitForSnapshot(session, (s) => s.campaigns.Collections_Preview?.previewSessionActive === true);
    await session.getPreviewRecord('Collections_Preview');
    await waitForSnapshot(session, (s) => s.previewRecord.phase === 'offered');
    await session.dialPreviewRecord();
    await waitForSnapshot(session, (s) => Object.values(s.calls).some((c) => c.state === 'Established'));
    const call = Object.values(session.snapshot.calls)[0]!;
    await session.hangup(call.id);
    await waitForSnapshot(session, (s) => s.previewRecord.phase === 'wrap-up');
    await session.completeRecord('Answer');
    // A failed sign-in is logged too: the wrong password must not appear either.
    const second = createAgentSession({ transport: loggingTransport(log, secrets), logger: log });
    secrets.add('Wr0ng-Pa55!');
    await expect(second.signIn({ serverUrl: sim.url, username: 'agent1', password: 'Wr0ng-Pa55!' })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await second.dispose();
    await session.signOut();

    // Settings with a remembered password, through the app's store options.
    const conf = new Conf({ ...settingsStoreOptions, cwd: dir, projectName: 'gws-softphone-secrets-test', projectVersion: '0.1.0' } as ConstructorParameters<typeof Conf>[0]);
    const backend: SettingsBackend = {
      get: (key) => conf.get(key),
      set: (key, value) => conf.set(key, value),
      delete: (key) => conf.delete(key as never),
      get store() {
        return conf.store as Record<string, unknown>;
      },
    };
    const settings = new SettingsRepository(backend, cipher);
    settings.set('serverUrl', sim.url);
    settings.set('username', 'agent1');
    expect(await settings.rememberPassword(PASSWORD, true)).toBe('stored');
    expect(await settings.password()).toBe(PASSWORD);

    const logText = readFileSync(logPath, 'utf8');
    const archive = diagnosticsArchive({
      now: Date.now(),
      versions: { app: '0.1.0', node: process.versions.node },
      platform: { os: process.platform, release: 'test', arch: process.arch },
      appInfo: { version: '0.1.0', defaultServerUrl: sim.url, locked: [], shell: 'electron' },
      settings: conf.store as Record<string, unknown>,
      policy: { state: 'none', path: '/etc/gws-softphone/policy.json' },
      logs: [{ name: 'main.log', text: logText }],
      agent: session.snapshot,
    });
    const files = {
      log: logText,
      settings: readFileSync(conf.path, 'utf8'),
      diagnostics: gunzipSync(archive).toString('latin1'),
    };

    // The session really produced every kind of secret, and the log really saw the traffic.
    expect([...secrets].filter((s) => s.startsWith('Basic ')).length).toBeGreaterThan(0);
    expect(secrets.size).toBeGreaterThanOrEqual(5);
    expect(logText).toContain('http request');
    expect(logText).toContain('CompleteRecord');

    const hits: string[] = [];
    for (const [name, text] of Object.entries(files)) {
      for (const secret of secrets) {
        const forms = [secret, encodeURIComponent(secret)];
        if (secret.startsWith('Basic ')) forms.push(secret.slice(6));
        if (forms.some((form) => text.includes(form))) hits.push(`${name} holds ${secret.slice(0, 4)}…`);
      }
    }
    expect(hits).toEqual([]);
  });
});
