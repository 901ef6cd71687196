/**
 * Runs the compatibility check (`npm run agent -- --check`) against a GWS server: signs in with an
 * observer that records every WireObservation, waits (bounded, on events) for the first
 * notifications, reads the server version, runs only the probes the caller opted in to, builds the
 * report (compat-report.ts) and signs out. Electron-free: the CLI and the tests call it.
 *
 * Nothing here changes a customer's data by default: without probes the check only signs in (as
 * the app does), GETs the version, and signs out. Probes are opt-in and each says what it does.
 */
import { CookieJar } from 'tough-cookie';
import { createAgentSession } from '../agent/session';
import type { AgentSession, OperationAck, WireObservation } from '../agent/session-types';
import type { AgentSnapshot } from '../agent/snapshot';
import { asGwsError } from '../gws/errors';
import { GwsHttpClient } from '../gws/http-client';
import type { HttpTransport } from '../gws/http-transport';
import { fetchTransport } from '../gws/http-transport';
import type { Logger } from '../gws/logger';
import { silentLogger } from '../gws/logger';
import type { CompatReport, ProbeStep, ServerVersion } from './compat-report';
import { buildCompatReport } from './compat-report';
import type { SignInFailure } from './sign-in-failure';
import { signInFailure } from './sign-in-failure';

export interface CompatProbes {
  /** Dials this number (one that answers, e.g. a test IVR), reads the call list, hangs up. */
  dial?: string;
  /** Dials this number, which the switch must refuse: shows how errors arrive. */
  error?: string;
  /** Starts a preview session on this campaign, gets one record, rejects it (back to the list), ends the session. */
  record?: string;
}

export interface CompatCheckOptions {
  serverUrl: string;
  username: string;
  password: string;
  place?: string;
  /** Upper bound of the wait for the first device notification and the campaign announcements. Default 4000 ms. */
  waitMs?: number;
  /** Campaign announcements are over once none arrived for this long. Default 500 ms. */
  quietMs?: number;
  /** Upper bound of each probe step's wait. Default 10 000 ms. */
  probeTimeoutMs?: number;
  probes?: CompatProbes;
  /** Campaign names IT configures (shown as configured when the server does not announce them). */
  configuredCampaigns?: readonly string[];
  logger?: Logger;
  /** Default Node's fetch. */
  transport?: HttpTransport;
  /** Aborting ends the waits and skips the remaining probes; the check still signs out. */
  signal?: AbortSignal;
}

export type CompatCheckResult = { ok: true; report: CompatReport } | { ok: false; failure: SignInFailure };

/** The observations as they arrive, with bounded waits on them. */
export class ObservationLog {
  readonly items: WireObservation[] = [];
  private readonly waiters = new Set<() => void>();

  push(observation: WireObservation): void {
    this.items.push(observation);
    for (const wake of [...this.waiters]) wake();
  }

