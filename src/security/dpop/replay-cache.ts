// The DPoP proof `jti` replay cache (RFC 9449 §11.1): the port, and a bounded in-memory implementation.

/**
 * Remembers ids until they expire. `checkAndRemember` is atomic per id: it answers `true` the first
 * time an id is seen while unexpired, `false` for every later call before `expiresAtMs`. A Redis or
 * store-backed implementation of the same port shares the memory across nodes.
 */
export interface ReplayCache {
  checkAndRemember(id: string, expiresAtMs: number): Promise<boolean>;
}

/** Options of MemoryReplayCache. */
export interface MemoryReplayCacheOptions {
  /** Most ids remembered (default 100,000). */
  maxEntries?: number;
  /** Clock in epoch ms (tests). */
  now?: () => number;
}

/**
 * One node's memory of ids, bounded. Expired ids are dropped first; when the cache is full of
 * unexpired ids the call answers `false` (refuse) rather than forgetting an id that could then be
 * replayed: under a flood of proofs the gateway fails closed, and the bound caps the memory.
 */
export class MemoryReplayCache implements ReplayCache {
  readonly #seen = new Map<string, number>();
  readonly #max: number;
  readonly #now: () => number;
  #lastSweep = -Infinity;

  constructor(options: MemoryReplayCacheOptions = {}) {
    this.#max = options.maxEntries ?? 100_000;
    if (!(this.#max >= 1)) throw new RangeError('MemoryReplayCache maxEntries must be at least 1');
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#seen.size;
  }

  checkAndRemember(id: string, expiresAtMs: number): Promise<boolean> {
    const now = this.#now();
    const known = this.#seen.get(id);
    if (known !== undefined && known > now) return Promise.resolve(false);
    if (known !== undefined) this.#seen.delete(id);
    if (this.#seen.size >= this.#max) this.#sweep(now);
    if (this.#seen.size >= this.#max) return Promise.resolve(false);
    this.#seen.set(id, expiresAtMs);
    return Promise.resolve(true);
  }

  /** Drops expired ids (insertion order is close to expiry order: proofs share one window). */
  #sweep(now: number): void {
    // At most one full scan per second, so a flood against a full cache stays O(1) per call.
    if (now - this.#lastSweep < 1000) return;
    this.#lastSweep = now;
    for (const [id, exp] of this.#seen) {
      if (exp <= now) this.#seen.delete(id);
    }
  }
}
