// The campaign engine (OCS as seen through GWS, gws-api.md §6): campaigns, preview sessions,
// records and chains, reservations, acknowledgements and their DeviceUserEventMessage twins.
import type { Agent } from './agents';
import type { Dialect } from './dialect';
import { newUuid } from './ids';
import type { Body, OpResult } from './result';
import { OK, badState, hasKey, invalid, mergeInto, missing, notFound, obj, refOf, safely, str } from './result';
import type { CallOutcome, Scenario, ScenarioCampaign } from './scenario';
import { CALL_RESULTS, PHONE_TYPES, tzOffsetSeconds } from './scenario';

export type RecordStatus = 'Ready' | 'Retrieved' | 'Completed' | 'Cancelled' | 'DoNotCall' | 'Scheduled';

export interface SimRecord {
  campaign: ScenarioCampaign;
  recordHandle: number;
  chainId: number;
  phoneNumber: string;
  phoneType: string;
  timeZone: string;
  attempts: number;
  outcome: CallOutcome;
  fields: Record<string, string | number | boolean>;
  status: RecordStatus;
  callResult?: string;
  from?: unknown;
  until?: unknown;
  attemptGuid?: string;
  scheduledAt?: number;
  callbackType?: 'Personal' | 'Campaign';
  scheduledFor?: string;
  /** Queue position: a rejected chain moves to the back. */
  order: number;
}

interface Chain {
  key: string;
  records: SimRecord[];
  reservedBy?: string;
  /** The record handed out by PreviewRecord. */
  primary?: SimRecord;
}

export interface OutboundDeps {
  notify: (userName: string, channel: string, data: Record<string, unknown>) => void;
  agent: (userName: string) => Agent | undefined;
  dialect: () => Readonly<Dialect>;
}

/** An outcome the campaign engine applied (control truth: proves 0 doubled, 0 lost). */
export interface OutcomeTruth {
  recordHandle: number;
  operationName: string;
  referenceId?: unknown;
  userName: string;
  /** Epoch ms. */
  at: number;
}

/** The record operations that are outcomes: applied at most once per hand-out. */
export const OUTCOME_OPERATIONS = ['CompleteRecord', 'RescheduleRecord', 'DoNotCallRecord', 'UpdateRecord', 'RejectRecord', 'CancelRecord'] as const;

/** Acknowledgement of each outcome operation (gws-api.md §6). */
const ACK_OF: Readonly<Record<string, string>> = {
  RejectRecord: 'RecordRejectAcknowledge',
  CancelRecord: 'RecordCancelAcknowledge',
  CompleteRecord: 'RecordProcessedAcknowledge',
  UpdateRecord: 'UpdateCallCompletionStatsAcknowledge',
  DoNotCallRecord: 'DoNotCallAcknowledge',
  RescheduleRecord: 'ScheduledRecordRescheduleAcknowledge',
};

/** [project rule] OCS-like error of an outcome on a record already processed: the simulator's choice of code. */
export const ALREADY_PROCESSED_ERROR = 110;

/** Fault (control dropAcks): the next `count` acknowledgements (of `operationName`, or any) are not published. */
export interface DropAckRule {
  count: number;
  operationName?: string;
}

const FINAL: RecordStatus[] = ['Completed', 'Cancelled', 'DoNotCall'];
const CHANNEL = '/v2/me/outbound';

export class Outbound {
  private readonly campaigns: ScenarioCampaign[];
  private readonly chains = new Map<string, Chain>();
  private readonly records = new Map<number, SimRecord>();
  /** Every outcome applied, in order. */
  readonly outcomes: OutcomeTruth[] = [];
  /** Outcomes refused because the record was already processed (asynchronous ErrorMessage). */
  refusedDuplicates = 0;
  dropAcks: DropAckRule[] = [];
  /** Handle → userName of the agent whose outcome last released the record. */
  private readonly releasedBy = new Map<number, string>();

