import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PHONE_DIGITS, isPhoneLink, parsePhoneLink, phoneLinkFromArgv } from '../../main/desktop/phone-link';

const DIALLABLE = /^\+?[0-9*#]{1,32}$/;

describe('parsePhoneLink', () => {
  it.each([
    ['tel:+1 (555) 123-4567', '+15551234567'],
    ['tel:+1-555-123-4567', '+15551234567'],
    ['TEL:555.123.4567', '5551234567'],
    ['callto://+44 20 7123 4567', '+442071234567'],
    ['callto:+442071234567/', '+442071234567'],
    ['tel:%2B1%20555%20123%204567', '+15551234567'],
    ['tel:7001', '7001'],
    ['tel:*72', '*72'],
    ['  tel:+33 1 23 45 67 89  ', '+33123456789'],
  ])('%s → %s', (url, number) => {
    expect(parsePhoneLink(url)).toEqual({ ok: true, phoneNumber: number });
  });

  it.each([
    ['tel:+1-555-123-4567;ext=12', /parameter "ext"/],
    ['tel:5551234;phone-context=+1-212', /parameter "phone-context"/],
    ['tel:1-800-FLOWERS', /letters/],
    ['callto:skype.user', /letters/],
    ['tel:', /no number/],
    ['tel:+', /international|cannot be dialled/],
    ['tel:12+34', /"\+" may only start/],
    ['tel:555?call', /query/],
    ['tel:%E0%A4%A', /encoded/],
    ['tel:5551234<script>', /letters|cannot be dialled/],
    [`tel:${'1'.repeat(MAX_PHONE_DIGITS + 1)}`, /too long/],
    ['https://example.com/tel:123', /only tel: and callto:/],
    ['sip:123@host', /only tel: and callto:/],
    ['javascript:alert(1)', /only tel/],
  ])('refuses %s', (url, error) => {
    const result = parsePhoneLink(url);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });

  it('finds the link in a command line (first launch and second instance)', () => {
    expect(phoneLinkFromArgv(['C:\\Program Files\\GWS Softphone\\GWS Softphone.exe', '--allow-file-access-from-files', 'tel:+15551234567'])).toBe('tel:+15551234567');
    expect(phoneLinkFromArgv(['/opt/gws/gws-softphone', '--hidden'])).toBeUndefined();
    expect(isPhoneLink('CallTo://123')).toBe(true);
  });
});

describe('parsePhoneLink properties', () => {
  const separators = fc.constantFrom(' ', '-', '.', '(', ')', '');
  const digits = fc.array(fc.constantFrom(...'0123456789'), { minLength: 1, maxLength: 15 });

  it('any formatted number parses back to its digits, whatever the separators and scheme', () => {
    fc.assert(
      fc.property(fc.boolean(), digits, fc.array(separators, { minLength: 15, maxLength: 15 }), fc.constantFrom('tel:', 'TEL:', 'callto:', 'callto://'), (plus, ds, seps, scheme) => {
        const formatted = ds.map((d, i) => d + (seps[i] ?? '')).join('');
        const result = parsePhoneLink(`${scheme}${plus ? '+' : ''}${formatted}`);
        expect(result).toEqual({ ok: true, phoneNumber: `${plus ? '+' : ''}${ds.join('')}` });
      }),
    );
  });

  it('whatever the input, a success is always a diallable number', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `tel:${s}`), fc.string().map((s) => `callto:${s}`)), (input) => {
        const result = parsePhoneLink(input);
        if (result.ok) expect(result.phoneNumber).toMatch(DIALLABLE);
      }),
    );
  });

  it('refuses any link with a letter, a parameter or too many digits', () => {
    fc.assert(
      fc.property(digits, fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCXYZ'), fc.nat(14), (ds, letter, at) => {
        const withLetter = [...ds.slice(0, at), letter, ...ds.slice(at)].join('');
        expect(parsePhoneLink(`tel:${withLetter}`).ok).toBe(false);
        expect(parsePhoneLink(`tel:${ds.join('')};${letter}=1`).ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: MAX_PHONE_DIGITS + 1, max: 200 }), (n) => {
        expect(parsePhoneLink(`tel:+${'9'.repeat(n)}`).ok).toBe(false);
      }),
    );
  });
});
