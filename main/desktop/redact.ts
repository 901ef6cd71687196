/**
 * Secrets never reach a log line or a diagnostics archive: passwords, `Authorization` values, CSRF
 * tokens, session cookies (JSESSIONID and any Cookie/Set-Cookie value), URL user-info. Applied to
 * every electron-log message (log.ts) and to everything diagnostics exports. Objects are redacted
 * by key name (case-insensitive) and their strings by pattern; cycles and depth are bounded.
 */

export const REDACTED = '[REDACTED]';

/** Object keys whose values are secrets whatever they hold. */
const SECRET_KEY = /pass(word|wd|phrase)?|pwd|secret|token|authori[sz]ation|cookie|csrf|xsrf|session.?id|jsessionid|credential|api.?key|private.?key|encryptedPassword/i;

function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

const HEADER_NAMES = String.raw`authorization|proxy-authorization|cookie|set-cookie|x-csrf-token|x-xsrf-token|x-csrf-header|x-api-key`;

const PATTERNS: [RegExp, string | ((...m: string[]) => string)][] = [
  // Header lines (`Authorization: Basic …`, `Cookie: JSESSIONID=…; …`): the whole value to end of line.
  [new RegExp(String.raw`(\b(?:${HEADER_NAMES})\b["']?\s*[:=]\s*)[^\r\n]*`, 'gi'), (_m, head = '') => `${head}${REDACTED}`],
  // JSON-ish `"password": "…"` / `'token': '…'` with any key that names a secret.
  [
    /(["'])([A-Za-z0-9_.-]*(?:pass(?:word|wd)?|pwd|secret|token|authori[sz]ation|cookie|csrf|xsrf|session.?id|credential|api.?key)[A-Za-z0-9_.-]*)\1(\s*:\s*)(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^,}\]\s]+)/gi,
    (_m, q = '', key = '', sep = '') => `${q}${key}${q}${sep}"${REDACTED}"`,
  ],
  // JS-ish `password: 'hunter2'` (util.inspect output, object literals in messages).
  [
    /(\b[A-Za-z0-9_-]*(?:pass(?:word|wd)?|pwd|secret|token|csrf|xsrf|session.?id|api.?key|credential)[A-Za-z0-9_-]*\s*:\s*)(?!["']?\[REDACTED\])('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s,;&}\]]+)/gi,
    (_m, head = '') => `${head}'${REDACTED}'`,
  ],
  // Query/form parameters and cookie pairs: `password=…`, `JSESSIONID=…`, `csrfToken=…`.
  [
    /(\b[A-Za-z0-9_.-]*(?:pass(?:word|wd)?|pwd|secret|token|csrf|xsrf|session.?id|jsessionid|api.?key|credential|BAYEUX_BROWSER)[A-Za-z0-9_.-]*=)[^&;\s"',}]*/gi,
    (_m, head = '') => `${head}${REDACTED}`,
  ],
  // URL user-info: https://user:secret@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi, (_m, scheme = '') => `${scheme}${REDACTED}@`],
  // Bare bearer/basic credentials that lost their header name.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9+/=._~-]{6,}/g, (_m, scheme = '') => `${scheme} ${REDACTED}`],
];

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement as (...m: string[]) => string);
  return out;
}

const MAX_DEPTH = 12;

function redactValue(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth > MAX_DEPTH) return '[Too deep]';
  seen.add(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redactText(value.message) };
    if (value.stack) out.stack = redactText(value.stack);
    for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? REDACTED : redactValue(v, seen, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, seen, depth + 1));
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), isSecretKey(String(k)) ? REDACTED : redactValue(v, seen, depth + 1)]));
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[redactText(k)] = isSecretKey(k) && v !== undefined && v !== null && v !== '' ? REDACTED : redactValue(v, seen, depth + 1);
  return out;
}

/** A redacted copy: strings by pattern, objects by key name and, inside, by pattern. */
export function redact<T>(value: T): T extends string ? string : unknown {
  return redactValue(value, new WeakSet(), 0) as T extends string ? string : unknown;
}
