/** Local refusals: an operation the state does not allow is never sent. */
import { GwsError } from '../gws/errors';
import { DTMF_MAX_LENGTH, DTMF_PATTERN, DTMF_RULE, PHONE_NUMBER_MAX_LENGTH, PHONE_NUMBER_PATTERN, normalizePhoneNumber } from '../../preload/number-rules';
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

/** A phone number an agent may dial (number-rules.ts), as sent: separators removed. */
export function validPhoneNumber(phoneNumber: string, operationName: string): string {
  const trimmed = phoneNumber.trim();
  if (!PHONE_NUMBER_PATTERN.test(trimmed) || trimmed.length > PHONE_NUMBER_MAX_LENGTH) {
    throw new GwsError('VALIDATION', `${operationName}: "${phoneNumber}" is not a phone number`, { operationName });
  }
  return normalizePhoneNumber(trimmed);
}

/** DTMF digits (number-rules.ts). */
export function validDtmf(digits: string): string {
  if (!DTMF_PATTERN.test(digits) || digits.length > DTMF_MAX_LENGTH) throw new GwsError('VALIDATION', `DTMF digits ${DTMF_RULE}`, { operationName: 'SendDtmf' });
  return digits;
}
