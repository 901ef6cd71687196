// The campaign engine (OCS as seen through GWS, gws-api.md §6): campaigns, preview sessions,
// handing out records, who may apply an outcome, and the notifications (acknowledgements and
// their DeviceUserEventMessage twins, refusals). The records and chains are outbound-records.ts's;
// what each outcome does, outcomes.ts's.
import type { Agent } from './agents';
import type { Dialect } from './dialect';
import { newUuid } from './ids';
import type { Chain, SimRecord } from './outbound-records';
import { FINAL, RecordBook, callResultNumber, campaignResource, recordResource, recordUserData, release } from './outbound-records';
import type { DropAckRule, OutcomeOperation, OutcomeTruth } from './outcomes';
import { ALREADY_PROCESSED_ERROR, ackOf, applyOutcome, isOutcome, validateOutcome } from './outcomes';
import type { Body, OpResult } from './result';
import { OK, badState, invalid, missing, notFound, refOf, safely } from './result';
import type { CallOutcome, Scenario, ScenarioCampaign } from './scenario';

export interface OutboundDeps {
  notify: (userName: string, channel: string, data: Record<string, unknown>) => void;
  agent: (userName: string) => Agent | undefined;
  dialect: () => Readonly<Dialect>;
}

const CHANNEL = '/v2/me/outbound';

export class Outbound {
  private readonly campaigns: ScenarioCampaign[];
  private readonly book: RecordBook;
  /** Every outcome applied, in order. */
  readonly outcomes: OutcomeTruth[] = [];
  /** Outcomes refused because the record was already processed (asynchronous ErrorMessage). */
  refusedDuplicates = 0;
  dropAcks: DropAckRule[] = [];
  /** Handle → userName of the agent whose outcome last released the record. */
  private readonly releasedBy = new Map<number, string>();

  constructor(scenario: Scenario, private readonly deps: OutboundDeps) {
    this.campaigns = scenario.campaigns;
    this.book = new RecordBook(scenario.campaigns);
  }

  campaignsFor(agent: Agent): ScenarioCampaign[] {
    return this.campaigns.filter((c) => c.group === agent.def.group);
  }

  /** Project rule: one CampaignStarted per campaign of the agent's group (not with campaignReplay=off). */
  announceCampaigns(agent: Agent, deliver: (data: Record<string, unknown>) => void): void {
    if (this.deps.dialect().campaignReplay === 'off') return;
    for (const c of this.campaignsFor(agent)) {
      deliver({ messageType: 'OutboundCampaignMessage', notificationType: 'CampaignStarted', campaign: campaignResource(c, agent) });
    }
  }

  private recordResource(r: SimRecord): Record<string, unknown> {
    return recordResource(r, this.deps.dialect());
  }

  /** Campaign records handed to the control truth (top-level form whatever the dialect). */
  truthOfHeld(userName: string): Array<Record<string, unknown>> {
    return this.book.heldBy(userName).map((r) => recordResource(r, this.deps.dialect(), true));
  }

  truth(): Array<Record<string, unknown>> {
    return this.book.truth();
  }

  private campaign(name: string, agent: Agent): ScenarioCampaign | undefined {
    return this.campaignsFor(agent).find((c) => c.name === name);
  }

  private send(agent: Agent, data: Record<string, unknown>): void {
    this.deps.notify(agent.userName, CHANNEL, data);
  }

  /**
   * The acknowledgement, then the raw OCS user event (gws-api.md §6); the outcome is logged. A
   * matching drop-acks rule swallows both messages (the outcome stays applied).
   */
  private ack(agent: Agent, op: OutcomeOperation, r: SimRecord, ref: { referenceId?: unknown }): void {
    const ack = ackOf(op);
    this.outcomes.push({ recordHandle: r.recordHandle, operationName: op, ...ref, userName: agent.userName, at: Date.now() });
    if (this.outcomes.length > 100_000) this.outcomes.shift();
    const drop = this.dropAcks.find((d) => d.operationName === undefined || d.operationName === op);
    if (drop !== undefined) {
      drop.count -= 1;
      if (drop.count <= 0) this.dropAcks.splice(this.dropAcks.indexOf(drop), 1);
      return;
    }
    this.send(agent, { messageType: 'OutboundRecordMessage', notificationType: ack, record: this.recordResource(r), ...ref });
    const userData: Record<string, unknown> = {
      GSW_USER_EVENT: ack,
      GSW_RECORD_HANDLE: r.recordHandle,
      GSW_CHAIN_ID: r.chainId,
      GSW_CAMPAIGN_NAME: r.campaign.name,
      GSW_CALLING_LIST: r.campaign.callingList,
      GSW_APPLICATION_ID: r.campaign.applicationId,
      ...(r.callResult !== undefined ? { GSW_CALL_RESULT: callResultNumber(r) } : {}),
      ...(ref.referenceId !== undefined ? { GSW_REFERENCE_ID: ref.referenceId } : {}),
    };
    this.send(agent, { messageType: 'DeviceUserEventMessage', deviceId: agent.deviceId, userData });
  }

