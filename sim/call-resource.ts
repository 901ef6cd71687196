// A call as the wire shows it (gws-api.md §4): the simulator's call record, the capabilities each
// state offers, and the GWS call resource that reads and notifications carry.
import type { Agent } from './agents';
import type { Dialect } from './dialect';

export type CallState = 'Dialing' | 'Ringing' | 'Established' | 'Held' | 'Released' | 'Completed';
export type CallType = 'Internal' | 'Inbound' | 'Outbound' | 'Consult';

export interface SimCall {
  id: string;
  connId: string;
  owner: Agent;
  state: CallState;
  callType: CallType;
  /** The far end: dnis for calls we place, ani for calls we receive. */
  direction: 'out' | 'in';
  otherParty: string;
  participants: string[];
  userData: Record<string, unknown>;
  createdAt: number;
  establishedAt?: number;
  wrapUpTime: number;
  recordingState?: 'Recording' | 'Stopped';
  /** Other leg of an internal call between two simulated agents. */
  partnerId?: string;
  /** On an original call: its consult call. On a consult call: the original. */
  consultId?: string;
  consultOfId?: string;
  dtmf: string;
  timer?: NodeJS.Timeout;
}

export const USER_DATA_OPS = ['AttachUserData', 'UpdateUserData', 'DeleteUserDataPair', 'DeleteUserData'];
export const TRANSFER_OPS = ['SingleStepTransfer', 'InitiateTransfer', 'InitiateConference', 'SingleStepConference'];

/** Country codes known to the HTCC 8.5.0 participantsInfo form (longest first). */
const COUNTRY_CODES: Array<[string, string]> = [
  ['+44', 'GB'], ['+33', 'FR'], ['+49', 'DE'], ['+81', 'JP'], ['+61', 'AU'], ['+65', 'SG'], ['+1', 'US'],
];

export const digitsOf = (n: string): string => n.replace(/[^\d*#+]/g, '');

/** What the call offers in its state; `peer`: its consult call or the original it consults from. */
export function callCapabilities(c: SimCall, peer: SimCall | undefined): string[] {
  switch (c.state) {
    case 'Dialing':
      return ['SendDtmf', ...USER_DATA_OPS, 'Hangup'];
    case 'Ringing':
      return ['Answer', ...USER_DATA_OPS];
    case 'Established': {
      const caps = ['SendDtmf', ...USER_DATA_OPS, 'Hangup', 'Hold'];
      caps.push(c.recordingState === 'Recording' ? 'StopCallRecording' : 'StartCallRecording');
      if (peer === undefined) caps.push(...TRANSFER_OPS);
      else if (peer.state === 'Held') caps.push('SwapCalls', 'CompleteTransfer', 'CompleteConference');
      return caps;
    }
    case 'Held': {
      const caps = ['Retrieve', 'Hangup', ...USER_DATA_OPS];
      if (peer === undefined) caps.push(...TRANSFER_OPS);
      else if (peer.state === 'Established') caps.push('SwapCalls', 'CompleteTransfer', 'CompleteConference');
      return caps;
    }
    default:
      return [];
  }
}

/**
 * The GWS call resource. `read`: for GET /me/calls[/{id}], whose `id` follows the callIdInReads
 * dialect; notifications always carry id = callUuid.
 */
export function callResource(c: SimCall, at: { baseUrl: string; dialect: Readonly<Dialect>; capabilities: string[] }, read = false): Record<string, unknown> {
  const base = at.baseUrl;
  const dialect = at.dialect;
  const since = c.establishedAt ?? c.createdAt;
  const duration = c.state === 'Dialing' || c.state === 'Ringing' ? 0 : Math.floor((Date.now() - since) / 1000);
  const id = read && dialect.callIdInReads === 'connId' ? c.connId : c.id;
  return {
    id,
    state: c.state,
    callUuid: c.id,
    connId: c.connId,
    deviceUri: `${base}/api/v2/devices/${c.owner.deviceId}`,
    ...(dialect.participants === 'strings'
      ? { participants: [...c.participants], participantsInfo: c.participants.map(participantInfo) }
      : {
          participants: c.participants.map((p) => ({
            e164Number: p.startsWith('+') ? p : '',
            formattedPhoneNumber: p,
            phoneNumber: p,
            digits: digitsOf(p),
          })),
        }),
    ...(c.direction === 'out' ? { dnis: c.otherParty } : { ani: c.otherParty }),
    callType: c.callType,
    capabilities: at.capabilities,
    duration: String(duration),
    mute: 'Off',
    ...(c.recordingState !== undefined && dialect.recordingState === 'named' ? { recordingState: c.recordingState } : {}),
    supervisorListeningIn: false,
    monitoredUserMuted: false,
    monitoring: false,
    uri: `${base}/api/v2/me/calls/${id}`,
    path: `/calls/${id}`,
    userData: { ...c.userData },
  };
}

/** HTCC 8.5.0 participantsInfo entry of a participant number (dialect participants=strings). */
function participantInfo(p: string): Record<string, unknown> {
  const cc = COUNTRY_CODES.find(([prefix]) => p.startsWith(prefix));
  return {
    country: cc?.[1] ?? '',
    location: '',
    localPhoneNumber: cc !== undefined ? p.slice(cc[0].length) : p,
    E164digits: p.startsWith('+') ? digitsOf(p).replace(/^\+/, '') : '',
  };
}
