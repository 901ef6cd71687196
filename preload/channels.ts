/**
 * The contract's names, without its schemas: what the sandboxed preload and the harness client
 * need at run time (so neither bundles zod). `contract.ts` checks at compile time that
 * `commandNames` lists exactly the keys of its `commands`.
 */
export const commandNames = [
  'getSnapshot',
  'signIn',
  'signOut',
  'ready',
  'notReady',
  'afterCallWork',
  'setDoNotDisturb',
  'setReadyAfterWrapUp',
  'dial',
  'answer',
  'hangup',
  'hold',
  'retrieve',
  'sendDtmf',
  'initiateTransfer',
  'completeTransfer',
  'singleStepTransfer',
  'initiateConference',
  'completeConference',
  'swapCalls',
  'singleStepConference',
  'startCallRecording',
  'stopCallRecording',
  'setCallDisposition',
  'attachUserData',
  'startPreviewSession',
  'endPreviewSession',
  'getPreviewRecord',
  'dialPreviewRecord',
  'rejectRecord',
  'cancelRecord',
  'doNotCallRecord',
  'rescheduleRecord',
  'updateRecord',
  'completeRecord',
  'getChainedRecords',
  'retryOutboxEntry',
  'discardOutboxEntry',
  'clearError',
  'cancelAutoDial',
  'getSettings',
  'updateSettings',
  'testNotification',
  'exportDiagnostics',
  'installUpdate',
] as const;
export type CommandName = (typeof commandNames)[number];

export const eventNames = ['changes', 'app', 'focus-call', 'prefill-dial'] as const;
export type EventName = (typeof eventNames)[number];

/** The IPC channel names: one for invocations, one per event. */
export const INVOKE_CHANNEL = 'softphone:invoke';
export const eventChannel = (event: EventName) => `softphone:event:${event}`;
