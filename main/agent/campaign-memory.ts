/**
 * The campaign list outlives a session (gws-api.md §6): no public page promises that a GWS
 * announces campaigns on sign-in or on a re-subscribe, so the list an agent had is remembered per
 * account (user on server) and offered again on the next start. A file store keeps it beside the
 * outbox; a broken file is reported and treated as empty (the list is a convenience, never a truth).
 */
import * as nodeFs from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../gws/logger';
import type { AgentSnapshot, CampaignSnapshot } from './snapshot';

export interface RememberedCampaign {
  name: string;
  dialingMode: string;
  applicationId?: number;
  groupName?: string;
  description?: string;
}

export interface CampaignStore {
  load(account: string): Promise<RememberedCampaign[]>;
  save(account: string, campaigns: readonly RememberedCampaign[]): Promise<void>;
}

const campaignSchema = z.object({
  name: z.string().min(1).max(200),
  dialingMode: z.string().max(40),
  applicationId: z.number().int().optional(),
  groupName: z.string().max(400).optional(),
  description: z.string().max(2000).optional(),
});
const fileSchema = z.object({ version: z.literal(1), accounts: z.record(z.string(), z.array(campaignSchema)) });

export function accountKey(serverUrl: string, userName: string): string {
  return `${userName}@${serverUrl.replace(/\/+$/, '')}`;
}

/** What is worth remembering of a campaign: its identity, not its live state. */
function toRemembered(c: CampaignSnapshot): RememberedCampaign {
  return {
    name: c.name,
    dialingMode: c.dialingMode,
    ...(c.applicationId !== undefined && { applicationId: c.applicationId }),
    ...(c.groupName !== undefined && { groupName: c.groupName }),
    ...(c.description !== undefined && { description: c.description }),
  };
}

/** A remembered or configured campaign, shown until the server says more. */
function fromRemembered(c: RememberedCampaign): CampaignSnapshot {
  return { ...c, state: 'Unknown', previewSessionActive: false };
}

export function memoryCampaignStore(): CampaignStore & { accounts: Map<string, RememberedCampaign[]> } {
  const accounts = new Map<string, RememberedCampaign[]>();
  return {
    accounts,
    async load(account) {
      return structuredClone(accounts.get(account) ?? []);
    },
    async save(account, campaigns) {
      accounts.set(account, structuredClone([...campaigns]));
    },
  };
}

/** One JSON file for every account of this profile, replaced atomically (temp file + rename). */
export function fileCampaignStore(path: string, onProblem: (message: string) => void = () => undefined): CampaignStore {
  let writing: Promise<void> = Promise.resolve();
  const readAll = async (): Promise<Record<string, RememberedCampaign[]>> => {
    let text: string;
    try {
      text = await nodeFs.readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onProblem(`campaign list ${path} could not be read: ${String(error)}`);
      return {};
    }
    try {
      const parsed = fileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data.accounts as Record<string, RememberedCampaign[]>;
      onProblem(`campaign list ${path} is not a campaign list: ignored`);
    } catch {
      onProblem(`campaign list ${path} is not JSON: ignored`);
    }
    return {};
  };
  return {
    async load(account) {
      const all = await readAll();
      return Object.hasOwn(all, account) ? (all[account] ?? []) : [];
    },
    save(account, campaigns) {
      writing = writing.then(async () => {
        const all = await readAll();
        Object.defineProperty(all, account, { value: [...campaigns], enumerable: true, writable: true, configurable: true });
        const temp = `${path}.tmp-${process.pid}`;
        try {
          await nodeFs.mkdir(dirname(path), { recursive: true });
          await nodeFs.writeFile(temp, `${JSON.stringify({ version: 1, accounts: all }, null, 1)}\n`);
          await nodeFs.rename(temp, path);
        } catch (error) {
          await nodeFs.unlink(temp).catch(() => undefined);
          onProblem(`campaign list ${path} could not be saved: ${String(error)}`);
        }
      });
      return writing;
    },
  };
}

/** Campaigns remembered for this account and those IT configured, shown until the server says more. */
export async function recallCampaigns(store: CampaignStore, account: string, configuredNames: readonly string[]): Promise<CampaignSnapshot[]> {
  const remembered = await store.load(account).catch(() => []);
  const configured = configuredNames.filter((name) => !remembered.some((c) => c.name === name)).map((name) => ({ name, dialingMode: 'Preview' }));
  return [...remembered, ...configured].map(fromRemembered);
}

/** Keeps the campaign list of the snapshot for this account (a failure is logged, never thrown). */
export async function rememberCampaigns(store: CampaignStore, account: string, snapshot: AgentSnapshot, logger: Logger): Promise<void> {
  await store.save(account, Object.values(snapshot.campaigns).map(toRemembered)).catch((error: unknown) => logger.warn('the campaign list could not be remembered', { error: String(error) }));
}
