/**
 * What a dialable number and DTMF digits are — ONE definition, used by the session's guards
 * (main/agent/guards.ts), the IPC contract's zod schemas (contract.ts) and the renderer's forms,
 * so the UI, the tray, the CLI and toasts are held to the same rule. Dependency-free: it sits with
 * the contract, the one module every layer may import.
 */

/** Digits (and * #) with an optional leading +, and the separators people type or paste: spaces ( ) . - */
export const PHONE_NUMBER_PATTERN = /^\+?[0-9*#][0-9*#\s().-]*$/;
export const PHONE_NUMBER_MAX_LENGTH = 40;
export const PHONE_NUMBER_RULE = 'may contain only digits, * and #, with an optional leading + (spaces, ( ) . - are ignored)';

/** The number as sent to GWS: trimmed, separators removed ("+1 (404) 555-0201" → "+14045550201"). */
export function normalizePhoneNumber(typed: string): string {
  return typed.trim().replace(/[\s().-]/g, '');
}

/** Whether the session would dial what was typed. */
export function isDialable(typed: string): boolean {
  const trimmed = typed.trim();
  return trimmed.length <= PHONE_NUMBER_MAX_LENGTH && PHONE_NUMBER_PATTERN.test(trimmed);
}

/** DTMF: 0-9 [CallsSendDTMF 8.5.2], plus * and # (and A-D) as typed (gws-api.md §4 project rule). */
export const DTMF_PATTERN = /^[0-9*#A-Da-d]+$/;
export const DTMF_MAX_LENGTH = 32;
export const DTMF_RULE = 'may contain only 0-9, *, # and A-D';

export function isDtmf(digits: string): boolean {
  return digits.length <= DTMF_MAX_LENGTH && DTMF_PATTERN.test(digits);
}
