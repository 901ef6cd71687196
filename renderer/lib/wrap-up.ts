/**
 * The wrap-up window after a call and the call's attached data in words. Pure: the components and
 * their tests use them. `wrapUpEndsAt` is the core's own (preload/wrap-up-rules.ts), which decides
 * when the agent goes back to Ready.
 */
import type { JsonObject, JsonValue } from './types';
import { fieldLabel, valueText } from './format';
import { callResultText } from './call-results';
import { callResultName } from '../../preload/call-result-codes';
import { t, type MessageKey } from '../state/i18n.svelte';

/** The core's own rule (preload/wrap-up-rules.ts): the countdown shows what the session acts on. */
export { wrapUpEndsAt } from '../../preload/wrap-up-rules';

/** OCS keys an agent can read, in words (gws-api.md §6); the other GSW_* keys are technical. */
const OCS_LABELS: Record<string, MessageKey> = {
  GSW_CAMPAIGN_NAME: 'record.data.campaign',
  GSW_CALLING_LIST: 'record.data.callingList',
  GSW_PHONE: 'record.data.phone',
  GSW_ATTEMPTS: 'record.data.attempts',
  GSW_CALL_RESULT: 'record.data.callResult',
  GSW_TZ_NAME: 'record.data.timeZone',
  GSW_RECORD_HANDLE: 'record.data.record',
};

/** `GSW_CALL_RESULT` (a number or a name) in words; OCS's default `Unknown` (28) is "None yet". */
function resultText(value: JsonValue, text: string): string {
  const name = callResultName(value);
  if (name !== undefined) return callResultText(name);
  return text === '28' || text === 'Unknown' ? t('record.data.noneYet') : text;
}

export interface DataRow {
  key: string;
  label: string;
  text: string;
}

export interface AttachedData {
  /** What the customer's record and the agent added (custom fields, the disposition). */
  business: DataRow[];
  /** The campaign's facts in words (campaign, calling list, attempts, call result…). */
  campaign: DataRow[];
  /** Everything else (GUIDs, offsets, interaction types), as sent. */
  technical: DataRow[];
}

/** The call's user data sorted for reading: the customer's fields first, the plumbing last. */
export function attachedData(userData: JsonObject, dispositionKey?: string): AttachedData {
  const out: AttachedData = { business: [], campaign: [], technical: [] };
  for (const [key, value] of Object.entries(userData)) {
    const text = valueText(value as JsonValue);
    if (key === dispositionKey) out.business.unshift({ key, label: t('record.data.disposition'), text });
    else if (Object.hasOwn(OCS_LABELS, key)) out.campaign.push({ key, label: t(OCS_LABELS[key] as MessageKey), text: key === 'GSW_CALL_RESULT' ? resultText(value as JsonValue, text) : text });
    else if (/^GSW_/.test(key) || /^Interaction[A-Z]/.test(key)) out.technical.push({ key, label: key, text });
    else out.business.push({ key, label: fieldLabel(key), text });
  }
  return out;
}
