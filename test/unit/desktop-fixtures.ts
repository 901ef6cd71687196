/** Snapshot builders for the desktop-layer tests (plain data, no session needed). */
import type { AgentSnapshot, CallSnapshot, CampaignSnapshot, OutboundRecordSnapshot } from '../../main/agent/snapshot';
import { initialSnapshot } from '../../main/agent/snapshot';

export const T0 = 1_700_000_000_000;

export function signedIn(state: 'Ready' | 'NotReady' | 'AfterCallWork' = 'Ready', extra: { reason?: string; workMode?: string; operationName?: string } = {}): AgentSnapshot {
  const base = initialSnapshot(T0);
  return {
    ...base,
    connection: { state: 'connected', reason: 'signed in', since: T0 + 1 },
    user: {
      id: 'u1',
      userName: 'agent1',
      firstName: 'Ada',
      lastName: 'Agent',
      agentStates: [
        { operationName: 'TakeBreak', displayName: 'Break', state: 'NotReady', reason: 'Break' },
        { operationName: 'OutToLunch', displayName: 'Lunch', state: 'NotReady', reason: 'Lunch' },
      ],
      callResults: ['Answer', 'Busy'],
      dispositions: { key: 'DispositionCode', values: [] },
      settings: {},
    },
    device: {
      id: 'd1',
      dn: '7001',
      userState: { state, displayName: state, since: T0, ...extra },
      doNotDisturb: false,
      capabilities: [],
    },
  };
}

export function call(id: string, state: string, extra: Partial<CallSnapshot> = {}): CallSnapshot {
  return {
    id,
    state,
    stateSince: T0 + 10_000,
    startedAt: T0,
    callType: 'Inbound',
    participants: [{ phoneNumber: '+15551234567', name: 'Carol Customer' }],
    capabilities: [],
    userData: {},
    muted: false,
    ...extra,
  };
}

export function withCalls(snapshot: AgentSnapshot, ...calls: CallSnapshot[]): AgentSnapshot {
  return { ...snapshot, calls: Object.fromEntries(calls.map((c) => [c.id, c])) };
}

export function campaign(name: string, previewSessionActive = true): CampaignSnapshot {
  return { name, dialingMode: 'Preview', state: 'Started', previewSessionActive };
}

export function record(handle: number, campaignName = 'Spring'): OutboundRecordSnapshot {
  return { recordHandle: handle, phoneNumber: '+442071234567', campaignName, otherFields: {}, userData: {}, wire: {} };
}

export function withRecord(snapshot: AgentSnapshot, handle: number, phase: AgentSnapshot['previewRecord']['phase'] = 'offered'): AgentSnapshot {
  return { ...snapshot, previewRecord: { phase, since: T0 + 5, campaignName: 'Spring', record: record(handle), chainedRecords: [] } };
}

export function withConnection(snapshot: AgentSnapshot, state: AgentSnapshot['connection']['state'], since: number, reason?: string): AgentSnapshot {
  return { ...snapshot, connection: { state, since, ...(reason !== undefined && { reason }) } };
}

/** An outage as the reducer records it: `offlineSince` is when the state stopped being confirmed, `since` the last change. */
export function inOutage(snapshot: AgentSnapshot, state: 'reconnecting' | 'resyncing', offlineSince: number, since = offlineSince, reason?: string): AgentSnapshot {
  return { ...snapshot, connection: { state, since, offlineSince, ...(reason !== undefined && { reason }) } };
}

/** A local wall-clock time today-ish (the tests' time zone), for locale-dependent time words. */
export function localAt(hour: number, minute: number): number {
  return new Date(2024, 6, 1, hour, minute, 0).getTime();
}
