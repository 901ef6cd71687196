/**
 * Nested objects built from names found in the registry or a property list: a value or subkey
 * named `__proto__` must become an own key (which the strict schema then refuses), never the
 * prototype of the object, let alone Object.prototype.
 */
export type Tree = Record<string, unknown>;

export function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

export function ownChild(node: unknown, key: string): unknown {
  return isTree(node) && Object.hasOwn(node, key) ? node[key] : undefined;
}

export function defineOwn(node: Tree, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Sets `value` at `path`, making objects on the way (replacing any non-object found there). */
export function setOwnPath(target: Tree, path: readonly string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    let next = ownChild(node, part);
    if (!isTree(next)) {
      next = {};
      defineOwn(node, part, next);
    }
    node = next as Tree;
  }
  defineOwn(node, path[path.length - 1] ?? '', value);
}

export function getOwnPath(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const part of path) node = ownChild(node, part);
  return node;
}
