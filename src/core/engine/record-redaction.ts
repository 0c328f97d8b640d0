// Masks the messages kept in execution records: sensitive fields by name, known secret values anywhere.
import { defineOwn, isJsonObject } from '../json.js';
import type { JsonObject, JsonValue } from '../json.js';
import { maskText, normalizeFieldName } from './masking.js';

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
      if (child !== null && w.names.has(normalizeFieldName(k))) {
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
    const w: Walk = { names, found, budget: MAX_WALK_NODES };
    const value = v === null ? null : byName(v, w, 0);
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
