/**
 * One validated router for the contract (STYLE.md 2). Electron IPC and the browser harness both
 * call `invoke(name, args)` with values straight off the wire: the command name is checked, the
 * payload parsed from `unknown` with the contract's schema, and every outcome comes back as an
 * envelope. A handler's error never escapes as an exception.
 */
import type { z } from 'zod';
import { commands, type CommandName, type CommandResult, type ContractError, type Envelope, type ParsedArgs } from '../../preload/contract';

export type Handlers = { [C in CommandName]: (args: ParsedArgs<C>) => Promise<CommandResult<C>> | CommandResult<C> };

export interface Router {
  invoke(command: unknown, args: unknown): Promise<Envelope<unknown>>;
}

export function formatIssues(issues: z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(payload)',
    message: issue.message,
  }));
}

export function createRouter(handlers: Handlers, toContractError: (error: unknown) => ContractError): Router {
  return {
    async invoke(command, args) {
      if (typeof command !== 'string' || !Object.hasOwn(commands, command)) {
        return {
          ok: false,
          error: { code: 'VALIDATION', message: `Unknown command ${JSON.stringify(String(command)).slice(0, 80)}.`, issues: [{ path: 'command', message: 'is not a command of the contract' }] },
        };
      }
      const name = command as CommandName;
      const parsed = commands[name].args.safeParse(args);
      if (!parsed.success) {
        const issues = formatIssues(parsed.error.issues);
        return {
          ok: false,
          error: { code: 'VALIDATION', message: `Invalid ${name}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues },
        };
      }
      try {
        const handler = handlers[name] as (a: unknown) => unknown;
        const value = await handler(parsed.data);
        return { ok: true, value: value as unknown };
      } catch (error) {
        return { ok: false, error: toContractError(error) };
      }
    },
  };
}
