/**
 * Everything an agent can ask of GWS, with its guards: each operation checks what the snapshot
 * allows (online, the call's capabilities, the record in hand, a valid number), builds its request
 * with the one builder for it (gws/requests.ts) and says how its result will show
 * (confirmations.ts). The session (session.ts) supplies the sending, the outbox and the link.
 */
import { GwsError, asGwsError, mayHaveActed } from '../gws/errors';
import type { GwsRequest, OutboundCommon } from '../gws/requests';
import * as req from '../gws/requests';
import type { Logger } from '../gws/logger';
import { recordInHand } from '../../preload/preview-rules';
import { DEFAULT_CALLING_HOURS, hoursText, outsideCallingHours, recordTimeZone } from '../../preload/record-rules';
import type { Clock } from './clock';
import * as confirm from './confirmations';
import { requireCapability, requireOnline, validDtmf, validPhoneNumber } from './guards';
import type { OutboxOperation } from './outbox';
import { isOutboxOperation } from './outbox';
import type { OutboxIntent } from './outbox-delivery';
import type { Confirmation } from './pending';
import { toJsonObject } from './reducer';
import type { CallbackType, ChainAttribute, CompleteOptions, OperationAck, RecordRef, RecordUpdate } from './session-types';
import type { AgentSnapshot, JsonObject, OperationTarget, OutboundRecordSnapshot, SnapshotKey } from './snapshot';
import type { AgentEventInput } from './events';
import { watchPreviewPacing, type PreviewPacer } from './preview-pacer';
import { watchAfterCallWork } from './after-call-work';
import { resolveWorkRules, type WorkRulesInput } from './work-rules';

/** What an operation needs besides its request: what it targets and how its result shows. */
export interface OperationMeta {
  target: OperationTarget;
  targetId?: string;
  recordHandle?: string;
  campaignName?: string;
  callResult?: string;
  /** How the result shows without a referenceId echo. */
  confirm?: Confirmation;
  /** No notification answers it (SetCallDisposition on a released call): statusCode 0 confirms it. */
  silent?: boolean;
}

const CORE_STATES = new Set(['NotReady', 'AuxWork', 'AfterCallWork']);

export abstract class AgentOperations {
  abstract get snapshot(): AgentSnapshot;
  abstract onDidChange(listener: (snapshot: AgentSnapshot, changes: SnapshotKey[]) => void): { dispose(): void };
  protected abstract readonly clock: Clock;
  protected abstract readonly logger: Logger;
  /** Events the operations themselves cause (a confirmed record edit); set by {@link attachWorkRules}. */
  private emit: (event: AgentEventInput) => void = () => {};
  /** Runs the guards and builds the request synchronously (a refusal sends nothing), then sends it. */
  protected abstract perform(build: () => { request: GwsRequest; meta: OperationMeta }): Promise<OperationAck>;
  protected abstract send(request: GwsRequest, meta: OperationMeta): Promise<OperationAck>;
  /** A record outcome into the durable outbox (outbox-delivery.ts). */
  protected abstract enqueueOutcome(intent: Omit<OutboxIntent, 'referenceId' | 'serverUrl' | 'userName'>): Promise<OperationAck>;
  protected abstract callUri(callId: string): string;
  protected abstract resync(): Promise<void>;
  protected abstract backoff(attempt: number): number;

  private readonly dialsInFlight = new Map<string, Promise<OperationAck>>();
  /** Preview records whose last Dial has an unknown outcome → the read number after which it is known. */
  protected readonly dialUnknown = new Map<string, number>();
  /** Calls re-reads started so far (the session counts them). */
  protected readsStarted = 0;

  /**
   * The session's one hook: IT's work rules go into the snapshot, the after-call-work watcher
   * starts, and operations may report what the server confirmed.
   */
  protected attachWorkRules(input: WorkRulesInput | undefined, dispatch: (event: AgentEventInput) => void): void {
    this.emit = dispatch;
    dispatch({ type: 'work-rules', rules: resolveWorkRules(input) });
    watchAfterCallWork(this, this.clock);
    this.pacer = watchPreviewPacing(this, dispatch, this.clock);
  }

  private pacer: PreviewPacer | undefined;

  /** Stops the automatic Dial's countdown on the record offered now (one key in the UI); refused when none runs. */
  cancelAutoDial(): void {
    if (!this.pacer?.cancel()) throw new GwsError('NOT_ALLOWED_IN_STATE', 'No automatic dial is counting down.');
  }

