// The JOLT engine's internal JSON representation (objects as insertion-ordered Maps) and its conversions.
import type { JsonValue } from '../core/json.js';
import { defineOwn } from '../core/json.js';
import { PlatformError } from '../errors/index.js';

/**
 * A JSON value as the engine sees it. Objects are `Map`s so that key order is exactly document
 * order, including integer-like keys ("0", "1", ...) that plain JavaScript objects would move to the
 * front, and so that no key (not even `__proto__`) can touch a prototype.
 */
export type JoltValue = null | boolean | number | string | JoltValue[] | JoltMap;
/** A JSON object in the engine's representation. */
export type JoltMap = Map<string, JoltValue>;

/** Bounds that keep a transform from exhausting the process on hostile input. */
export interface JoltLimits {
  /** Maximum nesting depth of input, spec, context and every intermediate result. */
  maxDepth: number;
  /** Maximum number of JSON nodes (values) in any of them. */
  maxNodes: number;
  /** Highest array index a spec or an output path may write. */
  maxArrayIndex: number;
}

export const defaultLimits: JoltLimits = {
  maxDepth: 256,
  maxNodes: 1_000_000,
  maxArrayIndex: 100_000,
};

/** True for an engine object. */
export function isMap(value: unknown): value is JoltMap {
  return value instanceof Map;
}

function limitError(what: string, limit: string, max: number): PlatformError {
  return new PlatformError('ERR_JOLT_LIMIT', { what, limit, max });
}

/** Counts nodes and depth, failing fast with ERR_JOLT_LIMIT; walks shared references as a tree. */
export function checkLimits(value: JoltValue, limits: JoltLimits, what: string): void {
  let nodes = 0;
  const stack: Array<[JoltValue, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (++nodes > limits.maxNodes) throw limitError(what, 'maxNodes', limits.maxNodes);
    if (depth > limits.maxDepth) throw limitError(what, 'maxDepth', limits.maxDepth);
    if (Array.isArray(v)) for (const e of v) stack.push([e, depth + 1]);
    else if (v instanceof Map) for (const e of v.values()) stack.push([e, depth + 1]);
  }
}

/** Converts a plain JSON value (e.g. a message) into a fresh engine tree, enforcing the limits. */
export function fromJson(
  value: unknown,
  limits: JoltLimits = defaultLimits,
  what = 'input',
): JoltValue {
  const budget = { nodes: 0 };
  return convertIn(value, 1, limits, what, budget);
}

function convertIn(
  value: unknown,
  depth: number,
  limits: JoltLimits,
  what: string,
  budget: { nodes: number },
): JoltValue {
  if (++budget.nodes > limits.maxNodes) throw limitError(what, 'maxNodes', limits.maxNodes);
  if (depth > limits.maxDepth) throw limitError(what, 'maxDepth', limits.maxDepth);
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => convertIn(v, depth + 1, limits, what, budget));
  if (value instanceof Map) {
    const out: JoltMap = new Map();
    for (const [k, v] of value) out.set(String(k), convertIn(v, depth + 1, limits, what, budget));
    return out;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object': {
      const out: JoltMap = new Map();
      for (const k of Object.keys(value as object)) {
        out.set(
          k,
          convertIn((value as Record<string, unknown>)[k], depth + 1, limits, what, budget),
        );
      }
      return out;
    }
    default:
      return null;
  }
}

/** Converts an engine tree back to plain JSON (fresh objects, `__proto__` kept as an own key). */
export function toJson(
  value: JoltValue,
  limits: JoltLimits = defaultLimits,
  what = 'output',
): JsonValue {
  const budget = { nodes: 0 };
  return convertOut(value, 1, limits, what, budget);
}

function convertOut(
  value: JoltValue,
  depth: number,
  limits: JoltLimits,
  what: string,
  budget: { nodes: number },
): JsonValue {
  if (++budget.nodes > limits.maxNodes) throw limitError(what, 'maxNodes', limits.maxNodes);
  if (depth > limits.maxDepth) throw limitError(what, 'maxDepth', limits.maxDepth);
  if (Array.isArray(value)) return value.map((v) => convertOut(v, depth + 1, limits, what, budget));
  if (value instanceof Map) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of value) defineOwn(out, k, convertOut(v, depth + 1, limits, what, budget));
    return out;
  }
  return value;
}

/** Deep copy of an engine tree (JOLT's DeepCopy). */
export function deepCopy(value: JoltValue): JoltValue {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (value instanceof Map) {
    const out: JoltMap = new Map();
    for (const [k, v] of value) out.set(k, deepCopy(v));
    return out;
  }
  return value;
}

/** Structural equality (object key order ignored), as Java's equals on maps and lists. */
export function treeEquals(a: JoltValue, b: JoltValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => treeEquals(v, b[i]!));
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !treeEquals(v, b.get(k)!)) return false;
    return true;
  }
  return false;
}

/** Java's `toString()` of a scalar, used when a scalar input is matched as a key. */
export function scalarToString(value: JoltValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return javaNumberString(value);
  return String(value);
}

/** Renders a number the way Jackson-parsed Java numbers print (integers without a fraction). */
export function javaNumberString(n: number): string {
  return String(n);
}
