import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../main/agent/events';
import { changedKeys, isRecording, reduce, toJsonObject, toJsonValue } from '../../main/agent/reducer';
import type { AgentSnapshot, PendingOperation } from '../../main/agent/snapshot';
import { CALL_HISTORY_LIMIT, initialSnapshot } from '../../main/agent/snapshot';
import { decodeNotification } from '../../main/gws/decode';
import { silentLogger } from '../../main/gws/logger';
import { callSchema } from '../../main/gws/schemas';
import { CAPABILITIES, DEVICE_MESSAGE, RECORD, callMessage, campaignMessage, recordMessage } from '../support/core-fixtures';

const T0 = 1_700_000_000_000;

function notify(s: AgentSnapshot, channel: string, data: unknown, at = T0): AgentSnapshot {
  const notification = decodeNotification(channel, data, silentLogger);
  if (!notification) return s;
  return reduce(s, { type: 'notification', notification, at });
}

function op(referenceId: string, operationName: string, extra: Partial<PendingOperation> = {}): AgentEvent {
  return { type: 'operation-started', operation: { referenceId, operationName, target: 'call', status: 'sending', startedAt: T0, ...extra }, at: T0 };
}

const STATES = ['Dialing', 'Ringing', 'Established', 'Held', 'Released', 'Completed'] as const;
const LIVE = new Set(['Dialing', 'Ringing', 'Established', 'Held']);

describe('reduce: calls against a model of the server', () => {
  // The model: what GWS reports — the last state of every call id, minus ended calls.
  const step = fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('call' as const), id: fc.constantFrom('A', 'B', 'C', '42'), state: fc.constantFrom(...STATES) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('read' as const), ids: fc.uniqueArray(fc.constantFrom('A', 'B', 'C', '42', 'D'), { maxLength: 3 }), state: fc.constantFrom('Ringing', 'Established', 'Held') }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('junk' as const), data: fc.anything() }) },
  );

  it('any sequence of valid notifications (and junk) gives the calls the server reports', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let s = initialSnapshot(T0);
        const model = new Map<string, string>();
        let at = T0;
        for (const st of steps) {
          at += 1000;
          if (st.kind === 'call') {
            s = notify(s, '/v2/me/calls', callMessage(st.id, st.state), at);
            if (LIVE.has(st.state)) model.set(st.id, st.state);
            else model.delete(st.id);
          } else if (st.kind === 'read') {
            const calls = st.ids.map((id) => callSchema.parse(callMessage(id, st.state)['call']));
            s = reduce(s, { type: 'calls-read', calls, at });
            model.clear();
            for (const id of st.ids) model.set(id, st.state);
          } else {
            s = notify(s, '/v2/me/calls', st.data, at);
          }
          const actual = Object.fromEntries(Object.entries(s.calls).map(([id, c]) => [id, c.state]));
          expect(actual).toEqual(Object.fromEntries(model));
          for (const call of Object.values(s.calls)) expect(call.capabilities).toEqual(CAPABILITIES[call.state]);
          expect(s.callHistory.length).toBeLessThanOrEqual(CALL_HISTORY_LIMIT);
          expect(JSON.parse(JSON.stringify(s))).toEqual(s); // plain JSON
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps extensions.WrapUpTime and the recording state on the call, and the wrap-up window in its history entry', () => {
    let s = notify(initialSnapshot(T0), '/v2/me/calls', callMessage('A', 'Dialing', {}, { extensions: { WrapUpTime: 30, BusinessCall: 0 } }), T0);
    expect(s.calls['A']?.wrapUpTime).toBe(30);
    s = notify(s, '/v2/me/calls', callMessage('A', 'Established', { recordingState: 'Recording' }), T0 + 1000);
    expect(s.calls['A']).toMatchObject({ wrapUpTime: 30, recordingState: 'Recording' });
    s = notify(s, '/v2/me/calls', callMessage('A', 'Established', { recordingState: 'Stopped' }, { extensions: { WrapUpTime: '45' } }), T0 + 2000);
    expect(s.calls['A']).toMatchObject({ wrapUpTime: 45, recordingState: 'Stopped' });
    s = notify(s, '/v2/me/calls', callMessage('A', 'Released', {}, { extensions: { WrapUpTime: 'soon' } }), T0 + 5000);
    expect(s.callHistory[0]).toMatchObject({ callId: 'A', endedAt: T0 + 5000, wrapUpTime: 45 });
  });

  it('keeps stateSince while the state does not change and records the history of ended calls', () => {
    let s = notify(initialSnapshot(T0), '/v2/me/calls', callMessage('A', 'Ringing'), T0);
    s = notify(s, '/v2/me/calls', callMessage('A', 'Established'), T0 + 2000);
    s = notify(s, '/v2/me/calls', callMessage('A', 'Established', { userData: { k: 'v' } }, { notificationType: 'AttachedDataChanged' }), T0 + 3000);
    expect(s.calls['A']?.stateSince).toBe(T0 + 2000);
    expect(s.calls['A']?.userData).toEqual({ k: 'v' });
    s = notify(s, '/v2/me/calls', callMessage('A', 'Released'), T0 + 12_000);
    expect(s.calls).toEqual({});
    expect(s.callHistory).toEqual([{ callId: 'A', number: '5551234', callType: 'Inbound', result: 'Answered', startedAt: T0, durationSec: 10, endedAt: T0 + 12_000 }]);
  });

  it('bounds the call history to the last 100', () => {
    let s = initialSnapshot(T0);
    for (let i = 0; i < 130; i += 1) {
      s = notify(s, '/v2/me/calls', callMessage(`c${i}`, 'Ringing'));
      s = notify(s, '/v2/me/calls', callMessage(`c${i}`, 'Released'));
    }
    expect(s.callHistory).toHaveLength(CALL_HISTORY_LIMIT);
    expect(s.callHistory[0]?.callId).toBe('c129');
    expect(s.callHistory[0]?.result).toBe('Missed');
  });
});

