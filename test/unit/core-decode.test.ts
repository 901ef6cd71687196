import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toRecord } from '../../main/agent/reducer';
import { REFUSED, decodeNotification } from '../../main/gws/decode';
import { silentLogger } from '../../main/gws/logger';
import { DEVICE_MESSAGE, RECORD, SEED_DIALING, callMessage, recordMessage, recordingLogger } from '../support/core-fixtures';

describe('decodeNotification', () => {
  it('decodes the seed Dialing notification, normalising the string duration', () => {
    const n = decodeNotification('/v2/me/calls', SEED_DIALING, silentLogger);
    expect(n?.kind).toBe('call');
    if (n?.kind !== 'call') return;
    expect(n.call.id).toBe('013V08JRL498H10I04000VTAES00000G');
    expect(n.call.state).toBe('Dialing');
    expect(n.call.duration).toBe(0);
    expect(n.call.capabilities).toContain('Hangup');
    expect(n.extensions).toEqual({ WrapUpTime: 0, BusinessCall: 0 });
    // unknown fields pass through
    expect((n.call as Record<string, unknown>)['supervisorListeningIn']).toBe(false);
  });

  it('treats a numeric call id as an opaque string', () => {
    const n = decodeNotification('/v2/me/calls', callMessage(12 as unknown as string, 'Ringing'), silentLogger);
    expect(n?.kind === 'call' && n.call.id).toBe('12');
  });

  it('decodes device messages from the reference sample', () => {
    const n = decodeNotification('/v2/me/devices', DEVICE_MESSAGE, silentLogger);
    expect(n?.kind).toBe('devices');
    if (n?.kind !== 'devices') return;
    expect(n.devices[0]?.userState?.workMode).toBe('AfterCallWork');
  });

  it('keeps recordHandle as sent (number or string)', () => {
    const a = decodeNotification('/v2/me/outbound', recordMessage('PreviewRecord'), silentLogger);
    const b = decodeNotification('/v2/me/outbound', recordMessage('PreviewRecord', { ...RECORD, recordHandle: '431' }), silentLogger);
    expect(a?.kind === 'record' && a.records[0]?.recordHandle).toBe(431);
    expect(b?.kind === 'record' && b.records[0]?.recordHandle).toBe('431');
    expect(a?.kind === 'record' && a.recordHandle).toBe('431');
  });

  it('decodes an Error notification with its referenceId', () => {
    const n = decodeNotification('/v2/me/calls', { messageType: 'CallStateChangeMessage', notificationType: 'Error', errorMessage: 'Invalid destination', referenceId: 'r1' }, silentLogger);
    expect(n).toEqual({ kind: 'error', channel: '/v2/me/calls', message: 'Invalid destination', referenceId: 'r1' });
  });

  it('logs and drops malformed and unknown messages', () => {
    const logger = recordingLogger();
    expect(decodeNotification('/v2/me/calls', { messageType: 'CallStateChangeMessage', call: { state: 'Dialing' } }, logger)).toBeUndefined();
    expect(decodeNotification('/v2/me/calls', { messageType: 'Whatever' }, logger)).toBeUndefined();
    expect(decodeNotification('/v2/me/calls', 'text', logger)).toBeUndefined();
    expect(decodeNotification('/v2/me/outbound', recordMessage('PreviewRecord', { phoneNumber: '1' }), logger)).toBeUndefined();
    expect(logger.entries).toHaveLength(5); // the bad record is logged, then the message
    expect(logger.entries.every((e) => e.level === 'warn')).toBe(true);
    expect(logger.entries[0]?.fields?.['why']).toMatch(/call\.id/);
  });

  it('never throws, whatever arrives (property)', () => {
    const channel = fc.constantFrom('/v2/me/calls', '/v2/me/devices', '/v2/me/outbound', '/v2/me/channels', '/x');
    const messageType = fc.constantFrom('CallStateChangeMessage', 'DeviceStateChangeMessage', 'OutboundCampaignMessage', 'OutboundRecordMessage', 'DeviceUserEventMessage', 'Nope');
    const shaped = fc.record({
      messageType,
      notificationType: fc.option(fc.constantFrom('StatusChange', 'Error', 'PreviewRecord', 'CampaignStarted', 'ChainedRecord'), { nil: undefined }),
      call: fc.option(fc.anything(), { nil: undefined }),
      devices: fc.option(fc.anything(), { nil: undefined }),
      campaign: fc.option(fc.anything(), { nil: undefined }),
      record: fc.option(fc.anything(), { nil: undefined }),
      referenceId: fc.option(fc.anything(), { nil: undefined }),
    });
    fc.assert(
      fc.property(channel, fc.oneof(fc.anything(), fc.jsonValue(), shaped), (ch, data) => {
        decodeNotification(ch, data, silentLogger);
      }),
      { numRuns: 2000 },
    );
  });
});

