/** The agent's state selector: one key per choice (`ready`, `not-ready`, `not-ready:<code>`, `acw`). */
import type { DeviceSnapshot, NotReadyReason } from '../lib/types';
import { run } from './commands.svelte';

export interface StateChoice {
  key: string;
  label: string;
}

export function stateChoices(reasons: NotReadyReason[]): StateChoice[] {
  return [
    { key: 'ready', label: 'Ready' },
    { key: 'not-ready', label: 'Not Ready' },
    ...reasons.map((reason) => ({ key: `not-ready:${reason.code}`, label: `Not Ready – ${reason.displayName}` })),
    { key: 'acw', label: 'After Call Work' },
  ];
}

/** The choice matching the device's user state (an unknown state gets its own key). */
export function currentStateKey(device: DeviceSnapshot | null): string {
  const us = device?.userState;
  if (!us) return 'unknown';
  if (us.workMode === 'AfterCallWork' || us.state === 'AfterCallWork') return 'acw';
  if (us.state === 'Ready') return 'ready';
  if (us.state === 'NotReady') return us.reason ? `not-ready:${us.reason}` : 'not-ready';
  return `other:${us.state}`;
}

export function changeAgentState(key: string): Promise<unknown> {
  if (key === 'ready') return run('ready', {}, { key: 'agent-state' });
  if (key === 'acw') return run('afterCallWork', {}, { key: 'agent-state' });
  if (key === 'not-ready') return run('notReady', {}, { key: 'agent-state' });
  if (key.startsWith('not-ready:')) return run('notReady', { reasonCode: key.slice('not-ready:'.length) }, { key: 'agent-state' });
  return Promise.resolve();
}
