/**
 * Quitting and closing, electron-free: a live call asks for confirmation before the app quits
 * (quitting signs the agent out and drops the call's control); closing the window hides it to the
 * tray when the agent (or IT) chose so.
 */
import type { AgentSnapshot } from '../agent/snapshot';
import { createTranslator, type Language } from '../../preload/i18n';
import { liveCalls, otherParty } from './agent-view';

/** `confirm`: the question, its detail and the dialog's two buttons, in the agent's language. */
export type QuitDecision = { kind: 'quit' } | { kind: 'confirm'; message: string; detail: string; stayButton: string; quitButton: string };

export function quitDecision(snapshot: AgentSnapshot, language: Language = 'en'): QuitDecision {
  const calls = liveCalls(snapshot);
  const first = calls[0];
  if (!first) return { kind: 'quit' };
  const tr = createTranslator(language);
  return {
    kind: 'confirm',
    message: tr.t('desktop.quit.message'),
    detail: tr.t('desktop.quit.detail', { count: calls.length, party: otherParty(first, language) }),
    stayButton: tr.t('desktop.quit.stay'),
    quitButton: tr.t('desktop.quit.quit'),
  };
}

export type CloseDecision = 'hide-to-tray' | 'close';

export function closeDecision(options: { closeToTray: boolean; quitting: boolean; trayAvailable: boolean }): CloseDecision {
  return options.closeToTray && options.trayAvailable && !options.quitting ? 'hide-to-tray' : 'close';
}
