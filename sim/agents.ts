// Agent (user + place + DN + device) state and the device notification it produces.
import { createHash } from 'node:crypto';
import type { ScenarioAgent, ScenarioAgentState } from './scenario';
import { newUuid } from './ids';

export interface UserState {
  id: string;
  displayName: string;
  state: 'Ready' | 'NotReady';
  workMode?: string;
  reason?: string;
}

/** userState ids seen on real GWS (gws-api.md §3). */
export const USER_STATE_IDS = {
  Ready: '9430250E-0A1B-421F-B372-F29E69366DED',
  NotReady: '900D55CC-2BB0-431F-8BF9-D3525B383BE6',
  AfterCallWork: 'D3663509-3D82-4DD3-A82E-2EA8EFA02AEF',
  AuxWork: '2B36138D-C564-4562-A8CB-3C32D564F296',
} as const;

/** Plain NotReady: it takes no reason (gws-api.md §3); a reason is a configured state. */
export const notReadyState = (): UserState => ({
  id: USER_STATE_IDS.NotReady,
  displayName: 'Not Ready',
  state: 'NotReady',
});

/** A stable id for a configured state (uuid-shaped, derived from its operationName). */
const stateId = (operationName: string): string => {
  const h = createHash('sha1').update(`agent-state:${operationName}`).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/** The userState a configured agent state (scenario agentStates) puts the agent in. */
export const configuredState = (s: ScenarioAgentState): UserState => ({
  id: stateId(s.operationName),
  displayName: s.displayName ?? s.operationName,
  state: s.state,
  ...(s.reason !== undefined ? { reason: s.reason } : {}),
  ...(s.workMode !== undefined ? { workMode: s.workMode } : {}),
});

/** An entry of GET /api/v2/settings/agent-states ([project rule] shape, gws-api.md §3). */
export const agentStateSetting = (s: ScenarioAgentState): Record<string, unknown> => ({
  operationName: s.operationName,
  displayName: s.displayName ?? s.operationName,
  state: s.state,
  ...(s.reason !== undefined ? { reason: s.reason } : {}),
  ...(s.workMode !== undefined ? { workMode: s.workMode } : {}),
});

export const readyState = (workMode?: string): UserState => ({
  id: USER_STATE_IDS.Ready,
  displayName: 'Ready',
  state: 'Ready',
  ...(workMode !== undefined ? { workMode } : {}),
});

export const afterCallWorkState = (): UserState => ({
  id: USER_STATE_IDS.AfterCallWork,
  displayName: 'AfterCallWork',
  state: 'NotReady',
  workMode: 'AfterCallWork',
});

export const auxWorkState = (): UserState => ({
  id: USER_STATE_IDS.AuxWork,
  displayName: 'AuxWork',
  state: 'NotReady',
  workMode: 'AuxWork',
});

export interface Agent {
  readonly def: ScenarioAgent;
  readonly userName: string;
  readonly dn: string;
  /** Stable for the simulator's life: calls keep pointing at it across restarts. */
  readonly deviceId: string;
  sessionStarted: boolean;
  place: string;
  userState: UserState;
  doNotDisturb: 'On' | 'Off';
  /** Campaign names whose preview session this agent started. */
  previewSessions: Set<string>;
}

export function createAgent(def: ScenarioAgent, deviceId = newUuid()): Agent {
  return {
    def,
    userName: def.userName,
    dn: def.dn,
    deviceId,
    sessionStarted: false,
    place: def.place,
    userState: notReadyState(),
    doNotDisturb: 'Off',
    previewSessions: new Set(),
  };
}

export function deviceResource(agent: Agent, baseUrl: string): Record<string, unknown> {
  return {
    id: agent.deviceId,
    deviceState: 'Active',
    userState: { ...agent.userState },
    phoneNumber: agent.dn,
    e164Number: agent.dn,
    telephonyNetwork: 'Private',
    doNotDisturb: agent.doNotDisturb,
    capabilities: ['ForwardCallsOn', agent.doNotDisturb === 'On' ? 'DoNotDisturbOff' : 'DoNotDisturbOn'],
    uri: `${baseUrl}/api/v2/devices/${agent.deviceId}`,
    path: `/devices/${agent.deviceId}`,
  };
}

export function deviceStateMessage(agent: Agent, baseUrl: string, referenceId?: unknown): Record<string, unknown> {
  return {
    messageType: 'DeviceStateChangeMessage',
    devices: [deviceResource(agent, baseUrl)],
    ...(referenceId !== undefined ? { referenceId } : {}),
  };
}