  /** The agent's choice of going back to Ready when the wrap-up time runs out; refused when IT set it. */
  setReadyAfterWrapUp(enabled: boolean): void {
    const rules = this.snapshot.workRules ?? resolveWorkRules(undefined);
    if (rules.readyAfterWrapUp?.locked) throw new GwsError('NOT_ALLOWED_IN_STATE', 'Your IT department set whether you return to Ready after wrap-up.');
    this.emit({ type: 'work-rules', rules: { ...rules, readyAfterWrapUp: { enabled, locked: false } } });
  }

  protected deviceId(operationName: string): string {
    requireOnline(this.snapshot, operationName);
    return (this.snapshot.device as { id: string }).id;
  }


  protected agentStateOp(request: GwsRequest, confirmation: Confirmation): Promise<OperationAck> {
    return this.perform(() => ({ request, meta: { target: 'channel', targetId: 'voice', confirm: confirmation } }));
  }

  ready(workMode?: 'ManualIn' | 'AutoIn'): Promise<OperationAck> {
    return this.agentStateOp(req.ready(workMode), confirm.confirmAgentState('Ready'));
  }

  notReady(operationName?: string): Promise<OperationAck> {
    if (operationName === undefined || operationName === '' || CORE_STATES.has(operationName)) {
      const name = operationName || 'NotReady';
      return this.agentStateOp(req.agentState(name), confirm.confirmAgentState(name));
    }
    const configured = this.snapshot.user?.agentStates.find((s) => s.operationName === operationName);
    if (!configured) return Promise.reject(new GwsError('VALIDATION', `${operationName} is not a configured agent state`, { operationName }));
    return this.agentStateOp(req.agentState(configured.operationName), confirm.confirmAgentState(configured.operationName, configured));
  }

  afterCallWork(): Promise<OperationAck> {
    return this.agentStateOp(req.agentState('AfterCallWork'), confirm.confirmAgentState('AfterCallWork'));
  }

  auxWork(): Promise<OperationAck> {
    return this.agentStateOp(req.agentState('AuxWork'), confirm.confirmAgentState('AuxWork'));
  }

  setDoNotDisturb(on: boolean): Promise<OperationAck> {
    return this.perform(() => {
      const request = req.doNotDisturb(this.deviceId(on ? 'DoNotDisturbOn' : 'DoNotDisturbOff'), on);
      return { request, meta: { target: 'device', targetId: this.snapshot.device?.id ?? '', confirm: confirm.confirmDoNotDisturb(on) } };
    });
  }

  dial(phoneNumber: string, userData?: JsonObject): Promise<OperationAck> {
    return this.perform(() => {
      const deviceId = this.deviceId('Dial');
      return { request: req.dial(deviceId, validPhoneNumber(phoneNumber, 'Dial'), userData), meta: { target: 'device', targetId: deviceId, confirm: confirm.confirmDial(this.snapshot) } };
    });
  }

  /** An operation on a call its capabilities allow now. */
  protected callOp(callId: string, operationName: string, request: () => GwsRequest = () => req.callOperation(callId, operationName)): Promise<OperationAck> {
    return this.perform(() => {
      requireOnline(this.snapshot, operationName);
      requireCapability(this.snapshot, callId, operationName);
      return { request: request(), meta: { target: 'call', targetId: callId, confirm: confirm.confirmCallOperation(this.snapshot, callId, operationName) } };
    });
  }

