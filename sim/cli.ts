// `npm run sim -- [options]`: runs the GWS simulator until SIGINT/SIGTERM. See docs/simulator.md.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Dialect } from './dialect';
import { dialectHelp, parseDialect } from './dialect';
import { startSimulator } from './index';
import type { Scenario } from './scenario';
import { resolveScenario } from './scenario';
import type { SimTimings } from './call-machine';

const HELP = `GWS API v2 simulator

Usage: npm run sim -- [options]

  --port <n>                  port to listen on (default 8090; 0 = any free port)
  --host <addr>               address to bind (default 127.0.0.1)
  --scenario <file>           scenario file, JSON or YAML (default: the built-in sim/scenarios/default.yaml)
  --control                   serve the control API under /sim/control/
  --answer-ms <n>             remote party answers a dialled call after n ms (default 3000)
  --busy-ms <n>               busy outcome released after n ms (default 4000)
  --no-answer-ms <n>          no-answer outcome released after n ms (default 12000)
  --answering-machine-ms <n>  answering-machine outcome released after n ms (default 5000)
  --consult-answer-ms <n>     consult call answered after n ms (default 2000)
  --remote-release-ms <n>     remote party hangs up n ms after answering (default: never)
  --tls-cert <file>           serve HTTPS with this PEM certificate (with --tls-key)
  --tls-key <file>            the certificate's PEM private key
  --dialect <k=v,...>         wire dialect, over the scenario's (docs/simulator.md); default first:
${dialectHelp('                                ')}
  --quiet                     print only the URL
  -h, --help                  this help
`;

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '8090' },
        host: { type: 'string', default: '127.0.0.1' },
        scenario: { type: 'string' },
        control: { type: 'boolean', default: false },
        'answer-ms': { type: 'string' },
        'busy-ms': { type: 'string' },
        'no-answer-ms': { type: 'string' },
        'answering-machine-ms': { type: 'string' },
        'consult-answer-ms': { type: 'string' },
        'remote-release-ms': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        dialect: { type: 'string', multiple: true },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) {
      console.error(`--${name} must be a non-negative integer, got ${v}`);
      process.exit(2);
    }
    return n;
  };
  const timings: Partial<SimTimings> = {};
  const map: Array<[keyof SimTimings, string]> = [
    ['answerMs', 'answer-ms'], ['busyMs', 'busy-ms'], ['noAnswerMs', 'no-answer-ms'],
    ['answeringMachineMs', 'answering-machine-ms'], ['consultAnswerMs', 'consult-answer-ms'], ['remoteReleaseMs', 'remote-release-ms'],
  ];
  for (const [key, flag] of map) {
    const v = num(flag, (values as unknown as Record<string, string | undefined>)[flag]);
    if (v !== undefined) timings[key] = v;
  }
  const port = num('port', values.port) ?? 8090;

  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
    console.error('--tls-cert and --tls-key go together');
    process.exit(2);
  }
  let tls: { cert: string; key: string } | undefined;
  try {
    if (values['tls-cert'] !== undefined && values['tls-key'] !== undefined) {
      tls = { cert: readFileSync(values['tls-cert'], 'utf8'), key: readFileSync(values['tls-key'], 'utf8') };
    }
  } catch (e) {
    console.error(`Cannot read the TLS certificate or key: ${(e as Error).message}`);
    process.exit(1);
  }

  let dialect: Partial<Dialect> = {};
  try {
    for (const d of values.dialect ?? []) dialect = { ...dialect, ...parseDialect(d) };
  } catch (e) {
    console.error(`--dialect: ${(e as Error).message}`);
    process.exit(2);
  }

  let scenario: Scenario;
  try {
    scenario = resolveScenario(values.scenario);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
  startSimulator({ port, host: values.host, scenario, control: values.control, timings, quiet: values.quiet, dialect, ...(tls && { tls }) })
    .then((sim) => {
      console.log(`GWS simulator listening on ${sim.url}`);
      if (!values.quiet) {
        console.log(`  Dialect: ${Object.entries(sim.dialect).map(([k, v]) => `${k}=${v}`).join(',')}`);
        console.log(`  REST ${sim.url}/api/v2   CometD ${sim.url}/api/v2/notifications${values.control ? `   control ${sim.url}/sim/control/` : ''}`);
        console.log('  Agents (user / password / place / DN):');
        for (const a of scenario.agents) console.log(`    ${a.userName} / ${a.password} / ${a.place} / ${a.dn}   (group ${a.group})`);
      }
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        console.log(`${signal}: stopping`);
        sim.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    })
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    });
}

main();
