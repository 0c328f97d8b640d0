// Rate limits counted in Redis (rate-limiter-flexible), so a quota holds across every node and worker.
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { INTERVAL_MS } from '../../deployments/trigger-config.js';
import type { RateInterval, RateLimitPolicy } from '../../deployments/trigger-config.js';
import type { RateDecision, RateLimitCheck, RateLimiter } from '../rate-limiter.js';

/** What the limiter reports while Redis is away, and when it is back. */
export interface SharedLimitEvents {
  /** A check could not reach Redis (`policy` = what was done instead). */
  onOutage(err: unknown, policy: 'open' | 'closed'): void;
  /** The first successful check after an outage. */
  onRecovery(): void;
}

/** Options of SharedRateLimiter. */
export interface SharedRateLimiterOptions {
  redis: Redis;
  /** Key prefix, e.g. `pipegate:prod:rl:`. */
  prefix: string;
  /** `open`: fall back to `local` (per-process counters); `closed`: refuse (503). */
  onOutage: 'open' | 'closed';
  local: RateLimiter;
  events?: SharedLimitEvents;
}

const closedDecision: RateDecision = {
  allowed: false,
  unavailable: true,
  headers: { 'Retry-After': '1' },
};

/**
 * Fixed windows in Redis: one counter per subject and limit, created by the first request with the
 * interval as its expiry (rate-limiter-flexible's atomic INCR + PEXPIRE Lua script), so a window
 * starts at the subject's first request rather than on an epoch boundary. Every limit of the policy
 * is counted on each request — a request refused by one limit still counts towards the others (the
 * in-process limiter counts only admitted requests; docs/scaling.md).
 */
export class SharedRateLimiter implements RateLimitCheck {
  readonly #o: SharedRateLimiterOptions;
  readonly #limiters = new Map<string, RateLimiterRedis>();
  #down = false;

  constructor(opts: SharedRateLimiterOptions) {
    this.#o = opts;
  }

  #limiter(interval: RateInterval, limit: number): RateLimiterRedis {
    const id = `${interval}:${limit}`;
    let l = this.#limiters.get(id);
    if (!l) {
      l = new RateLimiterRedis({
        storeClient: this.#o.redis,
        keyPrefix: `${this.#o.prefix}${id}`,
        points: limit,
        duration: INTERVAL_MS[interval] / 1000,
        rejectIfRedisNotReady: true,
      });
      this.#limiters.set(id, l);
    }
    return l;
  }

  async check(policy: RateLimitPolicy, subject: string): Promise<RateDecision> {
    const results = await Promise.allSettled(
      policy.limits.map(({ interval, limit }) => this.#limiter(interval, limit).consume(subject)),
    );
    const failure = results.find(
      (r) => r.status === 'rejected' && !(r.reason instanceof RateLimiterRes),
    );
    if (failure) return this.#outage((failure as PromiseRejectedResult).reason, policy, subject);
    if (this.#down) {
      this.#down = false;
      this.#o.events?.onRecovery();
    }
    let tightest: { limit: number; remaining: number; resetSec: number } | null = null;
    let blocked: { limit: number; resetSec: number } | null = null;
    results.forEach((r, i) => {
      const { limit } = policy.limits[i]!;
      const res = (r.status === 'fulfilled' ? r.value : r.reason) as RateLimiterRes;
      const resetSec = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      if (r.status === 'rejected') {
        if (!blocked || resetSec > blocked.resetSec) blocked = { limit, resetSec };
      } else if (!tightest || res.remainingPoints < tightest.remaining) {
        tightest = { limit, remaining: res.remainingPoints, resetSec };
      }
    });
    const b = blocked as { limit: number; resetSec: number } | null;
    if (b)
      return {
        allowed: false,
        headers: {
          'Retry-After': String(b.resetSec),
          'RateLimit-Limit': String(b.limit),
          'RateLimit-Remaining': '0',
          'RateLimit-Reset': String(b.resetSec),
        },
      };
    const t = tightest as { limit: number; remaining: number; resetSec: number } | null;
    return {
      allowed: true,
      headers: t
        ? {
            'RateLimit-Limit': String(t.limit),
            'RateLimit-Remaining': String(t.remaining),
            'RateLimit-Reset': String(t.resetSec),
          }
        : {},
    };
  }

  #outage(err: unknown, policy: RateLimitPolicy, subject: string): RateDecision {
    this.#down = true;
    this.#o.events?.onOutage(err, this.#o.onOutage);
    return this.#o.onOutage === 'open' ? this.#o.local.check(policy, subject) : closedDecision;
  }

  /** Whether the last check reached Redis. */
  get healthy(): boolean {
    return !this.#down;
  }

  close(): void {
    this.#o.local.close();
  }
}
