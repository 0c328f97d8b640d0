// JSON value types and the few safe helpers every module needs (own-property access, deep equality).

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Reads an own property only: `__proto__`, `constructor` and other inherited names yield undefined,
 * so data from a message can never reach Object.prototype.
 */
export function getOwn(obj: object, key: string): unknown {
  return hasOwn.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/** Creates an object with a null prototype holding the given entries. */
export function safeObject(entries: Iterable<[string, JsonValue]> = []): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of entries) defineOwn(out, k, v);
  return out;
}

/** Sets a property as an own data property even when the key is `__proto__`. */
export function defineOwn(target: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Structural equality of two JSON values (object key order ignored). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEquals(v, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => hasOwn.call(b, k) && jsonEquals(getOwn(a, k), getOwn(b as object, k)));
}

/** The JSON type name of a value, for error messages. */
export function jsonTypeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Parses JSON text. JSON.parse defines members with CreateDataProperty, so a `"__proto__"` member
 * becomes an own property and never changes the prototype; kept as one named entry point.
 */
export function parseJsonSafe(text: string): JsonValue {
  return JSON.parse(text) as JsonValue;
}