  constructor(scenario: Scenario, private readonly deps: OutboundDeps) {
    this.campaigns = scenario.campaigns;
    let nextHandle = Math.max(0, ...scenario.campaigns.flatMap((c) => c.records.map((r) => r.recordHandle ?? 0))) + 1;
    let nextChain = Math.max(0, ...scenario.campaigns.flatMap((c) => c.records.map((r) => r.chainId ?? 0))) + 1;
    let order = 0;
    for (const campaign of scenario.campaigns) {
      for (const r of campaign.records) {
        const rec: SimRecord = {
          campaign,
          recordHandle: r.recordHandle ?? nextHandle++,
          chainId: r.chainId ?? nextChain++,
          phoneNumber: r.phoneNumber,
          phoneType: r.phoneType,
          timeZone: r.timeZone,
          attempts: r.attempts,
          outcome: r.outcome,
          fields: { ...r.fields },
          status: 'Ready',
          order: order++,
        };
        this.records.set(rec.recordHandle, rec);
        const key = `${campaign.name}#${rec.chainId}`;
        const chain = this.chains.get(key) ?? { key, records: [] };
        chain.records.push(rec);
        this.chains.set(key, chain);
      }
    }
  }

  campaignsFor(agent: Agent): ScenarioCampaign[] {
    return this.campaigns.filter((c) => c.group === agent.def.group);
  }

  campaignResource(c: ScenarioCampaign, agent: Agent): Record<string, unknown> {
    return {
      name: c.name,
      dialingMode: c.dialingMode,
      groupName: `${c.name}@${c.group}`,
      state: 'Started',
      devicePath: `/devices/${agent.deviceId}`,
      applicationId: c.applicationId,
      description: c.description,
    };
  }

  /** Project rule: one CampaignStarted per campaign of the agent's group (not with campaignReplay=off). */
  announceCampaigns(agent: Agent, deliver: (data: Record<string, unknown>) => void): void {
    if (this.deps.dialect().campaignReplay === 'off') return;
    for (const c of this.campaignsFor(agent)) {
      deliver({ messageType: 'OutboundCampaignMessage', notificationType: 'CampaignStarted', campaign: this.campaignResource(c, agent) });
    }
  }

  /**
   * A record as the wire shows it: by the `records` dialect, top-level fields and userData, or
   * userData only. `full`: always the top-level form (control truth).
   */
  recordResource(r: SimRecord, full = false): Record<string, unknown> {
    const c = r.campaign;
    if (!full && this.deps.dialect().records === 'user-data') return { userData: this.recordUserData(r, 'PreviewRecord') };
    return {
      recordHandle: r.recordHandle,
      chainId: r.chainId,
      phoneNumber: r.phoneNumber,
      phoneType: r.phoneType,
      campaignName: c.name,
      callingList: c.callingList,
      applicationId: c.applicationId,
      outboundCallerId: c.outboundCallerId,
      timeZone: r.timeZone,
      ...(r.from !== undefined ? { from: r.from } : {}),
      ...(r.until !== undefined ? { until: r.until } : {}),
      otherFields: { ...r.fields },
      userData: this.recordUserData(r, 'PreviewRecord'),
    };
  }

  private recordUserData(r: SimRecord, userEvent: string): Record<string, unknown> {
    const c = r.campaign;
    return {
      GSW_RECORD_HANDLE: r.recordHandle,
      GSW_CHAIN_ID: r.chainId,
      GSW_PHONE: r.phoneNumber,
      GSW_CALLING_LIST: c.callingList,
      GSW_CAMPAIGN_NAME: c.name,
      GSW_APPLICATION_ID: c.applicationId,
      GSW_CALL_ATTEMPT_GUID: r.attemptGuid ?? '',
      GSW_ATTEMPTS: r.attempts,
      GSW_TZ_NAME: r.timeZone,
      GSW_TZ_OFFSET: tzOffsetSeconds(r.timeZone),
      GSW_CALL_RESULT: r.callResult !== undefined ? (CALL_RESULTS[r.callResult] ?? 28) : 28,
      GSW_USER_EVENT: userEvent,
      InteractionType: 'Outbound',
      InteractionSubtype: 'OutboundNew',
      ...r.fields,
    };
  }

