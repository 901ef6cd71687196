/**
 * The softphone core that both shells share: the Electron main process and the browser harness.
 * It maps every contract command onto the agent session, turns any error into a contract error,
 * and turns session changes into contract events (only the changed top-level keys travel).
 */
import type { AgentSession } from '../agent/session';
import type { AgentSnapshot, OutboundRecordSnapshot } from '../agent/snapshot';
import { GwsError } from '../gws/errors';
import type { AppInfo, AppSnapshot, ContractError, EventName, Events } from '../../preload/contract';
import { createRouter, type Handlers, type Router } from '../ipc/router';

export type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

export interface SoftphoneCore {
  readonly router: Router;
  /** Every event for the renderer; returns an unsubscribe. */
  subscribe(listener: EventListener): () => void;
  /** Send an event that does not come from the session (focus-call, prefill-dial, app). */
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  setAppInfo(update: Partial<AppInfo>): void;
  readonly appInfo: AppInfo;
  dispose(): void;
}

export function toContractError(error: unknown): ContractError {
  if (error instanceof GwsError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? `Unexpected error: ${error.message}` : 'Unexpected error.' };
}

function sameHandle(a: number | string, b: number | string): boolean {
  return String(a) === String(b);
}

/** The record the renderer names must be the one in hand (or one of its chain). */
function recordInHand(snapshot: AgentSnapshot, recordHandle: number | string, operation: string): OutboundRecordSnapshot {
  const { record, chainedRecords } = snapshot.previewRecord;
  const found = record && sameHandle(record.recordHandle, recordHandle) ? record : chainedRecords.find((r) => sameHandle(r.recordHandle, recordHandle));
  if (!found) {
    throw new GwsError('NOT_ALLOWED_IN_STATE', `${operation}: record ${String(recordHandle)} is not the preview record in hand.`, { operationName: operation });
  }
  return found;
}

function currentRecord(snapshot: AgentSnapshot, recordHandle: number | string, operation: string): OutboundRecordSnapshot {
  const record = snapshot.previewRecord.record;
  if (!record || !sameHandle(record.recordHandle, recordHandle)) {
    throw new GwsError('NOT_ALLOWED_IN_STATE', `${operation}: record ${String(recordHandle)} is not the preview record in hand.`, { operationName: operation });
  }
  return record;
}

/** Commands that belong to the shell (Electron desktop settings, updates, diagnostics), not the agent session. */
export type ShellHandlers = Pick<Handlers, 'getSettings' | 'updateSettings' | 'testNotification' | 'exportDiagnostics' | 'installUpdate'>;

const notInThisShell = (): never => {
  throw new GwsError('NOT_ALLOWED_IN_STATE', 'Desktop settings, updates and diagnostics exist only in the desktop app.');
};

/** The browser harness has no desktop: its shell commands say so. */
export const browserShellHandlers: ShellHandlers = {
  getSettings: notInThisShell,
  updateSettings: notInThisShell,
  testNotification: notInThisShell,
  exportDiagnostics: notInThisShell,
  installUpdate: notInThisShell,
};

