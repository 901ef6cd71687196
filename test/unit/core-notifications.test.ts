// The CometD connection's pure rules: which requests the server may hold (they get the long-poll
// timeout plus maxNetworkDelay; every other request maxNetworkDelay alone), and which handshake
// failures mean "the HTTP session is gone".
import type { Message } from 'cometd';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHeldPoll, isSessionRefusal } from '../../main/gws/notifications';

describe('isHeldPoll', () => {
  it('a /meta/connect is held unless it asks for an immediate answer (advice.timeout 0, sent after a failure)', () => {
    expect(isHeldPoll(JSON.stringify([{ channel: '/meta/connect', connectionType: 'long-polling', id: '3' }]))).toBe(true);
    expect(isHeldPoll(JSON.stringify([{ channel: '/meta/connect', advice: { timeout: 25_000 } }]))).toBe(true);
    expect(isHeldPoll(JSON.stringify([{ channel: '/meta/connect', advice: { timeout: 0 } }]))).toBe(false);
    expect(isHeldPoll(JSON.stringify([{ channel: '/meta/handshake' }]))).toBe(false);
    expect(isHeldPoll(JSON.stringify([{ channel: '/meta/subscribe', subscription: '/v2/me/calls' }, { channel: '/meta/connect' }]))).toBe(true);
  });

  it('never throws on what is not a Bayeux batch', () => {
    fc.assert(fc.property(fc.string(), (body) => typeof isHeldPoll(body) === 'boolean'));
    expect(isHeldPoll('{"channel":"/meta/connect"}')).toBe(false);
    expect(isHeldPoll('[null, 1, "x"]')).toBe(false);
  });
});

describe('isSessionRefusal', () => {
  it('reads 401/403, statusCode 20 and the handshake_denied error as the HTTP session being gone', () => {
    expect(isSessionRefusal({ channel: '/meta/handshake', failure: { httpCode: 401 } } as unknown as Message)).toBe(true);
    expect(isSessionRefusal({ channel: '/meta/handshake', error: '403::handshake_denied' } as Message)).toBe(true);
    expect(isSessionRefusal({ channel: '/meta/handshake', ext: { statusCode: 20 } } as unknown as Message)).toBe(true);
    expect(isSessionRefusal({ channel: '/meta/handshake', failure: { httpCode: 503 } } as unknown as Message)).toBe(false);
    expect(isSessionRefusal({ channel: '/meta/handshake', error: '402::Unknown client' } as Message)).toBe(false);
  });
});