  /** True once `test` holds (checked now and on every observation); false after `timeoutMs` or on abort. */
  waitFor(test: (items: readonly WireObservation[]) => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (test(this.items)) return Promise.resolve(true);
    if (timeoutMs <= 0 || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (value: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const wake = (): void => {
        if (test(this.items)) done(true);
      };
      const onAbort = (): void => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Returns once no observation matching `relevant` arrived for `quietMs`, or after `timeoutMs`. */
  async quiet(relevant: (o: WireObservation) => boolean, quietMs: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const count = this.items.filter(relevant).length;
      const left = deadline - Date.now();
      if (left <= 0) return;
      const more = await this.waitFor((items) => items.filter(relevant).length > count, Math.min(quietMs, left), signal);
      if (!more) return;
    }
  }
}

const dataOf = (o: WireObservation): Record<string, unknown> | undefined =>
  o.kind === 'notification' && o.data !== null && typeof o.data === 'object' ? (o.data as Record<string, unknown>) : undefined;
const isDeviceMessage = (o: WireObservation): boolean => dataOf(o)?.['messageType'] === 'DeviceStateChangeMessage';
const isCampaignMessage = (o: WireObservation): boolean => dataOf(o)?.['messageType'] === 'OutboundCampaignMessage';
const isErrorMessage = (o: WireObservation): boolean => dataOf(o)?.['messageType'] === 'ErrorMessage' || dataOf(o)?.['notificationType'] === 'Error';

/** A transport that also keeps the session's cookies in `jar`, so the check's own GETs ride on the agent's HTTP session. */
function sharingCookies(inner: HttpTransport, jar: CookieJar): HttpTransport {
  return {
    async request(request) {
      const response = await inner.request(request);
      for (const header of response.headers['set-cookie'] ?? []) {
        try {
          jar.setCookieSync(header, request.url, { ignoreError: true });
        } catch {
          // a cookie the jar refuses is the session's business, not the check's
        }
      }
      return response;
    },
  };
}

/** Resolves with the snapshot once `test` holds, or undefined after `timeoutMs` / on abort. */
function waitForSnapshot(session: AgentSession, test: (s: AgentSnapshot) => boolean, timeoutMs: number, signal?: AbortSignal): Promise<AgentSnapshot | undefined> {
  if (test(session.snapshot)) return Promise.resolve(session.snapshot);
  if (signal?.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const done = (value: AgentSnapshot | undefined): void => {
      clearTimeout(timer);
      subscription.dispose();
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = (): void => done(undefined);
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const subscription = session.onDidChange((s) => {
      if (test(s)) done(s);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The operation's outcome in words, bounded. Never rejects. */
async function outcomeOf(ack: OperationAck, timeoutMs: number): Promise<{ ok: boolean; words: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    const result = await Promise.race([ack.outcome, timeout]);
    return result === 'confirmed' ? { ok: true, words: 'confirmed' } : { ok: false, words: `no confirming notification within ${timeoutMs} ms` };
  } catch (error) {
    const e = asGwsError(error);
    return { ok: false, words: `${e.code}: ${e.message}` };
  } finally {
    clearTimeout(timer);
  }
}

export async function runCompatCheck(options: CompatCheckOptions): Promise<CompatCheckResult> {
  const log = new ObservationLog();
  const jar = new CookieJar();
  const transport = sharingCookies(options.transport ?? fetchTransport(), jar);
  const logger = options.logger ?? silentLogger;
  const waitMs = options.waitMs ?? 4000;
  const quietMs = options.quietMs ?? 500;
  const probeTimeoutMs = options.probeTimeoutMs ?? 10_000;
  const signal = options.signal;
  const session = createAgentSession({
    transport,
    logger,
    observer: (o) => log.push(o),
    operationTimeoutMs: probeTimeoutMs,
    ...(options.configuredCampaigns && { configuredCampaigns: options.configuredCampaigns }),
  });

  try {
    await session.signIn({ serverUrl: options.serverUrl, username: options.username, password: options.password, ...(options.place && { place: options.place }) });
  } catch (error) {
    await session.dispose();
    return { ok: false, failure: signInFailure(options.serverUrl, options.username, asGwsError(error).toJSON()) };
  }

  try {
    // The first notifications: the device state, then the campaigns (a server may announce none).
    const deadline = Date.now() + waitMs;
    const left = (): number => Math.max(0, deadline - Date.now());
    await log.waitFor((items) => items.some(isDeviceMessage), left(), signal);
    if (await log.waitFor((items) => items.some(isCampaignMessage), left(), signal)) await log.quiet(isCampaignMessage, quietMs, left(), signal);

    // Same transport, same credentials, same HTTP session (cookies shared): only GETs.
    const http = new GwsHttpClient({ serverUrl: options.serverUrl, transport, credentials: { username: options.username, password: options.password }, jar, logger });
    const serverVersion = await readVersion(http);

    const probes: ProbeStep[] = [];
    const p = options.probes ?? {};
    const context: ProbeContext = { session, log, http, timeoutMs: probeTimeoutMs, ...(signal && { signal }) };
    if (p.dial !== undefined && !signal?.aborted) probes.push(...(await probeDial(context, p.dial)));
    if (p.error !== undefined && !signal?.aborted) probes.push(...(await probeError(context, p.error)));
    if (p.record !== undefined && !signal?.aborted) probes.push(...(await probeRecord(context, p.record)));
    if (signal?.aborted) probes.push({ name: 'interrupted', ok: false, detail: 'the check was interrupted: the report is partial' });

    const report = buildCompatReport({
      server: options.serverUrl,
      user: options.username,
      ...(options.place !== undefined && { place: options.place }),
      observations: log.items,
      snapshot: session.snapshot,
      serverVersion,
      ...(options.configuredCampaigns && { configuredCampaigns: options.configuredCampaigns }),
      probes,
    });
    return { ok: true, report };
  } finally {
    await session.signOut().catch((error: unknown) => logger.warn('sign-out failed', { error: String(error) }));
    await session.dispose();
  }
}

async function readVersion(http: GwsHttpClient): Promise<ServerVersion> {
  try {
    const reply = await http.get('/api/v2/diagnostics/version');
    const version = reply['version'];
    return typeof version === 'string' && version.trim() !== '' ? { ok: true, version: version.trim() } : { ok: false, reason: 'GET /api/v2/diagnostics/version: the reply has no version' };
  } catch (error) {
    return { ok: false, reason: asGwsError(error).message };
  }
}

// ---- probes (opt-in) -----------------------------------------------------------------------------

interface ProbeContext {
  session: AgentSession;
  log: ObservationLog;
  http: GwsHttpClient;
  timeoutMs: number;
  signal?: AbortSignal;
}

const callIds = (s: AgentSnapshot): Set<string> => new Set(Object.keys(s.calls));

/** Reads the call list as the app does after a reconnect (GET /me/calls?fields=*), recorded as an observation. */
async function readCallList(c: ProbeContext): Promise<ProbeStep> {
  const path = '/api/v2/me/calls?fields=*';
  try {
    const body = await c.http.get(path);
    c.log.push({ kind: 'reply', method: 'GET', path, body });
    const calls = Array.isArray(body['calls']) ? body['calls'].length : 0;
    return { name: 'read calls', ok: true, detail: `GET ${path}: ${calls} call${calls === 1 ? '' : 's'}` };
  } catch (error) {
    return { name: 'read calls', ok: false, detail: asGwsError(error).message };
  }
}

/** Hangs up a call the probe made and waits until the server released it. */
async function hangUp(c: ProbeContext, callId: string): Promise<ProbeStep> {
  try {
    const ack = await c.session.hangup(callId);
    const outcome = await outcomeOf(ack, c.timeoutMs);
    const gone = await waitForSnapshot(c.session, (s) => s.calls[callId] === undefined, c.timeoutMs);
    return { name: 'hang up', ok: gone !== undefined, detail: gone !== undefined ? `call ${callId} released` : `call ${callId} still listed (${outcome.words})` };
  } catch (error) {
    if (c.session.snapshot.calls[callId] === undefined) return { name: 'hang up', ok: true, detail: `call ${callId} already released` };
    return { name: 'hang up', ok: false, detail: `${asGwsError(error).message}: hang up call ${callId} by hand` };
  }
}

async function probeDial(c: ProbeContext, number: string): Promise<ProbeStep[]> {
  const before = callIds(c.session.snapshot);
  let ack: OperationAck;
  try {
    ack = await c.session.dial(number);
  } catch (error) {
    return [{ name: `dial ${number}`, ok: false, detail: asGwsError(error).message }];
  }
  void ack.outcome.catch(() => undefined);
  const errorsBefore = c.log.items.filter(isErrorMessage).length;
  const newCall = (s: AgentSnapshot): string | undefined => Object.keys(s.calls).find((id) => !before.has(id));
  const seen = await waitForSnapshot(c.session, (s) => newCall(s) !== undefined || c.log.items.filter(isErrorMessage).length > errorsBefore, c.timeoutMs, c.signal);
  const callId = seen ? newCall(seen) : undefined;
  if (callId === undefined) {
    const outcome = await outcomeOf(ack, 0);
    return [{ name: `dial ${number}`, ok: false, detail: seen ? 'the server refused the call (see errors)' : `no call within ${c.timeoutMs} ms (${outcome.words})` }];
  }
  const steps: ProbeStep[] = [{ name: `dial ${number}`, ok: true, detail: `call ${callId} ${c.session.snapshot.calls[callId]?.state ?? ''}`.trimEnd() }];
  steps.push(await readCallList(c));
  steps.push(await hangUp(c, callId));
  return steps;
}

async function probeError(c: ProbeContext, number: string): Promise<ProbeStep[]> {
  const before = callIds(c.session.snapshot);
  const errorsBefore = c.log.items.filter(isErrorMessage).length;
  let ack: OperationAck;
  try {
    ack = await c.session.dial(number);
  } catch (error) {
    // Refused synchronously (a non-zero statusCode): the asynchronous error form stays unobserved.
    return [{ name: `error: dial ${number}`, ok: false, detail: `refused at once, no error notification to classify (${asGwsError(error).message})` }];
  }
  void ack.outcome.catch(() => undefined);
  const newCall = (s: AgentSnapshot): string | undefined => Object.keys(s.calls).find((id) => !before.has(id));
  const gotError = await c.log.waitFor((items) => items.filter(isErrorMessage).length > errorsBefore, c.timeoutMs, c.signal);
  const callId = newCall(c.session.snapshot);
  const steps: ProbeStep[] = [];
  if (gotError) {
    const outcome = await outcomeOf(ack, c.timeoutMs);
    steps.push({ name: `error: dial ${number}`, ok: true, detail: `refused by an error notification (${outcome.words})` });
  } else {
    steps.push({ name: `error: dial ${number}`, ok: false, detail: callId !== undefined ? `the switch did not refuse ${number}: a call was made` : `no error notification within ${c.timeoutMs} ms` });
  }
  if (callId !== undefined) steps.push(await hangUp(c, callId));
  return steps;
}

async function probeRecord(c: ProbeContext, campaign: string): Promise<ProbeStep[]> {
  const steps: ProbeStep[] = [];
  const run = async (name: string, start: () => Promise<OperationAck>): Promise<boolean> => {
    try {
      const outcome = await outcomeOf(await start(), c.timeoutMs);
      steps.push({ name, ok: outcome.ok, detail: outcome.words });
      return outcome.ok;
    } catch (error) {
      steps.push({ name, ok: false, detail: asGwsError(error).message });
      return false;
    }
  };
  if (!(await run(`StartPreviewSession ${campaign}`, () => c.session.startPreviewSession(campaign)))) return steps;
  try {
    const requested = await c.session.getPreviewRecord(campaign);
    void requested.outcome.catch(() => undefined);
    const after = await waitForSnapshot(
      c.session,
      (s) => s.previewRecord.phase === 'offered' || s.previewRecord.lastNotification === 'NoRecordsAvailable' || s.previewRecord.phase === 'idle',
      c.timeoutMs,
      c.signal,
    );
    const record = after?.previewRecord.phase === 'offered' ? after.previewRecord.record : undefined;
    if (record) {
      steps.push({ name: 'GetPreviewRecord', ok: true, detail: `record ${String(record.recordHandle)} offered` });
      await run('RejectRecord (back to the calling list)', () => c.session.rejectRecord());
    } else {
      const outcome = await outcomeOf(requested, 0);
      steps.push({ name: 'GetPreviewRecord', ok: false, detail: after?.previewRecord.lastNotification === 'NoRecordsAvailable' ? 'NoRecordsAvailable: the campaign has no record to offer now' : `no record within ${c.timeoutMs} ms (${outcome.words})` });
    }
  } catch (error) {
    steps.push({ name: 'GetPreviewRecord', ok: false, detail: asGwsError(error).message });
  }
  await run(`EndPreviewSession ${campaign}`, () => c.session.endPreviewSession(campaign));
  return steps;
}
