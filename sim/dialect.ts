// Dialects: what varies between real GWS servers, or is not confirmed by the public reference
// (gws-api.md), as switches. The first value of each key is the default (the corrected reference).
// Set per scenario (`dialect`), by `--dialect k=v,...`, by startSimulator({ dialect }) and at
// runtime through the control API. See docs/simulator.md.
import { z } from 'zod';

export const DIALECT_VALUES = {
  /** How a failed operation is told: an `ErrorMessage`, or the old `notificationType: "Error"` on the resource's message type. */
  errors: ['message', 'notification'],
  /** Call `participants`: objects (GWS 8.5.2), or strings plus `participantsInfo` (HTCC 8.5.0). */
  participants: ['objects', 'strings'],
  /** Outbound record objects: top-level fields and `userData`, or `userData` (GSW_* keys) only. */
  records: ['top-level', 'user-data'],
  /** CampaignStarted per campaign after StartContactCenterSession and on (re)subscribe to /v2/me/outbound. */
  campaignReplay: ['on', 'off'],
  /** Which notifications echo the request's `referenceId`. */
  referenceIdEcho: ['outbound-only', 'all'],
  /** The call `id` in GET /me/calls and /me/calls/{id} (notifications always use the callUuid). */
  callIdInReads: ['callUuid', 'connId'],
  /**
   * A recorded call's `recordingState` (gws-api.md §4 names the field, no public page gives its
   * values): `Recording`/`Stopped`, or absent — the capabilities (Start/StopCallRecording) alone tell.
   */
  recordingState: ['named', 'absent'],
} as const;

export type DialectKey = keyof typeof DIALECT_VALUES;
export type Dialect = { -readonly [K in DialectKey]: (typeof DIALECT_VALUES)[K][number] };

export const DIALECT_KEYS = Object.keys(DIALECT_VALUES) as DialectKey[];

export const DEFAULT_DIALECT: Readonly<Dialect> = Object.freeze({
  errors: 'message',
  participants: 'objects',
  records: 'top-level',
  campaignReplay: 'on',
  referenceIdEcho: 'outbound-only',
  callIdInReads: 'callUuid',
  recordingState: 'named',
});

/** A partial dialect (scenario field, control API body): unknown keys and values are errors. */
export const dialectSchema = z.strictObject({
  errors: z.enum(DIALECT_VALUES.errors).optional(),
  participants: z.enum(DIALECT_VALUES.participants).optional(),
  records: z.enum(DIALECT_VALUES.records).optional(),
  campaignReplay: z.enum(DIALECT_VALUES.campaignReplay).optional(),
  referenceIdEcho: z.enum(DIALECT_VALUES.referenceIdEcho).optional(),
  callIdInReads: z.enum(DIALECT_VALUES.callIdInReads).optional(),
  recordingState: z.enum(DIALECT_VALUES.recordingState).optional(),
});

export type DialectInput = z.input<typeof dialectSchema>;

/** Help text: one line per key, default first. */
export function dialectHelp(indent = '    '): string {
  return DIALECT_KEYS.map((k) => `${indent}${k}=${DIALECT_VALUES[k].join('|')}`).join('\n');
}

/** Validates a partial dialect; throws an Error naming each bad key or value. */
export function checkDialect(input: unknown): Partial<Dialect> {
  const r = dialectSchema.safeParse(input);
  if (r.success) {
    const out: Partial<Dialect> = {};
    for (const k of DIALECT_KEYS) if (r.data[k] !== undefined) Object.assign(out, { [k]: r.data[k] });
    return out;
  }
  throw new Error(
    r.error.issues
      .map((i) => {
        if (i.code === 'unrecognized_keys') return `unknown dialect key ${i.keys.join(', ')} (keys: ${DIALECT_KEYS.join(', ')})`;
        const key = String(i.path[0] ?? '');
        const allowed = (DIALECT_VALUES as Record<string, readonly string[]>)[key];
        return allowed ? `dialect ${key} must be one of ${allowed.join(', ')}` : i.message;
      })
      .join('; '),
  );
}

/** Parses the CLI form `errors=notification,participants=strings`; throws on a bad entry. */
export function parseDialect(text: string): Partial<Dialect> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) throw new Error(`dialect entry "${part}" is not key=value`);
    const key = part.slice(0, eq).trim();
    if (Object.hasOwn(out, key)) throw new Error(`dialect key ${key} given twice`);
    out[key] = part.slice(eq + 1).trim();
  }
  return checkDialect(out);
}

export const mergeDialect = (base: Readonly<Dialect>, ...parts: Array<Partial<Dialect> | undefined>): Dialect =>
  Object.assign({ ...base }, ...parts.map((p) => checkDialect(p ?? {})));
