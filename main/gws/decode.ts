/**
 * Turns a Bayeux message `data` (unknown) into a typed notification, or `undefined` — never throws.
 * A malformed or unknown message is logged and dropped so one bad message cannot break the loop.
 */
import type { z } from 'zod';
import type { Logger } from './logger';
import type { WireCall, WireCampaign, WireDevice, WireRecord } from './schemas';
import {
  callMessageSchema,
  campaignMessageSchema,
  deviceMessageSchema,
  deviceSchema,
  errorMessageSchema,
  recordMessageSchema,
  recordSchema,
} from './schemas';

export type GwsNotification =
  | { kind: 'call'; notificationType: string; call: WireCall; referenceId?: string; extensions?: Record<string, unknown> }
  | { kind: 'error'; channel: string; message: string; errorCode?: string; referenceId?: string; callId?: string; recordHandle?: string }
  | { kind: 'devices'; devices: WireDevice[]; referenceId?: string }
  | { kind: 'campaign'; notificationType: string; campaign: WireCampaign; referenceId?: string }
  | { kind: 'record'; notificationType: string; records: WireRecord[]; referenceId?: string; recordHandle?: string }
  | { kind: 'ignored'; messageType: string };

export const NOTIFICATION_CHANNELS = ['/v2/me/calls', '/v2/me/devices', '/v2/me/outbound', '/v2/me/channels'] as const;

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function decodeNotification(channel: string, data: unknown, logger: Logger): GwsNotification | undefined {
  try {
    return decode(channel, data, logger);
  } catch (error) {
    // Schemas do not throw on bad input; this guards against a bug so the loop survives anyway.
    logger.error('notification decoder failed', { channel, error: String(error) });
    return undefined;
  }
}

function decode(channel: string, data: unknown, logger: Logger): GwsNotification | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    logger.warn('dropped a notification that is not an object', { channel });
    return undefined;
  }
  const record = data as Record<string, unknown>;
  const messageType = record['messageType'];
  const notificationType = record['notificationType'];
  const drop = (why: string): undefined => {
    logger.warn('dropped a malformed notification', { channel, messageType, notificationType, why });
    return undefined;
  };

  if (messageType === 'ErrorMessage' || notificationType === 'Error') return decodeError(channel, record);

  switch (messageType) {
    case 'CallStateChangeMessage': {
      const parsed = callMessageSchema.safeParse(record);
      if (!parsed.success) return drop(issues(parsed.error));
      const m = parsed.data;
      return {
        kind: 'call',
        notificationType: m.notificationType ?? 'StatusChange',
        call: m.call,
        ...(m.referenceId !== undefined && { referenceId: m.referenceId }),
        ...(m.extensions && { extensions: m.extensions }),
      };
    }
    case 'DeviceStateChangeMessage': {
      const parsed = deviceMessageSchema.safeParse(record);
      if (!parsed.success) return drop(issues(parsed.error));
      const devices = decodeList(parsed.data.devices, deviceSchema, 'device', logger);
      return { kind: 'devices', devices, ...(parsed.data.referenceId !== undefined && { referenceId: parsed.data.referenceId }) };
    }
    case 'OutboundCampaignMessage': {
      const parsed = campaignMessageSchema.safeParse(record);
      if (!parsed.success) return drop(issues(parsed.error));
      const m = parsed.data;
      return { kind: 'campaign', notificationType: m.notificationType, campaign: m.campaign, ...(m.referenceId !== undefined && { referenceId: m.referenceId }) };
    }
    case 'OutboundRecordMessage':
    case 'OutboundRecordsMessage': {
      const parsed = recordMessageSchema.safeParse(record);
      if (!parsed.success) return drop(issues(parsed.error));
      const m = parsed.data;
      const raw = [...(m.record !== undefined && m.record !== null ? [m.record] : []), ...(m.records ?? [])];
      const records = decodeList(raw, recordSchema, 'record', logger);
      if (m.notificationType === 'PreviewRecord' && records.length === 0) return drop('PreviewRecord without a valid record');
      const handle = m.recordHandle ?? records[0]?.recordHandle;
      return {
        kind: 'record',
        notificationType: m.notificationType,
        records,
        ...(m.referenceId !== undefined && { referenceId: m.referenceId }),
        ...(handle !== undefined && { recordHandle: String(handle) }),
      };
    }
    case 'DeviceUserEventMessage':
    case 'ChannelStateChangeMessage':
    case 'UserStateChangeMessage':
      return { kind: 'ignored', messageType };
    default:
      logger.warn('dropped an unknown notification', { channel, messageType: typeof messageType === 'string' ? messageType : typeof messageType });
      return undefined;
  }
}

/** Never fails: an ErrorMessage with no readable field still tells the agent that something was refused. */
function decodeError(channel: string, record: Record<string, unknown>): GwsNotification {
  const parsed = errorMessageSchema.safeParse(record);
  const m = parsed.success ? parsed.data : {};
  const text = typeof m.errorMessage === 'string' && m.errorMessage.trim() !== '' ? m.errorMessage.trim() : undefined;
  const code = m.errorCode !== undefined ? String(m.errorCode) : undefined;
  const callId = m.call?.id ?? m.callId;
  return {
    kind: 'error',
    channel,
    message: text ?? (code !== undefined ? `${REFUSED} (error ${code})` : REFUSED),
    ...(code !== undefined && { errorCode: code }),
    ...(m.referenceId !== undefined && { referenceId: m.referenceId }),
    ...(callId !== undefined && { callId }),
    ...(m.recordHandle !== undefined && { recordHandle: m.recordHandle }),
  };
}

/** What an ErrorMessage without an `errorMessage` reads. */
export const REFUSED = 'The server refused the last operation';

function decodeList<S extends z.ZodType>(items: unknown[], schema: S, what: string, logger: Logger): z.output<S>[] {
  const out: z.output<S>[] = [];
  for (const item of items) {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
    else logger.warn(`dropped a malformed ${what}`, { why: issues(parsed.error) });
  }
  return out;
}

/** The items of a GET reply's list that parse; each one that does not is dropped and logged. */
export function parseList<T>(items: unknown[], parse: (item: unknown) => { success: true; data: T } | { success: false }, logger: Logger): T[] {
  const out: T[] = [];
  for (const item of items) {
    const parsed = parse(item);
    if (parsed.success) out.push(parsed.data);
    else logger.warn('dropped a malformed item of a GET reply');
  }
  return out;
}
