/**
 * THE CallStateChangeMessage builder of the tests and the benchmark (gws-api.md §4), shaped like
 * the simulator's own notifications (sim/call-machine.ts, sim/call-resource.ts): the envelope, the
 * call resource with the capabilities each state offers, and anything a test overrides.
 */

const USER_DATA_OPS = ['AttachUserData', 'UpdateUserData', 'DeleteUserDataPair', 'DeleteUserData'];

/** What each state offers, as in the reference's samples (gws-api.md §4 "Capabilities by state"). */
export const CAPABILITIES: Record<string, string[]> = {
  Dialing: ['SendDtmf', ...USER_DATA_OPS, 'Hangup'],
  Ringing: ['Answer', ...USER_DATA_OPS],
  Established: ['SendDtmf', ...USER_DATA_OPS, 'Hangup', 'Hold', 'StartCallRecording', 'SingleStepTransfer', 'InitiateTransfer', 'InitiateConference', 'SingleStepConference'],
  Held: ['Retrieve', ...USER_DATA_OPS, 'Hangup', 'SingleStepTransfer', 'InitiateTransfer', 'InitiateConference'],
  Released: [],
  Completed: [],
};

export interface CallStateChangeOptions {
  /** Fields of the call resource, over the defaults (callType, participants, userData, uri …). */
  call?: Record<string, unknown>;
  /** Fields of the envelope (phoneNumber, extensions, referenceId …). */
  envelope?: Record<string, unknown>;
}

export function callStateChangeMessage(id: string, state: string, options: CallStateChangeOptions = {}): Record<string, unknown> {
  return {
    messageType: 'CallStateChangeMessage',
    notificationType: 'StatusChange',
    call: {
      id,
      state,
      callType: 'Inbound',
      participants: [{ phoneNumber: '5551234' }],
      capabilities: CAPABILITIES[state] ?? [],
      duration: '3',
      userData: {},
      ...options.call,
    },
    ...options.envelope,
  };
}
