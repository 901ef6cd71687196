import { randomBytes, randomUUID } from 'node:crypto';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUV';
let callCounter = 0;

/** A GWS-looking call id: 32 upper-case alphanumerics, unique within the process. */
export function newCallId(): string {
  const bytes = randomBytes(26);
  let head = '';
  for (const b of bytes) head += ALNUM[b % 32];
  callCounter += 1;
  return head + callCounter.toString(32).toUpperCase().padStart(6, '0');
}

/** A T-Server ConnID: 16 lower-case hex digits. */
export function newConnId(): string {
  return randomBytes(8).toString('hex');
}

export function newUuid(): string {
  return randomUUID();
}

export function newSessionId(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}