  /** The records an agent holds now (one per reserved chain). */
  heldBy(userName: string): SimRecord[] {
    return [...this.chains.values()].filter((ch) => ch.reservedBy === userName && ch.primary).map((ch) => ch.primary as SimRecord);
  }

  /** Campaign records handed to the control truth (top-level form whatever the dialect). */
  truthOfHeld(userName: string): Array<Record<string, unknown>> {
    return this.heldBy(userName).map((r) => this.recordResource(r, true));
  }

  truth(): Array<Record<string, unknown>> {
    return this.campaigns.map((c) => ({
      name: c.name,
      dialingMode: c.dialingMode,
      group: c.group,
      callingList: c.callingList,
      records: [...this.records.values()]
        .filter((r) => r.campaign === c)
        .map((r) => {
          const chain = this.chainOf(r);
          return {
            recordHandle: r.recordHandle,
            chainId: r.chainId,
            phoneNumber: r.phoneNumber,
            status: r.status,
            attempts: r.attempts,
            ...(r.callResult !== undefined ? { callResult: r.callResult } : {}),
            ...(chain.reservedBy !== undefined ? { reservedBy: chain.reservedBy } : {}),
            ...(r.scheduledAt !== undefined ? { scheduledAt: r.scheduledAt, callbackType: r.callbackType } : {}),
          };
        }),
    }));
  }

  private chainOf(r: SimRecord): Chain {
    return this.chains.get(`${r.campaign.name}#${r.chainId}`) as Chain;
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
  private ack(agent: Agent, op: string, r: SimRecord, ref: { referenceId?: unknown }): void {
    const ack = ACK_OF[op] ?? op;
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
      ...(r.callResult !== undefined ? { GSW_CALL_RESULT: CALL_RESULTS[r.callResult] ?? 28 } : {}),
      ...(ref.referenceId !== undefined ? { GSW_REFERENCE_ID: ref.referenceId } : {}),
    };
    this.send(agent, { messageType: 'DeviceUserEventMessage', deviceId: agent.deviceId, userData });
  }

  /** Next chain eligible for this agent, in queue order. */
  private nextChain(c: ScenarioCampaign, agent: Agent): { chain: Chain; record: SimRecord } | undefined {
    const now = Date.now();
    const eligible = (r: SimRecord): boolean =>
      r.status === 'Ready' ||
      (r.status === 'Scheduled' && (r.scheduledAt ?? 0) <= now && (r.callbackType !== 'Personal' || r.scheduledFor === agent.userName));
    let best: { chain: Chain; record: SimRecord } | undefined;
    for (const chain of this.chains.values()) {
      if (chain.reservedBy !== undefined || chain.records[0]?.campaign !== c) continue;
      const record = chain.records.find(eligible);
      if (record !== undefined && (best === undefined || record.order < best.record.order)) best = { chain, record };
    }
    return best;
  }

