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
 * The walk is copy-on-write: a container is copied only when something in it changes (a value under
 * a sensitive name, a string over the cap, a node past the budget or the depth limit), and anything
 * that is not a plain object or array is copied as the copying walk did. Most messages hold no
 * sensitive field name: they are returned as they are and serialised without a copy.
 * src/core/engine/record-redaction.test.ts compares it with the copying walk on generated messages.
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

/** The message with values under sensitive names replaced by `***`: `v` itself when nothing changes. */
function byName(v: JsonValue, w: Walk, depth: number): JsonValue {
  if (--w.budget < 0 || depth > MAX_DEPTH) return '…';
  if (typeof v === 'string')
    return v.length > MAX_RECORDED_STRING ? `${v.slice(0, MAX_RECORDED_STRING)}…` : v;
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    // Not a plain array: mapped (a copy), as before.
    if (Object.getPrototypeOf(v) !== Array.prototype) return v.map((i) => byName(i, w, depth + 1));
    let out: JsonValue[] | undefined;
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) continue; // a hole: map skipped it (no budget), the copy keeps it
      const item = v[i]!;
      const r = byName(item, w, depth + 1);
      if (out === undefined && r !== item) out = v.slice(0, i);
      if (out !== undefined) out[i] = r;
    }
    if (out !== undefined && out.length < v.length) out.length = v.length;
    return out ?? v;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  const keys = Object.keys(v);
  // Not a plain object (a Date, a Buffer…): copied field by field, as before.
  let out: JsonObject | undefined = proto === objectProto || proto === null ? undefined : {};
  for (let j = 0; j < keys.length; j++) {
    const k = keys[j]!;
    const child = v[k]!;
    let r: JsonValue;
    if (child !== null && sensitiveName(w.names, k)) {
      collect(child, w, depth + 1);
      r = '***';
    } else r = byName(child, w, depth + 1);
    if (out === undefined && r !== child) {
      out = {};
      for (let p = 0; p < j; p++) defineOwn(out, keys[p]!, v[keys[p]!]!);
    }
    if (out !== undefined) defineOwn(out, k, r);
  }
  return out ?? v;
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

/** Characters JSON.stringify writes as an escape: quote, backslash, control characters, lone surrogates. */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/*
 * The known secrets are mostly the same from one execution to the next (the bearer token of a client
 * that reuses it, the pipeline's account values): the answers for the last few strings tested are
 * kept, and a string equal to one of them (a length check, then a compare that stops at the first
 * difference) is not scanned again.
 */
const TESTED_KEPT = 4;
const tested: string[] = [];
const testedAnswers: boolean[] = [];
let nextSlot = 0;

function needsEscape(s: string): boolean {
  for (let i = 0; i < tested.length; i++) if (tested[i] === s) return testedAnswers[i]!;
  const answer = NEEDS_ESCAPE.test(s);
  tested[nextSlot] = s;
  testedAnswers[nextSlot] = answer;
  nextSlot = (nextSlot + 1) % TESTED_KEPT;
  return answer;
}

/**
 * Masks `values` together (a secret found in one is masked in all). `texts[i]`, when given, is
 * `JSON.stringify(values[i])` already made (the response body sent to the client): used as the
 * record's text when the walk leaves the message as it is, instead of serialising it again.
 */
export function redactRecorded(
  values: readonly (JsonValue | null)[],
  names: ReadonlySet<string>,
  knownSecrets: ReadonlySet<string>,
  texts?: readonly (string | undefined)[],
): RedactedMessage[] {
  const found = new Set<string>();
  const w: Walk = { names, found, budget: MAX_WALK_NODES };
  const walked: (JsonValue | null)[] = [];
  const oversized: boolean[] = [];
  for (const v of values) {
    w.budget = MAX_WALK_NODES;
    walked.push(v === null ? null : byName(v, w, 0));
    oversized.push(w.budget < 0);
  }
  const secrets: string[] = [];
  for (const s of knownSecrets) if (s.length > 0) secrets.push(s);
  for (const s of found) if (s.length > 0) secrets.push(s);
  if (secrets.length > 1) secrets.sort((a, b) => b.length - a.length);
  // The form a secret takes inside JSON text (quotes, backslashes and control characters escaped).
  // Most secrets hold nothing JSON escapes: their JSON form is themselves, searched once below.
  const inJson: string[] = [];
  for (const s of secrets) if (needsEscape(s)) inJson.push(JSON.stringify(s).slice(1, -1));
  const out: RedactedMessage[] = [];
  for (let i = 0; i < walked.length; i++) {
    const value = walked[i]!;
    if (oversized[i]) {
      out.push({ value: null, text: 'null', oversized: true });
      continue;
    }
    const given = texts?.[i];
    let text =
      given !== undefined && value === values[i] ? given : (JSON.stringify(value) ?? 'null');
    if (containsAny(text, inJson) || containsAny(text, secrets)) {
      const masked = maskStrings(value, secrets);
      text = JSON.stringify(masked) ?? 'null';
      out.push({ value: masked, text, oversized: false });
    } else out.push({ value, text, oversized: false });
  }
  return out;
}

function containsAny(text: string, parts: readonly string[]): boolean {
  for (const p of parts) if (text.includes(p)) return true;
  return false;
}
