// Masks sensitive values: in log text (values found under sensitive field names) and in recorded messages.
import { defineOwn, isJsonObject } from '../json.js';
import type { JsonObject, JsonValue } from '../json.js';

/** Field names treated as sensitive in every pipeline (SPEC §5.1 plus a few), compared normalised. */
export const BUILT_IN_SENSITIVE_FIELDS = [
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'api_key',
  'authorization',
  'cookie',
  'creditcard',
  'cardnumber',
  'cvv',
  'ssn',
  'pin',
  // Beyond SPEC §5.1: credentials that travel under other names.
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'private_key',
] as const;

/** Lower case without `-` and `_`, the form sensitive names are compared in. */
export function normalizeFieldName(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/** A set of normalised sensitive names: the built-in list plus `extra`. */
export function sensitiveNameSet(extra: readonly string[] = []): ReadonlySet<string> {
  return new Set([...BUILT_IN_SENSITIVE_FIELDS, ...extra].map(normalizeFieldName));
}

const MAX_WALK_NODES = 10_000;
const MAX_DEPTH = 64;

/** Collects the string and number values stored under sensitive names anywhere in `value`. */
export function collectSensitiveValues(value: JsonValue, names: ReadonlySet<string>, into: Set<string> = new Set()): Set<string> {
  let budget = MAX_WALK_NODES;
  const visit = (v: JsonValue, sensitive: boolean, depth: number): void => {
    if (--budget < 0 || depth > MAX_DEPTH) return;
    if (typeof v === 'string' || typeof v === 'number') {
      if (sensitive && String(v).length > 0) into.add(String(v));
    } else if (Array.isArray(v)) {
      for (const item of v) visit(item, sensitive, depth + 1);
    } else if (isJsonObject(v)) {
      for (const [k, child] of Object.entries(v)) visit(child, sensitive || names.has(normalizeFieldName(k)), depth + 1);
    }
  };
  visit(value, false, 0);
  return into;
}

/** Replaces every occurrence of every secret in `text` with `***` (longest secrets first). */
export function maskText(text: string, secrets: Iterable<string>): string {
  const sorted = [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  let out = text;
  for (const s of sorted) if (out.includes(s)) out = out.split(s).join('***');
  return out;
}

/**
 * A copy of `value` for execution records: values under sensitive names become `***`, strings
 * longer than `maxString` are cut, and the walk is bounded.
 */
export function redactMessage(value: JsonValue, names: ReadonlySet<string>, maxString = 4096): JsonValue {
  let budget = MAX_WALK_NODES;
  const copy = (v: JsonValue, depth: number): JsonValue => {
    if (--budget < 0 || depth > MAX_DEPTH) return '…';
    if (typeof v === 'string') return v.length > maxString ? `${v.slice(0, maxString)}…(${v.length} chars)` : v;
    if (Array.isArray(v)) return v.map((i) => copy(i, depth + 1));
    if (isJsonObject(v)) {
      const out: JsonObject = {};
      for (const [k, child] of Object.entries(v)) {
        const masked = names.has(normalizeFieldName(k)) && child !== null;
        defineOwn(out, k, masked ? '***' : copy(child, depth + 1));
      }
      return out;
    }
    return v;
  };
  return copy(value, 0);
}
