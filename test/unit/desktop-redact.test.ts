import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactText } from '../../main/desktop/redact';

describe('redact', () => {
  it('redacts the usual suspects in text', () => {
    const text = [
      'POST /api/v2/me Authorization: Basic YWdlbnQxOmh1bnRlcjI=',
      'Cookie: JSESSIONID=abc123def; BAYEUX_BROWSER=xyz789',
      'set-cookie: JSESSIONID=node0q1w2e3; Path=/; HttpOnly',
      'X-CSRF-TOKEN: 9f8e7d6c',
      '{"username":"agent1","password":"hunter2"}',
      'body username=agent1&password=hunter2&place=P1',
      'connect https://agent1:hunter2@gws.example.com/api',
      "signIn { password: 'hunter2' }",
    ].join('\n');
    const out = redactText(text);
    for (const secret of ['YWdlbnQxOmh1bnRlcjI', 'abc123def', 'xyz789', 'node0q1w2e3', '9f8e7d6c', 'hunter2']) expect(out).not.toContain(secret);
    expect(out).toContain('"username":"agent1"');
    expect(out).toContain('place=P1');
  });

  it('redacts objects by key, deeply, and survives cycles and errors', () => {
    const cyclic: Record<string, unknown> = { headers: { Authorization: 'Bearer abc', 'X-CSRF-Token': 't0k' }, user: { password: 'p', name: 'n' } };
    cyclic.self = cyclic;
    const error = Object.assign(new Error('login failed for https://a:b@host'), { sessionId: 'S1' });
    expect(redact(cyclic)).toEqual({ headers: { Authorization: REDACTED, 'X-CSRF-Token': REDACTED }, user: { password: REDACTED, name: 'n' }, self: '[Circular]' });
    expect(redact(error)).toMatchObject({ message: `login failed for https://${REDACTED}@host`, sessionId: REDACTED });
  });
});

// Secrets in a distinctive alphabet so they cannot be mistaken for the surrounding text.
const secret = fc.stringMatching(/^[A-Za-z0-9+/=_~!*-]{6,40}$/).filter((s) => /[0-9]/.test(s) && /[A-Za-z]/.test(s));
const anySecret = fc.string({ minLength: 6, maxLength: 60 }).filter((s) => s.trim().length >= 6 && !/[\r\n]/.test(s));

describe('redact properties: no secret ever survives', () => {
  it('in headers, whatever they hold up to the end of the line', () => {
    fc.assert(
      fc.property(fc.constantFrom('Authorization', 'authorization', 'Cookie', 'Set-Cookie', 'X-CSRF-Token', 'x-xsrf-token', 'Proxy-Authorization'), fc.constantFrom(': ', ':', ' : '), anySecret, (header, sep, value) => {
        fc.pre(!`${header}${sep}`.includes(value));
        expect(redactText(`GET /api/v2/me\n${header}${sep}${value}\nAccept: */*`)).not.toContain(value);
      }),
    );
  });

  it('in JSON bodies, query strings and cookie pairs', () => {
    fc.assert(
      fc.property(fc.constantFrom('password', 'Password', 'userPassword', 'csrfToken', 'JSESSIONID', 'session_id', 'apiKey', 'token'), secret, (key, value) => {
        expect(redactText(JSON.stringify({ username: 'agent1', [key]: value, place: 'P1' }))).not.toContain(value);
        expect(redactText(`https://gws.example/api?user=agent1&${key}=${encodeURIComponent(value)}&x=1`)).not.toContain(encodeURIComponent(value));
        expect(redactText(`theme=dark; ${key}=${value}; lang=en`)).not.toContain(value);
      }),
    );
  });

  it('in objects, whatever the value, at any depth', () => {
    const key = fc.constantFrom('password', 'Authorization', 'cookie', 'X-CSRF-Header', 'sessionId', 'encryptedPassword', 'refreshToken');
    fc.assert(
      fc.property(key, anySecret, fc.nat(4), (k, value, depth) => {
        let obj: unknown = { [k]: value, harmless: 'ok' };
        for (let i = 0; i < depth; i += 1) obj = { level: i, nested: [obj] };
        const out = JSON.stringify(redact(obj));
        expect(out).not.toContain(JSON.stringify(value).slice(1, -1));
      }),
    );
  });

  it('in URLs with user-info', () => {
    fc.assert(
      fc.property(secret.filter((s) => !s.includes('/')), (pw) => {
        // (a "/" in a URL password must be percent-encoded, so it never appears raw)
        expect(redactText(`connecting to https://agent1:${pw}@gws.example.com:8443/api/v2`)).not.toContain(pw);
      }),
    );
  });
});
