/**
 * zod schemas of what GWS sends (gws-api.md). Loose on purpose: unknown fields pass through
 * (real payloads carry many we do not use), strict on the fields the core reads. Real GWS is sloppy
 * about types (`duration` is a string, `recordHandle` may be a number or a string, ids are opaque),
 * so those are normalised here, once.
 */
import { z } from 'zod';

/** An opaque id: GWS sends strings, some servers numbers. Always a string inside the core. */
const idSchema = z.union([z.string().min(1), z.number()]).transform(String);

/** A number GWS may send as a string (`"duration":"12"`). */
const numeric = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);

const stringList = z.array(z.string()).catch([]);
/** User data values are scalars in practice; keep anything JSON. */
const userDataSchema = z.record(z.string(), z.unknown()).catch({});

const participantObject = z.looseObject({
  phoneNumber: z.string().optional(),
  formattedPhoneNumber: z.string().optional(),
  e164Number: z.string().optional(),
  digits: z.string().optional(),
  name: z.string().optional(),
});
/** gws-api.md §4: an object, or (HTCC 8.5.0, with `participantsInfo` beside it) the bare number. */
const participantSchema = z.union([z.string().transform((phoneNumber): z.output<typeof participantObject> => ({ phoneNumber })), participantObject]);

export const callSchema = z.looseObject({
  id: idSchema,
  state: z.string().min(1),
  callUuid: z.string().optional(),
  connId: z.string().optional(),
  callType: z.string().optional(),
  participants: z.array(z.union([participantSchema, z.unknown().transform(() => undefined)])).transform((list) => list.filter((p) => p !== undefined)).catch([]).default([]),
  ani: z.string().optional(),
  dnis: z.string().optional(),
  capabilities: stringList.default([]),
  userData: userDataSchema.default({}),
  duration: numeric.optional().catch(undefined),
  mute: z.string().optional().catch(undefined),
  recordingState: z.string().optional().catch(undefined),
  uri: z.string().optional(),
  path: z.string().optional(),
});
export type WireCall = z.output<typeof callSchema>;

const userStateSchema = z.looseObject({
  id: z.string().optional(),
  state: z.string().min(1),
  displayName: z.string().optional(),
  reason: z.string().optional().catch(undefined),
  /** One QueryAgentState sample spells the reason so (gws-api.md §3): read either. */
  reasonCode: z.string().optional().catch(undefined),
  workMode: z.string().optional().catch(undefined),
});

export const deviceSchema = z.looseObject({
  id: idSchema,
  deviceState: z.string().optional(),
  userState: userStateSchema.optional(),
  phoneNumber: z.string().optional(),
  e164Number: z.string().optional(),
  doNotDisturb: z.string().optional().catch(undefined),
  capabilities: stringList.default([]),
});
export type WireDevice = z.output<typeof deviceSchema>;

export const campaignSchema = z.looseObject({
  name: z.string().min(1),
  dialingMode: z.string().optional(),
  groupName: z.string().optional(),
  state: z.string().optional(),
  devicePath: z.string().optional(),
  applicationId: numeric.optional().catch(undefined),
  description: z.string().optional(),
});
export type WireCampaign = z.output<typeof campaignSchema>;

/**
 * A preview/outbound record. Only its `userData` GSW_* keys are confirmed (gws-api.md §6): each
 * top-level field is read first, then its GSW_* twin. `recordHandle` may be a number or a string.
 */
const recordFields = z.looseObject({
  recordHandle: z.union([z.number(), z.string().min(1)]),
  chainId: z.union([z.number(), z.string()]).optional(),
  phoneNumber: z.string().optional(),
  phoneType: z.string().optional(),
  campaignName: z.string().optional(),
  callingList: z.string().optional(),
  applicationId: numeric.optional().catch(undefined),
  outboundCallerId: z.string().optional(),
  timeZone: z.string().optional(),
  otherFields: userDataSchema.optional(),
  userData: userDataSchema.optional(),
});

/** The GSW_* key that stands for each top-level record field. */
const RECORD_USER_DATA_KEYS = {
  recordHandle: 'GSW_RECORD_HANDLE',
  chainId: 'GSW_CHAIN_ID',
  phoneNumber: 'GSW_PHONE',
  callingList: 'GSW_CALLING_LIST',
  campaignName: 'GSW_CAMPAIGN_NAME',
  applicationId: 'GSW_APPLICATION_ID',
  timeZone: 'GSW_TZ_NAME',
} as const;

