/**
 * The durable outbox for record outcomes (docs/reliability.md).
 *
 * CompleteRecord, RescheduleRecord, DoNotCallRecord and UpdateRecord are written here (and to disk,
 * atomically) BEFORE they are sent, keep ONE `referenceId` for their whole life, and leave only
 * when the server's acknowledgement carrying that referenceId arrived — or when the server shows
 * the outcome was already applied (the record is no longer held). An outcome whose HTTP reply was
 * lost is `unknown`: it is checked (probe) before anything is sent again.
 *
 * Three parts:
 * - {@link OutboxStore} (`load`/`save`) and {@link fileOutboxStore}: temp file + fsync + rename; a
 *   corrupt file is moved aside and reported; a failed write (ENOSPC …) throws to the caller, who
 *   keeps the entries in memory and reports it.
 * - {@link decide}: the pure exactly-once decision (what to do with an entry given the evidence).
 * - {@link Outbox}: the in-memory list + serialised persistence, used by the agent session.
 */
import * as nodeFs from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
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
 * - `unknown`: sent, but the reply was lost (timeout, reset, 5xx, restart): probe before re-sending.
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

/** What the session knows about an entry beyond its state. */
export interface Evidence {
  /** A notification carrying the entry's referenceId arrived: an acknowledgement or an Error. */
  notification?: 'ack' | 'error';
  /** Result of the last probe (GetChainedRecord on the record): still held by this agent or not. */
  probe?: 'held' | 'not-held';
  /** The acknowledgement did not come in time after statusCode 0. */
  ackTimedOut?: boolean;
  /** An earlier entry for the same record is not delivered yet (per-record order). */
  blockedByEarlier?: boolean;
}

export type Decision =
  /** POST it (again) with the same referenceId. */
  | 'send'
  /** Ask the server whether the record is still held before deciding. */
  | 'probe'
  /** Nothing to do now (waiting for an ack, or behind an earlier entry). */
  | 'wait'
  /** Delivered: drop the entry. */
  | 'drop'
  /** Refused by the server: keep it as `failed`. */
  | 'fail'
  /** Failed: nothing happens until the agent retries or discards it. */
  | 'hold';

/**
 * The rule, in one place:
 * 1. A notification with the entry's referenceId settles it (ack → drop, Error → fail).
 * 2. `pending` (never reached the server) → send, unless an earlier entry for the record is open.
 * 3. `accepted` → wait for the ack; if it does not come: UpdateRecord is dropped (statusCode 0 is
 *    the server's word and the record stays held either way), an ending outcome is probed.
 * 4. `unknown` / `sending` (after a restart) → probe; `not-held` → the outcome was applied: drop;
 *    `held` → it was not (GWS releases the record when it applies an ending outcome): send again.
 *    For UpdateRecord `held` proves nothing: it is sent again (an overwrite with the same values).
 */
export function decide(entry: Pick<OutboxEntry, 'state' | 'operationName'>, evidence: Evidence = {}): Decision {
  if (evidence.notification === 'ack') return 'drop';
  if (evidence.notification === 'error') return 'fail';
  switch (entry.state) {
    case 'failed':
      return 'hold';
    case 'pending':
      return evidence.blockedByEarlier ? 'wait' : 'send';
    case 'accepted':
      if (!evidence.ackTimedOut) return 'wait';
      if (entry.operationName === 'UpdateRecord') return 'drop';
      if (evidence.probe === 'not-held') return 'drop';
      if (evidence.probe === 'held') return 'send';
      return 'probe';
    case 'sending':
    case 'unknown':
      if (evidence.blockedByEarlier) return 'wait';
      if (evidence.probe === 'not-held') return 'drop';
      if (evidence.probe === 'held') return 'send';
      return 'probe';
    default:
      return 'wait';
  }
}

/** Entries read from disk: an in-flight POST of a previous run has an unknown outcome. */
export function afterRestart(entry: OutboxEntry): OutboxEntry {
  return entry.state === 'sending' || entry.state === 'accepted' ? { ...entry, state: 'unknown' } : entry;
}

/** An HTTP failure of a send: did the server certainly NOT act (`pending`), or may it have (`unknown`)? */
export function stateAfterSendFailure(error: { code: string; httpStatus?: number }): 'pending' | 'unknown' | 'failed' {
  switch (error.code) {
    // Refused before acting: not sent, send again later.
    case 'OFFLINE':
    case 'CSRF':
    case 'AUTH_FAILED':
    case 'SESSION_EXPIRED':
    case 'CERT_UNTRUSTED':
      return 'pending';
    // The server may have acted: the reply was lost or is not trustworthy.
    case 'TIMEOUT':
    case 'UNREACHABLE':
    case 'SERVER':
    case 'MALFORMED_REPLY':
      return 'unknown';
    default:
      // VALIDATION, NOT_ALLOWED_IN_STATE, FORBIDDEN: GWS refused it and changed nothing.
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
