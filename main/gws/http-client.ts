/**
 * The one client for every GWS REST call: Basic auth, a cookie jar shared with the CometD connection,
 * the CSRF header (gws-api.md §2), timeouts and typed errors.
 */
import { CookieJar } from 'tough-cookie';
import { GwsError, PASSWORD_CHANGE_MESSAGE, codeForStatusCode } from './errors';
import type { HttpMethod, HttpResponse, HttpTransport } from './http-transport';
import { TransportFailure } from './http-transport';
import type { Logger } from './logger';
import { silentLogger } from './logger';

export interface Credentials {
  username: string;
  password: string;
}

/** A GWS reply body that said `statusCode: 0`; the caller validates the rest. */
export type GwsReply = Record<string, unknown> & { statusCode: 0 };

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Names the operation in errors and logs. */
  operationName?: string;
}

export interface GwsHttpClientOptions {
  /** `http(s)://host:port` — the `/api/v2/...` paths are appended. */
  serverUrl: string;
  transport: HttpTransport;
  credentials: Credentials;
  jar?: CookieJar;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  logger?: Logger;
}

const CSRF_RE_READ_PATH = '/api/v2/me';
/** GETs are idempotent: a failed one may be repeated once; a POST never is (its outcome is unknown). */
const GET_RETRIES = 1;

export class GwsHttpClient {
  readonly serverUrl: string;
  readonly jar: CookieJar;
  private readonly transport: HttpTransport;
  private credentials: Credentials;
  private readonly timeoutMs: number;
  private readonly logger: Logger;
  private csrf: { header: string; token: string } | undefined;

  constructor(options: GwsHttpClientOptions) {
    this.serverUrl = options.serverUrl.replace(/\/+$/, '');
    this.transport = options.transport;
    this.credentials = options.credentials;
    this.jar = options.jar ?? new CookieJar();
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.logger = options.logger ?? silentLogger;
  }

  /** The header/value pair currently sent on POST/PUT/DELETE, if one was captured. */
  get csrfToken(): { header: string; token: string } | undefined {
    return this.csrf;
  }

  url(path: string): string {
    return `${this.serverUrl}${path}`;
  }

  /** The `Cookie` header value for a URL of this server (used by the CometD connection). */
  cookieHeader(url: string): string {
    return this.jar.getCookieStringSync(url);
  }

  /** Stores a `Set-Cookie` header received outside this client (the CometD connection's replies). */
  storeSetCookie(url: string, header: string): void {
    try {
      this.jar.setCookieSync(header, url, { ignoreError: true });
    } catch (error) {
      this.logger.warn('ignored a Set-Cookie header', { error: String(error) });
    }
  }

  /** The CSRF header to send with every state-changing request, CometD's POSTs included (gws-api.md §2). */
  csrfHeaders(): Record<string, string> {
    return this.csrf ? { [this.csrf.header]: this.csrf.token } : {};
  }

  /** Forgets the HTTP session (cookies and CSRF token), e.g. before signing in again. */
  resetSession(): void {
    this.jar.removeAllCookiesSync();
    this.csrf = undefined;
  }

  async get(path: string, options: RequestOptions = {}): Promise<GwsReply> {
    let attempt = 0;
    for (;;) {
      try {
        return await this.send('GET', path, undefined, options);
      } catch (error) {
        if (attempt >= GET_RETRIES || !isRetryableForGet(error) || options.signal?.aborted) throw error;
        attempt += 1;
        this.logger.info('retrying GET', { path, attempt, code: (error as GwsError).code });
      }
    }
  }

  /**
   * POSTs an operation. Never repeated on a timeout, network error or 5xx — the server may have
   * acted. The one exception is a 403 CSRF refusal, which the server rejects before acting: the
   * token is read again (`GET /api/v2/me`) and the POST is sent once more.
   */
  async post(path: string, body: Record<string, unknown>, options: RequestOptions = {}): Promise<GwsReply> {
    const text = JSON.stringify(body);
    const name = options.operationName ?? (typeof body['operationName'] === 'string' ? body['operationName'] : undefined);
    const opts = name === undefined ? options : { ...options, operationName: name };
    try {
      return await this.send('POST', path, text, opts);
    } catch (error) {
      if (!(error instanceof GwsError) || error.code !== 'CSRF') throw error;
      this.logger.info('CSRF token refused: reading it again once', { path });
      this.csrf = undefined;
      await this.get(CSRF_RE_READ_PATH, { ...(options.signal && { signal: options.signal }) });
      return await this.send('POST', path, text, opts);
    }
  }

