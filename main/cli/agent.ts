// Headless agent for support engineers: `npm run agent -- --server URL --user U [--place P]`.
// Signs in, prints every state change as one line, signs out cleanly on Ctrl-C.
// With `--check`: the compatibility check (docs/gws-compatibility.md): signs in, reports what the
// server configures and which dialect it speaks, signs out. Exit 0 signed in, 1 sign-in failed, 2 usage.
// The password comes from GWS_PASSWORD or a prompt without echo — never from a flag (shell history).
import { parseArgs } from 'node:util';
import { createAgentSession } from '../agent/session';
import { GwsError } from '../gws/errors';
import type { Logger } from '../gws/logger';
import type { CompatProbes } from './compat-check';
import { runCompatCheck } from './compat-check';
import { formatCompatReport } from './compat-report';
import { formatSignInFailure } from './sign-in-failure';
import { describeChange } from './describe-change';
import { CHECK_POLICY_FLAG, runCheckPolicy } from './check-policy';
import { nodePolicyEnvironment } from '../desktop/policy-sources/machine-policy';

const USAGE = `usage: npm run agent -- --server URL --user USER [--place PLACE] [--verbose]
       npm run agent -- --server URL --user USER [--place PLACE] --check [--json] [--wait-ms N] [--campaign NAME]...
                        [--probe-dial NUMBER] [--probe-error NUMBER] [--probe-record CAMPAIGN]
       npm run agent -- --check-policy [FILE] [--json]   (the IT policy checker, docs/it-deployment.md)
  password: $GWS_PASSWORD or a prompt
  --check               compatibility check: sign in, report what the server configures and sends, sign out
  --json                the check's report as JSON
  --wait-ms N           wait at most N ms for the first notifications (default 4000)
  --campaign NAME       a campaign name IT configures for agents (repeatable)
  probes (opt-in, they act on the server):
  --probe-dial NUMBER   dial NUMBER (one that answers), read the call list, hang up
  --probe-error NUMBER  dial NUMBER, which the switch must refuse (shows how errors arrive)
  --probe-record NAME   preview session on campaign NAME: get one record, reject it (back to the list), end the session
  exit: 0 signed in, 1 sign-in failed, 2 bad usage`;

const CHECK_ONLY = ['json', 'wait-ms', 'campaign', 'probe-dial', 'probe-error', 'probe-record'] as const;

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

interface Flags {
  server?: string;
  user?: string;
  place?: string;
  verbose?: boolean;
  help?: boolean;
  check?: boolean;
  json?: boolean;
  'wait-ms'?: string;
  campaign?: string[];
  'probe-dial'?: string;
  'probe-error'?: string;
  'probe-record'?: string;
}

function usageError(message: string): number {
  process.stderr.write(`${message}\n${USAGE}\n`);
  return 2;
}

async function main(): Promise<number> {
  // The policy checker needs no server: exit 0 valid, 1 malformed, 2 bad usage.
  if (process.argv.includes(CHECK_POLICY_FLAG)) {
    return runCheckPolicy(process.argv.slice(2), nodePolicyEnvironment(), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
  }
  let values: Flags;
  try {
    ({ values } = parseArgs({
      options: {
        server: { type: 'string' },
        user: { type: 'string' },
        place: { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        check: { type: 'boolean' },
        json: { type: 'boolean' },
        'wait-ms': { type: 'string' },
        campaign: { type: 'string', multiple: true },
        'probe-dial': { type: 'string' },
        'probe-error': { type: 'string' },
        'probe-record': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.server || !values.user) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!values.check) {
    const stray = CHECK_ONLY.find((flag) => values[flag] !== undefined);
    if (stray !== undefined) return usageError(`--${stray} needs --check`);
  }
  const waitMs = values['wait-ms'] === undefined ? undefined : Number(values['wait-ms']);
  if (waitMs !== undefined && (!Number.isInteger(waitMs) || waitMs < 0 || waitMs > 600_000)) return usageError('--wait-ms takes a whole number of milliseconds (0 to 600000)');
  for (const flag of ['probe-dial', 'probe-error', 'probe-record'] as const) {
    if (values[flag] !== undefined && values[flag].trim() === '') return usageError(`--${flag} needs a value`);
  }
  const password = process.env['GWS_PASSWORD'] ?? (await readPassword(`Password for ${values.user}: `));
  if (values.check) {
    const probes: CompatProbes = {
      ...(values['probe-dial'] !== undefined && { dial: values['probe-dial'].trim() }),
      ...(values['probe-error'] !== undefined && { error: values['probe-error'].trim() }),
      ...(values['probe-record'] !== undefined && { record: values['probe-record'].trim() }),
    };
    return check({ server: values.server, user: values.user, password, ...(values.place && { place: values.place }) }, { json: values.json === true, verbose: values.verbose === true, probes, campaigns: values.campaign ?? [], ...(waitMs !== undefined && { waitMs }) });
  }
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

async function check(
  login: { server: string; user: string; password: string; place?: string },
  options: { json: boolean; verbose: boolean; probes: CompatProbes; campaigns: string[]; waitMs?: number },
): Promise<number> {
  // Ctrl-C ends the waits and the probes; the check still signs out. A second Ctrl-C quits at once.
  const abort = new AbortController();
  process.on('SIGINT', () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('interrupted: signing out…\n');
    abort.abort();
  });
  const result = await runCompatCheck({
    serverUrl: login.server,
    username: login.user,
    password: login.password,
    ...(login.place !== undefined && { place: login.place }),
    logger: stderrLogger(options.verbose),
    probes: options.probes,
    configuredCampaigns: options.campaigns,
    signal: abort.signal,
    ...(options.waitMs !== undefined && { waitMs: options.waitMs }),
  });
  if (!result.ok) {
    if (options.json) process.stdout.write(`${JSON.stringify(result.failure, null, 2)}\n`);
    process.stderr.write(formatSignInFailure(result.failure));
    return 1;
  }
  process.stdout.write(options.json ? `${JSON.stringify(result.report, null, 2)}\n` : formatCompatReport(result.report));
  return 0;
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
