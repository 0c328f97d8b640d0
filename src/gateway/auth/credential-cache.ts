// Short-lived, bounded cache of consumer and credential lookups, cleared on every credential change.
import { LruMap } from '../../core/lru-map.js';
import type { ApiKeyRecord, BasicCredential, Consumer, Store } from '../../store/store.js';

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * A bounded TTL map; the oldest entries go first. An LruMap read with `peek` (insertion order): a
 * flood of unknown keys evicts one entry per lookup, and evicting from a plain Map's front costs
 * O(entries) in V8 (core/lru-map.ts). An expired entry stays until replaced or evicted: `stale`
 * serves it for `staleMs` more while the store fails.
 */
class TtlMap<T> {
  readonly #map: LruMap<Entry<T>>;
  constructor(
    private readonly ttlMs: number,
    max: number,
    private readonly now: () => number,
    private readonly staleMs = 0,
  ) {
    this.#map = new LruMap(max);
  }

  get(key: string): T | undefined {
    const e = this.#map.peek(key);
    return e && e.expiresAt > this.now() ? e.value : undefined;
  }

  /** The entry, expired for less than `staleMs` (what a lookup answers while the store fails). */
  stale(key: string): T | undefined {
    const e = this.#map.peek(key);
    return e && e.expiresAt + this.staleMs > this.now() ? e.value : undefined;
  }

  set(key: string, value: T): void {
    this.#map.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }

  clear(): void {
    this.#map.clear();
  }
}

/**
 * Lookups the authentication strategies need on every request. Entries live `ttlMs` (default 5 s)
 * and the gateway clears everything when the change feed reports a consumer or credential change, so
 * a revoked key or a disabled consumer stops working within the poll bound on every node. Negative
 * results are cached too (a flood of unknown keys does not become a flood of queries); the key is the
 * keyed hash, never the API key itself.
 */
export class CredentialCache {
  readonly #apiKeys: TtlMap<ApiKeyRecord | null>;
  readonly #basic: TtlMap<BasicCredential | null>;
  readonly #consumersById: TtlMap<Consumer | null>;
  readonly #consumersByName: TtlMap<Consumer | null>;

  constructor(
    private readonly store: Store,
    private readonly environment: string,
    opts: { ttlMs?: number; maxEntries?: number; staleOnErrorMs?: number; now?: () => number } = {},
  ) {
    const ttl = opts.ttlMs ?? 5_000;
    const max = opts.maxEntries ?? 10_000;
    const now = opts.now ?? Date.now;
    // Credentials are never served stale: an API key or password check fails with the store
    // (docs/scaling.md "Failure modes"). Consumers are, for the token service's own bound, so that
    // a token verified before an outage keeps working through it (its consumer status is cached
    // the same way, security/tokens/consumer-cache.ts).
    const staleConsumers = opts.staleOnErrorMs ?? 30_000;
    this.#apiKeys = new TtlMap(ttl, max, now);
    this.#basic = new TtlMap(ttl, max, now);
    this.#consumersById = new TtlMap(ttl, max, now, staleConsumers);
    this.#consumersByName = new TtlMap(ttl, max, now, staleConsumers);
  }

  apiKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.#cached(this.#apiKeys, hash, () =>
      this.store.apiKeys.findByHash(this.environment, hash),
    );
  }

  basicByUsername(username: string): Promise<BasicCredential | null> {
    return this.#cached(this.#basic, username, () =>
      this.store.basicCredentials.findByUsername(this.environment, username),
    );
  }

  consumerById(id: string): Promise<Consumer | null> {
    return this.#cached(this.#consumersById, id, () =>
      this.store.consumers.get(this.environment, id),
    );
  }

  consumerByName(name: string): Promise<Consumer | null> {
    return this.#cached(this.#consumersByName, name, () =>
      this.store.consumers.getByName(this.environment, name),
    );
  }

  /** A fresh entry, else the store's answer (cached), else, when the store fails, a stale entry. */
  async #cached<T>(map: TtlMap<T>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit !== undefined) return hit;
    let found: T;
    try {
      found = await load();
    } catch (err) {
      const stale = map.stale(key);
      if (stale !== undefined) return stale;
      throw err;
    }
    map.set(key, found);
    return found;
  }

  clear(): void {
    this.#apiKeys.clear();
    this.#basic.clear();
    this.#consumersById.clear();
    this.#consumersByName.clear();
  }
}
