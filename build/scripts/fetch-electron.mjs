// Electron's own postinstall is denied in package.json ("allowScripts": {"electron": false}) so that
// `npm ci` never fails on a machine that cannot reach GitHub (see docs/toolchain.md). This script
// does the same download itself and, when it cannot, says so in one line and lets the install pass:
// the simulator, the browser harness and every test under Node still work without the binary.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function electronDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

const dir = electronDir();
if (!dir) process.exit(0); // production install without devDependencies: nothing to fetch

const pathFile = join(dir, 'path.txt');
const installed = () => existsSync(pathFile) && existsSync(join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()));

if (installed()) process.exit(0);
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('Electron binary: skipped (ELECTRON_SKIP_BINARY_DOWNLOAD is set). The desktop shell is unavailable; `npm run dev:web`, `npm run sim` and `npm test` still work.');
  process.exit(0);
}

const result = spawnSync(process.execPath, [join(dir, 'install.js')], {
  cwd: dir,
  encoding: 'utf8',
  timeout: 10 * 60 * 1000,
});
if (result.status === 0 && installed()) {
  console.log('Electron binary: installed.');
} else {
  const reason = `${result.stderr ?? ''}${result.stdout ?? ''}`.split('\n').find((l) => /error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED/i.test(l))?.trim() ?? `exit ${result.status}`;
  console.log(`Electron binary could not be downloaded (${reason.slice(0, 160)}): the desktop shell is unavailable on this machine; \`npm run dev:web\`, \`npm run sim\` and \`npm test\` still work.`);
}
process.exit(0);
