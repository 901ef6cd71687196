// Every request builder (main/gws/requests.ts) held against the wire reference's tables
// (/work/shared/reference/gws-api.md §3 session and agent state, §4 voice, §6 outbound) and the seed
// `seed-dial-preview-record.txt`: the path it POSTs to and the exact body, nothing more.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { previewDial } from '../../main/agent/operations';
import { reduce } from '../../main/agent/reducer';
import { initialSnapshot } from '../../main/agent/snapshot';
import { decodeNotification } from '../../main/gws/decode';
import { silentLogger } from '../../main/gws/logger';
import type { GwsRequest, OutboundCommon } from '../../main/gws/requests';
import * as req from '../../main/gws/requests';
import { RECORD, recordMessage } from '../support/core-fixtures';

const DEVICE = 'efelab32-53f9-43ce-b65e-5768c61f7d4a';
const COMMON: OutboundCommon = { deviceId: DEVICE, campaignName: 'Campaign1', applicationId: 134, callingList: 'CL1' };
/** The fields §6 says every outbound record operation carries. */
const COMMON_BODY = { applicationId: 134, devicePath: `/devices/${DEVICE}`, campaignName: 'Campaign1', callingList: 'CL1' };

function expectRequest(request: GwsRequest, path: string, body: Record<string, unknown>): void {
  expect(request.path).toBe(path);
  expect(request.operationName).toBe(body['operationName']);
  expect(request.body).toStrictEqual(body);
}

