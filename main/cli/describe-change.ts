// The CLI's one-line rendering of a snapshot change (pure, tested).
import type { AgentSnapshot, SnapshotKey } from '../agent/snapshot';

/** One line per change: time, what changed, and the state the UI would show. */
export function describeChange(s: AgentSnapshot, changes: SnapshotKey[], now = Date.now()): string {
  const parts: string[] = [new Date(now).toISOString(), `[${changes.join(',')}]`, `connection=${s.connection.state}${s.connection.reason ? `(${s.connection.reason})` : ''}`];
  if (s.device) {
    const us = s.device.userState;
    parts.push(`dn=${s.device.dn}`, `state=${us.state}${us.reason ? `/${us.reason}` : ''}${us.workMode ? `/${us.workMode}` : ''}`);
  }
  const calls = Object.values(s.calls).map((c) => `${c.id}:${c.state}:${c.participants[0]?.phoneNumber ?? '?'}`);
  parts.push(`calls=[${calls.join(' ')}]`);
  const campaigns = Object.values(s.campaigns).map((c) => `${c.name}(${c.dialingMode}${c.previewSessionActive ? ',session' : ''})`);
  if (campaigns.length > 0) parts.push(`campaigns=[${campaigns.join(' ')}]`);
  if (s.previewRecord.phase !== 'idle' || s.previewRecord.record) {
    parts.push(`preview=${s.previewRecord.phase}${s.previewRecord.record ? `#${String(s.previewRecord.record.recordHandle)}:${s.previewRecord.record.phoneNumber}` : ''}`);
  }
  const pending = Object.values(s.pendingOperations).map((o) => `${o.operationName}:${o.status}`);
  if (pending.length > 0) parts.push(`pending=[${pending.join(' ')}]`);
  if (s.lastError && changes.includes('lastError')) parts.push(`error=${s.lastError.code}: ${s.lastError.message}`);
  return parts.join(' ');
}
