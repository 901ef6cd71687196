/**
 * The development browser harness: serves the built renderer on 127.0.0.1 and speaks the contract
 * over ONE WebSocket (a random token in the URL, loopback only, same-origin only), through the same
 * validated router as Electron IPC. It is how the UI is developed and how Playwright tests it here;
 * it is never packaged (electron-builder.yml excludes main/harness and it is not in the main bundle).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { build } from 'esbuild';
import type { EventName, Events } from '../../preload/contract';
import type { Router } from '../ipc/router';

export interface HarnessOptions {
  router: Router;
  /** Subscribe to the events main sends the renderer; returns an unsubscribe. */
  subscribe(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  host?: string;
  log?: (line: string) => void;
}

export interface Harness {
  /** Open this in a browser: it carries the token. */
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

const here = fileURLToPath(new URL('.', import.meta.url));

async function bundleClient(): Promise<string> {
  const out = await build({
    entryPoints: [join(here, '..', '..', 'preload', 'harness-client.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
    logLevel: 'silent',
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error('harness client bundle is empty');
  return file.text;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const host = options.host ?? '127.0.0.1';
  if (!['127.0.0.1', '::1', 'localhost'].includes(host)) throw new Error(`The harness listens on loopback only, not ${host}.`);
  const log = options.log ?? (() => {});
  const token = randomBytes(24).toString('base64url');
  const root = resolve(options.rendererDir);
  const index = await readFile(join(root, 'index.html'), 'utf8').catch(() => {
    throw new Error(`No built renderer in ${root}: run \`npm run build\` first.`);
  });
  // The client must run before the app's module script, which is deferred.
  const page = index.replace('<head>', '<head>\n    <script src="./harness-client.js"></script>');
  const client = await bundleClient();
  let origin = '';

  async function serve(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://harness');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'Method not allowed');
    if (url.pathname === '/' || url.pathname === '/index.html') return send(200, TYPES['.html']!, page);
    if (url.pathname === '/harness-client.js') return send(200, TYPES['.js']!, client);
    const file = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root + sep)) return send(404, 'text/plain', 'Not found');
    try {
      send(200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file));
    } catch {
      send(404, 'text/plain', 'Not found');
    }
  }

  const server = createServer((req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  let current: WebSocket | undefined;

  const validToken = (given: string | null) => {
    if (!given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://harness');
    if (url.pathname !== '/ws' || !validToken(url.searchParams.get('token')) || req.headers.origin !== origin) {
      log(`harness: refused a WebSocket (${url.pathname}, origin ${req.headers.origin ?? 'none'})`);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // One connection: a reload replaces the previous page's socket.
      current?.close(4001, 'replaced by a newer connection');
      current = ws;
      ws.on('message', (data) => {
        let message: unknown;
        try {
          message = JSON.parse(String(data));
        } catch {
          ws.send(JSON.stringify({ id: 0, envelope: { ok: false, error: { code: 'VALIDATION', message: 'Not JSON.' } } }));
          return;
        }
        const { id, command, args } = (message ?? {}) as { id?: unknown; command?: unknown; args?: unknown };
        if (typeof id !== 'number') return;
        void options.router.invoke(command, args).then((envelope) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, envelope }));
        });
      });
      ws.on('close', () => {
        if (current === ws) current = undefined;
      });
    });
  });

  const unsubscribe = options.subscribe((event, payload) => {
    if (current?.readyState === current?.OPEN) current?.send(JSON.stringify({ event, payload }));
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => done());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    async close() {
      unsubscribe();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      // server.close() waits for every connection to end: the browser's keep-alive ones are closed
      // first, or the close would hang until the page goes away (an e2e teardown timed out on it).
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await closed;
    },
  };
}
