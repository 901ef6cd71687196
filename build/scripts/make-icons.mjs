// Generates the app and tray icons as PNG (and .ico for Windows) with node:zlib only, so they can
// be regenerated anywhere without an image toolchain: `node build/scripts/make-icons.mjs`.
// Output (committed): build/icon.png (1024), build/icon.ico, build/icons/NxN.png (Linux),
// build/tray/<status>.png|@2x.png|.ico and <status>Template.png|@2x.png (macOS template images:
// black + alpha, the OS tints them; the glyph's shape, not its colour, tells the state).
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..');

// ── PNG encoding ────────────────────────────────────────────────────────────────────────────────
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
/** An .ico holding PNG images (Windows Vista+ reads PNG entries at every size). */
function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const entries = [];
  let offset = 6 + 16 * images.length;
  for (const { size, data } of images) {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size;
    e[1] = size >= 256 ? 0 : size;
    e.writeUInt16LE(1, 4); // planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    entries.push(e);
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

// ── Shapes: coverage functions over the unit square (x, y in [0, 1]) ────────────────────────────
const disc = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, r0, r1) => (x, y) => {
  const d = (x - cx) ** 2 + (y - cy) ** 2;
  return d <= r1 * r1 && d >= r0 * r0;
};
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const union = (...fs) => (x, y) => fs.some((f) => f(x, y));
const minus = (a, b) => (x, y) => a(x, y) && !b(x, y);
const line = (x0, y0, x1, y1, w) => (x, y) => {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)));
  return (x - (x0 + t * dx)) ** 2 + (y - (y0 + t * dy)) ** 2 <= (w / 2) ** 2;
};
/** A telephone handset: an arc with an ear- and a mouth-piece. */
const handset = (cx, cy, s) =>
  union(
    (x, y) => {
      const dx = x - cx;
      const dy = y - (cy + 0.1 * s);
      const d = Math.hypot(dx, dy);
      return d >= 0.2 * s && d <= 0.3 * s && dy <= 0.02 * s;
    },
    disc(cx - 0.25 * s, cy + 0.12 * s, 0.1 * s),
    disc(cx + 0.25 * s, cy + 0.12 * s, 0.1 * s),
  );

const BADGE = disc(0.5, 0.5, 0.46);
/** Each status: a badge colour and a white glyph inside; the template is badge minus glyph. */
const STATUSES = {
  ready: { color: [46, 160, 67], glyph: line(0.3, 0.52, 0.44, 0.66, 0.11), extra: line(0.44, 0.66, 0.7, 0.36, 0.11) },
  'not-ready': { color: [207, 34, 46], glyph: rect(0.26, 0.44, 0.74, 0.56) },
  'after-call-work': { color: [191, 135, 0], glyph: union(rect(0.33, 0.3, 0.45, 0.7), rect(0.55, 0.3, 0.67, 0.7)) },
  'on-call': { color: [9, 105, 218], glyph: handset(0.5, 0.42, 1) },
  'preview-waiting': { color: [130, 80, 223], glyph: minus(rect(0.32, 0.26, 0.68, 0.74), rect(0.39, 0.33, 0.61, 0.67)), extra: rect(0.39, 0.4, 0.61, 0.45) },
  offline: { color: [110, 119, 129], outline: true },
};

function render(size, colorAt) {
  const out = Buffer.alloc(size * size * 4);
  const n = 4; // 4×4 supersampling for anti-aliased edges
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy += 1) {
        for (let sx = 0; sx < n; sx += 1) {
          const c = colorAt((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (!c) continue;
          r += c[0] * c[3];
          g += c[1] * c[3];
          b += c[2] * c[3];
          a += c[3];
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
        out[i + 3] = Math.round((a / (n * n)) * 255);
      }
    }
  }
  return out;
}

function statusPainter(name, template) {
  const s = STATUSES[name];
  const white = [255, 255, 255, 1];
  const fg = template ? [0, 0, 0, 1] : [...s.color, 1];
  if (s.outline) {
    const shape = union(ring(0.5, 0.5, 0.3, 0.44), line(0.2, 0.8, 0.8, 0.2, 0.1));
    return (x, y) => (shape(x, y) ? fg : null);
  }
  const glyph = s.extra ? union(s.glyph, s.extra) : s.glyph;
  return (x, y) => {
    if (!BADGE(x, y)) return null;
    if (glyph(x, y)) return template ? null : white;
    return fg;
  };
}

function write(relative, data) {
  const file = join(buildDir, relative);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
}

// ── Tray icons ─────────────────────────────────────────────────────────────────────────────────
for (const name of Object.keys(STATUSES)) {
  const paint = statusPainter(name, false);
  const template = statusPainter(name, true);
  write(`tray/${name}.png`, png(16, render(16, paint)));
  write(`tray/${name}@2x.png`, png(32, render(32, paint)));
  write(`tray/${name}Template.png`, png(16, render(16, template)));
  write(`tray/${name}Template@2x.png`, png(32, render(32, template)));
  write(`tray/${name}.ico`, ico([16, 24, 32, 48].map((size) => ({ size, data: png(size, render(size, paint)) }))));
}

// ── App icon: a white handset on a blue rounded square ─────────────────────────────────────────
const roundedSquare = (x, y) => {
  const r = 0.2;
  const m = 0.04;
  const cx = Math.min(Math.max(x, m + r), 1 - m - r);
  const cy = Math.min(Math.max(y, m + r), 1 - m - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const appGlyph = handset(0.5, 0.45, 1.2);
const appPaint = (x, y) => (!roundedSquare(x, y) ? null : appGlyph(x, y) ? [255, 255, 255, 1] : [9, 105, 218, 1]);
const appSizes = [16, 32, 48, 64, 128, 256, 512];
const appImages = new Map(appSizes.map((size) => [size, png(size, render(size, appPaint))]));
for (const [size, data] of appImages) write(`icons/${size}x${size}.png`, data);
for (const size of [16, 32, 48, 256, 512]) write(`icons/icon_${size}@2x.png`, png(size * 2, render(size * 2, appPaint)));
write('icon.png', png(1024, render(1024, appPaint)));
write('icon.ico', ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: appImages.get(size) ?? png(size, render(size, appPaint)) }))));
console.log('icons written to build/icon.png, build/icon.ico, build/icons/, build/tray/');
