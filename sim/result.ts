// The synchronous reply of an operation (gws-api.md §1): 0 = accepted, anything else changed nothing.
export interface OpResult {
  statusCode: number;
  statusMessage?: string;
}

export const OK: OpResult = { statusCode: 0 };
export const missing = (name: string): OpResult => ({ statusCode: 1, statusMessage: `Required parameter '${name}' is missing` });
export const badState = (what: string): OpResult => ({ statusCode: 2, statusMessage: `${what} is not valid for the current state` });
export const notFound = (what: string): OpResult => ({ statusCode: 6, statusMessage: `${what} not found` });
export const invalid = (what: string): OpResult => ({ statusCode: 10, statusMessage: what });

export type Body = Record<string, unknown>;

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
export const obj = (v: unknown): Body | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Body) : undefined;

/** Runs a deferred task; a bug in one simulated event must not take the process down. */
export function safely(fn: () => void): () => void {
  return () => {
    try {
      fn();
    } catch (e) {
      console.error('[sim] internal error in a deferred task:', e);
    }
  };
}

/** Copies JSON-ish key/values without letting `__proto__` rewrite the target's prototype. */
export function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(source)) {
    if (k === '__proto__') continue;
    Object.defineProperty(target, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
}

export const hasKey = (o: object, k: string): boolean => Object.hasOwn(o, k);

/** The `referenceId` of a request, echoed in the notifications it causes. */
export const refOf = (body: Body): { referenceId?: unknown } =>
  body.referenceId !== undefined && body.referenceId !== null ? { referenceId: body.referenceId } : {};
