// A TCP proxy on the loopback interface in front of a server (the simulator), that fails the way
// real networks fail: silently. Used by the fault integration tests (test/integration/core-faults)
// and the soak (soak/run.ts). See docs/reliability.md, "Fault table".
//
//   blackHole()  every byte, in both directions, on existing AND new connections is swallowed.
//                Sockets stay open: nothing is closed or reset (Wi-Fi roaming, a VPN reconnect, a
//                NAT entry that timed out). New connections are accepted (loopback cannot lose a
//                SYN) but carry nothing.
//   heal()       new data is forwarded again. Bytes swallowed during the hole are gone for good,
//                like a dead TCP path whose peer state was lost: a connection that lost bytes
//                stays STUCK (open, silent, forever — until an endpoint gives up on it). A
//                connection that lost nothing carries on. `blackHole({ strandAll: true })`: every
//                connection open during the hole stays stuck after heal, even an idle one (a VPN
//                reconnect with a new address: pooled keep-alive sockets are dead too).
//   resetAll()   destroys every connection (a reset on both sides).
//
// Nothing crosses a hole or a stuck connection, not even a close or a reset: when an endpoint
// gives up on a stuck connection, the far side learns nothing; it is destroyed `lingerMs` later so
// that nothing lingers for long (bounded). Outside holes, closes and resets are passed on as a plain
// proxy would, and a server that refuses the connection is seen as a reset. close() destroys every
// socket and leaves no timer behind.
import net from 'node:net';

export interface FaultProxyOptions {
  target: { host: string; port: number };
  /** Connections open at once beyond this are refused (default 4096). */
  maxConnections?: number;
  /**
   * Once one endpoint closed its side of a stuck pair, the other side is destroyed after this long
   * (default 30 s): the far endpoint learns nothing soon, and nothing outlives the test for long.
   */
  lingerMs?: number;
}

export interface FaultProxyStats {
  /** Open now (client side). */
  connections: number;
  /** Accepted since the start. */
  accepted: number;
  /** Open now and stuck (lost bytes in a hole, or stranded by `strandAll`). */
  stuck: number;
  /** Swallowed since the start. */
  bytesDropped: number;
  /** A hole is open now. */
  blackHoled: boolean;
  /** Holes opened since the start. */
  holes: number;
}

export interface FaultProxy {
  /** http://127.0.0.1:PORT — give it to the client as its server URL. */
  readonly url: string;
  readonly port: number;
  blackHole(options?: { strandAll?: boolean }): void;
  heal(): void;
  resetAll(): void;
  /** blackHole(), then heal() after `ms` (resolves then; also when the proxy is closed first). */
  blackHoleFor(ms: number, options?: { strandAll?: boolean }): Promise<void>;
  stats(): FaultProxyStats;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  /** Lost bytes (or a FIN, or a reset) in a hole, or stranded: swallows everything forever. */
  stuck: boolean;
  /** Open while the current hole is: stuck after heal when the hole strands all. */
  inHole: boolean;
  /** Tears down the far side of a stuck pair some time after one endpoint gave up on it. */
  linger?: NodeJS.Timeout;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const { host, port: targetPort } = options.target;
  if (!LOOPBACK.has(host) && !host.startsWith('127.')) throw new Error(`the fault proxy only fronts a loopback server, not ${host}`);
  const lingerMs = options.lingerMs ?? 30_000;
  const pairs = new Set<Pair>();
  let hole = false;
  let strandAll = false;
  let holes = 0;
  let accepted = 0;
  let bytesDropped = 0;
  let closed = false;
  const holeTimers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  const destroy = (socket: net.Socket, reset: boolean): void => {
    if (socket.destroyed) return;
    if (reset && typeof socket.resetAndDestroy === 'function' && socket.readyState === 'open') socket.resetAndDestroy();
    else socket.destroy();
  };

  const forget = (pair: Pair): void => {
    if (pair.linger !== undefined) clearTimeout(pair.linger);
    pair.linger = undefined;
    pairs.delete(pair);
  };

  /** Nothing can cross a stuck pair, not even a close: the far side is torn down later (bounded). */
  const linger = (pair: Pair): void => {
    if (pair.client.destroyed && pair.upstream.destroyed) return forget(pair);
    pair.linger ??= setTimeout(() => {
      pair.linger = undefined;
      destroy(pair.client, false);
      destroy(pair.upstream, false);
      forget(pair);
    }, lingerMs).unref();
  };

