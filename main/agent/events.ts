/**
 * Everything that can change the snapshot. Produced by the session (which owns the clock: every
 * event carries `at`), consumed only by the pure reducer.
 */
import type { GwsNotification } from '../gws/decode';
import type { ErrorInfo } from '../gws/errors';
import type { WireCall, WireDevice } from '../gws/schemas';
import type { RecordEdit } from './reducer-records';
import type { CampaignSnapshot, ConnectionState, EpochMs, OutboxEntrySnapshot, PendingOperation, UserSnapshot, WorkRules } from './snapshot';

export type AgentEvent =
  | { type: 'connection'; state: ConnectionState; reason?: string; at: EpochMs }
  /** /me was read: the user, and the devices it lists. */
  | { type: 'me-loaded'; user: UserSnapshot; devices: WireDevice[]; at: EpochMs }
  /** The configured agent states, read while the notification link is set up (sign-in). */
  | { type: 'agent-states-loaded'; agentStates: UserSnapshot['agentStates']; at: EpochMs }
  /** GET /me/devices?fields=*: authoritative. */
  | { type: 'devices-read'; devices: WireDevice[]; at: EpochMs }
  /** GET /me/calls?fields=*: authoritative — calls not listed are gone. */
  | { type: 'calls-read'; calls: WireCall[]; at: EpochMs }
  | { type: 'notification'; notification: GwsNotification; at: EpochMs }
  | { type: 'operation-started'; operation: PendingOperation; campaignName?: string; callResult?: string; at: EpochMs }
  | { type: 'operation-accepted'; referenceId: string; at: EpochMs }
  | { type: 'operation-failed'; referenceId: string; error: ErrorInfo; at: EpochMs }
  /** The state change the operation asked for arrived (or its referenceId was echoed): it is no longer pending. */
  | { type: 'operation-confirmed'; referenceId: string; at: EpochMs }
  /** Campaigns known without an announcement (remembered, configured by IT): added if not listed yet. */
  | { type: 'campaigns-known'; campaigns: CampaignSnapshot[]; at: EpochMs }
  /** No notification matched the operation in time: it is no longer shown as pending. */
  | { type: 'operation-expired'; referenceId: string; at: EpochMs }
  /** An error not tied to an operation (e.g. a failed re-read). */
  | { type: 'error'; error: ErrorInfo; at: EpochMs }
  | { type: 'clear-error'; at: EpochMs }
  /**
   * The durable outbox changed. `queued`: a record outcome was entered (the preview record shows it
   * as being completed). `delivered`: an outcome is known to be applied (ack, or the record is no
   * longer held) — the current record is done even if the acknowledgement itself was lost.
   */
  | {
      type: 'outbox';
      entries: OutboxEntrySnapshot[];
      storageError: string | null;
      queued?: { operationName: string; recordHandle: string; callResult?: string };
      delivered?: { operationName: string; recordHandle: string };
      at: EpochMs;
    }
  /** The server no longer knows this record, call or campaign (statusCode 6): it is dropped, with a notice. */
  | { type: 'resource-gone'; target: 'record' | 'call' | 'campaign'; id: string; message: string; at: EpochMs }
  /** The server confirmed an UpdateRecord: the record shows the values it accepted. */
  | { type: 'record-edited'; recordHandle: string; edit: RecordEdit; at: EpochMs }
  /** IT's rules for the agent's work (after-call work, calling hours): set once when the session is made. */
  | { type: 'work-rules'; rules: WorkRules; at: EpochMs }
  /** The automatic Dial's countdown for this record started (`autoDial`) or stopped (absent). */
  | { type: 'preview-auto-dial'; recordHandle: string; autoDial?: { at: EpochMs; seconds: number }; at: EpochMs }
  /** The session ended: live state is dropped, history kept. */
  | { type: 'signed-out'; reason: string; at: EpochMs };

/** An event without its time: the session stamps it with the injected clock. */
export type AgentEventInput = AgentEvent extends infer E ? (E extends AgentEvent ? Omit<E, 'at'> & { at?: number } : never) : never;
