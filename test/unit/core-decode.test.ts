import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeNotification } from '../../main/gws/decode';
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
