/**
 * Dialling a preview record twice places two calls to a customer: the guard here holds from the
 * click until the record's lifecycle moves (phase or `since` changes) or the command fails, so
 * double-clicks, a shortcut pressed with a click, and the gap between the IPC reply and the
 * `dialing` snapshot cannot send a second Dial.
 */
import type { PendingOperation, PreviewRecordSnapshot } from '../lib/types';
import { isPending, run } from './commands.svelte';

interface DialGuard {
  recordHandle: string | null;
  /** `previewRecord.since` when Dial was clicked. */
  since: number;
}

export const dialGuard: DialGuard = $state({ recordHandle: null, since: 0 });

/** Any Dial on its way: ours, or an operation the core has not seen answered yet. */
export function dialInFlight(preview: PreviewRecordSnapshot, pendingOperations: Record<string, PendingOperation>): boolean {
  if (preview.phase === 'dialing' || isPending('dialPreviewRecord')) return true;
  if (Object.values(pendingOperations).some((op) => op.operationName === 'Dial')) return true;
  const handle = preview.record ? String(preview.record.recordHandle) : null;
  return handle !== null && dialGuard.recordHandle === handle && dialGuard.since === preview.since && preview.phase === 'offered';
}

export function canDialRecord(preview: PreviewRecordSnapshot, pendingOperations: Record<string, PendingOperation>): boolean {
  return preview.phase === 'offered' && preview.record !== undefined && !dialInFlight(preview, pendingOperations);
}

export async function dialRecord(
  preview: PreviewRecordSnapshot,
  pendingOperations: Record<string, PendingOperation>,
  phoneNumber?: string,
): Promise<void> {
  const record = preview.record;
  if (!record || !canDialRecord(preview, pendingOperations)) return;
  const handle = String(record.recordHandle);
  // Synchronously, before any await: the next click sees the guard.
  dialGuard.recordHandle = handle;
  dialGuard.since = preview.since;
  const args = phoneNumber && phoneNumber !== record.phoneNumber ? { recordHandle: record.recordHandle, phoneNumber } : { recordHandle: record.recordHandle };
  const error = await run('dialPreviewRecord', args);
  if (error && dialGuard.recordHandle === handle) dialGuard.recordHandle = null;
}

/** The record stays "in hand" from the request until it is closed: no second GetPreviewRecord (the core's own rule). */
export { recordInHand } from '../../preload/preview-rules';
