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

/** A phone number an agent may dial: digits (and * #) with an optional leading +, spaces and ( ) . - as typed. */
export function validPhoneNumber(phoneNumber: string, operationName: string): string {
  const trimmed = phoneNumber.trim();
  if (!/^\+?[0-9*#][0-9*#\s().-]*$/.test(trimmed)) {
    throw new GwsError('VALIDATION', `${operationName}: "${phoneNumber}" is not a phone number`, { operationName });
  }
  return trimmed;
}

/** DTMF digits: 0-9 [CallsSendDTMF 8.5.2], plus * and # (and A-D) as typed (gws-api.md §4 project rule). */
export function validDtmf(digits: string): string {
  if (!/^[0-9*#A-Da-d]+$/.test(digits)) throw new GwsError('VALIDATION', 'DTMF digits must be 0-9, *, # or A-D', { operationName: 'SendDtmf' });
  return digits;
}
