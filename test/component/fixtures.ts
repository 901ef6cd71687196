/**
 * Snapshot builders and a mocked `window.softphone` for component tests. Every command is a
 * `vi.fn()` resolving to `{ ok: true }` unless a test overrides it; `emit` plays main's events.
 */
import { vi, type Mock } from 'vitest';
import { commandNames, type AppInfo, type CommandName, type Envelope, type EventName, type Events, type SoftphoneApi } from '../../preload/contract';
import type {
  AgentSnapshot,
  CallSnapshot,
  CampaignSnapshot,
  OutboundRecordSnapshot,
  PreviewRecordSnapshot,
} from '../../renderer/lib/types';

export const NOW = Date.UTC(2024, 6, 1, 15, 0, 0);

export function makeRecord(overrides: Partial<OutboundRecordSnapshot> = {}): OutboundRecordSnapshot {
  const recordHandle = overrides.recordHandle ?? 101;
  return {
    recordHandle,
    chainId: 1,
    phoneNumber: '+12125550101',
    phoneType: 'HomePhone',
    campaignName: 'Collections_Preview',
    callingList: 'CL_Collections',
    applicationId: 134,
    outboundCallerId: '8005550100',
    timeZone: 'America/New_York',
    otherFields: {
      customer_name: 'Maria Gonzalez',
      account_number: 'AC-100234',
      balance: '1250.75',
      notes: 'Prefers Spanish.',
    },
    userData: {
      GSW_RECORD_HANDLE: Number(recordHandle),
      GSW_ATTEMPTS: 2,
      GSW_CALL_RESULT: 28,
      GSW_TZ_NAME: 'America/New_York',
    },
    wire: {},
    ...overrides,
  };
}

export function makePreview(overrides: Partial<PreviewRecordSnapshot> = {}): PreviewRecordSnapshot {
  return {
    phase: 'offered',
    since: NOW,
    campaignName: 'Collections_Preview',
    record: makeRecord(),
    chainedRecords: [],
    ...overrides,
  };
}

export function makeCall(overrides: Partial<CallSnapshot> = {}): CallSnapshot {
  return {
    id: 'call-1',
    state: 'Established',
    stateSince: NOW - 65_000,
    startedAt: NOW - 80_000,
    establishedAt: NOW - 65_000,
    callType: 'Outbound',
    participants: [{ phoneNumber: '+12125550101' }],
    dnis: '+12125550101',
    capabilities: ['Hangup', 'Hold', 'SendDtmf', 'InitiateTransfer', 'SingleStepTransfer', 'InitiateConference', 'AttachUserData'],
    userData: { GSW_RECORD_HANDLE: 101 },
    muted: false,
    ...overrides,
  };
}

export function makeCampaign(overrides: Partial<CampaignSnapshot> = {}): CampaignSnapshot {
  return {
    name: 'Collections_Preview',
    dialingMode: 'Preview',
    state: 'Started',
    description: 'Overdue accounts',
    previewSessionActive: true,
    ...overrides,
  };
}

/** A signed-in, connected agent with one campaign and nothing in hand. */
export function makeSnapshot(overrides: Partial<AgentSnapshot> = {}): AgentSnapshot {
  return {
    connection: { state: 'connected', since: NOW - 600_000 },
    user: {
      id: 'u1',
      userName: 'agent1',
      firstName: 'Alice',
      lastName: 'Anderson',
      agentStates: [
        { operationName: 'OutToLunch', displayName: 'Lunch', state: 'NotReady', reason: 'Lunch' },
        { operationName: 'TakeBreak', displayName: 'Break', state: 'NotReady', reason: 'Break' },
      ],
      callResults: ['Answer', 'Busy', 'NoAnswer', 'AnsweringMachine', 'WrongParty'],
      dispositions: { key: 'DispositionCode', values: ['Sale', 'NoSale'] },
      settings: {},
    },
    device: {
      id: 'd1',
      dn: '5001',
      userState: { id: '1', state: 'Ready', displayName: 'Ready', since: NOW - 120_000 },
      doNotDisturb: false,
      capabilities: [],
    },
    calls: {},
    campaigns: { Collections_Preview: makeCampaign() },
    previewRecord: { phase: 'idle', since: NOW, chainedRecords: [] },
    pendingOperations: {},
    lastError: null,
    callHistory: [],
    ...overrides,
  };
}

export function makeApp(overrides: Partial<AppInfo> = {}): AppInfo {
  return { version: '0.1.0', defaultServerUrl: 'http://127.0.0.1:8090', locked: [], shell: 'browser-harness', ...overrides };
}

export type MockSoftphone = { [C in CommandName]: Mock<SoftphoneApi[C]> } & {
  on: Mock<SoftphoneApi['on']>;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
};

const ok: Envelope<undefined> = { ok: true, value: undefined };

/** Installs a mocked `window.softphone`; `agent`/`app` feed `getSnapshot`. */
export function installSoftphone(agent: AgentSnapshot = makeSnapshot(), app: AppInfo = makeApp()): MockSoftphone {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const api: Record<string, unknown> = {};
  for (const name of commandNames) api[name] = vi.fn(async () => ok);
  api.getSnapshot = vi.fn(async () => ({ ok: true, value: { agent: structuredClone(agent), app } }));
  api.on = vi.fn((event: EventName, listener: (payload: unknown) => void) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  });
  api.emit = (event: EventName, payload: unknown) => listeners.get(event)?.forEach((listener) => listener(payload));
  const mock = api as unknown as MockSoftphone;
  window.softphone = mock as unknown as SoftphoneApi;
  return mock;
}

/** A promise whose resolution the test controls (a command still in flight). */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
