/**
 * `tel:` (RFC 3966) and `callto:` links → a number the dial pad accepts (`^\+?[0-9*#]+$`, as the
 * contract's phoneNumber). Visual separators are stripped; anything we do not understand is refused
 * with a reason, never guessed: letters (vanity numbers), parameters (`;ext=`, `;phone-context=`,
 * `;isub=`), queries, a `+` anywhere but first, or a number too long to be one.
 */

export type PhoneLinkResult = { ok: true; phoneNumber: string } | { ok: false; error: string };

export const PHONE_LINK_SCHEMES = ['tel', 'callto'] as const;

/** E.164 allows 15 digits; extensions and feature codes (`*72`) stay well below this. */
export const MAX_PHONE_DIGITS = 32;
/** No legitimate link is longer than this; refusing early keeps hostile input cheap. */
const MAX_LINK_LENGTH = 256;

/** RFC 3966 visual separators, plus the spaces and slashes people and CRMs put in numbers. */
const VISUAL_SEPARATORS = /[\s\-.()[\]/\u00a0\u2010-\u2015]/g;

export function isPhoneLink(value: string): boolean {
  return /^(tel|callto):/i.test(value.trim());
}

export function parsePhoneLink(url: string): PhoneLinkResult {
  if (typeof url !== 'string') return { ok: false, error: 'not a link' };
  const raw = url.trim();
  if (raw.length > MAX_LINK_LENGTH) return { ok: false, error: 'the link is too long' };
  const scheme = /^(tel|callto):/i.exec(raw);
  if (!scheme?.[1]) return { ok: false, error: 'only tel: and callto: links are accepted' };
  let rest = raw.slice(scheme[0].length);
  // callto://+44…, tel://… (seen in the wild), and the trailing slash some browsers append.
  if (rest.startsWith('//')) rest = rest.slice(2);
  if (rest.endsWith('/')) rest = rest.slice(0, -1);

  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return { ok: false, error: 'the link is not properly encoded' };
  }
  if (decoded.includes(';')) {
    const param = decoded.slice(decoded.indexOf(';') + 1).split('=')[0] ?? '';
    return { ok: false, error: `unsupported link parameter "${param.slice(0, 20)}"` };
  }
  if (/[?&]/.test(decoded)) return { ok: false, error: 'links with a query are not supported' };
  if (/[a-z]/i.test(decoded)) return { ok: false, error: 'letters are not allowed in a phone number' };

  const compact = decoded.replace(VISUAL_SEPARATORS, '');
  if (compact.length === 0) return { ok: false, error: 'the link holds no number' };
  if (!/^\+?[0-9*#]+$/.test(compact)) {
    return { ok: false, error: compact.indexOf('+', 1) > 0 ? '"+" may only start a number' : 'the number holds characters that cannot be dialled' };
  }
  const digits = compact.replace(/^\+/, '');
  if (digits.length > MAX_PHONE_DIGITS) return { ok: false, error: 'the number is too long' };
  if (compact.startsWith('+') && !/^[0-9]/.test(digits)) return { ok: false, error: 'an international number must start with a digit after "+"' };
  return { ok: true, phoneNumber: compact };
}

/**
 * The phone link in a command line (Windows and Linux pass the URL as an argument, on first launch
 * and in a second instance's argv; Chromium may have put its own switches before it).
 */
export function phoneLinkFromArgv(argv: readonly string[]): string | undefined {
  return argv.find((arg) => !arg.startsWith('-') && isPhoneLink(arg));
}