describe('reduce: device, campaigns, operations', () => {
  it('takes the device and its userState; since moves only on a change', () => {
    let s = notify(initialSnapshot(T0), '/v2/me/devices', DEVICE_MESSAGE, T0 + 1);
    expect(s.device).toMatchObject({ id: '74152ed8-858f-4a33-9e96-36213a678d30', dn: '5000', doNotDisturb: false, userState: { state: 'NotReady', workMode: 'AfterCallWork', since: T0 + 1 } });
    const same = notify(s, '/v2/me/devices', DEVICE_MESSAGE, T0 + 5);
    expect(same).toBe(s);
    expect(changedKeys(s, same)).toEqual([]);
    s = notify(s, '/v2/me/devices', { ...DEVICE_MESSAGE, devices: [{ ...DEVICE_MESSAGE.devices[0], userState: { state: 'NotReady', displayName: 'Not Ready', reason: 'Lunch' } }] }, T0 + 9);
    expect(s.device?.userState).toMatchObject({ reason: 'Lunch', since: T0 + 9 });
  });

  it('learns campaigns and preview sessions', () => {
    let s = notify(initialSnapshot(T0), '/v2/me/outbound', campaignMessage('CampaignStarted'));
    s = notify(s, '/v2/me/outbound', campaignMessage('CampaignStarted', 'Push', 'PushPreview'));
    s = notify(s, '/v2/me/outbound', campaignMessage('PreviewSessionStarted'));
    expect(s.campaigns['Campaign1']).toMatchObject({ dialingMode: 'Preview', previewSessionActive: true, applicationId: 134 });
    expect(s.campaigns['Push']?.previewSessionActive).toBe(false);
    s = notify(s, '/v2/me/outbound', campaignMessage('PreviewSessionEnded'));
    expect(s.campaigns['Campaign1']?.previewSessionActive).toBe(false);
    s = notify(s, '/v2/me/outbound', campaignMessage('CampaignUnloaded', 'Push'));
    expect(Object.keys(s.campaigns)).toEqual(['Campaign1']);
  });

  it('keeps an operation pending until the notification with its referenceId, and reports Error notifications', () => {
    let s = reduce(initialSnapshot(T0), op('r1', 'Hold', { targetId: 'A' }));
    s = reduce(s, { type: 'operation-accepted', referenceId: 'r1', at: T0 });
    expect(s.pendingOperations['r1']?.status).toBe('accepted');
    s = notify(s, '/v2/me/calls', callMessage('A', 'Held', {}, { referenceId: 'r1' }));
    expect(s.pendingOperations).toEqual({});
    s = reduce(s, op('r2', 'InitiateTransfer'));
    s = notify(s, '/v2/me/calls', { messageType: 'CallStateChangeMessage', notificationType: 'Error', errorMessage: 'Invalid destination 99', referenceId: 'r2' }, T0 + 7);
    expect(s.pendingOperations).toEqual({});
    expect(s.lastError).toEqual({ code: 'SERVER', message: 'Invalid destination 99', referenceId: 'r2', operationName: 'InitiateTransfer', at: T0 + 7 });
  });
});

