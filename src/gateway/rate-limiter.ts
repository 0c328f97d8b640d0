// In-memory fixed-window rate limits per pipeline and consumer (or credential), with RateLimit-* headers.
import { INTERVAL_MS } from './trigger-config.js';
import type { RateLimitPolicy } from './trigger-config.js';

interface Window {
  start: number;
  count: number;
}

/** The outcome of one check: headers for the response, and whether the request may proceed. */
export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

/**
 * Fixed windows aligned on multiples of the interval since the epoch (a month is 30 days). Counters
 * live in this process only: with N nodes a client can get up to N times the limit (documented in
 * docs/gateway.md). A request is counted only when every limit lets it through, so refused requests
 * do not extend a lock-out. Memory is bounded: expired windows are swept when the map grows.
 */
export class RateLimiter {
  readonly #windows = new Map<string, Window>();
  readonly #now: () => number;
  readonly #maxEntries: number;

  constructor(opts: { now?: () => number; maxEntries?: number } = {}) {
    this.#now = opts.now ?? Date.now;
    this.#maxEntries = opts.maxEntries ?? 100_000;
  }

  /** Checks and counts one request of `subject` (e.g. `orders@1|consumer:acme`). */
  check(policy: RateLimitPolicy, subject: string): RateDecision {
    const now = this.#now();
    let tightest: { limit: number; remaining: number; resetSec: number } | null = null;
    let blocked: { limit: number; resetSec: number } | null = null;
    const windows: Window[] = [];
    for (const { interval, limit } of policy.limits) {
      const len = INTERVAL_MS[interval];
      const start = Math.floor(now / len) * len;
      const key = `${subject}|${interval}`;
      let w = this.#windows.get(key);
      if (!w || w.start !== start) {
        w = { start, count: 0 };
        this.#sweepIfFull(now);
        this.#windows.set(key, w);
      }
      windows.push(w);
      const resetSec = Math.max(1, Math.ceil((start + len - now) / 1000));
      if (w.count >= limit && (!blocked || resetSec > blocked.resetSec))
        blocked = { limit, resetSec };
      const remaining = Math.max(0, limit - w.count - 1);
      if (!tightest || remaining < tightest.remaining) tightest = { limit, remaining, resetSec };
    }
    if (blocked) {
      return {
        allowed: false,
        headers: {
          'Retry-After': String(blocked.resetSec),
          'RateLimit-Limit': String(blocked.limit),
          'RateLimit-Remaining': '0',
          'RateLimit-Reset': String(blocked.resetSec),
        },
      };
    }
    for (const w of windows) w.count++;
    return {
      allowed: true,
      headers: tightest
        ? {
            'RateLimit-Limit': String(tightest.limit),
            'RateLimit-Remaining': String(tightest.remaining),
            'RateLimit-Reset': String(tightest.resetSec),
          }
        : {},
    };
  }

  #sweepIfFull(now: number): void {
    if (this.#windows.size < this.#maxEntries) return;
    for (const [key, w] of this.#windows) {
      const interval = key.slice(key.lastIndexOf('|') + 1) as keyof typeof INTERVAL_MS;
      if (w.start + INTERVAL_MS[interval] <= now) this.#windows.delete(key);
    }
    // Still full (all windows live): drop the oldest to stay bounded.
    while (this.#windows.size >= this.#maxEntries) {
      const oldest = this.#windows.keys().next();
      if (oldest.done) break;
      this.#windows.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#windows.size;
  }
}
