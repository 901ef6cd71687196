/**
 * OCS call results (gws-api.md §6): `callResult` is sent as the name, while user data
 * (`GSW_CALL_RESULT`) carries the number.
 */
import { callResultName } from '../../preload/call-result-codes';
import { codeText, t, type MessageKey } from '../state/i18n.svelte';
import { callResultLabel } from './format';
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

/** The app's own label of each result it knows (English: the code's words, as `callResultLabel` writes them). */
const LABELS: Record<string, MessageKey> = {
  Answer: 'call.result.Answer',
  Answered: 'call.result.Answered',
  Missed: 'call.result.Missed',
  NotConnected: 'call.result.NotConnected',
  Ok: 'call.result.Ok',
  Transferred: 'call.result.Transferred',
  Conferenced: 'call.result.Conferenced',
  GeneralError: 'call.result.GeneralError',
  SystemError: 'call.result.SystemError',
  RemoteRelease: 'call.result.RemoteRelease',
  Busy: 'call.result.Busy',
  NoAnswer: 'call.result.NoAnswer',
  SitDetected: 'call.result.SitDetected',
  AnsweringMachine: 'call.result.AnsweringMachine',
  AllTrunksBusy: 'call.result.AllTrunksBusy',
  SitInvalidNum: 'call.result.SitInvalidNum',
  Fax: 'call.result.Fax',
  Abandoned: 'call.result.Abandoned',
  Dropped: 'call.result.Dropped',
  DroppedNoAnswer: 'call.result.DroppedNoAnswer',
  WrongParty: 'call.result.WrongParty',
  DoNotCall: 'call.result.DoNotCall',
  CancelRecord: 'call.result.CancelRecord',
  WrongNumber: 'call.result.WrongNumber',
};

/**
 * A call result (an OCS result name, or the history's `Answered`/`Missed`/`NotConnected`) in the
 * agent's language; a code the app does not know keeps its generic spelling (`NoAnswer` → `No answer`).
 */
export function callResultText(name: string): string {
  return codeText(LABELS, name, callResultLabel);
}

const END_SENTENCES: Record<string, MessageKey> = {
  Busy: 'call.result.end.Busy',
  NoAnswer: 'call.result.end.NoAnswer',
  AnsweringMachine: 'call.result.end.AnsweringMachine',
  Fax: 'call.result.end.Fax',
  SitInvalidNum: 'call.result.end.SitInvalidNum',
  SitDetected: 'call.result.end.SitDetected',
  AllTrunksBusy: 'call.result.end.AllTrunksBusy',
  DroppedNoAnswer: 'call.result.end.DroppedNoAnswer',
  Dropped: 'call.result.end.Dropped',
};

/** Why the record's call ended, in words, from the server's result (empty when it said nothing). */
export function callEndSentence(result: string | undefined): string {
  if (result === undefined || !Object.hasOwn(END_SENTENCES, result)) return '';
  const key = END_SENTENCES[result];
  return key ? t(key) : '';
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