describe('reduce: preview record lifecycle', () => {
  it('goes idle → requested → offered → dialing → on-call → wrap-up → completing → done', () => {
    let s = notify(initialSnapshot(T0), '/v2/me/outbound', campaignMessage('CampaignStarted'));
    s = reduce(s, op('g', 'GetPreviewRecord', { target: 'campaign', targetId: 'Campaign1' }));
    expect(s.previewRecord.phase).toBe('requested');
    s = notify(s, '/v2/me/outbound', recordMessage('PreviewRecord', RECORD, 'g'));
    expect(s.previewRecord).toMatchObject({ phase: 'offered', campaignName: 'Campaign1', record: { recordHandle: 431, phoneNumber: '5001' } });
    expect(s.previewRecord.record?.wire).not.toHaveProperty('userData');
    s = reduce(s, op('d', 'Dial', { target: 'device', recordHandle: '431' }));
    expect(s.previewRecord.phase).toBe('dialing');
    s = notify(s, '/v2/me/calls', callMessage('X', 'Dialing', { callType: 'Outbound', userData: RECORD.userData }, { referenceId: 'd' }));
    expect(s.previewRecord).toMatchObject({ phase: 'dialing', callId: 'X' });
    expect(s.calls['X']?.recordHandle).toBe('431');
    s = notify(s, '/v2/me/calls', callMessage('X', 'Established', { callType: 'Outbound', userData: RECORD.userData }));
    expect(s.previewRecord.phase).toBe('on-call');
    s = notify(s, '/v2/me/calls', callMessage('X', 'Released', { callType: 'Outbound', userData: RECORD.userData }));
    expect(s.previewRecord.phase).toBe('wrap-up');
    s = reduce(s, { ...op('c', 'CompleteRecord', { target: 'record', targetId: '431' }), callResult: 'Answer' } as AgentEvent);
    expect(s.previewRecord).toMatchObject({ phase: 'completing', callResult: 'Answer' });
    s = notify(s, '/v2/me/outbound', recordMessage('ChainedRecord', { ...RECORD, recordHandle: 432 }));
    expect(s.previewRecord.chainedRecords.map((r) => r.recordHandle)).toEqual([432]);
    s = notify(s, '/v2/me/outbound', recordMessage('RecordProcessedAcknowledge', RECORD, 'c'));
    expect(s.previewRecord.phase).toBe('done');
    expect(s.callHistory[0]).toMatchObject({ recordHandle: '431', result: 'Answer' });
    expect(s.pendingOperations).toEqual({});
  });

  it('returns to offered when the Dial fails, and to idle on NoRecordsAvailable', () => {
    let s = notify(initialSnapshot(T0), '/v2/me/outbound', recordMessage('PreviewRecord'));
    s = reduce(s, op('d', 'Dial', { target: 'device', recordHandle: '431' }));
    s = reduce(s, { type: 'operation-failed', referenceId: 'd', error: { code: 'NOT_ALLOWED_IN_STATE', message: 'no' }, at: T0 });
    expect(s.previewRecord.phase).toBe('offered');
    expect(s.lastError?.code).toBe('NOT_ALLOWED_IN_STATE');
    s = notify(s, '/v2/me/outbound', { messageType: 'OutboundRecordMessage', notificationType: 'NoRecordsAvailable', campaignName: 'Campaign1' });
    expect(s.previewRecord.phase).toBe('idle');
    expect(s.previewRecord.lastNotification).toBe('NoRecordsAvailable');
  });
});

