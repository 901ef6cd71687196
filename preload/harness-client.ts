/**
 * The browser harness's stand-in for the preload (bundled by main/harness/server.ts, never by the
 * Electron build): builds `window.softphone` from the same
 * `createSoftphoneApi` over a WebSocket to the harness (development and tests only; never packaged).
 * The token comes from the page URL; the harness refuses a socket without it.
 */
import { createSoftphoneApi } from './api';
import type { EventName } from './channels';
import type { Envelope } from './contract';

type ServerMessage = { id: number; envelope: Envelope<unknown> } | { event: EventName; payload: unknown };

const token = new URLSearchParams(location.search).get('token') ?? '';
const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
let nextId = 1;
let socket: WebSocket | undefined;
let opened: Promise<WebSocket> | undefined;

function connect(): Promise<WebSocket> {
  opened ??= new Promise((resolve, reject) => {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`);
    ws.addEventListener('open', () => {
      socket = ws;
      resolve(ws);
    });
    ws.addEventListener('message', (e) => {
      const message = JSON.parse(String(e.data)) as ServerMessage;
      if ('id' in message) {
        pending.get(message.id)?.(message.envelope);
        pending.delete(message.id);
      } else {
        for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
      }
    });
    ws.addEventListener('close', () => {
      socket = undefined;
      opened = undefined;
      for (const settle of pending.values()) settle({ ok: false, error: { code: 'OFFLINE', message: 'The harness connection closed.' } });
      pending.clear();
      reject(new Error('harness socket closed'));
    });
  });
  return opened;
}

const api = createSoftphoneApi({
  async invoke(command, args) {
    const ws = socket ?? (await connect().catch(() => undefined));
    if (!ws) return { ok: false, error: { code: 'OFFLINE', message: 'The harness is not reachable.' } };
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, command, args }));
    });
  },
  subscribe(event, listener) {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener);
    void connect().catch(() => undefined);
    return () => {
      set.delete(listener);
    };
  },
});

Object.defineProperty(window, 'softphone', { value: api, writable: false, configurable: false });
