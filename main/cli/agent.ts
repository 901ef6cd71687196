// Headless agent for support engineers: `npm run agent -- --server URL --user U [--place P]`.
// Signs in, prints every state change as one line, signs out cleanly on Ctrl-C.
// The password comes from GWS_PASSWORD or a prompt without echo — never from a flag (shell history).
import { parseArgs } from 'node:util';
import { createAgentSession } from '../agent/session';
import { GwsError } from '../gws/errors';
import type { Logger } from '../gws/logger';
import { describeChange } from './describe-change';

const USAGE = 'usage: npm run agent -- --server URL --user USER [--place PLACE] [--verbose]\n  password: $GWS_PASSWORD or a prompt';

function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    return new Promise((resolve) => {
      let data = '';
      stdin.setEncoding('utf8');
      stdin.on('data', (chunk: string) => (data += chunk));
      stdin.on('end', () => resolve(data.split(/\r?\n/)[0] ?? ''));
    });
  }
  return new Promise((resolve, reject) => {
    process.stderr.write(prompt);
    let password = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(password);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') password = password.slice(0, -1);
        else password += ch;
      }
    };
    stdin.on('data', onData);
  });
}

function stderrLogger(verbose: boolean): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    process.stderr.write(`${new Date().toISOString()} ${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
  const noop = (): void => undefined;
  return { debug: verbose ? write('debug') : noop, info: verbose ? write('info') : noop, warn: write('warn'), error: write('error') };
}

async function main(): Promise<number> {
  let values: { server?: string; user?: string; place?: string; verbose?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { server: { type: 'string' }, user: { type: 'string' }, place: { type: 'string' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.server || !values.user) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const password = process.env['GWS_PASSWORD'] ?? (await readPassword(`Password for ${values.user}: `));
  const session = createAgentSession({ logger: stderrLogger(values.verbose === true) });
  session.onDidChange((snapshot, changes) => process.stdout.write(`${describeChange(snapshot, changes)}\n`));

  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('signing out…\n');
    await session.signOut().catch((error: unknown) => process.stderr.write(`sign-out failed: ${String(error)}\n`));
    await session.dispose();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    await session.signIn({ serverUrl: values.server, username: values.user, password, ...(values.place && { place: values.place }) });
  } catch (error) {
    const e = error instanceof GwsError ? `${error.code}: ${error.message}` : String(error);
    process.stderr.write(`sign-in failed: ${e}\n`);
    await session.dispose();
    return 1;
  }
  session.onDidChange((snapshot) => {
    if (snapshot.connection.state === 'signed-out' && !stopping) {
      process.stderr.write(`signed out: ${snapshot.connection.reason ?? ''}\n`);
      void session.dispose().then(() => process.exit(1));
    }
  });
  return -1; // keep running until SIGINT
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
