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

function formatIssues(issues: z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(payload)',
    message: issue.message,
  }));
}

/**
 * Property names that can reach an object's prototype. zod silently drops an own `__proto__` key of
 * a record (so `{"userData":{"__proto__":…}}` would be accepted minus that key): the router refuses
 * them anywhere in the payload instead, naming where.
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The path of the first reserved own key in `value` (depth-bounded), or undefined. */
function findReservedKey(value: unknown, path: string[] = [], depth = 0): string | undefined {
  if (value === null || typeof value !== 'object' || depth > 8) return undefined;
  for (const key of Object.keys(value)) {
    if (RESERVED_KEYS.has(key)) return [...path, key].join('.');
    const found = findReservedKey((value as Record<string, unknown>)[key], [...path, key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function createRouter(handlers: Handlers, toContractError: (error: unknown) => ContractError): Router {
  return {
    async invoke(command, args) {
      if (typeof command !== 'string' || !Object.hasOwn(commands, command)) {
        return {
          ok: false,
          error: { code: 'VALIDATION', message: `Unknown command ${typeof command === 'string' ? JSON.stringify(command).slice(0, 80) : `(${command === null ? 'null' : typeof command})`}.`, issues: [{ path: 'command', message: 'is not a command of the contract' }] },
        };
      }
      const name = command as CommandName;
      // Only inside an object payload: anything else is refused below as a whole ('(payload)').
      const reserved = args !== null && typeof args === 'object' && !Array.isArray(args) ? findReservedKey(args) : undefined;
      if (reserved !== undefined) {
        return {
          ok: false,
          error: { code: 'VALIDATION', message: `Invalid ${name}: ${reserved} is a reserved property name`, issues: [{ path: reserved, message: 'is a reserved property name' }] },
        };
      }
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
