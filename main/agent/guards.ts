/** Local refusals: an operation the state does not allow is never sent. */
import { GwsError } from '../gws/errors';
import type { AgentSnapshot, CallSnapshot } from './snapshot';

/** The call, if it exists and its `capabilities` include the operation; otherwise NOT_ALLOWED_IN_STATE. */
export function requireCapability(snapshot: AgentSnapshot, callId: string, operationName: string): CallSnapshot {
  const call = snapshot.calls[callId];
  if (!call) throw new GwsError('NOT_ALLOWED_IN_STATE', `${operationName}: no call ${callId}`, { operationName });
  if (!call.capabilities.includes(operationName)) {
    throw new GwsError('NOT_ALLOWED_IN_STATE', `${operationName} is not allowed on a ${call.state} call (allowed: ${call.capabilities.join(', ') || 'none'})`, {
      operationName,
    });
  }
  return call;
}

export function requireOnline(snapshot: AgentSnapshot, operationName: string): void {
  const state = snapshot.connection.state;
  if (state === 'offline' || state === 'signed-out' || !snapshot.device) {
    throw new GwsError('OFFLINE', `${operationName}: not signed in`, { operationName });
  }
}
