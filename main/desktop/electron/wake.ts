/**
 * Thin adapter: Electron's powerMonitor events that mean "what the network held may be dead" —
 * resume from sleep, screen unlocked, the user active again (macOS) — go to the session's wake()
 * through {@link WakeRule} (coalesced). The rule is electron-free and unit-tested.
 */
import { powerMonitor } from 'electron';
import type { WakeClock } from '../wake-rules';
import { WakeRule } from '../wake-rules';

const EVENTS = ['resume', 'unlock-screen', 'user-did-become-active'] as const;

export function listenForWake(clock: WakeClock, onWake: (reason: string) => void): () => void {
  const rule = new WakeRule(clock, onWake);
  const handlers = EVENTS.map((name) => {
    const handler = (): void => void rule.event(name);
    powerMonitor.on(name as 'resume', handler);
    return { name, handler };
  });
  return () => {
    for (const { name, handler } of handlers) powerMonitor.removeListener(name as 'resume', handler);
  };
}
