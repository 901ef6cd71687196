/**
 * The softphone core that both shells share: the Electron main process and the browser harness.
 * It maps every contract command onto the agent session, turns any error into a contract error,
 * and turns session changes into contract events (only the changed top-level keys travel).
 */
import type { AgentSession } from '../agent/session';
import type { AgentSnapshot } from '../agent/snapshot';
import { GwsError } from '../gws/errors';
import type { AppInfo, AppSnapshot, ContractError, EventName, Events } from '../../preload/contract';
import { createRouter, type Handlers, type Router } from '../ipc/router';

export type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

export interface SoftphoneCore {
  /** Every contract command, the shell's from the `shell` given at creation (the browser's by default). */
  readonly router: Router;
  /**
   * The same commands with these shell handlers: the desktop builds its own (settings, updates,
   * diagnostics, the remembering sign-in) around a core that exists, then serves this router.
   */
  routerWith(shell: ShellHandlers): Router;
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

/** Commands that belong to the shell (Electron desktop settings, updates, diagnostics), not the agent session. */
export type ShellHandlers = Pick<Handlers, 'getSettings' | 'updateSettings' | 'testNotification' | 'exportDiagnostics' | 'installUpdate'> &
  /** The desktop's own sign-in (it remembers the sign-in and enforces IT's locked settings). */
  Partial<Pick<Handlers, 'signIn'>>;

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

  // The session's commands; the shell's come from `shell` (routerWith).
  const handlers: Omit<Handlers, Exclude<keyof ShellHandlers, 'signIn'>> = {
    getSnapshot: (): AppSnapshot => ({ agent: session.snapshot, app: appInfo }),
    signIn: (args) => session.signIn(args),
    signOut: () => session.signOut(),

    ready: () => ack(session.ready()),
    notReady: ({ operationName }) => ack(session.notReady(operationName)),
    afterCallWork: () => ack(session.afterCallWork()),
    setDoNotDisturb: ({ on }) => ack(session.setDoNotDisturb(on)),
    setReadyAfterWrapUp: ({ enabled }) => session.setReadyAfterWrapUp(enabled),

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
    swapCalls: ({ callId, otherCallId }) => ack(session.swapCalls(callId, otherCallId)),
    singleStepConference: ({ callId, phoneNumber }) => ack(session.singleStepConference(callId, phoneNumber)),
    startCallRecording: ({ callId }) => ack(session.startCallRecording(callId)),
    stopCallRecording: ({ callId }) => ack(session.stopCallRecording(callId)),
    setCallDisposition: ({ callId, disposition }) => ack(session.setCallDisposition(callId, disposition)),
    attachUserData: ({ callId, userData }) => ack(session.attachUserData(callId, userData)),

    startPreviewSession: ({ campaignName }) => ack(session.startPreviewSession(campaignName)),
    endPreviewSession: ({ campaignName }) => ack(session.endPreviewSession(campaignName)),
    getPreviewRecord: ({ campaignName }) => ack(session.getPreviewRecord(campaignName)),
    // The record the renderer showed is named: the session refuses if it is not the one in hand
    // (or, for Dial and Do not call, a number of its chain) — the same rule for every caller.
    dialPreviewRecord: ({ recordHandle, phoneNumber }) => ack(session.dialPreviewRecord({ recordHandle, ...(phoneNumber !== undefined && { phoneNumber }) })),
    rejectRecord: ({ recordHandle }) => ack(session.rejectRecord({ recordHandle })),
    cancelRecord: ({ recordHandle }) => ack(session.cancelRecord({ recordHandle })),
    doNotCallRecord: ({ recordHandle, chainAttribute }) => ack(session.doNotCallRecord(chainAttribute, { recordHandle })),
    rescheduleRecord: ({ recordHandle, callbackType, at }) => ack(session.rescheduleRecord(callbackType, at, { recordHandle })),
    updateRecord: ({ recordHandle, otherFields }) => ack(session.updateRecord({ otherFields }, { recordHandle })),
    completeRecord: ({ recordHandle, callResult, note, getNext }) =>
      ack(session.completeRecord(callResult, { record: { recordHandle }, ...(note !== undefined && { note }), ...(getNext !== undefined && { getNext }) })),
    getChainedRecords: ({ recordHandle }) => ack(session.getChainedRecords({ recordHandle })),
    retryOutboxEntry: ({ id }) => session.retryOutboxEntry(id),
    discardOutboxEntry: ({ id }) => session.discardOutboxEntry(id),
    clearError: () => session.clearError(),
    cancelAutoDial: () => session.cancelAutoDial(),
  };
  const routerWith = (commands: ShellHandlers): Router => createRouter({ ...handlers, ...commands }, toContractError);

  return {
    router: routerWith(shell),
    routerWith,
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
