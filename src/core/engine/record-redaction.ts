// Masks the messages kept in execution records: sensitive fields by name, known secret values anywhere.
import { defineOwn, isJsonObject } from '../json.js';
import type { JsonObject, JsonValue } from '../json.js';
import { maskText, normalizeFieldName, SensitiveNameSet } from './masking.js';

/** Strings longer than this are cut while masking (the record cap is 320 KB anyway). */
const MAX_RECORDED_STRING = 320 * 1024 + 1;
const MAX_WALK_NODES = 10_000;
const MAX_DEPTH = 64;

/*
 * One walk per message replaces values under sensitive names by `***` and collects those values
 * (4 characters or more); then the known secrets (account values, the bearer token) and the collected
 * values are searched in each message's JSON text, and only a message that contains one is walked
 * again to mask it. So a password in the request body echoed in the response under another name is
 * masked, as the engine does for log lines, while the common case costs one walk and one
 * serialisation per message (this runs on the request path). Values shorter than 4 characters are
 * only masked by name: masking every "1" because some `pin` was 1 would destroy the record.
 * A message larger than the walk budget is returned as `null` with `oversized` set: the caller
 * replaces it by the truncation marker rather than store a partial walk.
 */
export interface RedactedMessage {
  value: JsonValue | null;
  /** JSON text of `value` (what the caller stores and measures). */
  text: string;
  oversized: boolean;
}

/*
 * Most messages hold no sensitive field name and no string over the cap: for them byName's copy is
 * equal to the message itself. A check-only walk (same node budget and depth limit) finds those, and
 * the message is then serialised as is — no copy. Anything else (a sensitive name with a value, a long
 * string, an exhausted budget, a value that is not a plain object or array) takes the copying walk.
 * src/core/engine/record-redaction.test.ts compares both on generated messages.
 */

/** Per name set: field name as written → sensitive (after normalizeFieldName), bounded like its own cache. */
const decisions = new WeakMap<ReadonlySet<string>, Map<string, boolean>>();
const MAX_CACHED_DECISIONS = 10_000;

function sensitiveName(names: ReadonlySet<string>, key: string): boolean {
  // Only a SensitiveNameSet is immutable enough to cache answers for; a plain set is asked each time.
  if (!(names instanceof SensitiveNameSet)) return names.has(normalizeFieldName(key));
  let cache = decisions.get(names);
  if (!cache) decisions.set(names, (cache = new Map()));
  let hit = cache.get(key);
  if (hit === undefined) {
    hit = names.has(normalizeFieldName(key));
    if (cache.size >= MAX_CACHED_DECISIONS) cache.clear();
    cache.set(key, hit);
  }
  return hit;
}

const objectProto = Object.prototype;

/** True when byName would return a value equal to `v` (so `v` itself can be serialised). */
function unchanged(v: JsonValue, w: Walk, depth: number): boolean {
  if (--w.budget < 0 || depth > MAX_DEPTH) return false;
  if (typeof v === 'string') return v.length <= MAX_RECORDED_STRING;
  if (typeof v !== 'object' || v === null) return true;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return false;
    for (let i = 0; i < v.length; i++) if (!unchanged(v[i]!, w, depth + 1)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== objectProto && proto !== null) return false;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    const child = v[k]!;
    if (child !== null && sensitiveName(w.names, k)) return false;
    if (!unchanged(child, w, depth + 1)) return false;
  }
  return true;
}

interface Walk {
  names: ReadonlySet<string>;
  found: Set<string>;
  budget: number;
}

function collect(v: JsonValue, w: Walk, depth: number): void {
  if (--w.budget < 0 || depth > MAX_DEPTH) return;
  if (typeof v === 'string' || typeof v === 'number') {
    const s = String(v);
    if (s.length >= 4) w.found.add(s);
  } else if (Array.isArray(v)) for (const i of v) collect(i, w, depth + 1);
  else if (isJsonObject(v)) for (const c of Object.values(v)) collect(c, w, depth + 1);
}

function byName(v: JsonValue, w: Walk, depth: number): JsonValue {
  if (--w.budget < 0 || depth > MAX_DEPTH) return '…';
  if (typeof v === 'string')
    return v.length > MAX_RECORDED_STRING ? `${v.slice(0, MAX_RECORDED_STRING)}…` : v;
  if (Array.isArray(v)) return v.map((i) => byName(i, w, depth + 1));
  if (isJsonObject(v)) {
    const out: JsonObject = {};
    for (const [k, child] of Object.entries(v)) {
      if (child !== null && sensitiveName(w.names, k)) {
        collect(child, w, depth + 1);
        defineOwn(out, k, '***');
      } else defineOwn(out, k, byName(child, w, depth + 1));
    }
    return out;
  }
  return v;
}

function maskStrings(value: JsonValue, secrets: readonly string[]): JsonValue {
  if (typeof value === 'string') return maskText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => maskStrings(v, secrets));
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value))
      defineOwn(out, maskText(k, secrets), maskStrings(v, secrets));
    return out;
  }
  return value;
}

/** Masks `values` together (a secret found in one is masked in all). */
export function redactRecorded(
  values: readonly (JsonValue | null)[],
  names: ReadonlySet<string>,
  knownSecrets: ReadonlySet<string>,
): RedactedMessage[] {
  const found = new Set<string>();
  const walked = values.map((v) => {
    if (v === null) return { value: null, oversized: false };
    if (unchanged(v, { names, found, budget: MAX_WALK_NODES }, 0))
      return { value: v, oversized: false };
    const w: Walk = { names, found, budget: MAX_WALK_NODES };
    const value = byName(v, w, 0);
    return { value, oversized: w.budget < 0 };
  });
  const secrets = [...knownSecrets, ...found]
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length);
  // The form a secret takes inside JSON text (quotes, backslashes and control characters escaped).
  const inJson = secrets.map((s) => JSON.stringify(s).slice(1, -1));
  return walked.map(({ value, oversized }) => {
    if (oversized) return { value: null, text: 'null', oversized };
    let text = JSON.stringify(value) ?? 'null';
    if (inJson.some((s) => text.includes(s)) || secrets.some((s) => text.includes(s))) {
      const masked = maskStrings(value, secrets);
      text = JSON.stringify(masked) ?? 'null';
      return { value: masked, text, oversized };
    }
    return { value, text, oversized };
  });
}
