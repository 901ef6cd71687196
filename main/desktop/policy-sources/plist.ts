/**
 * A small parser for XML property lists (what `plutil -convert xml1` prints and what a
 * .mobileconfig is), so macOS managed preferences are read without a native module. Supports the
 * plist value types: dict, array, string, integer, real, true, false, date, data. Electron-free.
 */
export type PlistValue = string | number | boolean | Date | Uint8Array | PlistValue[] | { [key: string]: PlistValue };

export class PlistError extends Error {}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

interface Tag {
  name: string;
  kind: 'open' | 'close' | 'empty';
  /** Text before this tag (since the previous tag). */
  text: string;
}

function* tags(xml: string): Generator<Tag> {
  let i = 0;
  let text = '';
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) {
      if (xml.slice(i).trim() !== '') throw new PlistError('text after the last element');
      return;
    }
    text += xml.slice(i, lt);
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) throw new PlistError('unterminated comment');
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<?', lt) || xml.startsWith('<!', lt)) {
      const end = xml.indexOf('>', lt);
      if (end < 0) throw new PlistError('unterminated declaration');
      i = end + 1;
      continue;
    }
    const end = xml.indexOf('>', lt);
    if (end < 0) throw new PlistError('unterminated tag');
    const body = xml.slice(lt + 1, end).trim();
    const kind = body.startsWith('/') ? 'close' : body.endsWith('/') ? 'empty' : 'open';
    const name = body.replace(/^\//, '').replace(/\/$/, '').trim().split(/\s+/)[0] ?? '';
    yield { name, kind, text };
    text = '';
    i = end + 1;
  }
}

/** Parses an XML plist document; throws PlistError with what is wrong. */
export function parsePlist(xml: string): PlistValue {
  if (!/<plist[\s>]/.test(xml)) throw new PlistError('not a property list (no <plist>)');
  const stream = tags(xml.replace(/^\uFEFF/, ''));
  const next = (): Tag => {
    const r = stream.next();
    if (r.done) throw new PlistError('unexpected end of document');
    return r.value;
  };
  const closeOf = (name: string): string => {
    const tag = next();
    if (tag.kind !== 'close' || tag.name !== name) throw new PlistError(`expected </${name}>, found <${tag.kind === 'close' ? '/' : ''}${tag.name}>`);
    return decode(tag.text);
  };
  const value = (tag: Tag): PlistValue => {
    if (tag.kind === 'close') throw new PlistError(`unexpected </${tag.name}>`);
    const empty = tag.kind === 'empty';
    switch (tag.name) {
      case 'true':
      case 'false':
        if (!empty) closeOf(tag.name);
        return tag.name === 'true';
      case 'string':
        return empty ? '' : closeOf('string');
      case 'integer': {
        const text = empty ? '' : closeOf('integer').trim();
        if (!/^[+-]?(\d+|0x[0-9a-fA-F]+)$/.test(text)) throw new PlistError(`not an integer: "${text}"`);
        return Number(text.replace(/^\+/, ''));
      }
      case 'real': {
        const n = Number((empty ? '' : closeOf('real')).trim());
        if (Number.isNaN(n)) throw new PlistError('not a number in <real>');
        return n;
      }
      case 'date': {
        const d = new Date((empty ? '' : closeOf('date')).trim());
        if (Number.isNaN(d.getTime())) throw new PlistError('not a date in <date>');
        return d;
      }
      case 'data':
        return Uint8Array.from(Buffer.from((empty ? '' : closeOf('data')).replace(/\s+/g, ''), 'base64'));
      case 'array': {
        const items: PlistValue[] = [];
        if (empty) return items;
        for (;;) {
          const t = next();
          if (t.kind === 'close' && t.name === 'array') return items;
          items.push(value(t));
        }
      }
      case 'dict': {
        const dict: Record<string, PlistValue> = {};
        if (empty) return dict;
        for (;;) {
          const t = next();
          if (t.kind === 'close' && t.name === 'dict') return dict;
          if (t.name !== 'key' || t.kind !== 'open') throw new PlistError(`expected <key> in <dict>, found <${t.name}>`);
          const key = closeOf('key');
          // Own key even for `__proto__` (the strict schema then refuses it).
          Object.defineProperty(dict, key, { value: value(next()), enumerable: true, writable: true, configurable: true });
        }
      }
      default:
        throw new PlistError(`unknown element <${tag.name}>`);
    }
  };
  const first = next();
  if (first.name !== 'plist' || first.kind !== 'open') throw new PlistError('not a property list (no <plist>)');
  const result = value(next());
  closeOf('plist');
  if (!stream.next().done) throw new PlistError('content after </plist>');
  return result;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Writes an XML plist (the generators' output format), indented with tabs like Apple's tools. */
export function writePlist(value: PlistValue): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">', '<plist version="1.0">'];
  const emit = (v: PlistValue, depth: number): void => {
    const pad = '\t'.repeat(depth);
    if (typeof v === 'boolean') out.push(`${pad}<${v}/>`);
    else if (typeof v === 'number') out.push(Number.isSafeInteger(v) ? `${pad}<integer>${v}</integer>` : `${pad}<real>${v}</real>`);
    else if (typeof v === 'string') out.push(`${pad}<string>${escape(v)}</string>`);
    else if (v instanceof Date) out.push(`${pad}<date>${v.toISOString().replace(/\.\d{3}Z$/, 'Z')}</date>`);
    else if (v instanceof Uint8Array) out.push(`${pad}<data>${Buffer.from(v).toString('base64')}</data>`);
    else if (Array.isArray(v)) {
      out.push(`${pad}<array>`);
      for (const item of v) emit(item, depth + 1);
      out.push(`${pad}</array>`);
    } else {
      out.push(`${pad}<dict>`);
      for (const [key, item] of Object.entries(v)) {
        out.push(`${pad}\t<key>${escape(key)}</key>`);
        emit(item, depth + 1);
      }
      out.push(`${pad}</dict>`);
    }
  };
  emit(value, 0);
  out.push('</plist>', '');
  return out.join('\n');
}