  private handOut(agent: Agent, c: ScenarioCampaign, ref: { referenceId?: unknown }): boolean {
    const next = this.nextChain(c, agent);
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
    if (this.heldBy(agent.userName).length > 0) return;
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
        this.send(agent, { messageType: 'OutboundCampaignMessage', notificationType: 'PreviewSessionStarted', campaign: this.campaignResource(c, agent), ...ref });
        setImmediate(safely(() => this.maybePush(agent)));
        return OK;
      case 'EndPreviewSession':
        if (!agent.previewSessions.has(c.name)) return badState(op);
        agent.previewSessions.delete(c.name);
        this.send(agent, { messageType: 'OutboundCampaignMessage', notificationType: 'PreviewSessionEnded', campaign: this.campaignResource(c, agent), ...ref });
        return OK;
      default:
        if (!agent.previewSessions.has(c.name)) return badState(op);
        if (!this.handOut(agent, c, ref)) {
          this.send(agent, { messageType: 'OutboundRecordMessage', notificationType: 'NoRecordsAvailable', campaignName: c.name, campaign: this.campaignResource(c, agent), ...ref });
        }
        return OK;
    }
  }

  /** A record this agent holds (reserved chain), or the reason it may not touch it. */
  private owned(agent: Agent, handle: number): SimRecord | OpResult {
    const r = this.records.get(handle);
    if (r === undefined) return notFound(`Record ${handle}`);
    const chain = this.chainOf(r);
    if (chain.reservedBy !== agent.userName) return notFound(`Record ${handle}`);
    if (FINAL.includes(r.status)) return badState(`Record ${handle} (${r.status})`);
    return r;
  }

  /** Already processed, for an outcome: a final status, or released by an outcome of this agent and not held again. */
  private processed(agent: Agent, r: SimRecord): boolean {
    if (FINAL.includes(r.status)) return true;
    return this.chainOf(r).reservedBy !== agent.userName && this.releasedBy.get(r.recordHandle) === agent.userName;
  }

  private release(chain: Chain): void {
    chain.reservedBy = undefined;
    chain.primary = undefined;
  }

  /** Synchronous checks of an outcome's parameters (statusCode 1/10): they hold whatever the record's state. */
  private validate(op: string, r: SimRecord, body: Body): OpResult | undefined {
    if (['RejectRecord', 'CancelRecord', 'CompleteRecord'].includes(op)) {
      const cl = body.callingList;
      if (cl === undefined || cl === null || cl === '') return missing('callingList');
      if (cl !== r.campaign.callingList) return invalid(`callingList ${String(cl)} does not hold record ${r.recordHandle}`);
    }
    switch (op) {
      case 'CompleteRecord': {
        const callResult = body.callResult ?? 'Unknown';
        if (typeof callResult !== 'string' || !hasKey(CALL_RESULTS, callResult)) return invalid(`Unknown callResult ${String(callResult)}`);
        if (body.phoneNumber !== undefined && typeof body.phoneNumber !== 'string') return invalid('phoneNumber must be a string');
        return undefined;
      }
      case 'UpdateRecord': {
        const tz = body.timeZone;
        const pt = body.phoneType;
        if (tz !== undefined && (typeof tz !== 'string' || !isZone(tz))) return invalid(`Unknown timeZone ${String(tz)}`);
        if (pt !== undefined && (typeof pt !== 'string' || !(PHONE_TYPES as readonly string[]).includes(pt))) return invalid(`Unknown phoneType ${String(pt)}`);
        if (body.otherFields !== undefined && obj(body.otherFields) === undefined) return invalid('otherFields must be an object');
        if (body.phoneNumber !== undefined && str(body.phoneNumber) === undefined) return invalid('phoneNumber must be a string');
        return undefined;
      }
      case 'DoNotCallRecord': {
        const attr = body.chainAttribute ?? 'AllChain';
        return attr !== 'AllChain' && attr !== 'RecordOnly' ? invalid('chainAttribute must be AllChain or RecordOnly') : undefined;
      }
      case 'RescheduleRecord': {
        const type = body.callbackType;
        const ts = body.timestamp;
        if (type === undefined || type === null || type === '') return missing('callbackType');
        if (ts === undefined || ts === null || ts === '') return missing('timestamp');
        if (type !== 'Personal' && type !== 'Campaign') return invalid('callbackType must be Personal or Campaign');
        const seconds = typeof ts === 'string' && /^\d+$/.test(ts) ? Number(ts) : ts;
        if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return invalid('timestamp must be epoch seconds');
        return undefined;
      }
      default:
        return undefined;
    }
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

  /** Operations on /api/v2/me/outbound-records/{recordHandle}. */
  recordOp(agent: Agent, handleText: string, op: string, body: Body): OpResult {
    const ops = [...OUTCOME_OPERATIONS, 'GetChainedRecord'] as string[];
    if (!ops.includes(op)) return invalid(`Unknown operation ${op}`);
    if (!/^\d+$/.test(handleText)) return notFound(`Record ${handleText}`);
    if (!agent.sessionStarted) return badState(op);
    const known = this.records.get(Number(handleText));
    if (known === undefined) return notFound(`Record ${handleText}`);
    const bad = this.validate(op, known, body);
    if (bad !== undefined) return bad;
    const ref = refOf(body);
    if (op !== 'GetChainedRecord' && this.processed(agent, known)) {
      this.refuse(agent, op, known, ref);
      return OK;
    }
    const found = this.owned(agent, known.recordHandle);
    if ('statusCode' in found) return found;
    const r = found;
    const chain = this.chainOf(r);
    const isPrimary = chain.primary === r;
    const released = (): void => {
      for (const x of chain.records) this.releasedBy.set(x.recordHandle, agent.userName);
      this.release(chain);
    };

    switch (op) {
      case 'RejectRecord': {
        if (!isPrimary) return badState(op);
        released();
        const last = Math.max(...[...this.records.values()].map((x) => x.order));
        for (const x of chain.records) x.order = last + 1;
        break;
      }
      case 'CancelRecord':
        for (const x of chain.records) if (!FINAL.includes(x.status)) x.status = 'Cancelled';
        released();
        break;
      case 'CompleteRecord': {
        r.status = 'Completed';
        r.callResult = String(body.callResult ?? 'Unknown');
        r.attempts += 1;
        if (isPrimary) {
          for (const x of chain.records) if (!FINAL.includes(x.status)) x.status = 'Completed';
          released();
        }
        break;
      }
      case 'UpdateRecord': {
        const { timeZone: tz, phoneType: pt } = body;
        if (typeof tz === 'string') r.timeZone = tz;
        if (typeof pt === 'string') r.phoneType = pt;
        const phone = str(body.phoneNumber);
        if (phone !== undefined) r.phoneNumber = phone;
        if (body.from !== undefined) r.from = body.from;
        if (body.until !== undefined) r.until = body.until;
        for (const [k, v] of Object.entries(obj(body.otherFields) ?? {})) {
          if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') mergeInto(r.fields, { [k]: v });
        }
        break;
      }
      case 'DoNotCallRecord': {
        if ((body.chainAttribute ?? 'AllChain') === 'AllChain') {
          for (const x of chain.records) if (!FINAL.includes(x.status)) x.status = 'DoNotCall';
          released();
        } else {
          r.status = 'DoNotCall';
          if (isPrimary) released();
        }
        break;
      }
      case 'RescheduleRecord': {
        const ts = body.timestamp;
        const type = body.callbackType === 'Personal' ? 'Personal' : 'Campaign';
        r.status = 'Scheduled';
        r.scheduledAt = (typeof ts === 'string' ? Number(ts) : (ts as number)) * 1000;
        r.callbackType = type;
        r.scheduledFor = type === 'Personal' ? agent.userName : undefined;
        released();
        break;
      }
      default: {
        // GetChainedRecord: every other live record of the chain, then the end marker.
        for (const x of chain.records) {
          if (x === r || FINAL.includes(x.status)) continue;
          this.send(agent, { messageType: 'OutboundRecordMessage', notificationType: 'ChainedRecord', record: this.recordResource(x), ...ref });
        }
        this.send(agent, { messageType: 'OutboundRecordMessage', notificationType: 'ChainedRecordsDataEnd', record: this.recordResource(r), ...ref });
        return OK;
      }
    }
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
    if (!('statusCode' in found)) this.chainOf(found).primary = found;
    return found;
  }

  dialUserData(r: SimRecord): Record<string, unknown> {
    return this.recordUserData(r, 'PreviewRecord');
  }

  /** Outcome of dialling a number of this record's chain. */
  outcomeFor(r: SimRecord, phoneNumber: string): CallOutcome {
    return this.chainOf(r).records.find((x) => x.phoneNumber === phoneNumber)?.outcome ?? r.outcome;
  }

  /** Logout: the agent's chains go back to the pool and its preview sessions end. */
  releaseAgent(agent: Agent): void {
    for (const chain of this.chains.values()) if (chain.reservedBy === agent.userName) this.release(chain);
    agent.previewSessions.clear();
  }
}

function isZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
