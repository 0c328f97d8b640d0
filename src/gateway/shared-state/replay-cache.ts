// One-time identifiers remembered until they expire (DPoP proof jtis, …): the interface and the in-process cache.

/**
 * Remembers identifiers until their expiry. `checkAndRemember` is atomic: of two concurrent calls
 * with one id, exactly one resolves true ("first time seen"). An id whose `expiresAtMs` has passed is
 * not remembered and answers true (the caller's own expiry check refuses it).
 */
export interface ReplayCache {
  checkAndRemember(id: string, expiresAtMs: number): Promise<boolean>;
}

/** Options of MemoryReplayCache. */
export interface MemoryReplayCacheOptions {
  now?: () => number;
  /** Bound on remembered ids (default 1,000,000); when full the soonest-inserted id is forgotten. */
  maxEntries?: number;
  /** Period of the expiry sweep in ms (default 1000); 0 disables the timer (call `sweep()`). */
  sweepIntervalMs?: number;
}

/**
 * A ReplayCache of this process only: with several workers or nodes an id can be accepted once per
 * process (use the Redis cache, `--redis`, for a cluster-wide guarantee — docs/scaling.md).
 */
export class MemoryReplayCache implements ReplayCache {
  readonly #seen = new Map<string, number>();
  readonly #now: () => number;
  readonly #max: number;
  readonly #timer: NodeJS.Timeout | null;

  constructor(opts: MemoryReplayCacheOptions = {}) {
    this.#now = opts.now ?? Date.now;
    this.#max = opts.maxEntries ?? 1_000_000;
    const every = opts.sweepIntervalMs ?? 1000;
    this.#timer = every > 0 ? setInterval(() => this.sweep(), every).unref() : null;
  }

  checkAndRemember(id: string, expiresAtMs: number): Promise<boolean> {
    const now = this.#now();
    const known = this.#seen.get(id);
    if (known !== undefined && known > now) return Promise.resolve(false);
    if (expiresAtMs <= now) return Promise.resolve(true);
    if (known === undefined && this.#seen.size >= this.#max) {
      this.sweep();
      if (this.#seen.size >= this.#max) this.#seen.delete(this.#seen.keys().next().value!);
    }
    this.#seen.set(id, expiresAtMs);
    return Promise.resolve(true);
  }

  /** Forgets expired ids. */
  sweep(): void {
    const now = this.#now();
    for (const [id, exp] of this.#seen) if (exp <= now) this.#seen.delete(id);
  }

  get size(): number {
    return this.#seen.size;
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