  answer(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'Answer');
  }

  hangup(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'Hangup');
  }

  hold(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'Hold');
  }

  retrieve(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'Retrieve');
  }

  sendDtmf(callId: string, digits: string): Promise<OperationAck> {
    return this.callOp(callId, 'SendDtmf', () => req.sendDtmf(callId, validDtmf(digits)));
  }

  protected destinationOp(callId: string, operationName: string, phoneNumber: string, userData?: JsonObject): Promise<OperationAck> {
    return this.callOp(callId, operationName, () => req.toDestination(callId, operationName, validPhoneNumber(phoneNumber, operationName), userData));
  }

  initiateTransfer(callId: string, phoneNumber: string, userData?: JsonObject): Promise<OperationAck> {
    return this.destinationOp(callId, 'InitiateTransfer', phoneNumber, userData);
  }

  singleStepTransfer(callId: string, phoneNumber: string, userData?: JsonObject): Promise<OperationAck> {
    return this.destinationOp(callId, 'SingleStepTransfer', phoneNumber, userData);
  }

  initiateConference(callId: string, phoneNumber: string, userData?: JsonObject): Promise<OperationAck> {
    return this.destinationOp(callId, 'InitiateConference', phoneNumber, userData);
  }

  singleStepConference(callId: string, phoneNumber: string, userData?: JsonObject): Promise<OperationAck> {
    return this.destinationOp(callId, 'SingleStepConference', phoneNumber, userData);
  }

  completeTransfer(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'CompleteTransfer');
  }

  completeConference(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'CompleteConference');
  }

  swapCalls(callId: string, otherCallId: string): Promise<OperationAck> {
    const otherCallUri = Object.hasOwn(this.snapshot.calls, otherCallId) ? this.callUri(otherCallId) : undefined;
    return this.callOp(callId, 'SwapCalls', () => req.swapCalls(callId, otherCallUri));
  }

  attachUserData(callId: string, userData: JsonObject): Promise<OperationAck> {
    return this.callOp(callId, 'AttachUserData', () => req.userDataOperation(callId, 'AttachUserData', userData));
  }

  updateUserData(callId: string, userData: JsonObject): Promise<OperationAck> {
    return this.callOp(callId, 'UpdateUserData', () => req.userDataOperation(callId, 'UpdateUserData', userData));
  }

  deleteUserDataPair(callId: string, key: string): Promise<OperationAck> {
    if (key.trim() === '') return Promise.reject(new GwsError('VALIDATION', 'DeleteUserDataPair: the key must not be empty', { operationName: 'DeleteUserDataPair' }));
    return this.callOp(callId, 'DeleteUserDataPair', () => req.deleteUserDataPair(callId, key));
  }

  startCallRecording(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'StartCallRecording');
  }

  stopCallRecording(callId: string): Promise<OperationAck> {
    return this.callOp(callId, 'StopCallRecording');
  }

  setCallDisposition(callId: string, disposition: string, dispositionKey?: string): Promise<OperationAck> {
    const operationName = 'SetCallDisposition';
    return this.perform(() => {
      if (callId.trim() === '' || disposition.trim() === '') throw new GwsError('VALIDATION', 'SetCallDisposition needs a call and a disposition', { operationName });
      const live = Object.hasOwn(this.snapshot.calls, callId) ? this.snapshot.calls[callId] : undefined;
      const released = this.snapshot.callHistory.find((h) => h.callId === callId);
      if (!live && !released) throw new GwsError('NOT_ALLOWED_IN_STATE', `${operationName}: no call ${callId}`, { operationName });
      const request = req.setCallDisposition(callId, {
        callUri: this.callUri(callId),
        callUuid: live?.callUuid ?? released?.callUuid ?? callId,
        disposition: disposition.trim(),
        dispositionKey: dispositionKey ?? this.snapshot.user?.dispositions.key,
      });
      // A released call gets no notification (gws-api.md §4): statusCode 0 is all there is.
      return { request, meta: live ? { target: 'call', targetId: callId, confirm: confirm.confirmCallOperation(this.snapshot, callId, operationName) } : { target: 'call', targetId: callId, silent: true } };
    });
  }

  // ---- outbound -------------------------------------------------------------------------------

  protected campaignOp(campaignName: string, operationName: 'StartPreviewSession' | 'EndPreviewSession' | 'GetPreviewRecord'): Promise<OperationAck> {
    return this.perform(() => {
      if (campaignName.trim() === '') throw new GwsError('VALIDATION', `${operationName}: no campaign name`, { operationName });
      const deviceId = this.deviceId(operationName);
      const campaign = Object.hasOwn(this.snapshot.campaigns, campaignName) ? this.snapshot.campaigns[campaignName] : undefined;
      const request = req.campaignOperation(operationName, campaignName, { deviceId, ...(campaign?.applicationId !== undefined && { applicationId: campaign.applicationId }) });
      return { request, meta: { target: 'campaign', targetId: campaignName, campaignName, confirm: confirm.confirmCampaignOperation(operationName, campaignName) } };
    });
  }

  startPreviewSession(campaignName: string): Promise<OperationAck> {
    return this.campaignOp(campaignName, 'StartPreviewSession');
  }

  endPreviewSession(campaignName: string): Promise<OperationAck> {
    return this.campaignOp(campaignName, 'EndPreviewSession');
  }

  getPreviewRecord(campaignName: string): Promise<OperationAck> {
    const preview = this.snapshot.previewRecord;
    if (recordInHand(preview)) {
      return Promise.reject(new GwsError('NOT_ALLOWED_IN_STATE', `GetPreviewRecord: a record is in hand (${preview.phase})`, { operationName: 'GetPreviewRecord' }));
    }
    return this.campaignOp(campaignName, 'GetPreviewRecord').catch(async (error: unknown) => {
      // We hold a preview session the server does not (it lost its state): open it again, ask once more.
      if (!(error instanceof GwsError) || error.statusCode !== 2 || this.snapshot.campaigns[campaignName]?.previewSessionActive !== true) throw error;
      const started = await this.startPreviewSession(campaignName);
      await started.outcome;
      return this.campaignOp(campaignName, 'GetPreviewRecord');
    });
  }

  dialPreviewRecord(ref?: RecordRef): Promise<OperationAck> {
    let target: OutboundRecordSnapshot | undefined;
    try {
      target = ref === undefined ? this.snapshot.previewRecord.record : this.namedRecord(ref, 'Dial', 'chain');
    } catch (error) {
      return Promise.reject(asGwsError(error));
    }
    if (!target) return Promise.reject(new GwsError('NOT_ALLOWED_IN_STATE', 'Dial: no preview record', { operationName: 'Dial' }));
    // IT's calling hours set to `block`: no caller (button, tray, toast, hotkey, CLI) dials outside
    // them. With `ask` each caller asks the agent first (the record card) or refuses with the reason.
    const hours = this.snapshot.workRules?.callingHours ?? DEFAULT_CALLING_HOURS;
    if (hours.outside === 'block' && outsideCallingHours(this.clock.now(), recordTimeZone(target), hours)) {
      return Promise.reject(
        new GwsError('NOT_ALLOWED_IN_STATE', `Dial: it is outside the calling hours (${hoursText(hours)}) where this customer is, and IT does not allow dialling outside them.`, { operationName: 'Dial' }),
      );
    }
    const handle = String(target.recordHandle);
    const inFlight = this.dialsInFlight.get(handle);
    if (inFlight) return inFlight; // the same Dial is already on its way: send nothing
    const preview = this.snapshot.previewRecord;
    const isCurrent = preview.record !== undefined && String(preview.record.recordHandle) === handle;
    if (isCurrent && preview.phase !== 'offered') {
      return Promise.reject(new GwsError('NOT_ALLOWED_IN_STATE', `Dial: record ${handle} is ${preview.phase}`, { operationName: 'Dial' }));
    }
    const pendingDial = Object.values(this.snapshot.pendingOperations).some((op) => op.operationName === 'Dial' && op.recordHandle === handle);
    if (pendingDial) return Promise.reject(new GwsError('NOT_ALLOWED_IN_STATE', `Dial: record ${handle} is already being dialled`, { operationName: 'Dial' }));
    if (this.dialUnknown.has(handle)) {
      // The last Dial's reply was lost: dialling again could call the customer twice.
      return Promise.reject(new GwsError('NOT_ALLOWED_IN_STATE', `Dial: the outcome of the last Dial of record ${handle} is unknown; re-reading the calls`, { operationName: 'Dial' }));
    }
    const promise = this.perform(() => {
      const deviceId = this.deviceId('Dial');
      return { request: previewDial(deviceId, target), meta: { target: 'device', targetId: deviceId, recordHandle: handle, confirm: confirm.confirmDial(this.snapshot, handle) } };
    })
      .catch((error: unknown) => {
        if (error instanceof GwsError && mayHaveActed(error)) this.settleUnknownDial(handle);
        throw error;
      })
      .finally(() => this.dialsInFlight.delete(handle));
    this.dialsInFlight.set(handle, promise);
    return promise;
  }

  /**
   * The record a caller named: the record in hand, or (scope `chain`) another number of its chain,
   * by handle — or by `phoneNumber` when the caller shows a number other than the record's own.
   * Refused when the agent was shown something else than what is in hand now.
   */
  protected namedRecord(ref: RecordRef, operationName: string, scope: 'in-hand' | 'chain'): OutboundRecordSnapshot {
    const { record: inHand, chainedRecords } = this.snapshot.previewRecord;
    const same = (r: OutboundRecordSnapshot): boolean => String(r.recordHandle) === String(ref.recordHandle);
    if (!inHand || (!same(inHand) && (scope === 'in-hand' || !chainedRecords.some(same)))) {
      throw new GwsError('NOT_ALLOWED_IN_STATE', `${operationName}: record ${String(ref.recordHandle)} is not the preview record in hand.`, { operationName });
    }
    const record = same(inHand) ? inHand : (chainedRecords.find(same) as OutboundRecordSnapshot);
    if (ref.phoneNumber === undefined || ref.phoneNumber === record.phoneNumber) return record;
    const byNumber = scope === 'chain' ? [inHand, ...chainedRecords].find((r) => r.phoneNumber === ref.phoneNumber) : undefined;
    if (!byNumber) throw new GwsError('NOT_ALLOWED_IN_STATE', `${operationName}: ${ref.phoneNumber} is not a number of this record's chain.`, { operationName });
    return byNumber;
  }

  /** The record in hand and the fields every record operation carries; refuses when there is none. */
  protected recordInHand(operationName: string, ref?: RecordRef, scope: 'in-hand' | 'chain' = 'in-hand'): { record: OutboundRecordSnapshot; handle: string; common: OutboundCommon } {
    const deviceId = this.deviceId(operationName);
    const preview = this.snapshot.previewRecord;
    const inHand = preview.record;
    if (!inHand || !recordInHand(preview) || preview.phase === 'requested') {
      throw new GwsError('NOT_ALLOWED_IN_STATE', `${operationName}: no preview record in hand`, { operationName });
    }
    // Each number of a chain is its own record: an operation may name another number of the chain.
    const record = ref === undefined ? inHand : this.namedRecord(ref, operationName, scope);
    if (preview.phase === 'completing') throw new GwsError('NOT_ALLOWED_IN_STATE', `${operationName}: the record is being completed`, { operationName });
    const campaignName = record.campaignName ?? preview.campaignName;
    const applicationId = record.applicationId ?? (campaignName !== undefined ? this.snapshot.campaigns[campaignName]?.applicationId : undefined);
    const common: OutboundCommon = {
      deviceId,
      ...(campaignName !== undefined && { campaignName }),
      ...(applicationId !== undefined && { applicationId }),
      ...(record.callingList !== undefined && { callingList: record.callingList }),
    };
    return { record, handle: String(record.recordHandle), common };
  }

  /** A record operation: outcomes go through the durable outbox, the others are sent directly. */
  protected recordOp(
    operationName: string,
    build: (handle: string, common: OutboundCommon, record: OutboundRecordSnapshot) => GwsRequest,
    callResult?: string,
    ref?: RecordRef,
    scope: 'in-hand' | 'chain' = 'in-hand',
  ): Promise<OperationAck> {
    let inHand: ReturnType<AgentOperations['recordInHand']>;
    let request: GwsRequest;
    try {
      inHand = this.recordInHand(operationName, ref, scope);
      request = build(inHand.handle, inHand.common, inHand.record);
    } catch (error) {
      return Promise.reject(asGwsError(error));
    }
    const { handle, common } = inHand;
    if (!isOutboxOperation(operationName)) {
      return this.send(request, { target: 'record', targetId: handle, recordHandle: handle, ...(common.campaignName !== undefined && { campaignName: common.campaignName }), confirm: confirm.confirmRecordOperation(operationName, handle) });
    }
    const { devicePath: _refreshedOnEverySend, ...body } = request.body;
    return this.enqueueOutcome({
      operationName: operationName as OutboxOperation,
      recordHandle: handle,
      ...(common.campaignName !== undefined && { campaignName: common.campaignName }),
      ...(callResult !== undefined && { callResult }),
      path: request.path,
      body: toJsonObject(body),
    });
  }

  rejectRecord(record?: RecordRef): Promise<OperationAck> {
    return this.recordOp('RejectRecord', req.rejectRecord, undefined, record);
  }

  cancelRecord(record?: RecordRef): Promise<OperationAck> {
    return this.recordOp('CancelRecord', req.cancelRecord, undefined, record);
  }

  /**
   * `RecordOnly` marks the record of `record` (the number shown: the one in hand or another number
   * of its chain); `AllChain` marks every number, so it goes on the record in hand.
   */
  doNotCallRecord(chainAttribute: ChainAttribute = 'AllChain', record?: RecordRef): Promise<OperationAck> {
    // "All numbers" goes on the record in hand; the caller must still have shown one of its numbers.
    if (chainAttribute === 'AllChain' && record !== undefined) {
      try {
        this.namedRecord(record, 'DoNotCallRecord', 'chain');
      } catch (error) {
        return Promise.reject(asGwsError(error));
      }
    }
    return this.recordOp('DoNotCallRecord', (handle, common) => req.doNotCallRecord(handle, common, chainAttribute), undefined, chainAttribute === 'RecordOnly' ? record : undefined, 'chain');
  }

  rescheduleRecord(callbackType: CallbackType, at: Date | number, record?: RecordRef): Promise<OperationAck> {
    const ms = at instanceof Date ? at.getTime() : at;
    if (!Number.isFinite(ms) || ms < 0) return Promise.reject(new GwsError('VALIDATION', 'RescheduleRecord: not a valid time', { operationName: 'RescheduleRecord' }));
    if (ms <= this.clock.now()) return Promise.reject(new GwsError('VALIDATION', 'RescheduleRecord: the callback time must be in the future.', { operationName: 'RescheduleRecord' }));
    return this.recordOp('RescheduleRecord', (handle, common) => req.rescheduleRecord(handle, common, callbackType, ms), undefined, record);
  }

  updateRecord(update: RecordUpdate, record?: RecordRef): Promise<OperationAck> {
    const { callingList, ...fields } = update;
    const handle = this.snapshot.previewRecord.record !== undefined ? String(this.snapshot.previewRecord.record.recordHandle) : undefined;
    const sent = this.recordOp('UpdateRecord', (h, common) => req.updateRecord(h, { ...common, ...(callingList !== undefined && { callingList }) }, fields), undefined, record);
    // Once the server confirms the edit, the record shows it (not before: a refused edit must not look saved).
    void sent
      .then((ack) => ack.outcome)
      .then((outcome) => {
        if (outcome !== 'confirmed' || handle === undefined) return;
        const { phoneNumber, phoneType, timeZone, otherFields } = fields;
        const edit = { ...(phoneNumber !== undefined && { phoneNumber }), ...(phoneType !== undefined && { phoneType }), ...(timeZone !== undefined && { timeZone }), ...(otherFields !== undefined && { otherFields }) };
        this.emit({ type: 'record-edited', recordHandle: handle, edit });
      })
      .catch(() => undefined);
    return sent;
  }

  async completeRecord(callResult?: string, options: CompleteOptions = {}): Promise<OperationAck> {
    const { note, getNext, record: ref } = options;
    const named = ref === undefined ? this.snapshot.previewRecord.record : this.namedRecord(ref, 'CompleteRecord', 'in-hand');
    const campaignName = named?.campaignName ?? this.snapshot.previewRecord.campaignName;
    // The agent's note travels as a calling-list field of the record, before it is closed (the
    // outbox keeps the two in order per record, online or not).
    if (note?.trim()) await this.updateRecord({ otherFields: { AgentNote: note.trim() } }, ref);
    const preview = this.snapshot.previewRecord;
    const answered = (preview.phase === 'on-call' || preview.phase === 'wrap-up') && preview.answered === true;
    const result = callResult ?? (answered ? 'Answer' : 'Unknown');
    const completed = await this.recordOp('CompleteRecord', (handle, common, record) => req.completeRecord(handle, common, result, record.phoneNumber), result, ref);
    if (getNext && campaignName !== undefined) {
      // The next record is asked for only once OCS acknowledged this one: a record is never left half-done.
      void completed.outcome
        .then((outcome) => (outcome === 'confirmed' ? this.getPreviewRecord(campaignName) : undefined))
        .catch((error: unknown) => this.logger.warn('get next record failed', { error: String(error) }));
    }
    return completed;
  }

  getChainedRecords(record?: RecordRef): Promise<OperationAck> {
    return this.recordOp('GetChainedRecord', req.getChainedRecord, undefined, record);
  }


  /** A Dial's reply was lost: refuse re-dials of the record until a calls re-read that started afterwards. */
  protected settleUnknownDial(handle: string): void {
    this.dialUnknown.set(handle, this.readsStarted);
    const reread = (attempt: number): void => {
      if (!this.dialUnknown.has(handle) || attempt > 20) return;
      void this.resync().then(() => {
        if (this.dialUnknown.has(handle)) this.clock.setTimeout(() => reread(attempt + 1), this.backoff(attempt));
      });
    };
    reread(0);
  }

  clearDialUnknown(): void {
    this.dialUnknown.clear();
  }
}

/** The seed's Dial of a preview record (seed-dial-preview-record.txt) plus the record's user data. */
export function previewDial(deviceId: string, record: OutboundRecordSnapshot): GwsRequest {
  return req.dialPreviewRecord(deviceId, record.wire, record.userData);
}

/** The request body of a preview Dial (the bench builds it without a session). */
export function previewDialBody(deviceId: string, record: OutboundRecordSnapshot): Record<string, unknown> {
  return previewDial(deviceId, record).body;
}
