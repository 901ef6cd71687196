/**
 * OCS call results (gws-api.md §6): `callResult` is sent as the name, while user data
 * (`GSW_CALL_RESULT`) carries the number.
 */
import { callResultName } from '../../preload/call-result-codes';
import type { JsonValue } from './types';


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
