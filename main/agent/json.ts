/**
 * Plain-JSON helpers the reducer modules share: copying parsed values into JSON, and own-key
 * access that a server-sent id such as "__proto__" cannot subvert.
 */
import type { JsonObject, JsonValue } from './snapshot';

export function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Copies any parsed-JSON-ish value into plain JSON (drops undefined/functions, non-finite → null). */
export function toJsonValue(value: unknown, depth = 0): JsonValue | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object': {
      if (depth > 32) return null;
      if (Array.isArray(value)) {
        // A plain loop: `map` would consult the array's own `constructor` (Symbol.species) and could throw.
        const out: JsonValue[] = [];
        for (let i = 0; i < value.length; i += 1) out.push(toJsonValue(value[i], depth + 1) ?? null);
        return out;
      }
      return toJsonObject(value, depth + 1);
    }
    default:
      return undefined;
  }
}

export function toJsonObject(value: unknown, depth = 0): JsonObject {
  const out: JsonObject = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [key, v] of Object.entries(value)) {
    const json = toJsonValue(v, depth);
    if (json !== undefined) setOwn(out, key, json);
  }
  return out;
}

/** `record[key]` for own keys only: a server-sent id such as "__proto__" or "constructor" is just an id. */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** `record[key] = value` that stays an own data property even for "__proto__" (never sets the prototype). */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
