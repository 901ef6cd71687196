/**
 * TLS trust: the simulator serves HTTPS (REST and CometD on one server) with a certificate from a
 * throw-away test CA. By default the client refuses it (CERT_UNTRUSTED, "Certificate not trusted"),
 * it accepts it only when that CA is configured (`trustedCertificates`, used by BOTH the REST
 * transport and the CometD connection), and nothing in the source can switch verification off.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentSession } from '../../main/agent/session';
import type { AgentSession } from '../../main/agent/session';
import { createSoftphoneCore } from '../../main/app/core';
import { GwsError } from '../../main/gws/errors';
import { silentLogger } from '../../main/gws/logger';
import { nodeTransport } from '../../main/gws/http-transport';
import { createCometdConnection } from '../../main/gws/notifications';
import { describeError } from '../../renderer/lib/errors';
import { startSimulator } from '../../sim';
import type { Simulator } from '../../sim';
import { makeTestPki, opensslMissing } from '../fixtures/test-ca';
import type { TestPki } from '../fixtures/test-ca';
import { waitForConnection, waitForSnapshot } from '../support/core-wait';

const skipReason = opensslMissing();
if (skipReason) console.warn(`[tls-trust] ${skipReason}`);

async function expectCode(promise: Promise<unknown>, code: string): Promise<GwsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GwsError);
  expect((error as GwsError).code).toBe(code);
  return error as GwsError;
}

describe.skipIf(skipReason !== undefined)('TLS: a GWS server whose certificate comes from an IT CA', () => {
  let pki: TestPki;
  let sim: Simulator;
  const sessions: AgentSession[] = [];
  const session = (trustedCertificates?: string[]): AgentSession => {
    const s = createAgentSession({ backoff: { baseMs: 50, capMs: 200 }, requestTimeoutMs: 5_000, ...(trustedCertificates && { trustedCertificates }) });
    sessions.push(s);
    return s;
  };

  beforeAll(async () => {
    pki = makeTestPki();
    sim = await startSimulator({ tls: pki.server, control: true, quiet: true, timings: { answerMs: 100 } });
  });
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
    await sim?.close();
  });

  it('the simulator serves HTTPS', () => {
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('by default refuses the certificate: CERT_UNTRUSTED, nothing reached the server, the UI says "Certificate not trusted"', async () => {
    const before = sim.control.requests().length;
    const s = session();
    const error = await expectCode(s.signIn({ serverUrl: sim.url, username: 'agent1', password: 'agent1' }), 'CERT_UNTRUSTED');
    expect(error.message).toMatch(/certificate/i);
    expect(s.snapshot.lastError?.code).toBe('CERT_UNTRUSTED');
    expect(s.snapshot.connection.state).toBe('offline');
    expect(sim.control.requests().length).toBe(before); // the TLS handshake failed: no HTTP request was made
    expect(describeError(s.snapshot.lastError!).title).toBe('Certificate not trusted');
  });

  it('through the IPC router the envelope carries CERT_UNTRUSTED too', async () => {
    const core = createSoftphoneCore(session(), { version: 'test', defaultServerUrl: sim.url, locked: [], shell: 'browser-harness' });
    try {
      const envelope = await core.router.invoke('signIn', { serverUrl: sim.url, username: 'agent1', password: 'agent1' });
      expect(envelope.ok).toBe(false);
      if (!envelope.ok) {
        expect(envelope.error.code).toBe('CERT_UNTRUSTED');
        expect(describeError(envelope.error).title).toBe('Certificate not trusted');
      }
    } finally {
      core.dispose();
    }
  });

  it('trusting an unrelated CA does not help', async () => {
    await expectCode(session([pki.otherCa]).signIn({ serverUrl: sim.url, username: 'agent1', password: 'agent1' }), 'CERT_UNTRUSTED');
  });

  it('a certificate from the trusted CA but for another host name is refused', async () => {
    const other = await startSimulator({ tls: pki.wrongHost, quiet: true });
    try {
      await expectCode(session([pki.ca]).signIn({ serverUrl: other.url, username: 'agent1', password: 'agent1' }), 'CERT_UNTRUSTED');
    } finally {
      await other.close();
    }
  });

  it('with the CA configured, signs in over HTTPS and receives notifications over HTTPS CometD', async () => {
    const s = session([pki.ca]);
    await s.signIn({ serverUrl: sim.url, username: 'agent1', password: 'agent1' });
    await waitForConnection(s, 'connected');
    const callId = sim.control.inboundCall({ to: 'agent1', from: '+15551230000' });
    await waitForSnapshot(s, (snap) => snap.calls[callId]?.state === 'Ringing', { what: 'inbound call over CometD/TLS' });
    const ack = await s.answer(callId);
    await expect(ack.outcome).resolves.toBe('confirmed');
    await s.signOut();
  });

  it('the REST transport alone: refuses without the CA, accepts with it', async () => {
    const url = `${sim.url}/api/v2/diagnostics/version`;
    const plain = nodeTransport();
    const trusted = nodeTransport({ trustedCertificates: [pki.ca] });
    try {
      await expect(plain.request({ method: 'GET', url, headers: {} })).rejects.toMatchObject({ name: 'TransportFailure', kind: 'cert-untrusted' });
      const reply = await trusted.request({ method: 'GET', url, headers: {} });
      expect(reply.status).toBe(200);
    } finally {
      plain.close();
      trusted.close();
    }
  });

  it('the CometD connection alone: CERT_UNTRUSTED without the CA; with it TLS passes and the server itself answers', async () => {
    const options = {
      url: `${sim.url}/api/v2/notifications`,
      channels: ['/v2/me/calls'],
      cookies: { header: () => '', store: () => undefined },
      logger: silentLogger,
      backoff: () => 50,
    };
    await expectCode(createCometdConnection(options).connect(), 'CERT_UNTRUSTED');
    // No JSESSIONID: the server (reached over verified TLS) refuses the handshake itself.
    const trusted = createCometdConnection({ ...options, trustedCertificates: [pki.ca] });
    await expectCode(trusted.connect(), 'SESSION_EXPIRED');
    await trusted.disconnect();
  });
});

describe('no switch turns certificate verification off', () => {
  const ROOTS = ['main', 'preload', 'renderer', 'sim', 'build/scripts', 'test/support', 'test/fixtures', 'test/e2e/support'];
  const FORBIDDEN: [RegExp, string][] = [
    [new RegExp(['reject', 'Unauthorized', String.raw`\s*[:=]\s*`, '(false|0|!1)'].join('')), 'rejectUnauthorized: false'],
    [new RegExp(['NODE_TLS_', 'REJECT_UNAUTHORIZED'].join('')), 'NODE_TLS_REJECT_UNAUTHORIZED'],
    [new RegExp(['ignore-certificate', '-errors'].join('')), '--ignore-certificate-errors'],
    [new RegExp(['checkServer', 'Identity', String.raw`\s*:`].join('')), 'a custom checkServerIdentity'],
    [new RegExp(['setCertificate', 'VerifyProc'].join('')), 'setCertificateVerifyProc'],
  ];
  const files: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry === 'node_modules') continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|mts|cts|js|mjs|cjs|svelte|json)$/.test(entry)) files.push(path);
    }
  };
  for (const root of ROOTS) walk(join(process.cwd(), root));

  it('scans the source', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(FORBIDDEN.map(([re, what]) => ({ re, what })))('nowhere: $what', ({ re }) => {
    const hits = files.filter((file) => re.test(readFileSync(file, 'utf8'))).map((file) => relative(process.cwd(), file));
    expect(hits).toEqual([]);
  });
});