describe('§3 session and agent state', () => {
  it('StartContactCenterSession on /me with the voice channel and the place only when given', () => {
    expectRequest(req.startContactCenterSession('Place_5000'), '/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['voice'], place: 'Place_5000' });
    expectRequest(req.startContactCenterSession(), '/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['voice'] });
    expectRequest(req.startContactCenterSession(''), '/api/v2/me', { operationName: 'StartContactCenterSession', channels: ['voice'] });
  });

  it('EndContactCenterSession on /me with nothing else', () => {
    expectRequest(req.endContactCenterSession(), '/api/v2/me', { operationName: 'EndContactCenterSession' });
  });

  it('Ready on the voice channel, with `workmode` only when asked', () => {
    expectRequest(req.ready(), '/api/v2/me/channels/voice', { operationName: 'Ready' });
    expectRequest(req.ready('ManualIn'), '/api/v2/me/channels/voice', { operationName: 'Ready', workmode: 'ManualIn' });
    expectRequest(req.ready('AutoIn'), '/api/v2/me/channels/voice', { operationName: 'Ready', workmode: 'AutoIn' });
  });

  it('NotReady, AfterCallWork, AuxWork take no reason field', () => {
    for (const name of ['NotReady', 'AfterCallWork', 'AuxWork']) expectRequest(req.agentState(name), '/api/v2/me/channels/voice', { operationName: name });
    expect(Object.keys(req.agentState('NotReady').body)).toEqual(['operationName']);
  });

  it('a configured agent state (a Not Ready reason) is posted by its own operationName', () => {
    expectRequest(req.agentState('OutToLunch'), '/api/v2/me/channels/voice', { operationName: 'OutToLunch' });
  });

  it('DoNotDisturbOn / DoNotDisturbOff on the device, its id encoded', () => {
    expectRequest(req.doNotDisturb(DEVICE, true), `/api/v2/me/devices/${DEVICE}`, { operationName: 'DoNotDisturbOn' });
    expectRequest(req.doNotDisturb('a/b c', false), '/api/v2/me/devices/a%2Fb%20c', { operationName: 'DoNotDisturbOff' });
  });
});

describe('§4 voice', () => {
  it('Dial on the device calls with destination.phoneNumber, user data only when given', () => {
    expectRequest(req.dial(DEVICE, '5001'), `/api/v2/me/devices/${DEVICE}/calls`, { operationName: 'Dial', destination: { phoneNumber: '5001' } });
    expectRequest(req.dial(DEVICE, '5001', { a: 1 }), `/api/v2/me/devices/${DEVICE}/calls`, { operationName: 'Dial', destination: { phoneNumber: '5001' }, userData: { a: 1 } });
  });

  it.each(['Answer', 'Hangup', 'Hold', 'Retrieve', 'CompleteTransfer', 'CompleteConference', 'StartCallRecording', 'StopCallRecording'])('%s on the call with nothing else', (name) => {
    expectRequest(req.callOperation('012PUFMMS0ASNAK48O7GK2LAES000004', name), '/api/v2/me/calls/012PUFMMS0ASNAK48O7GK2LAES000004', { operationName: name });
  });

  it('SendDtmf sends `digits` (never dtmfDigits), * and # as typed', () => {
    const r = req.sendDtmf('c1', '12');
    expectRequest(r, '/api/v2/me/calls/c1', { operationName: 'SendDtmf', digits: '12' });
    expect(r.body).not.toHaveProperty('dtmfDigits');
    expect(req.sendDtmf('c1', '*9#').body).toStrictEqual({ operationName: 'SendDtmf', digits: '*9#' });
  });

  it.each(['InitiateTransfer', 'InitiateConference', 'SingleStepTransfer', 'SingleStepConference'])('%s on the call with destination.phoneNumber and optional user data', (name) => {
    expectRequest(req.toDestination('c1', name, '5002'), '/api/v2/me/calls/c1', { operationName: name, destination: { phoneNumber: '5002' } });
    expectRequest(req.toDestination('c1', name, '5002', { k: 'v' }), '/api/v2/me/calls/c1', { operationName: name, destination: { phoneNumber: '5002' }, userData: { k: 'v' } });
  });

  it('SwapCalls carries otherCallUri', () => {
    expectRequest(req.swapCalls('c1', 'http://gws/api/v2/me/calls/c2'), '/api/v2/me/calls/c1', { operationName: 'SwapCalls', otherCallUri: 'http://gws/api/v2/me/calls/c2' });
    expectRequest(req.swapCalls('c1'), '/api/v2/me/calls/c1', { operationName: 'SwapCalls' });
  });

  it('AttachUserData / UpdateUserData carry userData, DeleteUserDataPair the key', () => {
    expectRequest(req.userDataOperation('c1', 'AttachUserData', { a: '1' }), '/api/v2/me/calls/c1', { operationName: 'AttachUserData', userData: { a: '1' } });
    expectRequest(req.userDataOperation('c1', 'UpdateUserData', { a: '2' }), '/api/v2/me/calls/c1', { operationName: 'UpdateUserData', userData: { a: '2' } });
    expectRequest(req.deleteUserDataPair('c1', 'a'), '/api/v2/me/calls/c1', { operationName: 'DeleteUserDataPair', key: 'a' });
  });

  it('SetCallDisposition goes to the call with callUri, callUuid, disposition, and dispositionKey only when given', () => {
    const fields = { callUri: 'http://gws.test/api/v2/me/calls/c1', callUuid: 'uuid-1', disposition: 'Sale' };
    expectRequest(req.setCallDisposition('c1', fields), '/api/v2/me/calls/c1', { operationName: 'SetCallDisposition', ...fields });
    expectRequest(req.setCallDisposition('c1', { ...fields, dispositionKey: 'DispositionCode' }), '/api/v2/me/calls/c1', { operationName: 'SetCallDisposition', ...fields, dispositionKey: 'DispositionCode' });
    expect(req.setCallDisposition('c1', { ...fields, dispositionKey: '' }).body).not.toHaveProperty('dispositionKey');
  });
});

describe('§6 outbound', () => {
  it.each(['StartPreviewSession', 'EndPreviewSession', 'GetPreviewRecord'] as const)('%s on /me/outbound-campaigns/{campaignName} with applicationId, devicePath, campaignName', (name) => {
    expectRequest(req.campaignOperation(name, 'Campaign1', { deviceId: DEVICE, applicationId: 134 }), '/api/v2/me/outbound-campaigns/Campaign1', {
      operationName: name,
      applicationId: 134,
      devicePath: `/devices/${DEVICE}`,
      campaignName: 'Campaign1',
    });
    expect(req.campaignOperation(name, 'Spring sale/2', { deviceId: DEVICE }).path).toBe('/api/v2/me/outbound-campaigns/Spring%20sale%2F2');
    expect(req.campaignOperation(name, 'Campaign1', { deviceId: DEVICE }).body).not.toHaveProperty('applicationId');
  });

  it('RejectRecord, CancelRecord, GetChainedRecord on /me/outbound-records/{recordHandle} with the common fields', () => {
    expectRequest(req.rejectRecord('431', COMMON), '/api/v2/me/outbound-records/431', { operationName: 'RejectRecord', ...COMMON_BODY });
    expectRequest(req.cancelRecord('431', COMMON), '/api/v2/me/outbound-records/431', { operationName: 'CancelRecord', ...COMMON_BODY });
    expectRequest(req.getChainedRecord('431', COMMON), '/api/v2/me/outbound-records/431', { operationName: 'GetChainedRecord', ...COMMON_BODY });
  });

  it('CompleteRecord carries callResult as the OCS name and phoneNumber when known', () => {
    expectRequest(req.completeRecord('431', COMMON, 'Answer', '5001'), '/api/v2/me/outbound-records/431', { operationName: 'CompleteRecord', ...COMMON_BODY, callResult: 'Answer', phoneNumber: '5001' });
    expectRequest(req.completeRecord('431', COMMON, 'Busy'), '/api/v2/me/outbound-records/431', { operationName: 'CompleteRecord', ...COMMON_BODY, callResult: 'Busy' });
    expect(req.completeRecord('431', COMMON, 'Busy', '').body).not.toHaveProperty('phoneNumber');
  });

  it('UpdateRecord carries only the fields being changed', () => {
    expectRequest(req.updateRecord('431', COMMON, { phoneNumber: '5002', phoneType: 'Mobile', timeZone: 'EST', from: 28_800, until: 72_000, otherFields: { custom1: 'b' } }), '/api/v2/me/outbound-records/431', {
      operationName: 'UpdateRecord',
      ...COMMON_BODY,
      phoneNumber: '5002',
      phoneType: 'Mobile',
      timeZone: 'EST',
      from: 28_800,
      until: 72_000,
      otherFields: { custom1: 'b' },
    });
    expectRequest(req.updateRecord('431', { deviceId: DEVICE }, { phoneNumber: '5002' }), '/api/v2/me/outbound-records/431', { operationName: 'UpdateRecord', devicePath: `/devices/${DEVICE}`, phoneNumber: '5002' });
  });

  it('DoNotCallRecord carries chainAttribute', () => {
    expectRequest(req.doNotCallRecord('431', COMMON, 'AllChain'), '/api/v2/me/outbound-records/431', { operationName: 'DoNotCallRecord', ...COMMON_BODY, chainAttribute: 'AllChain' });
    expect(req.doNotCallRecord('431', COMMON, 'RecordOnly').body['chainAttribute']).toBe('RecordOnly');
  });

  it('RescheduleRecord carries callbackType and the timestamp in epoch seconds', () => {
    const at = Date.UTC(2030, 0, 2, 9, 30, 0, 750);
    expectRequest(req.rescheduleRecord('431', COMMON, 'Personal', at), '/api/v2/me/outbound-records/431', { operationName: 'RescheduleRecord', ...COMMON_BODY, callbackType: 'Personal', timestamp: Math.floor(Date.UTC(2030, 0, 2, 9, 30) / 1000) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8_640_000_000_000 }), fc.constantFrom('Personal' as const, 'Campaign' as const), (ms, type) => {
        const { timestamp, callbackType } = req.rescheduleRecord('1', COMMON, type, ms).body as { timestamp: number; callbackType: string };
        expect(Number.isInteger(timestamp)).toBe(true);
        expect(timestamp * 1000).toBeLessThanOrEqual(ms);
        expect(ms).toBeLessThan((timestamp + 1) * 1000);
        expect(callbackType).toBe(type);
      }),
    );
  });

  it('Dial Preview Record posts devicePath and the record as outboundRecord (the seed), plus its user data', () => {
    const r = req.dialPreviewRecord('1234567890', { recordHandle: 431, phoneNumber: '5001', outboundCallerId: '410004343', otherFields: { custom1: 'a' } }, { GSW_RECORD_HANDLE: 431 });
    expectRequest(r, '/api/v2/me/devices/1234567890/calls', {
      operationName: 'Dial',
      devicePath: '/devices/1234567890',
      outboundRecord: { recordHandle: 431, phoneNumber: '5001', outboundCallerId: '410004343', otherFields: { custom1: 'a' } },
      userData: { GSW_RECORD_HANDLE: 431 },
    });
    expect(r.body).not.toHaveProperty('destination');
  });

  it('the Dial of a PreviewRecord as received posts the record back unchanged (handle as sent, no userData inside)', () => {
    const n = decodeNotification('/v2/me/outbound', recordMessage('PreviewRecord'), silentLogger);
    if (!n) throw new Error('PreviewRecord not decoded');
    const snapshot = reduce(initialSnapshot(0), { type: 'notification', notification: n, at: 1 });
    const record = snapshot.previewRecord.record;
    if (!record) throw new Error('no preview record');
    const { userData, ...wire } = RECORD;
    const r = previewDial(DEVICE, record);
    expectRequest(r, `/api/v2/me/devices/${DEVICE}/calls`, { operationName: 'Dial', devicePath: `/devices/${DEVICE}`, outboundRecord: wire, userData });
    expect((r.body['outboundRecord'] as Record<string, unknown>)['recordHandle']).toBe(431);
  });
});

