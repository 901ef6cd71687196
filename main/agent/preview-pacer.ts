/**
 * Preview pacing (issue 13): when pacing is configured (IT's policy or Workspace's
 * `outbound.timed-preview-auto-dial`, preload/pacing-rules.ts), an offered record is dialled when
 * its countdown ends, through the same Dial every other caller uses (dial once, capabilities,
 * calling hours, offline). The countdown shows in the snapshot (`previewRecord.autoDial`) so the
 * card, the tray and screen readers can tell the agent, and one key cancels it.
 *
 * It never starts, or it stops, when dialling now would surprise the agent or the customer:
 * - the session is not connected (offline, resyncing, signing out), or a call is live;
 * - the customer's local time is outside the calling hours (the agent is asked, or IT blocks);
 * - the agent cancelled it for this record, or the record already had its one automatic Dial.
 */
import type { Clock } from './clock';
import type { OperationAck, RecordRef } from './session-types';
import type { AgentSnapshot, SnapshotKey } from './snapshot';
import type { AgentEventInput } from './events';
import { previewPacing } from '../../preload/pacing-rules';
import { DEFAULT_CALLING_HOURS, outsideCallingHours, recordTimeZone } from '../../preload/record-rules';

export interface PacerHost {
  readonly snapshot: AgentSnapshot;
  onDidChange(listener: (snapshot: AgentSnapshot, changes: SnapshotKey[]) => void): { dispose(): void };
  dialPreviewRecord(ref?: RecordRef): Promise<OperationAck>;
}

export interface PreviewPacer {
  /** The agent stops the countdown of the record offered now; it does not start again for that record. Returns whether one ran. */
  cancel(): boolean;
  dispose(): void;
}

const LIVE = new Set(['Dialing', 'Ringing', 'Established', 'Held']);

/** Whether the countdown may run for the record offered now (its handle), else undefined. */
export function pacedRecord(s: AgentSnapshot, now: number): string | undefined {
  const p = s.previewRecord;
  if (p.phase !== 'offered' || !p.record) return undefined;
  if (s.connection.state !== 'connected') return undefined;
  if (previewPacing(s).autoDialSeconds <= 0) return undefined;
  if (Object.values(s.calls).some((c) => LIVE.has(c.state))) return undefined;
  if (Object.values(s.pendingOperations).some((op) => op.operationName === 'DialPreviewRecord' || op.operationName === 'Dial')) return undefined;
  const hours = s.workRules?.callingHours ?? DEFAULT_CALLING_HOURS;
  if (outsideCallingHours(now, recordTimeZone(p.record), hours)) return undefined;
  return String(p.record.recordHandle);
}

export function watchPreviewPacing(host: PacerHost, dispatch: (event: AgentEventInput) => void, clock: Clock): PreviewPacer {
  /** The record whose countdown ended (dialled) or was cancelled: never again while it is offered. */
  let finished: string | undefined;
  let running: { handle: string; timer: unknown } | undefined;

  const stop = (announce: boolean) => {
    if (!running) return;
    clock.clearTimeout(running.timer);
    if (announce) dispatch({ type: 'preview-auto-dial', recordHandle: running.handle });
    running = undefined;
  };

  const fire = (handle: string) => {
    running = undefined;
    finished = handle;
    dispatch({ type: 'preview-auto-dial', recordHandle: handle });
    const s = host.snapshot;
    if (pacedRecord(s, clock.now()) !== handle || !s.previewRecord.record) return;
    // The same Dial as the button: its guards answer, and a refusal shows as the agent's error.
    void host.dialPreviewRecord({ recordHandle: s.previewRecord.record.recordHandle }).catch(() => undefined);
  };

  const update = (s: AgentSnapshot) => {
    const handle = pacedRecord(s, clock.now());
    if (running && running.handle !== handle) stop(true);
    if (handle === undefined || running || finished === handle) return;
    const seconds = previewPacing(s).autoDialSeconds;
    const at = clock.now() + seconds * 1000;
    running = { handle, timer: clock.setTimeout(() => fire(handle), seconds * 1000) };
    dispatch({ type: 'preview-auto-dial', recordHandle: handle, autoDial: { at, seconds } });
  };

  const subscription = host.onDidChange((s, changes) => {
    if (changes.some((key) => key === 'previewRecord' || key === 'connection' || key === 'calls' || key === 'pendingOperations' || key === 'workRules' || key === 'user')) update(s);
  });
  update(host.snapshot);

  return {
    cancel() {
      if (!running) return false;
      finished = running.handle;
      stop(true);
      return true;
    },
    dispose() {
      stop(false);
      subscription.dispose();
    },
  };
}