/** Keys of a record's userData that are OCS's or the interaction's own, not the calling list's custom fields. */
function isOcsUserDataKey(key: string): boolean {
  return key.startsWith('GSW_') || key === 'InteractionType' || key === 'InteractionSubtype';
}

function fillFromUserData(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const record = raw as Record<string, unknown>;
  const userData = record['userData'];
  if (userData === null || typeof userData !== 'object' || Array.isArray(userData)) return raw;
  const ud = userData as Record<string, unknown>;
  const filled: Record<string, unknown> = { ...record };
  for (const [field, key] of Object.entries(RECORD_USER_DATA_KEYS)) {
    const value = ud[key];
    if (filled[field] === undefined && value !== undefined && value !== null && value !== '') {
      filled[field] = field === 'phoneNumber' || field === 'callingList' || field === 'campaignName' || field === 'timeZone' ? String(value) : value;
    }
  }
  if (filled['otherFields'] === undefined) {
    const custom = Object.fromEntries(Object.entries(ud).filter(([key]) => !isOcsUserDataKey(key)));
    if (Object.keys(custom).length > 0) filled['otherFields'] = custom;
  }
  return filled;
}

export const recordSchema = z.preprocess(fillFromUserData, recordFields);
export type WireRecord = z.output<typeof recordFields>;

// ---- REST replies -------------------------------------------------------------------------------

export const meReplySchema = z.looseObject({
  user: z.looseObject({
    id: idSchema,
    userName: z.string(),
    firstName: z.string().optional().default(''),
    lastName: z.string().optional().default(''),
    devices: z.array(z.unknown()).optional(),
    settings: z.record(z.string(), z.unknown()).optional().catch(undefined),
  }),
});

/** `GET /api/v2/settings/agent-states` (gws-api.md §3): only `operationName` is confirmed per entry. */
export const agentStatesReplySchema = z.looseObject({ settings: z.array(z.unknown()) });
export const agentStateSettingSchema = z.looseObject({
  operationName: z.string().trim().min(1),
  displayName: z.string().optional().catch(undefined),
  state: z.string().optional().catch(undefined),
  reason: z.string().optional().catch(undefined),
  reasonCode: z.string().optional().catch(undefined),
  workMode: z.string().optional().catch(undefined),
});

export const devicesReplySchema = z.looseObject({ devices: z.array(z.unknown()) });
export const callsReplySchema = z.looseObject({ calls: z.array(z.unknown()) });

// ---- notifications (the `data` of a Bayeux message) ----------------------------------------------

const envelope = {
  messageType: z.string(),
  notificationType: z.string().optional(),
  referenceId: z.union([z.string(), z.number()]).transform(String).optional(),
};

export const callMessageSchema = z.looseObject({
  ...envelope,
  call: callSchema,
  phoneNumber: z.string().optional(),
  extensions: z.record(z.string(), z.unknown()).optional().catch(undefined),
});

/**
 * A failed operation: `messageType: "ErrorMessage"` (ErrorHandling 8.5.2; its fields are not
 * public) or the older `notificationType: "Error"`. Every field is optional and read only when
 * it has the expected type.
 */
export const errorMessageSchema = z.looseObject({
  messageType: z.unknown().optional(),
  notificationType: z.unknown().optional(),
  referenceId: z.union([z.string(), z.number()]).transform(String).optional().catch(undefined),
  errorMessage: z.string().optional().catch(undefined),
  errorCode: z.union([z.string(), z.number()]).optional().catch(undefined),
  call: z.looseObject({ id: idSchema }).optional().catch(undefined),
  callId: idSchema.optional().catch(undefined),
  recordHandle: z.union([z.number(), z.string().min(1)]).transform(String).optional().catch(undefined),
});

export const deviceMessageSchema = z.looseObject({ ...envelope, devices: z.array(z.unknown()) });

export const campaignMessageSchema = z.looseObject({ ...envelope, notificationType: z.string(), campaign: campaignSchema });

export const recordMessageSchema = z.looseObject({
  ...envelope,
  notificationType: z.string(),
  record: z.unknown().optional(),
  records: z.array(z.unknown()).optional(),
  campaignName: z.string().optional(),
  recordHandle: z.union([z.number(), z.string()]).optional(),
});
