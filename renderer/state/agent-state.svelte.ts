/** The agent's state selector: one key per choice (`ready`, `not-ready`, `state:<operationName>`, `acw`). */
import type { AgentStateOption, DeviceSnapshot } from '../lib/types';
import { run } from './commands.svelte';
import { t } from './i18n.svelte';

export interface StateChoice {
  key: string;
  label: string;
}

/**
 * Ready, Not Ready, each configured agent state (gws-api.md §3: a reason is a state of its own), After
 * Call Work; in the agent's language (read in a `$derived`, the labels follow a change of language).
 */
export function stateChoices(states: AgentStateOption[]): StateChoice[] {
  return [
    { key: 'ready', label: t('app.agentState.ready') },
    { key: 'not-ready', label: t('app.agentState.notReady') },
    // A configured state keeps the name the server gives it.
    ...states.map((s) => ({
      key: `state:${s.operationName}`,
      label: s.state === undefined || s.state === 'NotReady' ? t('app.agentState.notReadyReason', { reason: s.displayName }) : s.displayName,
    })),
    { key: 'acw', label: t('app.agentState.afterCallWork') },
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