  private handOut(agent: Agent, c: ScenarioCampaign, ref: { referenceId?: unknown }): boolean {
    const next = this.book.next(c, agent);
    if (next === undefined) return false;
    next.chain.reservedBy = agent.userName;
    next.chain.primary = next.record;
    next.record.status = 'Ready';
    next.record.attemptGuid = newUuid();
    this.send(agent, { messageType: 'OutboundRecordMessage', notificationType: 'PreviewRecord', record: this.recordResource(next.record), ...ref });
    return true;
  }

  /** PushPreview: a Ready agent in a started preview session who holds no record gets one unasked. */
  maybePush(agent: Agent): void {
    if (!agent.sessionStarted || agent.userState.state !== 'Ready' || agent.userState.workMode === 'AfterCallWork') return;
    if (this.book.heldBy(agent.userName).length > 0) return;
    for (const c of this.campaignsFor(agent)) {
      if (c.dialingMode === 'PushPreview' && agent.previewSessions.has(c.name) && this.handOut(agent, c, {})) return;
    }
  }

  /** Operations on /api/v2/me/outbound-campaigns/{campaignName}. */
  campaignOp(agent: Agent, name: string, op: string, body: Body): OpResult {
    const ops = ['StartPreviewSession', 'EndPreviewSession', 'GetPreviewRecord'];
    if (!ops.includes(op)) return invalid(`Unknown operation ${op}`);
    const c = this.campaign(name, agent);
    if (c === undefined) return notFound(`Campaign ${name}`);
    if (!agent.sessionStarted) return badState(op);
    const ref = refOf(body);
    switch (op) {
      case 'StartPreviewSession':
        agent.previewSessions.add(c.name);
        this.send(agent, { messageType: 'OutboundCampaignMessage', notificationType: 'PreviewSessionStarted', campaign: campaignResource(c, agent), ...ref });
        setImmediate(safely(() => this.maybePush(agent)));
        return OK;
      case 'EndPreviewSession':
        if (!agent.previewSessions.has(c.name)) return badState(op);
        agent.previewSessions.delete(c.name);
        this.send(agent, { messageType: 'OutboundCampaignMessage', notificationType: 'PreviewSessionEnded', campaign: campaignResource(c, agent), ...ref });
        return OK;
      default:
        if (!agent.previewSessions.has(c.name)) return badState(op);
        if (!this.handOut(agent, c, ref)) {
          this.send(agent, { messageType: 'OutboundRecordMessage', notificationType: 'NoRecordsAvailable', campaignName: c.name, campaign: campaignResource(c, agent), ...ref });
        }
        return OK;
    }
  }

  /** A record this agent holds (reserved chain), or the reason it may not touch it. */
  private owned(agent: Agent, handle: number): SimRecord | OpResult {
    const r = this.book.records.get(handle);
    if (r === undefined) return notFound(`Record ${handle}`);
    const chain = this.book.chainOf(r);
    if (chain.reservedBy !== agent.userName) return notFound(`Record ${handle}`);
    if (FINAL.includes(r.status)) return badState(`Record ${handle} (${r.status})`);
    return r;
  }

  /** Already processed, for an outcome: a final status, or released by an outcome of this agent and not held again. */
  private processed(agent: Agent, r: SimRecord): boolean {
    if (FINAL.includes(r.status)) return true;
    return this.book.chainOf(r).reservedBy !== agent.userName && this.releasedBy.get(r.recordHandle) === agent.userName;
  }

