// The calling lists (OCS as seen through GWS, gws-api.md §6): records and their chains, the queue
// that hands them out, who holds which chain, and how a record and a campaign look on the wire.
import type { Agent } from './agents';
import type { Dialect } from './dialect';
import type { CallOutcome, ScenarioCampaign } from './scenario';
import { CALL_RESULTS, tzOffsetSeconds } from './scenario';

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

export interface Chain {
  key: string;
  records: SimRecord[];
  reservedBy?: string;
  /** The record handed out by PreviewRecord. */
  primary?: SimRecord;
}

/** Statuses after which nothing more happens to a record. */
export const FINAL: readonly RecordStatus[] = ['Completed', 'Cancelled', 'DoNotCall'];

/** OCS's GSW_CALL_RESULT of a record: its call result's number, 28 (Unknown, ok) before one is set. */
export const callResultNumber = (r: SimRecord): number => (r.callResult !== undefined ? (CALL_RESULTS[r.callResult] ?? 28) : 28);

const chainKey = (campaign: ScenarioCampaign, chainId: number): string => `${campaign.name}#${chainId}`;

export class RecordBook {
  readonly records = new Map<number, SimRecord>();
  private readonly chains = new Map<string, Chain>();

  constructor(private readonly campaigns: readonly ScenarioCampaign[]) {
    let nextHandle = Math.max(0, ...campaigns.flatMap((c) => c.records.map((r) => r.recordHandle ?? 0))) + 1;
    let nextChain = Math.max(0, ...campaigns.flatMap((c) => c.records.map((r) => r.chainId ?? 0))) + 1;
    let order = 0;
    for (const campaign of campaigns) {
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
        const key = chainKey(campaign, rec.chainId);
        const chain = this.chains.get(key) ?? { key, records: [] };
        chain.records.push(rec);
        this.chains.set(key, chain);
      }
    }
  }

  chainOf(r: SimRecord): Chain {
    return this.chains.get(chainKey(r.campaign, r.chainId)) as Chain;
  }

  /** The records an agent holds now (one per reserved chain). */
  heldBy(userName: string): SimRecord[] {
    return [...this.chains.values()].filter((ch) => ch.reservedBy === userName && ch.primary).map((ch) => ch.primary as SimRecord);
  }

  /** Next chain of the campaign eligible for this agent, in queue order. */
  next(c: ScenarioCampaign, agent: Agent): { chain: Chain; record: SimRecord } | undefined {
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

  /** A rejected chain goes to the back of the queue. */
  moveToBack(chain: Chain): void {
    const last = Math.max(...[...this.records.values()].map((x) => x.order));
    for (const x of chain.records) x.order = last + 1;
  }

  /** Logout: the agent's chains go back to the pool. */
  releaseAll(userName: string): void {
    for (const chain of this.chains.values()) if (chain.reservedBy === userName) release(chain);
  }

  /** Control truth: every campaign with its records' state. */
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
}

/** Nobody holds the chain any more. */
export function release(chain: Chain): void {
  chain.reservedBy = undefined;
  chain.primary = undefined;
}

/** Every record of the chain not yet final becomes `status`. */
export function closeChain(chain: Chain, status: RecordStatus): void {
  for (const x of chain.records) if (!FINAL.includes(x.status)) x.status = status;
}

export function campaignResource(c: ScenarioCampaign, agent: Agent): Record<string, unknown> {
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

/**
 * A record as the wire shows it: by the `records` dialect, top-level fields and userData, or
 * userData only. `full`: always the top-level form (control truth).
 */
export function recordResource(r: SimRecord, dialect: Readonly<Dialect>, full = false): Record<string, unknown> {
  const c = r.campaign;
  if (!full && dialect.records === 'user-data') return { userData: recordUserData(r, 'PreviewRecord') };
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
    userData: recordUserData(r, 'PreviewRecord'),
  };
}

/** The record's OCS attached data (GSW_* keys and its custom fields), as a dialled call carries it. */
export function recordUserData(r: SimRecord, userEvent: string): Record<string, unknown> {
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
    GSW_CALL_RESULT: callResultNumber(r),
    GSW_USER_EVENT: userEvent,
    InteractionType: 'Outbound',
    InteractionSubtype: 'OutboundNew',
    ...r.fields,
  };
}
