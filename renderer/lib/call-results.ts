/**
 * OCS call results (gws-api.md §6): `callResult` is sent as the name, while user data
 * (`GSW_CALL_RESULT`) carries the number.
 */
import type { JsonValue } from './types';

const CODES: Record<number, string> = {
  0: 'Ok',
  1: 'Transferred',
  2: 'Conferenced',
  3: 'GeneralError',
  4: 'SystemError',
  5: 'RemoteRelease',
  6: 'Busy',
  7: 'NoAnswer',
  8: 'SitDetected',
  9: 'AnsweringMachine',
  10: 'AllTrunksBusy',
  11: 'SitInvalidNum',
  17: 'Fax',
  21: 'Abandoned',
  26: 'Dropped',
  27: 'DroppedNoAnswer',
  28: 'Unknown',
  33: 'Answer',
  40: 'WrongParty',
  51: 'DoNotCall',
  52: 'CancelRecord',
  53: 'WrongNumber',
};

/** Offered when the server's settings list no call results. */
export const FALLBACK_CALL_RESULTS = [
  'Answer',
  'NoAnswer',
  'Busy',
  'AnsweringMachine',
  'Fax',
  'WrongParty',
  'WrongNumber',
  'SitInvalidNum',
  'Dropped',
  'RemoteRelease',
  'DoNotCall',
  'GeneralError',
];

/** The result name for a `GSW_CALL_RESULT` value (number, numeric string or name); `Unknown` counts as unset. */
function callResultName(value: JsonValue | undefined): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let name: string | undefined;
  if (typeof value === 'number') name = CODES[value];
  else if (typeof value === 'string') name = /^\d+$/.test(value) ? CODES[Number(value)] : value;
  return name && name !== 'Unknown' && /^[A-Za-z]{1,40}$/.test(name) ? name : undefined;
}

const END_SENTENCES: Record<string, string> = {
  Busy: 'The line was busy.',
  NoAnswer: 'No one answered.',
  AnsweringMachine: 'An answering machine answered.',
  Fax: 'A fax machine answered.',
  SitInvalidNum: 'The number is not in service.',
  SitDetected: 'The network could not connect the call.',
  AllTrunksBusy: 'All lines were busy.',
  DroppedNoAnswer: 'The call dropped before anyone answered.',
  Dropped: 'The call dropped.',
};

/** Why the record's call ended, in words, from the server's result (empty when it said nothing). */
export function callEndSentence(result: string | undefined): string {
  if (result === undefined) return '';
  return END_SENTENCES[result] ?? '';
}

/**
 * The result preselected after a call: what OCS already knows (the call's, then the record's
 * `GSW_CALL_RESULT`), else `Answer` if the customer was reached and `NoAnswer` if not. Only a
 * name the agent may pick is returned.
 */
export function defaultCallResult(options: string[], established: boolean, ...known: (JsonValue | undefined)[]): string {
  for (const value of known) {
    const name = callResultName(value);
    if (name && options.includes(name)) return name;
  }
  const guess = established ? 'Answer' : 'NoAnswer';
  if (options.includes(guess)) return guess;
  return options[0] ?? guess;
}
