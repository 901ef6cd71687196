/** The agent's state selector: one key per choice (`ready`, `not-ready`, `state:<operationName>`, `acw`). */
import type { AgentStateOption, DeviceSnapshot } from '../lib/types';
import { run } from './commands.svelte';

export interface StateChoice {
  key: string;
  label: string;
}

/** Ready, Not Ready, each configured agent state (gws-api.md §3: a reason is a state of its own), After Call Work. */
export function stateChoices(states: AgentStateOption[]): StateChoice[] {
  return [
    { key: 'ready', label: 'Ready' },
    { key: 'not-ready', label: 'Not Ready' },
    ...states.map((s) => ({ key: `state:${s.operationName}`, label: s.state === undefined || s.state === 'NotReady' ? `Not Ready – ${s.displayName}` : s.displayName })),
    { key: 'acw', label: 'After Call Work' },
  ];
}

/** The choice matching the device's user state (an unknown state gets its own key). */
export function currentStateKey(device: DeviceSnapshot | null): string {
  const us = device?.userState;
  if (!us) return 'unknown';
  if (us.workMode === 'AfterCallWork' || us.state === 'AfterCallWork') return 'acw';
  if (us.state === 'Ready') return 'ready';
  if (us.operationName !== undefined) return `state:${us.operationName}`;
  if (us.state === 'NotReady') return 'not-ready';
  return `other:${us.state}`;
}

export function changeAgentState(key: string): Promise<unknown> {
  if (key === 'ready') return run('ready', {}, { key: 'agent-state' });
  if (key === 'acw') return run('afterCallWork', {}, { key: 'agent-state' });
  if (key === 'not-ready') return run('notReady', {}, { key: 'agent-state' });
  if (key.startsWith('state:')) return run('notReady', { operationName: key.slice('state:'.length) }, { key: 'agent-state' });
  return Promise.resolve();
}
