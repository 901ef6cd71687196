/**
 * The durable outbox for record outcomes (docs/reliability.md).
 *
 * CompleteRecord, RescheduleRecord, DoNotCallRecord and UpdateRecord are written here (and to disk,
 * atomically) BEFORE they are sent, keep ONE `referenceId` for their whole life, and leave only
 * when the server's acknowledgement carrying that referenceId arrived — or when a re-send is refused
 * because the record was processed already (the earlier send was applied). There is no probe: an
 * HTTP reply never says whether a record is held (gws-api.md §1).
 *
 * Three parts:
 * - {@link OutboxStore} (`load`/`save`) and {@link fileOutboxStore}: temp file + fsync + rename; a
 *   corrupt file is moved aside and reported; a failed write (ENOSPC …) throws to the caller, who
 *   keeps the entries in memory and reports it.
 * - {@link decide}: the pure exactly-once decision (what to do with an entry given the evidence).
 * - {@link Outbox}: the in-memory list + serialised persistence; `outbox-delivery.ts` sends it.
 */
import * as nodeFs from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { mayHaveActed } from '../gws/errors';
import type { JsonValue } from './snapshot';

export const OUTBOX_OPERATIONS = ['CompleteRecord', 'RescheduleRecord', 'DoNotCallRecord', 'UpdateRecord'] as const;
export type OutboxOperation = (typeof OUTBOX_OPERATIONS)[number];

export function isOutboxOperation(name: string): name is OutboxOperation {
  return (OUTBOX_OPERATIONS as readonly string[]).includes(name);
}

/**
 * - `pending`: never sent (or known not to have reached the server): send it.
 * - `sending`: a POST is in flight. After a restart this means `unknown`.
 * - `accepted`: statusCode 0 came back; waiting for the acknowledgement notification.
 * - `unknown`: sent, but the reply or the acknowledgement was lost (timeout, reset, 5xx, restart):
 *   sent again with the same referenceId (a processed record refuses a second outcome).
 * - `failed`: the server refused it for good (Error notification, statusCode 1/2/6/10 on a fresh
 *   send). Kept and shown until the agent retries or discards it.
 */
export type OutboxEntryState = 'pending' | 'sending' | 'accepted' | 'unknown' | 'failed';

export interface OutboxError {
  code: string;
  message: string;
}

export interface OutboxEntry {
  /** Stable id of the intent (= its referenceId). */
  id: string;
  /** Sent on every attempt: the acknowledgement is matched by it. */
  referenceId: string;
  operationName: OutboxOperation;
  recordHandle: string;
  campaignName?: string;
  callResult?: string;
  /** `/api/v2/me/outbound-records/{handle}` */
  path: string;
  /** The request body without `referenceId` (`devicePath` is refreshed on every send). */
  body: { [key: string]: JsonValue };
  /** Whose outcome it is: only a session of this user on this server sends it. */
  serverUrl: string;
  userName: string;
  state: OutboxEntryState;
  attempts: number;
  /** An earlier send may have been applied (its reply or acknowledgement was lost): a refusal now means "delivered before". */
  mayBeApplied?: boolean;
  /**
   * Sends the server accepted (statusCode 0) that then got no answer at all — neither the
   * acknowledgement nor a refusal — in time. Bounded by MAX_UNANSWERED_RESENDS. Transport failures
   * (503, timeouts) do not count: they are retried with backoff for as long as it takes.
   */
  resends?: number;
  lastError?: OutboxError;
  createdAt: number;
  updatedAt: number;
}

// ---- persistence --------------------------------------------------------------------------------

export interface OutboxStore {
  load(): Promise<OutboxEntry[]>;
  save(entries: readonly OutboxEntry[]): Promise<void>;
}

/** A problem the store met and handled (reported, never thrown from `load`). */
export interface OutboxStoreProblem {
  kind: 'corrupt' | 'invalid-entries';
  message: string;
  /** Where a corrupt file was moved. */
  movedTo?: string;
}

/** The parts of `node:fs/promises` the file store uses (injectable: tests simulate ENOSPC, crashes). */
export interface OutboxFs {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  open(path: string, flags: string): Promise<{ writeFile(data: string): Promise<void>; sync(): Promise<void>; close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
}

const jsonValue: z.ZodType<JsonValue> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]));