const CHANNELS = ['/v2/me/calls', '/v2/me/devices', '/v2/me/outbound', '/v2/me/channels', '/v2/me', '/anything'];

describe('ErrorMessage (gws-api.md §4: a failed operation, on any channel)', () => {
  it.each(CHANNELS)('decodes on %s with every field it carries', (channel) => {
    const n = decodeNotification(channel, { messageType: 'ErrorMessage', errorCode: 110, errorMessage: 'Record 9 is already processed', referenceId: 'r1', call: { id: 'c1' }, recordHandle: 9 }, silentLogger);
    expect(n).toEqual({ kind: 'error', channel, message: 'Record 9 is already processed', errorCode: '110', referenceId: 'r1', callId: 'c1', recordHandle: '9' });
  });

  it('reads each field only when present (and of a usable type)', () => {
    expect(decodeNotification('/v2/me/calls', { messageType: 'ErrorMessage', errorMessage: 'Invalid destination', callId: 42 }, silentLogger)).toEqual({ kind: 'error', channel: '/v2/me/calls', message: 'Invalid destination', callId: '42' });
    expect(decodeNotification('/v2/me/outbound', { messageType: 'ErrorMessage', referenceId: 7 }, silentLogger)).toEqual({ kind: 'error', channel: '/v2/me/outbound', message: REFUSED, referenceId: '7' });
    expect(decodeNotification('/v2/me/outbound', { messageType: 'ErrorMessage', errorCode: 'E1' }, silentLogger)).toEqual({ kind: 'error', channel: '/v2/me/outbound', message: `${REFUSED} (error E1)`, errorCode: 'E1' });
    expect(decodeNotification('/v2/me/calls', { messageType: 'ErrorMessage', errorMessage: '  ', referenceId: { x: 1 }, call: 'c1', recordHandle: '' }, silentLogger)).toEqual({ kind: 'error', channel: '/v2/me/calls', message: REFUSED });
  });

  it('an ErrorMessage with no fields reads "The server refused the last operation"', () => {
    expect(REFUSED).toBe('The server refused the last operation');
    for (const channel of CHANNELS) expect(decodeNotification(channel, { messageType: 'ErrorMessage' }, silentLogger)).toEqual({ kind: 'error', channel, message: 'The server refused the last operation' });
  });

  it('never throws and always gives the agent something to read, whatever else the message carries (property)', () => {
    const known = fc.record(
      {
        errorCode: fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.jsonValue()),
        errorMessage: fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue()),
        referenceId: fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.jsonValue()),
        call: fc.oneof(fc.record({ id: fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.jsonValue()) }), fc.jsonValue()),
        callId: fc.jsonValue(),
        recordHandle: fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.jsonValue()),
        notificationType: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.constantFrom(...CHANNELS), fc.dictionary(fc.string({ maxLength: 10 }), fc.anything({ maxDepth: 2 })), known, (channel, extra, fields) => {
        const data = { ...extra, ...fields, messageType: 'ErrorMessage' };
        const n = decodeNotification(channel, data, silentLogger);
        expect(n?.kind).toBe('error');
        if (n?.kind !== 'error') return;
        expect(n.channel).toBe(channel);
        expect(typeof n.message).toBe('string');
        expect(n.message.trim()).not.toBe('');
        const text = typeof fields.errorMessage === 'string' ? fields.errorMessage.trim() : '';
        if (text !== '') expect(n.message).toBe(text);
        else expect(n.message.startsWith(REFUSED)).toBe(true);
        for (const key of ['errorCode', 'referenceId', 'callId', 'recordHandle'] as const) if (n[key] !== undefined) expect(typeof n[key]).toBe('string');
      }),
      { numRuns: 2_000 },
    );
  });

  it('the older notificationType "Error" form still decodes, on a record message too', () => {
    expect(decodeNotification('/v2/me/outbound', { messageType: 'OutboundRecordMessage', notificationType: 'Error', errorMessage: 'Record 101 is already processed (CompleteRecord)', referenceId: 'r2', recordHandle: 101, record: RECORD }, silentLogger)).toEqual({
      kind: 'error',
      channel: '/v2/me/outbound',
      message: 'Record 101 is already processed (CompleteRecord)',
      referenceId: 'r2',
      recordHandle: '101',
    });
  });
});

