// GWS API v2 simulator: public entry point. See docs/simulator.md.
import type { SimControl } from './control';
import { controlHttpHandler, createControl } from './control';
import type { Dialect } from './dialect';
import { checkDialect } from './dialect';
import { Engine } from './engine';
import { HttpFront } from './http-server';
import type { Scenario, ScenarioInput } from './scenario';
import { resolveScenario } from './scenario';
import type { SimTimings } from './call-machine';
import { DEFAULT_TIMINGS } from './call-machine';

export type { SimControl } from './control';
export type { Dialect, DialectInput, DialectKey } from './dialect';
export { DEFAULT_DIALECT, DIALECT_KEYS, DIALECT_VALUES, checkDialect, parseDialect } from './dialect';
export type { AgentTruth, SimTruth } from './engine';
export type { LoggedRequest } from './request-log';
export type { Scenario, ScenarioInput } from './scenario';
export { loadScenarioFile, parseScenario, DEFAULT_SCENARIO_FILE } from './scenario';
export type { SimTimings } from './call-machine';
export { DEFAULT_TIMINGS } from './call-machine';

export interface SimulatorOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A scenario object or a file path (.json, .yaml); default the built-in scenario. */
  scenario?: Scenario | ScenarioInput | string;
  /** Serve the control API at /sim/control/ (default false). In-process control is always there. */
  control?: boolean;
  timings?: Partial<SimTimings>;
  quiet?: boolean;
  /** PEM `key` and `cert`: serve HTTPS (CometD on the same server); `url` then starts with https://. */
  tls?: { key: string; cert: string };
  /**
   * Wire dialect (docs/simulator.md), merged over the scenario's `dialect` and the defaults; also
   * the state `reset` returns to. Validated: an unknown key or value rejects the start.
   */
  dialect?: Partial<Dialect>;
}

export interface Simulator {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly control: SimControl;
  /** The wire dialect now (a copy). */
  readonly dialect: Dialect;
  /** Changes part of the dialect at runtime (same as control.setDialect); returns the whole dialect. */
  setDialect(partial: Partial<Dialect>): Dialect;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const scenario = resolveScenario(options.scenario);
  const timings: SimTimings = { ...DEFAULT_TIMINGS, ...(options.timings ?? {}) };
  const host = options.host ?? '127.0.0.1';
  const engine = new Engine(scenario, timings, checkDialect(options.dialect ?? {}));
  let closed = false;
  let restarting: Promise<void> = Promise.resolve();

  const restart = (downMs: number): Promise<void> => {
    restarting = restarting.then(async () => {
      if (closed) return;
      const port = front.port;
      await front.close();
      engine.sessions.clear();
      engine.bayeux.close();
      engine.bayeux = engine.newBayeux();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      if (!closed) await front.listen(port);
    });
    return restarting;
  };
  const control = createControl(engine, restart);
  const front = new HttpFront(engine, host, options.control === true ? controlHttpHandler(control) : undefined, options.tls);
  const port = await front.listen(options.port ?? 0);
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`;
  engine.baseUrl = url;
  if (options.quiet !== true && process.env.SIM_DEBUG) console.log(`[sim] listening on ${url}`);

  return {
    url,
    port,
    control,
    get dialect() {
      return control.dialect();
    },
    setDialect: (partial) => control.setDialect(partial),
    close: async () => {
      if (closed) return;
      closed = true;
      await restarting.catch(() => undefined);
      engine.switch.clear();
      engine.bayeux.close();
      await front.close();
    },
  };
}
