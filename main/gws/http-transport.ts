/**
 * The one seam between the core and the network for REST calls. The Electron app can implement it
 * over Electron's `net` (system proxy, certificate store); tests and the CLI use {@link fetchTransport}.
 * Cookies, auth and CSRF are NOT the transport's business: {@link GwsHttpClient} adds them.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import tls from 'node:tls';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Header names in lower case. `set-cookie` may repeat, so every value is a list. */
  headers: Record<string, string[]>;
  body: string;
}

export interface HttpTransport {
  request(request: HttpRequest): Promise<HttpResponse>;
  /**
   * Optional: no later request reuses a pooled idle socket (the network may have died under it).
   * Requests in flight are left to finish; their sockets are closed when released.
   */
  freshSockets?(): void;
}

/** Why a request got no HTTP reply at all. */
export type TransportFailureKind = 'unreachable' | 'cert-untrusted' | 'timeout' | 'aborted';

/** Thrown by a transport when there is no HTTP reply (transports must map their errors to this). */
export class TransportFailure extends Error {
  override readonly name = 'TransportFailure';
  constructor(
    readonly kind: TransportFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const CERT_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Maps a Node/undici network error to a {@link TransportFailure}. */
export function classifyNetworkError(error: unknown, signal?: AbortSignal): TransportFailure {
  if (error instanceof TransportFailure) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || (signal?.aborted && (signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError')) {
    return new TransportFailure('timeout', 'The server did not reply in time', { cause: error });
  }
  if (name === 'AbortError' || signal?.aborted) {
    return new TransportFailure('aborted', 'The request was cancelled', { cause: error });
  }
  const code = errorCode(error);
  if (code && CERT_ERROR_CODES.has(code)) {
    return new TransportFailure('cert-untrusted', `The server's certificate is not trusted (${code})`, { cause: error });
  }
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  return new TransportFailure('unreachable', `The server cannot be reached (${detail})`, { cause: error });
}

/** A transport over Node's global `fetch` (undici). */
export function fetchTransport(): HttpTransport {
  return {
    async request({ method, url, headers, body, signal }) {
      let response: Response;
      try {
        response = await fetch(url, { method, headers, body: body ?? null, signal: signal ?? null, redirect: 'manual' });
      } catch (error) {
        throw classifyNetworkError(error, signal);
      }
      const out: Record<string, string[]> = {};
      response.headers.forEach((value, name) => {
        if (name.toLowerCase() !== 'set-cookie') out[name.toLowerCase()] = [value];
      });
      const setCookies = response.headers.getSetCookie();
      if (setCookies.length > 0) out['set-cookie'] = setCookies;
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw classifyNetworkError(error, signal);
      }
      return { status: response.status, headers: out, body: text };
    },
  };
}

/**
 * What Node's TLS trusts plus the CA certificates IT configured (PEM). Verification stays on: the
 * extra certificates only add trust anchors, they never switch checking off.
 */
export function trustedCaList(extraCertificates: readonly string[]): string[] {
  return [...tls.rootCertificates, ...extraCertificates];
}

export interface NodeTransportOptions {
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  trustedCertificates?: readonly string[];
}

/**
 * The session's transport: `node:http` / `node:https` with its own keep-alive agents (Node 20's
 * global fetch can neither take a per-request CA without importing undici nor drop its pool).
 * After a request gets no reply (timeout, reset, unreachable) the pool is replaced: a retry never
 * goes out on a pooled socket that may have died with the network (docs/reliability.md: dead links).
 * Same contract as {@link fetchTransport}: no redirects followed, header names in lower case,
 * network errors mapped by {@link classifyNetworkError}.
 */
export function nodeTransport(options: NodeTransportOptions = {}): HttpTransport & { close(): void; freshSockets(): void } {
  const newAgents = () => ({
    https: new https.Agent({ keepAlive: true, ca: trustedCaList(options.trustedCertificates ?? []) }),
    http: new http.Agent({ keepAlive: true }),
  });
  let agents = newAgents();
  const freshSockets = (): void => {
    const old = agents;
    agents = newAgents();
    retire(old.http);
    retire(old.https);
  };
  return {
    freshSockets,
    request({ method, url, headers, body, signal }) {
      return new Promise<HttpResponse>((resolve, reject) => {
        let target: URL;
        try {
          target = new URL(url);
        } catch (error) {
          reject(new TransportFailure('unreachable', `Not a URL: ${url}`, { cause: error }));
          return;
        }
        const secure = target.protocol === 'https:';
        const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
        const requestHeaders: Record<string, string> = { ...headers };
        if (payload !== undefined) requestHeaders['content-length'] = String(payload.length);
        const fail = (error: unknown): void => {
          const failure = classifyNetworkError(error, signal);
          if (failure.kind !== 'cert-untrusted') freshSockets();
          reject(failure);
        };
        let request: http.ClientRequest;
        try {
          request = (secure ? https : http).request(
            target,
            { method, headers: requestHeaders, agent: secure ? agents.https : agents.http, ...(signal ? { signal } : {}) },
            (response) => {
              const chunks: Buffer[] = [];
              response.on('data', (chunk: Buffer) => chunks.push(chunk));
              response.on('error', fail);
              response.on('end', () => {
                const out: Record<string, string[]> = {};
                for (const [name, value] of Object.entries(response.headers)) {
                  if (value === undefined) continue;
                  out[name.toLowerCase()] = Array.isArray(value) ? value : [value];
                }
                resolve({ status: response.statusCode ?? 0, headers: out, body: Buffer.concat(chunks).toString('utf8') });
              });
            },
          );
        } catch (error) {
          fail(error);
          return;
        }
        request.on('error', fail);
        request.end(payload);
      });
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/**
 * A replaced pool: its idle sockets close now; a request still in flight on it finishes (or fails
 * on its own timeout) and its socket closes when released, instead of waiting idle in a pool
 * nobody uses.
 */
function retire(agent: http.Agent): void {
  agent.on('free', (socket: Socket) => socket.destroy());
  for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
}
