// A bounded cache of verified tokens: never used past exp, purged on revocation and key changes.
import type { JsonValue } from '../../core/json.js';
import { LruMap } from '../../core/lru-map.js';
import type { VerifiedToken } from './token-service.js';

function deepFreeze<T extends JsonValue>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v as JsonValue);
    Object.freeze(value);
  }
  return value;
}

/** Default byte bound of the cache (with the default 10,000 entries, tokens up to ~1.5 KB fit both). */
export const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;

/** Fixed cost of one entry besides the token text and its claims: Map slot, result object, scopes. */
const ENTRY_OVERHEAD = 512;

/**
 * Estimated heap bytes one entry holds: the token string (one byte per character), plus the parsed
 * claims, counted as 4 × the payload's JSON bytes (V8 objects and strings of a small JSON document
 * take 3–4× its text; bench/token-cache-memory.js measures it), plus a fixed overhead.
 */
export function entryBytes(token: string): number {
  const a = token.indexOf('.');
  const b = a < 0 ? -1 : token.indexOf('.', a + 1);
  const payloadChars = b > a ? b - a - 1 : token.length;
  return token.length + Math.ceil((payloadChars * 3) / 4) * 4 + ENTRY_OVERHEAD;
}

/**
 * Insertion-ordered map with FIFO eviction, bounded by `max` entries and by `maxBytes` estimated
 * bytes (entryBytes). Values are frozen so callers sharing a cached result cannot change what the
 * next request sees. The caller checks `exp` on every hit. The order is kept in an LruMap read with
 * `peek` (a FIFO): evicting from a plain Map's front costs O(entries) in V8 (its iterator walks the
 * deleted slots), 6 µs per new token at 10,000 entries (bench/gateway-jwt.md, "Session 4").
 */
export class VerifiedTokenCache {
  readonly #map = new LruMap<{ value: VerifiedToken; bytes: number }>(Number.MAX_SAFE_INTEGER);
  #bytes = 0;

  constructor(
    private readonly max: number,
    private readonly maxBytes: number = DEFAULT_CACHE_BYTES,
  ) {}

  get(token: string): VerifiedToken | undefined {
    return this.#map.peek(token)?.value;
  }

  /** Stores and returns the frozen entry (not stored when one entry alone exceeds a bound). */
  set(token: string, value: VerifiedToken): VerifiedToken {
    deepFreeze(value.claims);
    Object.freeze(value.scopes);
    const frozen = Object.freeze(value);
    const bytes = entryBytes(token);
    if (this.max <= 0 || bytes > this.maxBytes) return frozen;
    this.delete(token);
    while (this.#map.size >= this.max || this.#bytes + bytes > this.maxBytes) {
      const oldest = this.#map.oldest();
      if (!oldest) break;
      this.delete(oldest.key);
    }
    this.#map.set(token, { value: frozen, bytes });
    this.#bytes += bytes;
    return frozen;
  }

  delete(token: string): void {
    const e = this.#map.peek(token);
    if (!e) return;
    this.#map.delete(token);
    this.#bytes -= e.bytes;
  }

  /** Removes every entry for which `predicate` holds. */
  purge(predicate: (v: VerifiedToken) => boolean): void {
    for (const [token, e] of this.#map.entries()) if (predicate(e.value)) this.delete(token);
  }

  clear(): void {
    this.#map.clear();
    this.#bytes = 0;
  }

  get size(): number {
    return this.#map.size;
  }

  /** Estimated bytes held (sum of entryBytes of the cached tokens). */
  get bytes(): number {
    return this.#bytes;
  }

  /** The cached tokens, oldest first (tests and diagnostics). */
  tokens(): string[] {
    return [...this.#map.entries()].map(([token]) => token);
  }
}