  const forward = (pair: Pair, from: net.Socket, to: net.Socket): void => {
    from.on('data', (chunk: Buffer) => {
      if (hole || pair.stuck) {
        bytesDropped += chunk.length;
        pair.stuck = true; // this byte stream has a gap now: dead for good
        return;
      }
      if (to.destroyed) return;
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    });
    from.on('end', () => {
      if (hole) pair.stuck = true; // the FIN is lost too
      if (pair.stuck) linger(pair);
      else if (!to.destroyed) to.end();
    });
    from.on('close', () => {
      if (hole) pair.stuck = true;
      if (pair.stuck) return linger(pair);
      // Healthy: an abort or reset is passed on; a clean close was passed on by 'end'.
      if (!to.writableEnded) destroy(to, true);
      if (pair.client.destroyed && pair.upstream.destroyed) forget(pair);
    });
    from.on('error', () => undefined);
  };

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    if (closed) {
      client.destroy();
      return;
    }
    accepted += 1;
    const upstream = net.connect({ host, port: targetPort, allowHalfOpen: true });
    const pair: Pair = { client, upstream, stuck: false, inHole: hole };
    pairs.add(pair);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    forward(pair, client, upstream);
    forward(pair, upstream, client);
  });
  server.maxConnections = options.maxConnections ?? 4096;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fault proxy has no TCP address');
  const port = address.port;

  const blackHole = (o: { strandAll?: boolean } = {}): void => {
    if (closed) return;
    if (!hole) holes += 1;
    hole = true;
    strandAll = strandAll || o.strandAll === true;
    for (const pair of pairs) pair.inHole = true;
  };

  const heal = (): void => {
    if (!hole) return;
    hole = false;
    for (const pair of pairs) {
      if (strandAll && pair.inHole) pair.stuck = true;
      pair.inHole = false;
    }
    strandAll = false;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    blackHole,
    heal,
    resetAll: () => {
      for (const pair of [...pairs]) {
        destroy(pair.client, true);
        destroy(pair.upstream, true);
        forget(pair);
      }
    },
    blackHoleFor: (ms, o) =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        blackHole(o);
        const entry = {
          resolve,
          timer: setTimeout(() => {
            holeTimers.delete(entry);
            heal();
            resolve();
          }, ms),
        };
        holeTimers.add(entry);
      }),
    stats: () => ({
      connections: pairs.size,
      accepted,
      stuck: [...pairs].filter((p) => p.stuck).length,
      bytesDropped,
      blackHoled: hole,
      holes,
    }),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const entry of holeTimers) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      holeTimers.clear();
      hole = false;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const pair of [...pairs]) {
        pair.client.destroy();
        pair.upstream.destroy();
        forget(pair);
      }
      await stopped;
    },
  };
}

/** The simulator's control surface this file needs (kept structural: test support does not import sim/ types here). */
interface FailNextControl {
  failNext(o: { count: number; status?: number; body?: string; pathPrefix?: string }): void;
  state(): { pendingFailures: number };
}

/**
 * A server that answers HTTP `status` (503) on every request under `pathPrefix` for `ms` of wall
 * clock — a GWS node warming up behind a load balancer — however often the client retries meanwhile.
 * Done with the simulator's `failNext` (count-based): a stock of failures is put in place, topped up
 * while the storm lasts, and what is left at the end is used up by requests of our own straight to
 * the simulator (`directUrl`, not through any proxy), so nothing of the storm outlives `ms`.
 * Resolves with the number of failures the client met. Only one storm at a time per simulator, and
 * no other failNext rule may be pending meanwhile (the count is shared).
 */
export async function serverErrorsFor(
  control: FailNextControl,
  directUrl: string,
  o: { ms: number; pathPrefix: string; status?: number; body?: string; signal?: AbortSignal },
): Promise<number> {
  const STOCK = 200;
  const rule = { pathPrefix: o.pathPrefix, status: o.status ?? 503, ...(o.body !== undefined ? { body: o.body } : {}) };
  let stocked = STOCK;
  control.failNext({ count: STOCK, ...rule });
  const end = Date.now() + o.ms;
  while (Date.now() < end && o.signal?.aborted !== true) {
    await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, end - Date.now()))));
    const left = control.state().pendingFailures;
    if (left < STOCK / 4) {
      control.failNext({ count: STOCK, ...rule });
      stocked += STOCK;
    }
  }
  const leftAtEnd = control.state().pendingFailures;
  const met = stocked - leftAtEnd;
  // Use up the rest: GETs of our own under the prefix (each consumes one failure).
  const drainPath = `${o.pathPrefix.replace(/\/$/, '')}/__storm-drain`;
  for (let round = 0; round < 50 && control.state().pendingFailures > 0; round += 1) {
    const n = Math.min(25, control.state().pendingFailures);
    await Promise.all(Array.from({ length: n }, () => fetch(`${directUrl}${drainPath}`, { headers: { connection: 'close' } }).then((r) => r.arrayBuffer(), () => undefined)));
  }
  return met;
}