describe('every builder', () => {
  const id = fc.string({ minLength: 1, maxLength: 30 });

  it('encodes ids in paths: the path names exactly that id and nothing else (property)', () => {
    fc.assert(
      fc.property(id, (raw) => {
        const cases: Array<[GwsRequest, string]> = [
          [req.callOperation(raw, 'Hold'), '/api/v2/me/calls/'],
          [req.sendDtmf(raw, '1'), '/api/v2/me/calls/'],
          [req.setCallDisposition(raw, { callUri: 'u', callUuid: 'v', disposition: 'd' }), '/api/v2/me/calls/'],
          [req.doNotDisturb(raw, true), '/api/v2/me/devices/'],
          [req.completeRecord(raw, COMMON, 'Ok'), '/api/v2/me/outbound-records/'],
          [req.rescheduleRecord(raw, COMMON, 'Campaign', 0), '/api/v2/me/outbound-records/'],
          [req.campaignOperation('GetPreviewRecord', raw, { deviceId: DEVICE }), '/api/v2/me/outbound-campaigns/'],
        ];
        for (const [r, prefix] of cases) {
          expect(r.path.startsWith(prefix)).toBe(true);
          const segment = r.path.slice(prefix.length);
          expect(segment).not.toMatch(/[/?#\s]/);
          expect(decodeURIComponent(segment)).toBe(raw);
        }
        const dial = req.dial(raw, '5001');
        expect(dial.path).toBe(`/api/v2/me/devices/${encodeURIComponent(raw)}/calls`);
      }),
    );
  });

  it('never stamps a referenceId and always names its operation in the body (property)', () => {
    fc.assert(
      fc.property(id, fc.string({ maxLength: 10 }), (raw, text) => {
        const all = [
          req.startContactCenterSession(text),
          req.endContactCenterSession(),
          req.ready(),
          req.agentState(raw),
          req.doNotDisturb(raw, false),
          req.dial(raw, text),
          req.dialPreviewRecord(raw, { recordHandle: raw }, {}),
          req.callOperation(raw, 'Answer'),
          req.sendDtmf(raw, text),
          req.toDestination(raw, 'SingleStepTransfer', text),
          req.swapCalls(raw, text),
          req.userDataOperation(raw, 'AttachUserData', { [text]: raw }),
          req.deleteUserDataPair(raw, text),
          req.setCallDisposition(raw, { callUri: text, callUuid: text, disposition: text }),
          req.campaignOperation('StartPreviewSession', raw, { deviceId: raw }),
          req.rejectRecord(raw, COMMON),
          req.cancelRecord(raw, COMMON),
          req.completeRecord(raw, COMMON, 'Ok', text),
          req.updateRecord(raw, COMMON, { phoneNumber: text }),
          req.doNotCallRecord(raw, COMMON, 'AllChain'),
          req.rescheduleRecord(raw, COMMON, 'Personal', 1_000),
          req.getChainedRecord(raw, COMMON),
        ];
        for (const r of all) {
          expect(r.body['operationName']).toBe(r.operationName);
          expect(r.body).not.toHaveProperty('referenceId');
          expect(r.path.startsWith('/api/v2/')).toBe(true);
          expect(JSON.parse(JSON.stringify(r.body))).toStrictEqual(r.body);
        }
      }),
    );
  });
});
