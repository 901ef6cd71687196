// `npm start`: build, then open the desktop app. With no GWS server configured the app starts the
// built-in simulator (main/index.ts). Where the Electron binary is missing (an offline install),
// say so in one line and open the browser harness instead, so the app can still be used and seen.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const built = spawnSync(process.execPath, ['build/scripts/build.mjs'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

function electronBinary() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const rel = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const bin = join(dir, 'dist', rel);
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

const bin = electronBinary();
const args = process.argv.slice(2);
const child = bin
  ? spawn(bin, ['.', ...args], { stdio: 'inherit' })
  : (console.log('The Electron binary is not installed on this machine (offline install): opening the browser harness instead (`npm run dev:web`).'),
    spawn(process.execPath, ['--import', 'tsx', 'main/harness/cli.ts', ...args], { stdio: 'inherit' }));
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
