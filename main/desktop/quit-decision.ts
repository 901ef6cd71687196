/**
 * Quitting and closing, electron-free: a live call asks for confirmation before the app quits
 * (quitting signs the agent out and drops the call's control); closing the window hides it to the
 * tray when the agent (or IT) chose so.
 */
import type { AgentSnapshot } from '../agent/snapshot';
import { liveCalls, otherParty } from './agent-view';

export type QuitDecision = { kind: 'quit' } | { kind: 'confirm'; message: string; detail: string };

export function quitDecision(snapshot: AgentSnapshot): QuitDecision {
  const calls = liveCalls(snapshot);
  const first = calls[0];
  if (!first) return { kind: 'quit' };
  const who = calls.length === 1 ? `with ${otherParty(first)}` : `(${calls.length} calls)`;
  return {
    kind: 'confirm',
    message: 'Quit GWS Softphone during a call?',
    detail: `A call is in progress ${who}. Quitting signs you out of the contact center; the call itself stays on your phone but you can no longer transfer, hold or complete it here.`,
  };
}

export type CloseDecision = 'hide-to-tray' | 'close';

export function closeDecision(options: { closeToTray: boolean; quitting: boolean; trayAvailable: boolean }): CloseDecision {
  return options.closeToTray && options.trayAvailable && !options.quitting ? 'hide-to-tray' : 'close';
}
