/**
 * zod schemas of what GWS sends (gws-api.md). Loose on purpose: unknown fields pass through
 * (real payloads carry many we do not use), strict on the fields the core reads. Real GWS is sloppy
 * about types (`duration` is a string, `recordHandle` may be a number or a string, ids are opaque),
 * so those are normalised here, once.
 */
import { z } from 'zod';

/** An opaque id: GWS sends strings, some servers numbers. Always a string inside the core. */
export const idSchema = z.union([z.string().min(1), z.number()]).transform(String);

/** A number GWS may send as a string (`"duration":"12"`). */
const numeric = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);

const stringList = z.array(z.string()).catch([]);
/** User data values are scalars in practice; keep anything JSON. */
const userDataSchema = z.record(z.string(), z.unknown()).catch({});

export const participantSchema = z.looseObject({
  phoneNumber: z.string().optional(),
  formattedPhoneNumber: z.string().optional(),
  e164Number: z.string().optional(),
  digits: z.string().optional(),
  name: z.string().optional(),
});

export const callSchema = z.looseObject({
  id: idSchema,
  state: z.string().min(1),
  callUuid: z.string().optional(),
  connId: z.string().optional(),
  callType: z.string().optional(),
  participants: z.array(participantSchema).catch([]).default([]),
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

export const userStateSchema = z.looseObject({
  id: z.string().optional(),
  state: z.string().min(1),
  displayName: z.string().optional(),
  reason: z.string().optional().catch(undefined),
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

/** A preview/outbound record. `recordHandle` may arrive as a number or a string. */
export const recordSchema = z.looseObject({
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
export type WireRecord = z.output<typeof recordSchema>;

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

export const errorMessageSchema = z.looseObject({
  ...envelope,
  notificationType: z.literal('Error'),
  errorMessage: z.string().optional(),
  errorCode: z.union([z.string(), z.number()]).optional(),
  call: z.looseObject({ id: idSchema }).optional().catch(undefined),
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
