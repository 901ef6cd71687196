// The fault proxy of the test support (test/support/fault-proxy.ts) against a tiny echo server:
// forwards, swallows silently in a hole (nothing closed), keeps a connection that lost bytes stuck
// after heal while new connections work, resets on demand, and leaves nothing behind.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FaultProxy } from '../support/fault-proxy';
import { startFaultProxy } from '../support/fault-proxy';

let echo: net.Server;
let echoSockets: Set<net.Socket>;
let proxy: FaultProxy;

beforeEach(async () => {
  echoSockets = new Set();
  echo = net.createServer((socket) => {
    echoSockets.add(socket);
    socket.on('close', () => echoSockets.delete(socket));
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: (echo.address() as net.AddressInfo).port }, lingerMs: 200 });
});

afterEach(async () => {
  await proxy.close();
  for (const s of echoSockets) s.destroy();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

interface Conn {
  socket: net.Socket;
  received: () => string;
  closed: () => boolean;
}

async function connect(): Promise<Conn> {
  const socket = net.connect(proxy.port, '127.0.0.1');
  let text = '';
  let isClosed = false;
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (text += d));
  socket.on('close', () => (isClosed = true));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => text, closed: () => isClosed };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('fault proxy', () => {
  it('listens on the loopback and forwards both ways', async () => {
    expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}`);
    const c = await connect();
    c.socket.write('hello');
    await until(() => c.received() === 'hello', 'echo');
    expect(proxy.stats()).toMatchObject({ connections: 1, accepted: 1, stuck: 0, bytesDropped: 0, blackHoled: false });
    c.socket.destroy();
  });

  it('refuses to front a server that is not on the loopback', async () => {
    await expect(startFaultProxy({ target: { host: '192.0.2.1', port: 80 } })).rejects.toThrow(/loopback/);
  });

  it('swallows every byte in a hole without closing anything; a connection that lost bytes stays stuck, new ones work', async () => {
    const idle = await connect();
    const busy = await connect();
    proxy.blackHole();
    busy.socket.write('lost');
    const fresh = await connect(); // accepted during the hole, carries nothing
    fresh.socket.write('also lost');
    await sleep(100);
    expect(busy.received()).toBe('');
    expect(fresh.received()).toBe('');
    expect([idle.closed(), busy.closed(), fresh.closed()]).toEqual([false, false, false]);
    expect(proxy.stats()).toMatchObject({ blackHoled: true, bytesDropped: 'lost'.length + 'also lost'.length, holes: 1 });

    proxy.heal();
    busy.socket.write('after');
    idle.socket.write('idle ok');
    const later = await connect();
    later.socket.write('new ok');
    await until(() => idle.received() === 'idle ok' && later.received() === 'new ok', 'idle and new connections forward again');
    await sleep(100);
    expect(busy.received()).toBe(''); // stuck for good, still open
    expect(busy.closed()).toBe(false);
    expect(proxy.stats()).toMatchObject({ blackHoled: false, stuck: 2 });
    for (const c of [idle, busy, fresh, later]) c.socket.destroy();
  });

  it('strandAll: every connection open during the hole stays stuck, even an idle one', async () => {
    const idle = await connect();
    proxy.blackHole({ strandAll: true });
    proxy.heal();
    idle.socket.write('x');
    const later = await connect();
    later.socket.write('y');
    await until(() => later.received() === 'y', 'new connection');
    await sleep(50);
    expect(idle.received()).toBe('');
    expect(idle.closed()).toBe(false);
    idle.socket.destroy();
    later.socket.destroy();
  });

  it('a close does not cross a stuck connection; the far side is torn down after lingerMs', async () => {
    const c = await connect();
    await until(() => echoSockets.size === 1, 'server side open');
    proxy.blackHole();
    c.socket.write('gap');
    await sleep(20);
    c.socket.destroy();
    await sleep(50);
    expect(echoSockets.size).toBe(1); // the server did not learn of it
    await until(() => echoSockets.size === 0 && proxy.stats().connections === 0, 'far side torn down', 2_000);
    proxy.heal();
  });

  it('blackHoleFor heals by itself; resetAll resets every connection', async () => {
    const c = await connect();
    await proxy.blackHoleFor(50);
    expect(proxy.stats().blackHoled).toBe(false);
    c.socket.write('back');
    await until(() => c.received() === 'back', 'forwarding after blackHoleFor');
    proxy.resetAll();
    await until(() => c.closed(), 'reset seen by the client');
    expect(proxy.stats().connections).toBe(0);
  });

  it('close() ends a pending blackHoleFor and destroys every socket', async () => {
    const c = await connect();
    const hole = proxy.blackHoleFor(60_000);
    await proxy.close();
    await hole;
    await until(() => c.closed(), 'client socket closed');
    expect(proxy.stats().connections).toBe(0);
  });

  it('a server that refuses the connection is seen as a reset, not a hang', async () => {
    const port = (echo.address() as net.AddressInfo).port;
    for (const s of echoSockets) s.destroy();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
    const c = await connect();
    await until(() => c.closed(), 'reset after the refusal');
    // let afterEach close a server again
    echo = net.createServer();
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    expect(port).toBeGreaterThan(0);
  });
});
