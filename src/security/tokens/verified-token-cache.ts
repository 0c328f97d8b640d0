// A bounded cache of verified tokens: never used past exp, purged on revocation and key changes.
import type { JsonValue } from '../../core/json.js';
import type { VerifiedToken } from './token-service.js';

function deepFreeze<T extends JsonValue>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v as JsonValue);
    Object.freeze(value);
  }
  return value;
}

/**
 * Insertion-ordered map with FIFO eviction at `max` entries. Values are frozen so callers sharing a
 * cached result cannot change what the next request sees. The caller checks `exp` on every hit.
 */
export class VerifiedTokenCache {
  #map = new Map<string, VerifiedToken>();

  constructor(private readonly max: number) {}

  get(token: string): VerifiedToken | undefined {
    return this.#map.get(token);
  }

  /** Stores and returns the frozen entry. */
  set(token: string, value: VerifiedToken): VerifiedToken {
    if (this.max <= 0) return value;
    if (this.#map.size >= this.max) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
    deepFreeze(value.claims);
    Object.freeze(value.scopes);
    const frozen = Object.freeze(value);
    this.#map.set(token, frozen);
    return frozen;
  }

  delete(token: string): void {
    this.#map.delete(token);
  }

  /** Removes every entry for which `predicate` holds. */
  purge(predicate: (v: VerifiedToken) => boolean): void {
    for (const [token, v] of this.#map) if (predicate(v)) this.#map.delete(token);
  }

  clear(): void {
    this.#map.clear();
  }

  get size(): number {
    return this.#map.size;
  }
}
