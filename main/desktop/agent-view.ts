/**
 * Small electron-free readings of the agent snapshot shared by the tray, notification, quit and
 * update decisions: which calls are live, who is on the other end, whether the agent is busy.
 */
import type { AgentSnapshot, CallSnapshot } from '../agent/snapshot';

/** Call states in which a call still needs the agent (Released/Completed calls do not). */
const LIVE_CALL_STATES = new Set(['Dialing', 'Ringing', 'Established', 'Held']);

export function isLiveCall(call: CallSnapshot): boolean {
  return LIVE_CALL_STATES.has(call.state);
}

export function liveCalls(snapshot: AgentSnapshot): CallSnapshot[] {
  return Object.values(snapshot.calls)
    .filter(isLiveCall)
    .sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
}

export function hasLiveCall(snapshot: AgentSnapshot): boolean {
  return liveCalls(snapshot).length > 0;
}

/** The other party as the agent would say it: the name if known, else the (formatted) number. */
export function otherParty(call: CallSnapshot): string {
  const party = call.participants[0];
  const name = party?.name?.trim();
  const number = party?.formattedPhoneNumber?.trim() || party?.phoneNumber?.trim() || call.ani?.trim() || call.dnis?.trim();
  if (name && number) return `${name} (${number})`;
  return name || number || 'unknown number';
}

/** `m:ss` or `h:mm:ss`. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function isSignedIn(snapshot: AgentSnapshot): boolean {
  return snapshot.connection.state === 'connected' || snapshot.connection.state === 'reconnecting';
}

/** After Call Work is a work mode of NotReady in GWS, or its own state on some switches. */
export function isAfterCallWork(snapshot: AgentSnapshot): boolean {
  const userState = snapshot.device?.userState;
  if (!userState) return false;
  return userState.workMode === 'AfterCallWork' || userState.state === 'AfterCallWork';
}