const entrySchema = z.object({
  id: z.string().min(1),
  referenceId: z.string().min(1),
  operationName: z.enum(OUTBOX_OPERATIONS),
  recordHandle: z.string().min(1),
  campaignName: z.string().optional(),
  callResult: z.string().optional(),
  path: z.string().startsWith('/api/v2/me/outbound-records/'),
  body: z.record(z.string(), jsonValue),
  serverUrl: z.string(),
  userName: z.string(),
  state: z.enum(['pending', 'sending', 'accepted', 'unknown', 'failed']),
  attempts: z.number().int().min(0),
  mayBeApplied: z.boolean().optional(),
  resends: z.number().int().min(0).optional(),
  lastError: z.object({ code: z.string(), message: z.string() }).optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

const fileSchema = z.object({ version: z.literal(1), entries: z.array(z.unknown()) });

export interface FileOutboxStoreOptions {
  fs?: OutboxFs;
  /** Called when the file was corrupt (moved aside) or held invalid entries (dropped from the load). */
  onProblem?: (problem: OutboxStoreProblem) => void;
  now?: () => number;
}

/**
 * The outbox as one JSON file (`{version: 1, entries: [...]}`), written atomically: a temp file
 * next to it, fsync, rename over the old one, fsync of the directory (best effort). A reader never
 * sees half a file: either the old list or the new one.
 */
export function fileOutboxStore(path: string, options: FileOutboxStoreOptions = {}): OutboxStore {
  const fs: OutboxFs = options.fs ?? (nodeFs as unknown as OutboxFs);
  const report = options.onProblem ?? (() => undefined);
  const now = options.now ?? Date.now;
  let counter = 0;

  const moveAside = async (why: string): Promise<void> => {
    const aside = `${path}.corrupt-${now()}`;
    try {
      await fs.rename(path, aside);
      report({ kind: 'corrupt', message: `outbox file ${path} is corrupt (${why}); moved to ${aside}`, movedTo: aside });
    } catch (error) {
      report({ kind: 'corrupt', message: `outbox file ${path} is corrupt (${why}) and could not be moved aside: ${String(error)}` });
    }
  };

  return {
    async load() {
      let text: string;
      try {
        text = await fs.readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        await moveAside(error instanceof Error ? error.message : 'not JSON');
        return [];
      }
      const file = fileSchema.safeParse(parsed);
      if (!file.success) {
        await moveAside('not an outbox file');
        return [];
      }
      const entries: OutboxEntry[] = [];
      let invalid = 0;
      for (const raw of file.data.entries) {
        const entry = entrySchema.safeParse(raw);
        if (entry.success) entries.push(stripUndefined(entry.data));
        else invalid += 1;
      }
      if (invalid > 0) {
        // Keep the readable entries; the file itself is kept as it was for inspection.
        const copy = `${path}.invalid-${now()}`;
        await fs.rename(path, copy).catch(() => undefined);
        report({ kind: 'invalid-entries', message: `${invalid} unreadable outbox entr${invalid === 1 ? 'y' : 'ies'} in ${path}; the file was copied to ${copy}`, movedTo: copy });
      }
      return entries;
    },

    async save(entries) {
      const text = `${JSON.stringify({ version: 1, entries }, null, 1)}\n`;
      counter += 1;
      const temp = `${path}.tmp-${process.pid}-${counter}`;
      await fs.mkdir(dirname(path), { recursive: true });
      let handle: Awaited<ReturnType<OutboxFs['open']>> | undefined;
      try {
        handle = await fs.open(temp, 'w');
        await handle.writeFile(text);
        await handle.sync();
        await handle.close();
        handle = undefined;
        await fs.rename(temp, path);
      } catch (error) {
        if (handle) await handle.close().catch(() => undefined);
        await fs.unlink(temp).catch(() => undefined);
        throw error;
      }
      // The rename is durable once the directory entry is: best effort (not possible on Windows).
      try {
        const dir = await fs.open(dirname(path), 'r');
        await dir.sync().catch(() => undefined);
        await dir.close();
      } catch {
        /* ignored */
      }
    },
  };
}

/** Not durable: for tests and for sessions created without a store. */
export function memoryOutboxStore(initial: OutboxEntry[] = []): OutboxStore & { entries: OutboxEntry[]; saves: number } {
  const store = {
    entries: structuredClone(initial),
    saves: 0,
    async load() {
      return structuredClone(store.entries);
    },
    async save(entries: readonly OutboxEntry[]) {
      store.saves += 1;
      store.entries = structuredClone([...entries]);
    },
  };
  return store;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

// ---- the exactly-once decision ------------------------------------------------------------------

/**
 * How many accepted sends of one outcome may go unanswered (neither acknowledgement nor refusal in
 * time) before it is shown to the agent as failed. Bounds the re-sends: an outcome is never re-sent
 * in a loop.
 */
export const MAX_UNANSWERED_RESENDS = 5;

/** What the session knows about an entry beyond its state. */
export interface Evidence {
  /** A notification carrying the entry's referenceId arrived: its acknowledgement or a refusal (ErrorMessage). */
  notification?: 'ack' | 'error';
  /** The acknowledgement did not come in time after statusCode 0. */
  ackTimedOut?: boolean;
  /** An earlier entry for the same record is not delivered yet (per-record order). */
  blockedByEarlier?: boolean;
}

export type Decision =
  /** POST it (again) with the same referenceId. */
  | 'send'
  /** Nothing to do now (waiting for an ack, or behind an earlier entry). */
  | 'wait'
  /** Delivered (acknowledged, or a re-send refused because the first one was applied): drop the entry. */
  | 'drop'
  /** Refused by the server, or unanswered too often: keep it as `failed` for the agent. */
  | 'fail'
  /** Failed: nothing happens until the agent retries or discards it. */
  | 'hold';

/**
 * The rule, in one place (docs/reliability.md). Only a CometD acknowledgement proves delivery
 * (AsynchronousEvents: statusCode 0 only means "forwarded"), and a re-send is safe: a processed
 * record refuses a second outcome (OCS, and the simulator). So:
 * 1. The acknowledgement (by referenceId) → delivered.
 * 2. A refusal → `fail`, unless an earlier send may have been applied (`mayBeApplied`): then the
 *    refusal is the record saying "processed already" → delivered before.
 * 3. `pending` (never reached the server) → send, unless an earlier entry for the record is open.
 * 4. `accepted` → wait; without an acknowledgement in time: UpdateRecord is done (statusCode 0 is
 *    the server's word and the record stays held either way), an ending outcome is sent again.
 * 5. `unknown` / `sending` (after a restart) → sent again with the same referenceId, at most
 *    {@link MAX_UNANSWERED_RESENDS} times without an answer.
 */
export function decide(entry: Pick<OutboxEntry, 'state' | 'operationName' | 'mayBeApplied' | 'resends'>, evidence: Evidence = {}): Decision {
  if (evidence.notification === 'ack') return 'drop';
  if (evidence.notification === 'error') return entry.mayBeApplied === true ? 'drop' : 'fail';
  switch (entry.state) {
    case 'failed':
      return 'hold';
    case 'pending':
      return evidence.blockedByEarlier ? 'wait' : 'send';
    case 'accepted':
      if (!evidence.ackTimedOut) return 'wait';
      return entry.operationName === 'UpdateRecord' ? 'drop' : 'send';
    case 'sending':
    case 'unknown':
      if (evidence.blockedByEarlier) return 'wait';
      return (entry.resends ?? 0) > MAX_UNANSWERED_RESENDS ? 'fail' : 'send';
    default:
      return 'wait';
  }
}

/** Entries read from disk: an in-flight POST of a previous run may have been applied. */
export function afterRestart(entry: OutboxEntry): OutboxEntry {
  return entry.state === 'sending' || entry.state === 'accepted' ? { ...entry, state: 'unknown', mayBeApplied: true } : entry;
}

/**
 * An HTTP failure of a send (gws-api.md §1):
 * - `pending`: certainly not acted on (refused before acting, or a GWS body with a non-zero
 *   statusCode such as `503 {"statusCode":4}`): send again later;
 * - `unknown`: the server may have acted (no reply, a reply that is not GWS's): send again later;
 * - `delivered`: a re-send refused because the record is no longer held (statusCode 2 or 6) while an
 *   earlier send may have been applied: the earlier one was;
 * - `failed`: GWS refused it (statusCode 1, 2, 6, 10 … on a first send): the agent decides.
 */
export function classifySendFailure(
  entry: Pick<OutboxEntry, 'mayBeApplied'>,
  error: { code: string; httpStatus?: number; statusCode?: number },
): 'pending' | 'unknown' | 'delivered' | 'failed' {
  if (mayHaveActed(error as Parameters<typeof mayHaveActed>[0])) return 'unknown';
  switch (error.code) {
    case 'OFFLINE':
    case 'CSRF':
    case 'AUTH_FAILED':
    case 'SESSION_EXPIRED':
    case 'CERT_UNTRUSTED':
    case 'PASSWORD_CHANGE_REQUIRED':
      return 'pending';
    case 'SERVER':
      // Not acted on (mayHaveActed above is the one rule): a GWS body with a statusCode (internal
      // error, service down) or a refusal below 500 — sent again later.
      return 'pending';
    default:
      if (entry.mayBeApplied === true && (error.statusCode === 2 || error.statusCode === 6)) return 'delivered';
      return 'failed';
  }
}

// ---- the in-memory outbox -----------------------------------------------------------------------

export interface OutboxOptions {
  store: OutboxStore;
  /** A save failed (ENOSPC, EACCES …): the entries stay in memory; reported, retried on the next change. */
  onStorageError?: (error: unknown) => void;
  /** The last save succeeded after failures. */
  onStorageRecovered?: () => void;
}

/**
 * The entries (FIFO) and their persistence. Every change is saved; saves are serialised and the
 * latest list always wins. A failed save never loses an entry: it stays in memory and the next
 * change (or {@link Outbox.flush}) tries again.
 */
export class Outbox {
  private list: OutboxEntry[] = [];
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;
  storageError: string | null = null;
  readonly loaded: Promise<void>;

  constructor(private readonly options: OutboxOptions) {
    this.loaded = options.store
      .load()
      .then((entries) => {
        const known = new Set(this.list.map((e) => e.id));
        this.list = [...entries.map(afterRestart).filter((e) => !known.has(e.id)), ...this.list];
      })
      .catch((error: unknown) => {
        this.storageError = `outbox could not be read: ${String(error)}`;
        options.onStorageError?.(error);
      });
  }

  get entries(): readonly OutboxEntry[] {
    return this.list;
  }

  get(id: string): OutboxEntry | undefined {
    return this.list.find((e) => e.id === id);
  }

  /** Adds an entry and waits for it to be saved (or for the save to fail: it is kept either way). */
  async add(entry: OutboxEntry): Promise<void> {
    this.list = [...this.list, entry];
    await this.persist();
  }

  update(id: string, patch: Partial<OutboxEntry>): OutboxEntry | undefined {
    let updated: OutboxEntry | undefined;
    this.list = this.list.map((e) => {
      if (e.id !== id) return e;
      updated = { ...e, ...patch };
      if (patch.lastError === undefined && 'lastError' in patch) delete updated.lastError;
      return updated;
    });
    void this.persist();
    return updated;
  }

  remove(id: string): OutboxEntry | undefined {
    const entry = this.get(id);
    if (!entry) return undefined;
    this.list = this.list.filter((e) => e.id !== id);
    void this.persist();
    return entry;
  }

  /** Is an earlier entry for the same record still undelivered (not yet accepted)? */
  blockedByEarlier(entry: OutboxEntry): boolean {
    for (const e of this.list) {
      if (e.id === entry.id) return false;
      if (e.recordHandle === entry.recordHandle && e.userName === entry.userName && e.state !== 'accepted' && e.state !== 'failed') return true;
    }
    return false;
  }

  /** Waits for every change so far to be on disk (or its save to have failed). */
  async flush(): Promise<void> {
    if (this.dirty || this.storageError !== null) await this.persist();
    await this.saving;
  }

  private persist(): Promise<void> {
    this.dirty = true;
    this.saving = this.saving.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await this.options.store.save(this.list);
        if (this.storageError !== null) {
          this.storageError = null;
          this.options.onStorageRecovered?.();
        }
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        this.storageError = `outbox not saved${code ? ` (${code})` : ''}: ${error instanceof Error ? error.message : String(error)}; kept in memory`;
        this.options.onStorageError?.(error);
      }
    });
    return this.saving;
  }
}