  /**
   * An outcome on a record already processed: GWS only forwards it to OCS (statusCode 0), and the
   * refusal arrives on /v2/me/outbound. Dialect errors=message: an ErrorMessage; errors=notification:
   * an OutboundRecordMessage with notificationType Error. Nothing is applied.
   */
  private refuse(agent: Agent, op: string, r: SimRecord, ref: { referenceId?: unknown }): void {
    this.refusedDuplicates += 1;
    const error = { errorCode: ALREADY_PROCESSED_ERROR, errorMessage: `Record ${r.recordHandle} is already processed (${op})` };
    const data: Record<string, unknown> =
      this.deps.dialect().errors === 'message'
        ? { messageType: 'ErrorMessage', ...error, ...ref, recordHandle: r.recordHandle }
        : { messageType: 'OutboundRecordMessage', notificationType: 'Error', ...error, ...ref, recordHandle: r.recordHandle, record: this.recordResource(r) };
    setImmediate(safely(() => this.send(agent, data)));
  }

  /** GetChainedRecord: every other live record of the chain, then the end marker. */
  private sendChain(agent: Agent, r: SimRecord, chain: Chain, ref: { referenceId?: unknown }): void {
    for (const x of chain.records) {
      if (x === r || FINAL.includes(x.status)) continue;
      this.send(agent, { messageType: 'OutboundRecordMessage', notificationType: 'ChainedRecord', record: this.recordResource(x), ...ref });
    }
    this.send(agent, { messageType: 'OutboundRecordMessage', notificationType: 'ChainedRecordsDataEnd', record: this.recordResource(r), ...ref });
  }

  /** Operations on /api/v2/me/outbound-records/{recordHandle}. */
  recordOp(agent: Agent, handleText: string, op: string, body: Body): OpResult {
    if (!isOutcome(op) && op !== 'GetChainedRecord') return invalid(`Unknown operation ${op}`);
    if (!/^\d+$/.test(handleText)) return notFound(`Record ${handleText}`);
    if (!agent.sessionStarted) return badState(op);
    const known = this.book.records.get(Number(handleText));
    if (known === undefined) return notFound(`Record ${handleText}`);
    const bad = validateOutcome(op, known, body);
    if (bad !== undefined) return bad;
    const ref = refOf(body);
    if (op !== 'GetChainedRecord' && this.processed(agent, known)) {
      this.refuse(agent, op, known, ref);
      return OK;
    }
    const found = this.owned(agent, known.recordHandle);
    if ('statusCode' in found) return found;
    const r = found;
    const chain = this.book.chainOf(r);
    if (!isOutcome(op)) {
      this.sendChain(agent, r, chain, ref);
      return OK;
    }
    const refused = applyOutcome(op, {
      record: r,
      chain,
      userName: agent.userName,
      release: () => {
        for (const x of chain.records) this.releasedBy.set(x.recordHandle, agent.userName);
        release(chain);
      },
      moveToBack: () => this.book.moveToBack(chain),
    }, body);
    if (refused !== undefined) return refused;
    this.ack(agent, op, r, ref);
    setImmediate(safely(() => this.maybePush(agent)));
    return OK;
  }

  /** The preview Dial: the record must be one this agent holds. */
  recordForDial(agent: Agent, handle: unknown): SimRecord | OpResult {
    const n = typeof handle === 'string' && /^\d+$/.test(handle) ? Number(handle) : handle;
    if (typeof n !== 'number') return missing('outboundRecord.recordHandle');
    const found = this.owned(agent, n);
    // Dialling another number of the chain makes that record the one the agent works (its outcome closes the chain).
    if (!('statusCode' in found)) this.book.chainOf(found).primary = found;
    return found;
  }

  dialUserData(r: SimRecord): Record<string, unknown> {
    return recordUserData(r, 'PreviewRecord');
  }

  /** Outcome of dialling a number of this record's chain. */
  outcomeFor(r: SimRecord, phoneNumber: string): CallOutcome {
    return this.book.chainOf(r).records.find((x) => x.phoneNumber === phoneNumber)?.outcome ?? r.outcome;
  }

  /** Logout: the agent's chains go back to the pool and its preview sessions end. */
  releaseAgent(agent: Agent): void {
    this.book.releaseAll(agent.userName);
    agent.previewSessions.clear();
  }
}
