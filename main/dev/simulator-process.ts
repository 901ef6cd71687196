/**
 * Starts the GWS simulator as a child process (development only: `npm start` and `npm run dev:web`
 * with no server configured). A child process, not an import, so the simulator is never bundled
 * into the app and never packaged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface SimulatorProcess {
  readonly url: string;
  stop(): Promise<void>;
}

export function startSimulatorProcess(options: { cwd: string; port?: number; control?: boolean; timeoutMs?: number }): Promise<SimulatorProcess> {
  const args = ['--import', 'tsx', 'sim/cli.ts', '--port', String(options.port ?? 0)];
  if (options.control) args.push('--control');
  const child: ChildProcess = spawn(process.execPath, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('The built-in simulator did not start within the time allowed.'));
    }, options.timeoutMs ?? 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The built-in simulator exited (code ${code}) before it was ready.`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      process.stdout.write(`[sim] ${line}\n`);
      const match = /(https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+)/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      lines.removeAllListeners('line');
      lines.on('line', (l) => process.stdout.write(`[sim] ${l}\n`));
      resolve({
        url: match[1]!,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
