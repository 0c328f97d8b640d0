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
 * O(entries) in V8 (core/lru-map.ts).
 */
class TtlMap<T> {
  readonly #map: LruMap<Entry<T>>;
  constructor(
    private readonly ttlMs: number,
    max: number,
    private readonly now: () => number,
  ) {
    this.#map = new LruMap(max);
  }

  get(key: string): T | undefined {
    const e = this.#map.peek(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.#map.delete(key);
      return undefined;
    }
    return e.value;
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
    opts: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {
    const ttl = opts.ttlMs ?? 5_000;
    const max = opts.maxEntries ?? 10_000;
    const now = opts.now ?? Date.now;
    this.#apiKeys = new TtlMap(ttl, max, now);
    this.#basic = new TtlMap(ttl, max, now);
    this.#consumersById = new TtlMap(ttl, max, now);
    this.#consumersByName = new TtlMap(ttl, max, now);
  }

  async apiKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    const hit = this.#apiKeys.get(hash);
    if (hit !== undefined) return hit;
    const found = await this.store.apiKeys.findByHash(this.environment, hash);
    this.#apiKeys.set(hash, found);
    return found;
  }

  async basicByUsername(username: string): Promise<BasicCredential | null> {
    const hit = this.#basic.get(username);
    if (hit !== undefined) return hit;
    const found = await this.store.basicCredentials.findByUsername(this.environment, username);
    this.#basic.set(username, found);
    return found;
  }

  async consumerById(id: string): Promise<Consumer | null> {
    const hit = this.#consumersById.get(id);
    if (hit !== undefined) return hit;
    const found = await this.store.consumers.get(this.environment, id);
    this.#consumersById.set(id, found);
    return found;
  }

  async consumerByName(name: string): Promise<Consumer | null> {
    const hit = this.#consumersByName.get(name);
    if (hit !== undefined) return hit;
    const found = await this.store.consumers.getByName(this.environment, name);
    this.#consumersByName.set(name, found);
    return found;
  }

  clear(): void {
    this.#apiKeys.clear();
    this.#basic.clear();
    this.#consumersById.clear();
    this.#consumersByName.clear();
  }
}