describe('calls', () => {
  it('participants as an array of strings (HTCC 8.5.0, participantsInfo beside it) decode to phone numbers', () => {
    const n = decodeNotification(
      '/v2/me/calls',
      callMessage('c1', 'Established', {
        participants: ['5001', '+15551234'],
        participantsInfo: [{ country: 'US', location: '', localPhoneNumber: '5001', E164digits: '' }],
      }),
      silentLogger,
    );
    expect(n?.kind === 'call' && n.call.participants).toEqual([{ phoneNumber: '5001' }, { phoneNumber: '+15551234' }]);
  });

  it('accepts a string or an object for each participant and drops what is neither', () => {
    const n = decodeNotification('/v2/me/calls', callMessage('c1', 'Established', { participants: ['5001', { phoneNumber: '5002', formattedPhoneNumber: '(5002)' }, 7, null] }), silentLogger);
    expect(n?.kind === 'call' && n.call.participants.map((p) => p.phoneNumber)).toEqual(['5001', '5002']);
  });

  it('DtmfSent is a call notification', () => {
    const n = decodeNotification('/v2/me/calls', callMessage('c1', 'Established', {}, { notificationType: 'DtmfSent' }), silentLogger);
    expect(n).toMatchObject({ kind: 'call', notificationType: 'DtmfSent', call: { id: 'c1', state: 'Established' } });
  });
});

describe('PreviewRecord with only userData (gws-api.md §6: only the GSW_* keys are confirmed)', () => {
  const userDataOnly = {
    userData: {
      GSW_RECORD_HANDLE: 9,
      GSW_CHAIN_ID: 3,
      GSW_PHONE: '5001',
      GSW_CAMPAIGN_NAME: 'Campaign1',
      GSW_CALLING_LIST: 'CL1',
      GSW_APPLICATION_ID: '134',
      GSW_TZ_NAME: 'EST',
      GSW_TZ_OFFSET: -18000,
      GSW_ATTEMPTS: 1,
      GSW_CALL_ATTEMPT_GUID: 'g-1',
      InteractionType: 'Outbound',
      InteractionSubtype: 'OutboundNew',
      custom1: 'a',
      custom2: 2,
    },
  };

  it('fills the record from GSW_RECORD_HANDLE, GSW_PHONE, GSW_CAMPAIGN_NAME, GSW_CALLING_LIST, GSW_APPLICATION_ID, GSW_TZ_NAME, GSW_CHAIN_ID; custom fields become otherFields', () => {
    const n = decodeNotification('/v2/me/outbound', recordMessage('PreviewRecord', userDataOnly, 'r1'), silentLogger);
    expect(n?.kind).toBe('record');
    if (n?.kind !== 'record') return;
    expect(n.recordHandle).toBe('9');
    expect(n.referenceId).toBe('r1');
    const record = n.records[0];
    expect(record).toMatchObject({ recordHandle: 9, chainId: 3, phoneNumber: '5001', campaignName: 'Campaign1', callingList: 'CL1', applicationId: 134, timeZone: 'EST', otherFields: { custom1: 'a', custom2: 2 } });
    expect(Object.keys(record?.otherFields ?? {}).sort()).toEqual(['custom1', 'custom2']);
    // What the Dial posts back echoes what the client has.
    if (!record) return;
    expect(toRecord(record).wire).toMatchObject({ recordHandle: 9, phoneNumber: '5001', campaignName: 'Campaign1', callingList: 'CL1', applicationId: 134, timeZone: 'EST', otherFields: { custom1: 'a', custom2: 2 } });
    expect(toRecord(record).wire).not.toHaveProperty('userData');
  });

  it('top-level fields win over their GSW_* twins', () => {
    const n = decodeNotification('/v2/me/outbound', recordMessage('PreviewRecord', { ...userDataOnly, recordHandle: 10, phoneNumber: '6001', campaignName: 'Top', callingList: 'TopList', applicationId: 200, timeZone: 'PST', chainId: 4, otherFields: { top: true } }), silentLogger);
    expect(n?.kind === 'record' && n.records[0]).toMatchObject({ recordHandle: 10, chainId: 4, phoneNumber: '6001', campaignName: 'Top', callingList: 'TopList', applicationId: 200, timeZone: 'PST', otherFields: { top: true } });
    expect(n?.kind === 'record' && n.recordHandle).toBe('10');
  });

  it('a PreviewRecord with neither a handle nor GSW_RECORD_HANDLE is dropped', () => {
    const logger = recordingLogger();
    expect(decodeNotification('/v2/me/outbound', recordMessage('PreviewRecord', { userData: { GSW_PHONE: '5001' } }), logger)).toBeUndefined();
    expect(logger.entries.length).toBeGreaterThan(0);
  });
});

describe('CLI line', () => {
  it('renders one line per change with the state a support engineer needs', async () => {
    const { describeChange } = await import('../../main/cli/describe-change');
    const { initialSnapshot } = await import('../../main/agent/snapshot');
    const s = { ...initialSnapshot(0), connection: { state: 'connected' as const, since: 0 } };
    const line = describeChange(s, ['connection'], Date.UTC(2030, 0, 1));
    expect(line).toBe('2030-01-01T00:00:00.000Z [connection] connection=connected calls=[]');
    expect(line).not.toContain('\n');
  });
});
