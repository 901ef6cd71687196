/**
 * `npm run dev:web`: the main-process core under Node, the built renderer served on 127.0.0.1, the
 * contract over a WebSocket. With no GWS_SERVER_URL it starts the built-in simulator (with its
 * control API, for demos and training). Development only: never packaged.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulatorProcess } from '../dev/simulator-process';
import { startHarnessedCore } from './compose';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: { port: { type: 'string', default: '5173' }, server: { type: 'string' } },
  allowPositionals: true,
});

const configured = values.server ?? process.env.GWS_SERVER_URL;
const sim = configured ? undefined : await startSimulatorProcess({ cwd: root, control: true });
const serverUrl = configured ?? sim!.url;

const { session, harness, close } = await startHarnessedCore({
  rendererDir: join(root, 'out', 'renderer'),
  port: Number(values.port),
  log: (line) => console.log(line),
  app: { version: process.env.npm_package_version ?? '0.0.0', defaultServerUrl: serverUrl, ...(sim && { defaultUsername: 'agent1' }) },
});

console.log(`GWS Softphone (browser harness) on ${serverUrl}${sim ? ' (built-in simulator; sign in as agent1 / agent1)' : ''}`);
console.log(`Open: ${harness.url}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await session.signOut().catch(() => undefined);
  await close();
  await sim?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
