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

/** Lower-case letters and digits only: `X-Api-Key`, `x_api.key` and `xApiKey` all give `xapikey`. */
function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The words of a field name: camelCase, PascalCase, digits and any separator split it. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Sensitive names shorter than this match whole words only (`pin` in `userPin`, `pin_code`, not in
 * `shipping`); longer ones match as a substring of the squashed name (`newPassword`, `x-api-key`,
 * `proxy-authorization`, `csrfToken`).
 */
const MIN_SUBSTRING_LENGTH = 5;
const MAX_CACHED_NAMES = 10_000;

/**
 * The sensitive-name list as a set whose `has(name)` takes a field name as written (any case and
 * separators) and answers whether it is sensitive: a long sensitive name contained in the squashed
 * field name, or a short one equal to the whole name or one of its words. Iterating yields the
 * normalised list. Decisions are cached per field name (bounded).
 */
export class SensitiveNameSet extends Set<string> {
  readonly #long: string[] = [];
  readonly #short = new Set<string>();
  readonly #cache = new Map<string, boolean>();

  constructor(names: Iterable<string>) {
    super();
    for (const raw of names) {
      const n = squash(raw);
      if (n === '' || super.has(n)) continue;
      super.add(n);
      if (n.length >= MIN_SUBSTRING_LENGTH) this.#long.push(n);
      else this.#short.add(n);
    }
  }

  /** True when the field `name` (as written, or already normalised) is sensitive. */
  override has(name: string): boolean {
    if (typeof name !== 'string') return false;
    const hit = this.#cache.get(name);
    if (hit !== undefined) return hit;
    const result = this.#decide(name);
    if (this.#cache.size >= MAX_CACHED_NAMES) this.#cache.clear();
    this.#cache.set(name, result);
    return result;
  }

  #decide(name: string): boolean {
    const n = squash(name);
    if (n === '') return false;
    if (this.#short.has(n)) return true;
    for (const s of this.#long) if (n.includes(s)) return true;
    if (this.#short.size > 0) for (const w of wordsOf(name)) if (this.#short.has(w)) return true;
    return false;
  }
}

/** `names` as a SensitiveNameSet (a plain set of names is turned into one, never matched exactly). */
function matcherOf(names: ReadonlySet<string>): ReadonlySet<string> {
  return names instanceof SensitiveNameSet ? names : new SensitiveNameSet(names);
}

/** The sensitive names: the built-in list plus `extra`, matched as SensitiveNameSet says. */
export function sensitiveNameSet(extra: readonly string[] = []): ReadonlySet<string> {
  return new SensitiveNameSet([...BUILT_IN_SENSITIVE_FIELDS, ...extra]);
}

/**
 * Collects the string and number values stored under sensitive names anywhere in `value`. The walk
 * covers the whole value (no node or depth budget: a secret past a budget would leak); it is
 * iterative, so deep nesting cannot overflow the stack, and linear in the size of the message (request
 * data is bounded by the trigger's `maxRequestSizeMb`; anything larger was built by the pipeline).
 */
export function collectSensitiveValues(
  value: JsonValue,
  names: ReadonlySet<string>,
  into: Set<string> = new Set(),
): Set<string> {
  const matcher = matcherOf(names);
  const stack: Array<[JsonValue, boolean]> = [[value, false]];
  while (stack.length > 0) {
    const [v, sensitive] = stack.pop()!;
    if (typeof v === 'string' || typeof v === 'number') {
      if (sensitive && String(v).length > 0) into.add(String(v));
    } else if (Array.isArray(v)) {
      for (const item of v) stack.push([item, sensitive]);
    } else if (isJsonObject(v)) {
      for (const [k, child] of Object.entries(v)) stack.push([child, sensitive || matcher.has(k)]);
    }
  }
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
 * A copy of `value` for execution records: values under sensitive names become `***` and strings
 * longer than `maxString` are cut. Like collectSensitiveValues it walks the whole value iteratively.
 */
export function redactMessage(value: JsonValue, names: ReadonlySet<string>, maxString = 4096): JsonValue {
  const matcher = matcherOf(names);
  const cut = (v: string): string => (v.length > maxString ? `${v.slice(0, maxString)}…(${v.length} chars)` : v);
  const shallow = (v: JsonValue): JsonValue => {
    if (typeof v === 'string') return cut(v);
    if (Array.isArray(v)) return [];
    if (isJsonObject(v)) return {};
    return v;
  };
  const root = shallow(value);
  // Each entry: a source container and its (empty) copy, filled child by child.
  const stack: Array<[JsonValue, JsonValue]> = [[value, root]];
  while (stack.length > 0) {
    const [src, dst] = stack.pop()!;
    if (Array.isArray(src)) {
      const out = dst as JsonValue[];
      for (const item of src) {
        const c = shallow(item);
        out.push(c);
        if (c !== null && typeof c === 'object') stack.push([item, c]);
      }
    } else if (isJsonObject(src)) {
      const out = dst as JsonObject;
      for (const [k, child] of Object.entries(src)) {
        const masked = matcher.has(k) && child !== null;
        const c = masked ? '***' : shallow(child);
        defineOwn(out, k, c);
        if (!masked && c !== null && typeof c === 'object') stack.push([child, c]);
      }
    }
  }
  return root;
}
