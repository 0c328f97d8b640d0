// In-memory fixed-window rate limits per pipeline and consumer (or credential), with RateLimit-* headers.
import { isIPv4, isIPv6 } from 'node:net';
import { LruMap } from '../core/lru-map.js';
import { INTERVAL_MS } from '../deployments/trigger-config.js';
import type { RateInterval, RateLimitPolicy } from '../deployments/trigger-config.js';

interface Window {
  start: number;
  count: number;
}

/** The outcome of one check: headers for the response, and whether the request may proceed. */
export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
  /** Set when the shared counters cannot be reached and the outage policy is `closed` (503). */
  unavailable?: true;
}

/** What the request path asks: this process's RateLimiter, or the Redis-backed SharedRateLimiter. */
export interface RateLimitCheck {
  check(policy: RateLimitPolicy, subject: string): RateDecision | Promise<RateDecision>;
  close(): void;
}

/** Options of RateLimiter. */
export interface RateLimiterOptions {
  now?: () => number;
  /** Bound on tracked subjects per interval (default 100,000); the least recently used go first. */
  maxEntries?: number;
  /** Period of the expiry sweep in ms (default 1000); 0 disables the timer (call `sweep()`). */
  sweepIntervalMs?: number;
}

/**
 * The rate-limit key of a client address: IPv6 clients by their /64 (one subscriber's whole
 * allocation, which an attacker can otherwise walk to get fresh counters), IPv4 and IPv4-mapped
 * addresses as they are.
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Fixed windows aligned on multiples of the interval since the epoch (a month is 30 days). Counters
 * live in this process only: with N nodes a client can get up to N times the limit (documented in
 * docs/gateway.md). A request is counted only when every limit lets it through, so refused requests
 * do not extend a lock-out.
 *
 * One LruMap per interval, kept in least-recently-used order (a touched entry moves to the end): within
 * one interval a more recent use means a window that starts no earlier, so the front of each map is
 * both the least recently used entry and the first to expire. Every operation is O(1); a timer drops
 * expired windows from the fronts (O(expired)), and a full map evicts its least recently used entry,
 * never a subject that is still sending.
 */
export class RateLimiter implements RateLimitCheck {
  readonly #maps = new Map<RateInterval, LruMap<Window>>();
  readonly #now: () => number;
  readonly #maxEntries: number;
  readonly #timer: NodeJS.Timeout | null;

  constructor(opts: RateLimiterOptions = {}) {
    this.#now = opts.now ?? Date.now;
    this.#maxEntries = opts.maxEntries ?? 100_000;
    const every = opts.sweepIntervalMs ?? 1_000;
    this.#timer = every > 0 ? setInterval(() => this.sweep(), every).unref() : null;
  }

  #window(interval: RateInterval, subject: string, start: number): Window {
    let map = this.#maps.get(interval);
    if (!map) {
      map = new LruMap(this.#maxEntries);
      this.#maps.set(interval, map);
    }
    let w = map.get(subject);
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      map.set(subject, w);
    }
    return w;
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
      const w = this.#window(interval, subject, start);
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

  /** Drops expired windows from the front of each map (what the timer runs). */
  sweep(): void {
    const now = this.#now();
    for (const [interval, map] of this.#maps) {
      const len = INTERVAL_MS[interval];
      for (let o = map.oldest(); o && o.value.start + len <= now; o = map.oldest()) map.shift();
    }
  }

  /** Stops the expiry timer. */
  close(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  get size(): number {
    let n = 0;
    for (const map of this.#maps.values()) n += map.size;
    return n;
  }
}
