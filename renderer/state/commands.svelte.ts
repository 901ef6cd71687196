/**
 * The one way components call main: `run(command, args)` marks the command pending (so buttons
 * disable at once, before any await) and turns an error envelope, or a broken transport, into a
 * sentence the agent can read.
 */
import type { CommandArgs, CommandName, ContractError, Envelope } from '../lib/types';
import { describeError, type ErrorText } from '../lib/errors';
import { t, tr, type MessageKey } from './i18n.svelte';

export interface CommandFailure {
  command: CommandName;
  error: ContractError;
  /**
   * In words, for the action that failed (`describeError(error, command)`), in the agent's language
   * at the time it is read: called where it is shown, it follows a change of language.
   */
  describe: () => ErrorText;
  at: number;
}

interface CommandState {
  /** In-flight counts by key (the command name, or a finer key such as `hangup:<callId>`). */
  pending: Record<string, number>;
  /** The last failed command that was not handled by its caller; shown as a dismissible alert. */
  failure: CommandFailure | null;
}

export const commandState: CommandState = $state({ pending: {}, failure: null });

export function isPending(key: string): boolean {
  return (commandState.pending[key] ?? 0) > 0;
}

export interface RunOptions {
  /** Pending key; defaults to the command name. */
  key?: string;
  /** The caller shows the error itself (e.g. the sign-in form): do not raise the global alert. */
  quiet?: boolean;
}

export async function run<C extends CommandName>(command: C, args: CommandArgs<C>, options: RunOptions = {}): Promise<ContractError | null> {
  const key = options.key ?? command;
  commandState.pending[key] = (commandState.pending[key] ?? 0) + 1;
  let error: ContractError;
  try {
    const invoke = window.softphone[command] as (a: CommandArgs<C>) => Promise<Envelope<unknown>>;
    const envelope = await invoke(args);
    if (envelope.ok) {
      if (commandState.failure?.command === command) commandState.failure = null;
      return null;
    }
    error = envelope.error;
  } catch (thrown) {
    error = { code: 'INTERNAL', message: thrown instanceof Error ? thrown.message : String(thrown) };
  } finally {
    const left = (commandState.pending[key] ?? 1) - 1;
    if (left > 0) commandState.pending[key] = left;
    else delete commandState.pending[key];
  }
  if (!options.quiet) commandState.failure = { command, error, describe: () => describeError(error, command, tr()), at: Date.now() };
  return error;
}

/**
 * A command the agent asked for that the renderer could not send (issue 12 #10: it must say why it
 * did nothing rather than ignore the key). Shown like a failed command.
 */
export function reportNotSent(command: CommandName, why: MessageKey, advice: MessageKey): void {
  commandState.failure = {
    command,
    error: { code: 'NOT_ALLOWED_IN_STATE', message: t(why) },
    describe: () => ({ title: t(why), advice: t(advice), detail: '' }),
    at: Date.now(),
  };
}

/** Dismissed, or its cause is gone (signed in or out: nothing of the last session's errors stays). */
export function dismissFailure(): void {
  commandState.failure = null;
}
