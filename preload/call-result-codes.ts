/**
 * OCS call results (gws-api.md §6): `callResult` is sent as a name, while user data
 * (`GSW_CALL_RESULT`, on a record or on a call the server released) carries the number.
 * One table for the core (main/agent) and the renderer: it sits with the contract, the one module
 * every layer may import. Dependency-free.
 */
const CODES: Readonly<Record<number, string>> = {
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

/**
 * The result name of a `GSW_CALL_RESULT` value (number, numeric string or name). `Unknown` (28,
 * OCS's default on every fresh record) and anything unreadable count as "no result".
 */
export function callResultName(value: unknown): string | undefined {
  let name: string | undefined;
  if (typeof value === 'number') name = Object.hasOwn(CODES, value) ? CODES[value] : undefined;
  else if (typeof value === 'string') name = /^\d{1,3}$/.test(value) ? (Object.hasOwn(CODES, Number(value)) ? CODES[Number(value)] : undefined) : value;
  return name !== undefined && name !== 'Unknown' && /^[A-Za-z]{1,40}$/.test(name) ? name : undefined;
}