export function createSoftphoneCore(
  session: AgentSession,
  initialAppInfo: AppInfo,
  log: (line: string) => void = () => {},
  shell: ShellHandlers = browserShellHandlers,
): SoftphoneCore {
  const listeners = new Set<EventListener>();
  let appInfo = initialAppInfo;
  const deliver: SoftphoneCore['emit'] = (event, payload) => {
    for (const listener of listeners) {
      try {
        listener(event, payload);
      } catch (error) {
        log(`event listener failed: ${String(error)}`);
      }
    }
  };

  // Changes made in one synchronous run (one CometD reply carries up to a hundred messages) leave
  // as ONE `changes` event, a microtask later; later values win. Any other event flushes it first,
  // so the order the renderer sees is kept. Measured in bench/ (Burst): one IPC message and one
  // render per reply instead of per notification.
  let pending: Partial<AgentSnapshot> | undefined;
  const flushChanges = () => {
    if (pending === undefined) return;
    const patch = pending;
    pending = undefined;
    deliver('changes', patch);
  };
  const emit: SoftphoneCore['emit'] = (event, payload) => {
    flushChanges();
    deliver(event, payload);
  };

  const subscription = session.onDidChange((snapshot, changes) => {
    if (pending === undefined) {
      pending = {};
      queueMicrotask(flushChanges);
    }
    for (const key of changes) (pending as Record<string, unknown>)[key] = snapshot[key];
  });

  const ack = async (operation: Promise<unknown>) => {
    await operation;
  };

  const handlers: Handlers = {
    getSnapshot: (): AppSnapshot => ({ agent: session.snapshot, app: appInfo }),
    signIn: (args) => session.signIn(args),
    signOut: () => session.signOut(),

    ready: () => ack(session.ready()),
    notReady: ({ operationName }) => ack(session.notReady(operationName)),
    afterCallWork: () => ack(session.afterCallWork()),

    dial: ({ phoneNumber }) => ack(session.dial(phoneNumber)),
    answer: ({ callId }) => ack(session.answer(callId)),
    hangup: ({ callId }) => ack(session.hangup(callId)),
    hold: ({ callId }) => ack(session.hold(callId)),
    retrieve: ({ callId }) => ack(session.retrieve(callId)),
    sendDtmf: ({ callId, digits }) => ack(session.sendDtmf(callId, digits)),
    initiateTransfer: ({ callId, phoneNumber }) => ack(session.initiateTransfer(callId, phoneNumber)),
    completeTransfer: ({ callId }) => ack(session.completeTransfer(callId)),
    singleStepTransfer: ({ callId, phoneNumber }) => ack(session.singleStepTransfer(callId, phoneNumber)),
    initiateConference: ({ callId, phoneNumber }) => ack(session.initiateConference(callId, phoneNumber)),
    completeConference: ({ callId }) => ack(session.completeConference(callId)),
    swapCalls: ({ callId, otherCallId }) => ack(session.swap(callId, otherCallId)),
    attachUserData: ({ callId, userData }) => ack(session.attachUserData(callId, userData)),

    startPreviewSession: ({ campaignName }) => ack(session.startPreviewSession(campaignName)),
    endPreviewSession: ({ campaignName }) => ack(session.endPreviewSession(campaignName)),
    getPreviewRecord: ({ campaignName }) => ack(session.getPreviewRecord(campaignName)),
    dialPreviewRecord: ({ recordHandle, phoneNumber }) => {
      const record = recordInHand(session.snapshot, recordHandle, 'Dial');
      if (phoneNumber !== undefined && phoneNumber !== record.phoneNumber) {
        const chained = session.snapshot.previewRecord.chainedRecords.find((r) => r.phoneNumber === phoneNumber);
        if (!chained) throw new GwsError('NOT_ALLOWED_IN_STATE', `Dial: ${phoneNumber} is not a number of this record's chain.`, { operationName: 'Dial' });
        return ack(session.dialPreviewRecord(chained));
      }
      return ack(session.dialPreviewRecord(record));
    },
    rejectRecord: ({ recordHandle }) => {
      currentRecord(session.snapshot, recordHandle, 'RejectRecord');
      return ack(session.rejectRecord());
    },
    cancelRecord: ({ recordHandle }) => {
      currentRecord(session.snapshot, recordHandle, 'CancelRecord');
      return ack(session.cancelRecord());
    },
    doNotCallRecord: ({ recordHandle, scope }) => {
      // Each number of a chain is its own record: "this number only" marks the number shown.
      const record = recordInHand(session.snapshot, recordHandle, 'DoNotCallRecord');
      return ack(session.doNotCall(scope, record));
    },
    rescheduleRecord: ({ recordHandle, callbackType, at }) => {
      currentRecord(session.snapshot, recordHandle, 'RescheduleRecord');
      if (at <= Date.now()) throw new GwsError('VALIDATION', 'RescheduleRecord: the callback time must be in the future.', { operationName: 'RescheduleRecord' });
      return ack(session.reschedule(callbackType, at));
    },
    updateRecord: ({ recordHandle, otherFields }) => {
      currentRecord(session.snapshot, recordHandle, 'UpdateRecord');
      return ack(session.updateRecord({ otherFields }));
    },
    completeRecord: async ({ recordHandle, callResult, note, getNext }) => {
      const record = currentRecord(session.snapshot, recordHandle, 'CompleteRecord');
      const campaignName = record.campaignName ?? session.snapshot.previewRecord.campaignName;
      // The agent's note travels as a calling-list field of the record, before it is closed (the
      // outbox keeps the two in order per record, online or not).
      if (note?.trim()) await session.updateRecord({ otherFields: { AgentNote: note.trim() } });
      const completed = await session.completeRecord(callResult);
      if (getNext && campaignName) {
        // The next record is asked for only once OCS acknowledged this one: a record is never left half-done.
        void completed.outcome
          .then((outcome) => (outcome === 'confirmed' ? session.getPreviewRecord(campaignName) : undefined))
          .catch((error: unknown) => log(`get next record failed: ${String(error)}`));
      }
    },
    getChainedRecords: ({ recordHandle }) => {
      currentRecord(session.snapshot, recordHandle, 'GetChainedRecord');
      return ack(session.getChainedRecords());
    },
    retryOutboxEntry: ({ id }) => session.retryOutboxEntry(id),
    discardOutboxEntry: ({ id }) => session.discardOutboxEntry(id),
    ...shell,
  };

  return {
    router: createRouter(handlers, toContractError),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit,
    get appInfo() {
      return appInfo;
    },
    setAppInfo(update) {
      appInfo = { ...appInfo, ...update };
      emit('app', appInfo);
    },
    dispose() {
      subscription.dispose();
      listeners.clear();
    },
  };
}
