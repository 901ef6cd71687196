/**
 * Figure 6: the built bundles gzipped (zlib level 9): renderer JS + CSS (out/renderer/assets, not
 * index.html), preload (out/preload/index.cjs), main (out/main/index.js). Source maps are not
 * counted: they are not loaded at start-up.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Weight {
  bytes: number;
  gzip: number;
  files: string[];
}

export interface WeightResult {
  renderer: Weight;
  preload: Weight;
  main: Weight;
}

function weigh(files: string[]): Weight {
  let bytes = 0;
  let gzip = 0;
  for (const f of files) {
    const data = readFileSync(f);
    bytes += data.length;
    gzip += gzipSync(data, { level: 9 }).length;
  }
  return { bytes, gzip, files };
}

export function measureWeight(out = 'out'): WeightResult {
  const assets = join(out, 'renderer', 'assets');
  const renderer = readdirSync(assets)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .map((f) => join(assets, f));
  return {
    renderer: weigh(renderer),
    preload: weigh([join(out, 'preload', 'index.cjs')]),
    main: weigh([join(out, 'main', 'index.js')]),
  };
}
