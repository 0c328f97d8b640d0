// A circuit breaker for a store driver: after N consecutive availability failures, fail at once until a probe succeeds.
import { PlatformError } from '../../errors/index.js';
import type { DialectName } from '../store.js';

/** Breaker thresholds (docs/operations.md). */
export interface BreakerOptions {
  /** Consecutive availability failures that open the breaker (default 5). */
  failures?: number;
  /** How long it stays open before letting one probe through (default 2000 ms). */
  resetMs?: number;
  now?: () => number;
}

/**
 * Closed: every call goes through; `failures` consecutive availability failures (connection refused,
 * timed out, reset) open it. Open: calls fail at once with ERR_STORE_UNAVAILABLE for `resetMs`, so a
 * stalled database costs callers nothing instead of a timeout each. Then half-open: exactly one call
 * (the probe) goes through while the others still fail fast; its success closes the breaker, its
 * failure opens it again. Errors that prove the database answered (a constraint, a SQL error) count
 * as successes.
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #resetMs: number;
  readonly #now: () => number;
  #failures = 0;
  #openUntil = 0;
  #probing = false;

  constructor(
    private readonly dialect: DialectName,
    opts: BreakerOptions = {},
  ) {
    this.#threshold = opts.failures ?? 5;
    this.#resetMs = opts.resetMs ?? 2000;
    this.#now = opts.now ?? (() => performance.now());
  }

  /** `closed`, `open` (failing fast) or `half-open` (a probe may go or is under way). */
  get state(): 'closed' | 'open' | 'half-open' {
    if (this.#failures < this.#threshold) return 'closed';
    return this.#now() < this.#openUntil ? 'open' : 'half-open';
  }

  /** Throws ERR_STORE_UNAVAILABLE when the call may not go to the database now. */
  enter(): void {
    if (this.#failures < this.#threshold) return;
    const wait = this.#openUntil - this.#now();
    if (wait > 0 || this.#probing)
      throw new PlatformError('ERR_STORE_UNAVAILABLE', {
        dialect: this.dialect,
        reason: `circuit breaker open after ${this.#failures} consecutive failures; next probe in ${Math.max(0, Math.ceil(wait))} ms`,
      });
    this.#probing = true;
  }

  /** The database answered. */
  succeeded(): void {
    this.#failures = 0;
    this.#probing = false;
  }

  /** The database could not be reached (or did not answer in time). */
  failed(): void {
    this.#failures++;
    this.#probing = false;
    if (this.#failures >= this.#threshold) this.#openUntil = this.#now() + this.#resetMs;
  }
}