  private async send(method: HttpMethod, path: string, body: string | undefined, options: RequestOptions): Promise<GwsReply> {
    const url = this.url(path);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`, 'utf8').toString('base64')}`,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const cookie = this.cookieHeader(url);
    if (cookie) headers['Cookie'] = cookie;
    if (method !== 'GET' && this.csrf) headers[this.csrf.header] = this.csrf.token;

    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const details = { ...(options.operationName !== undefined && { operationName: options.operationName }) };

    let response: HttpResponse;
    try {
      response = await this.transport.request({ method, url, headers, ...(body !== undefined && { body }), signal });
    } catch (error) {
      throw transportError(error, method, path, details);
    }
    this.capture(url, response);
    return this.interpret(method, path, response, details);
  }

  private capture(url: string, response: HttpResponse): void {
    for (const header of response.headers['set-cookie'] ?? []) this.storeSetCookie(url, header);
    const name = response.headers['x-csrf-header']?.[0];
    const token = response.headers['x-csrf-token']?.[0];
    if (name && token) this.csrf = { header: name, token };
  }

  private interpret(method: HttpMethod, path: string, response: HttpResponse, details: { operationName?: string }): GwsReply {
    const { status } = response;
    const parsed = parseJsonObject(response.body);
    const statusCode = typeof parsed?.['statusCode'] === 'number' ? parsed['statusCode'] : undefined;
    const statusMessage = typeof parsed?.['statusMessage'] === 'string' ? parsed['statusMessage'] : undefined;
    const info = {
      ...details,
      httpStatus: status,
      ...(statusCode !== undefined && { statusCode }),
      ...(statusMessage !== undefined && { statusMessage }),
    };
    const what = `${method} ${path}`;

    if (status === 401 || statusCode === 20) {
      throw new GwsError('AUTH_FAILED', `${what}: not authenticated (${statusMessage ?? `HTTP ${status}`})`, { ...info, statusCode: 20 });
    }
    if (status === 403 && (method !== 'GET' || /csrf/i.test(response.body))) {
      throw new GwsError('CSRF', `${what}: CSRF token refused (${statusMessage ?? response.body.slice(0, 80)})`, info);
    }
    if (statusCode === 8) {
      throw new GwsError('PASSWORD_CHANGE_REQUIRED', PASSWORD_CHANGE_MESSAGE, info);
    }
    if (status >= 500) {
      // gws-api.md §1: `HTTP 503 {"statusCode":4}` means the request never reached T-Server/OCS.
      const nothingDone = statusCode !== undefined && statusCode !== 0;
      const code = nothingDone ? codeForStatusCode(statusCode) : 'SERVER';
      throw new GwsError(code, `${what}: server error HTTP ${status}${statusMessage ? ` (${statusMessage})` : ''}${nothingDone ? ', nothing was done' : ''}`, info);
    }
    if (status !== 200) {
      const code = statusCode !== undefined && statusCode !== 0 ? codeForStatusCode(statusCode) : status === 403 ? 'FORBIDDEN' : status === 400 ? 'VALIDATION' : 'SERVER';
      throw new GwsError(code, `${what}: HTTP ${status}${statusMessage ? ` (${statusMessage})` : ''}`, info);
    }
    if (!parsed || statusCode === undefined) {
      throw new GwsError('MALFORMED_REPLY', `${what}: the reply is not a GWS JSON body`, info);
    }
    if (statusCode !== 0) {
      throw new GwsError(codeForStatusCode(statusCode), `${what}: ${statusMessage ?? `statusCode ${statusCode}`}`, info);
    }
    return parsed as GwsReply;
  }
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function transportError(error: unknown, method: HttpMethod, path: string, details: { operationName?: string }): GwsError {
  const what = `${method} ${path}`;
  if (error instanceof TransportFailure) {
    switch (error.kind) {
      case 'timeout':
        return new GwsError('TIMEOUT', `${what}: no reply in time${method === 'GET' ? '' : ' (outcome unknown, not repeated)'}`, { ...details, cause: error });
      case 'cert-untrusted':
        return new GwsError('CERT_UNTRUSTED', `${what}: ${error.message}`, { ...details, cause: error });
      case 'aborted':
        return new GwsError('OFFLINE', `${what}: cancelled`, { ...details, cause: error });
      default:
        return new GwsError('UNREACHABLE', `${what}: ${error.message}`, { ...details, cause: error });
    }
  }
  return new GwsError('UNREACHABLE', `${what}: ${error instanceof Error ? error.message : String(error)}`, { ...details, cause: error });
}

function isRetryableForGet(error: unknown): boolean {
  if (!(error instanceof GwsError)) return false;
  if (error.code === 'UNREACHABLE' || error.code === 'TIMEOUT') return true;
  return error.code === 'SERVER' && error.httpStatus !== undefined && error.httpStatus >= 500;
}
