/**
 * "Is a preview record in hand?" — ONE answer for the session's guards (main/agent/operations.ts),
 * the tray (main/desktop/tray-state.ts) and the renderer: from the GetPreviewRecord request until
 * the record is closed (done) or set aside (idle). While one is in hand, no other is asked for.
 * Dependency-free; it sits with the contract, the one module every layer may import.
 */
import type { PreviewRecordSnapshot } from '../main/agent/snapshot';

export function recordInHand(preview: Pick<PreviewRecordSnapshot, 'phase'>): boolean {
  return preview.phase !== 'idle' && preview.phase !== 'done';
}
