// [project rule] (gws-api.md §5): the simulator also accepts CometD over WebSocket, although GWS 8.5
// and our client use long-polling. Driven here by the OFFICIAL cometd client with its WebSocket
// transport (over `ws`, carrying the session cookie as a browser would).
import { afterEach, describe, expect, it } from 'vitest';
import { CometD, type Message } from 'cometd';
import { adapt } from 'cometd-nodejs-client';
import { WebSocket as NodeWebSocket } from 'ws';
import type { Simulator } from '../../sim';
import { SimAgent } from '../support/sim-client';
import { useSimulator } from '../support/sim-fixtures';

const fx = useSimulator({ per: 'manual' });
let cometd: CometD | undefined;

// Registered after the fixture, so it runs before the fixture closes the simulator (hooks run in reverse).
afterEach(() => {
  cometd?.disconnect();
});

/** A window.WebSocket that sends the cookie, as a browser does for its own origin. */
function webSocketWithCookie(cookie: string): unknown {
  return class extends NodeWebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { Cookie: cookie } });
    }
  };
}

function handshake(client: CometD): Promise<Message> {
  return new Promise((resolve) => client.handshake((reply) => resolve(reply)));
}

/** Runs `body` with a CometD client on WebSocket only whose socket sends `cookie`; then puts window.WebSocket back. */
async function onWebSocket(sim: Simulator, cookie: string, body: (client: CometD) => Promise<void>): Promise<void> {
  adapt();
  const g = globalThis as unknown as { window: { WebSocket: unknown } };
  const original = g.window.WebSocket;
  g.window.WebSocket = webSocketWithCookie(cookie);
  try {
    cometd = new CometD();
    cometd.unregisterTransport('long-polling');
    cometd.unregisterTransport('callback-polling');
    cometd.configure({ url: `${sim.url}/api/v2/notifications`, logLevel: 'warn' });
    await body(cometd);
  } finally {
    g.window.WebSocket = original;
  }
}

describe('CometD over WebSocket', () => {
  it('handshakes on the session cookie, stays on WebSocket and delivers call notifications', async () => {
    const sim = await fx.start({ control: true });
    const agent = new SimAgent(sim.url, 'agent1', 'agent1');
    await agent.login();
    await agent.op('/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['voice'] });

    await onWebSocket(sim, agent.cookie!, async (client) => {
      const reply = await handshake(client);
      expect(reply.successful).toBe(true);
      expect(client.getTransport()?.type).toBe('websocket');

      const received = new Promise<Message>((resolve) => {
        client.subscribe('/v2/me/calls', (message) => {
          const data = message.data as { messageType?: string; call?: { state?: string } };
          if (data.messageType === 'CallStateChangeMessage' && data.call?.state === 'Ringing') resolve(message);
        }, (ack) => {
          expect(ack.successful).toBe(true);
          sim.control.inboundCall({ to: 'agent1', from: '+14155550123' });
        });
      });
      const message = await received;
      expect(message.channel).toBe('/v2/me/calls');
      expect((message.data as { call: { ani?: string } }).call.ani).toContain('4155550123');
    });
  });

  it('refuses a WebSocket handshake without a live session', async () => {
    const sim = await fx.start();
    await onWebSocket(sim, 'JSESSIONID=forged', async (client) => {
      const reply = await handshake(client);
      expect(reply.successful).toBe(false);
      expect(String(reply.error)).toContain('403');
    });
  });
});
