// Builds the three Electron targets with plain Vite (no electron-vite: one less layer between us and
// Vite, and its templates default to sandbox:false — see docs/architecture.md):
//   out/main/index.js      ESM, Node target; electron, node:* and runtime dependencies stay external
//   out/preload/index.cjs  CommonJS, one file: a sandboxed preload can require only 'electron'
//   out/renderer/          the Svelte app (vite.config.ts)
import { build } from 'vite';
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const external = [
  'electron',
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies ?? {}),
].map((name) => new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(/.*)?$`));

const only = process.argv[2];

if (!only || only === 'main') {
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: 'main/index.ts',
      outDir: 'out/main',
      emptyOutDir: true,
      target: 'node20',
      sourcemap: true,
      rollupOptions: { external, output: { format: 'es', entryFileNames: 'index.js' } },
    },
  });
}

if (!only || only === 'preload') {
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: 'preload/index.ts',
      outDir: 'out/preload',
      emptyOutDir: true,
      target: 'chrome130',
      sourcemap: true,
      rollupOptions: { external: ['electron'], output: { format: 'cjs', entryFileNames: 'index.cjs' } },
    },
    ssr: { noExternal: true },
  });
}

if (!only || only === 'renderer') {
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
console.log(`built ${only ?? 'main, preload, renderer'} into out/`);
