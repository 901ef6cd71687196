/**
 * The benchmark's CallStateChangeMessages: the tests' one builder (test/support/call-message.ts,
 * shaped like the simulator's own: sim/call-machine.ts, sim/call-resource.ts) with the fields a
 * real outbound call carries, published through the control API.
 */
import { callStateChangeMessage } from '../test/support/call-message';

export type BenchCallState = 'Dialing' | 'Established' | 'Held' | 'Released';

/** 32 upper-case alphanumerics, like GWS call ids; deterministic from a prefix and a number. */
export function benchCallId(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(32 - prefix.length, '0')}`.toUpperCase().slice(0, 32);
}

export interface CallMessageOptions {
  baseUrl: string;
  /** The agent's DN (envelope `phoneNumber`). */
  dn?: string;
  deviceId?: string;
}

export function callMessage(id: string, state: BenchCallState, o: CallMessageOptions): Record<string, unknown> {
  const number = `+1212555${id.slice(-4)}`;
  return callStateChangeMessage(id, state, {
    call: {
      callUuid: id,
      connId: id.slice(-16).toLowerCase().replace(/[^0-9a-f]/g, '0'),
      deviceUri: `${o.baseUrl}/api/v2/devices/${o.deviceId ?? 'bench-device'}`,
      participants: [{ e164Number: number, formattedPhoneNumber: number, phoneNumber: number, digits: number.slice(1) }],
      dnis: number,
      callType: 'Outbound',
      duration: '0',
      mute: 'Off',
      supervisorListeningIn: false,
      monitoredUserMuted: false,
      monitoring: false,
      uri: `${o.baseUrl}/api/v2/me/calls/${id}`,
      path: `/calls/${id}`,
      userData: { BenchCall: 'yes' },
    },
    envelope: { phoneNumber: o.dn ?? '5001', extensions: { WrapUpTime: 0, BusinessCall: 0 } },
  });
}

/** The state after `state` in the benchmark's alternation (every publication is a visible change). */
export function flip(state: BenchCallState): BenchCallState {
  return state === 'Dialing' ? 'Established' : 'Dialing';
}
