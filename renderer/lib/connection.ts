/** Readings of `connection` the workspace shares: whether what it shows is the server's, and since when not. */
import type { ConnectionSnapshot } from './types';

/**
 * The calls and agent state shown are the server's only when connected (the renderer's copy of
 * `stateConfirmed()` in main/agent/snapshot.ts, which it may not import): while `reconnecting`,
 * `resyncing` or `connecting` they are what was last known.
 */
export function stateConfirmed(connection: Pick<ConnectionSnapshot, 'state'>): boolean {
  return connection.state === 'connected';
}

/** After a minute without a confirmed state the banner (like the tray and a toast) says calls may still ring on the phone. */
const OUTAGE_ESCALATION_MS = 60_000;

/** The outage is at least a minute old at `now`. */
export function outageEscalated(connection: ConnectionSnapshot, now: number): boolean {
  return !stateConfirmed(connection) && connection.offlineSince !== undefined && now - connection.offlineSince >= OUTAGE_ESCALATION_MS;
}