describe('reduce: robustness', () => {
  it('never throws on any event built from arbitrary notifications, and stays JSON', () => {
    const anyData = fc.oneof(
      fc.anything(),
      fc.constantFrom(callMessage('A', 'Ringing'), recordMessage('PreviewRecord'), campaignMessage('PreviewSessionStarted'), DEVICE_MESSAGE),
      fc.record({ messageType: fc.constantFrom('CallStateChangeMessage', 'OutboundRecordMessage', 'OutboundCampaignMessage', 'DeviceStateChangeMessage'), notificationType: fc.string(), call: fc.anything(), record: fc.anything(), campaign: fc.anything(), devices: fc.anything() }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('/v2/me/calls', '/v2/me/outbound', '/v2/me/devices'), anyData), { maxLength: 30 }), (msgs) => {
        let s = initialSnapshot(T0);
        for (const [channel, data] of msgs) s = notify(s, channel, data);
        expect(JSON.parse(JSON.stringify(s))).toEqual(s);
      }),
      { numRuns: 500 },
    );
  });

  it('signed-out drops live state but keeps the history', () => {
    let s = notify(initialSnapshot(T0), '/v2/me/calls', callMessage('A', 'Ringing'));
    s = reduce(s, { type: 'signed-out', reason: 'bye', at: T0 + 1 });
    expect(s.connection).toEqual({ state: 'signed-out', reason: 'bye', since: T0 + 1 });
    expect(s.calls).toEqual({});
    expect(s.callHistory).toHaveLength(1);
  });
});

describe('toJsonValue', () => {
  it('copies an array carrying its own `constructor` without throwing (Array#map would consult it)', () => {
    const odd = Object.assign(['a', 1], { constructor: 'x' });
    expect(toJsonValue(odd)).toEqual(['a', 1]);
    expect(toJsonObject({ userData: { list: odd } })).toEqual({ userData: { list: ['a', 1] } });
  });
});

describe('is the call recorded? (recordingState values are not confirmed: every plausible form)', () => {
  it('reads the named states, and the capabilities when the state is absent or unreadable', () => {
    expect(isRecording('Recording', [])).toBe(true);
    expect(isRecording('STARTED', [])).toBe(true);
    expect(isRecording('Stopped', ['StopCallRecording'])).toBe(false);
    expect(isRecording('Paused', [])).toBe(false);
    expect(isRecording(undefined, ['Hangup', 'StopCallRecording'])).toBe(true);
    expect(isRecording(undefined, ['Hangup', 'StartCallRecording'])).toBe(false);
    expect(isRecording('42', ['StopCallRecording'])).toBe(true);
  });

  it('property: a state that says nothing defers to the capabilities, never throws', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), fc.subarray(['StartCallRecording', 'StopCallRecording', 'Hangup']), (state, caps) => {
        const result = isRecording(state, caps);
        expect(typeof result).toBe('boolean');
        if (state === undefined) expect(result).toBe(caps.includes('StopCallRecording') && !caps.includes('StartCallRecording'));
      }),
    );
  });
});
