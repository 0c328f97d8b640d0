// A short cache of consumer status by name for token checks; cleared when the change feed reports consumer edits.
import type { Store } from '../../store/store.js';

/**
 * What token checks need to know about a consumer; null when it does not exist (or was deleted).
 * `id` is the consumer's immutable id: a consumer re-created with the same name has another one.
 */
export type ConsumerStatus = { id: string; enabled: boolean; scopes: string[] | null } | null;

/** Resolves a consumer by name (the store by default; `pipegate run` adds its test consumer). */
export type ConsumerLookup = (name: string) => Promise<ConsumerStatus>;

/** The store-backed lookup. */
export function storeConsumerLookup(store: Store, environment: string): ConsumerLookup {
  return async (name) => {
    const c = await store.consumers.getByName(environment, name);
    return c && c.deletedAt === null ? { id: c.id, enabled: c.enabled, scopes: c.scopes } : null;
  };
}

/**
 * Caches lookups for `ttlMs` (a backstop: the token service clears the cache on every `consumers`
 * change-feed event, so edits on any node apply within the refresh interval). Concurrent lookups of
 * the same name share one store query. Bounded: cleared entirely when `maxEntries` is reached.
 */
export class ConsumerCache {
  #entries = new Map<string, { status: ConsumerStatus; at: number }>();
  #pending = new Map<string, Promise<ConsumerStatus>>();
  #generation = 0;

  constructor(
    private readonly lookup: ConsumerLookup,
    private readonly clock: () => number,
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 10_000,
    /**
     * How long past its TTL an entry still answers when the store fails: verified tokens keep
     * working through a store outage for this bound (the token service's own staleness bound).
     */
    private readonly staleOnErrorMs = 30_000,
  ) {}

  /** The consumer's status; rejects when the store fails. */
  get(name: string): Promise<ConsumerStatus> | ConsumerStatus {
    const hit = this.#entries.get(name);
    if (hit && this.clock() - hit.at < this.ttlMs) return hit.status;
    const pending = this.#pending.get(name);
    if (pending) return pending;
    const generation = this.#generation;
    const p = this.lookup(name).then(
      (status) => {
        this.#pending.delete(name);
        if (generation === this.#generation) {
          if (this.#entries.size >= this.maxEntries) this.#entries.clear();
          this.#entries.set(name, { status, at: this.clock() });
        }
        return status;
      },
      (err: unknown) => {
        this.#pending.delete(name);
        const stale = generation === this.#generation ? this.#entries.get(name) : undefined;
        if (stale && this.clock() - stale.at < this.ttlMs + this.staleOnErrorMs)
          return stale.status;
        throw err;
      },
    );
    this.#pending.set(name, p);
    return p;
  }

  /** Forgets everything (a consumer changed somewhere). */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#pending.clear();
  }
}
