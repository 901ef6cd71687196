// Wire-format builders for core unit tests (shapes of gws-api.md and the seed).
import { callStateChangeMessage } from './call-message';

export const SEED_DIALING = {
  notificationType: 'StatusChange',
  call: {
    id: '013V08JRL498H10I04000VTAES00000G',
    state: 'Dialing',
    callUuid: '013V08JRL498H10I04000VTAES00000G',
    connId: '0071023821aec010',
    deviceUri: 'http://127.0.0.1:8080/api/v2/devices/efelab32-53f9-43ce-b65e-5768c61f7d4a',
    participants: [{ e164Number: '', formattedPhoneNumber: '5001', phoneNumber: '5001', digits: '5001' }],
    dnis: '5001',
    callType: 'Internal',
    capabilities: ['DeleteUserDataPair', 'AttachUserData', 'Hangup', 'DeleteUserData', 'SendDtmf', 'UpdateUserData'],
    duration: '0',
    mute: 'Off',
    supervisorListeningIn: false,
    monitoredUserMuted: false,
    uri: 'http://127.0.0.1:8080/api/v2/me/calls/013V08JRL498H10I04000VTAES00000G',
    path: '/calls/013V08JRL498H10I04000VTAES00000G',
  },
  phoneNumber: '5005',
  extensions: { WrapUpTime: 0, BusinessCall: 0 },
  messageType: 'CallStateChangeMessage',
};

export const DEVICE_MESSAGE = {
  messageType: 'DeviceStateChangeMessage',
  devices: [
    {
      id: '74152ed8-858f-4a33-9e96-36213a678d30',
      deviceState: 'Active',
      userState: { id: 'D3663509-3D82-4DD3-A82E-2EA8EFA02AEF', displayName: 'AfterCallWork', state: 'NotReady', workMode: 'AfterCallWork' },
      phoneNumber: '5000',
      e164Number: '5000',
      telephonyNetwork: 'Private',
      doNotDisturb: 'Off',
      capabilities: ['ForwardCallsOn', 'DoNotDisturbOn'],
    },
  ],
};

export { CAPABILITIES } from './call-message';

/** A CallStateChangeMessage (the one builder: test/support/call-message.ts). */
export function callMessage(id: string, state: string, extra: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): Record<string, unknown> {
  return callStateChangeMessage(id, state, { call: extra, envelope });
}

export const RECORD = {
  recordHandle: 431,
  chainId: 7,
  phoneNumber: '5001',
  phoneType: 'HomePhone',
  campaignName: 'Campaign1',
  callingList: 'CL1',
  applicationId: 134,
  outboundCallerId: '410004343',
  timeZone: 'America/New_York',
  otherFields: { custom1: 'a' },
  userData: {
    GSW_RECORD_HANDLE: 431,
    GSW_CHAIN_ID: 7,
    GSW_CAMPAIGN_NAME: 'Campaign1',
    GSW_CALLING_LIST: 'CL1',
    GSW_APPLICATION_ID: 134,
    InteractionType: 'Outbound',
    custom1: 'a',
  },
};

export const recordMessage = (notificationType: string, record: unknown = RECORD, referenceId?: string): Record<string, unknown> => ({
  messageType: 'OutboundRecordMessage',
  notificationType,
  record,
  ...(referenceId !== undefined && { referenceId }),
});

export const campaignMessage = (notificationType: string, name = 'Campaign1', dialingMode = 'Preview', referenceId?: string): Record<string, unknown> => ({
  messageType: 'OutboundCampaignMessage',
  notificationType,
  campaign: { name, dialingMode, groupName: `${name}@G`, state: 'Started', devicePath: '/devices/d1', applicationId: 134, description: '' },
  ...(referenceId !== undefined && { referenceId }),
});

export interface LogEntry {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

export function recordingLogger(): { entries: LogEntry[]; debug: (m: string, f?: Record<string, unknown>) => void; info: (m: string, f?: Record<string, unknown>) => void; warn: (m: string, f?: Record<string, unknown>) => void; error: (m: string, f?: Record<string, unknown>) => void } {
  const entries: LogEntry[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void entries.push({ level, message, ...(fields && { fields }) });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
