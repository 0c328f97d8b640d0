// The failed-login guard's counters in Redis: failures per client address and per username, and their
// lock-outs, counted atomically across every node and worker (a Lua script per failure).
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { BackoffSettings, SharedLoginCounters } from '../auth/login-guard.js';
import type { SharedLimitEvents } from './shared-rate-limiter.js';

/** What the counters report while Redis is away, and when it is back: as the shared rate limiter. */
export type LoginCounterEvents = SharedLimitEvents;

/**
 * One failure of one key: `n` counts failures and lives `windowMs` after the last one; once `n`
 * reaches the limit, the lock key `l` is set for base × 2^(n − limit) ms (capped), and `n` lives at
 * least as long as the lock. Both keys share a hash tag (one Redis Cluster slot). Returns `n`.
 * ARGV: limit, windowMs, baseBackoffMs, maxBackoffMs.
 */
const FAIL_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
local limit = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
if n >= limit then
  local e = math.min(n - limit, 30)
  local b = math.min(tonumber(ARGV[3]) * (2 ^ e), tonumber(ARGV[4]))
  b = math.max(1, math.floor(b))
  redis.call('SET', KEYS[2], '1', 'PX', b)
  if b > ttl then ttl = b end
end
redis.call('PEXPIRE', KEYS[1], ttl)
return n
`;

type WithFail = Redis & {
  pipegateLoginFail(n: string, l: string, ...argv: number[]): Promise<number>;
};

/**
 * SharedLoginCounters on Redis. Keys are `<prefix>{<hash>}:n` and `…:l`, where the hash is SHA-256
 * of the guard's key (scope, kind, address or username): usernames as typed — sometimes a password
 * typed in the wrong field — never reach Redis. A failed command reports the outage and throws; the
 * guard applies `onOutage`.
 */
export class RedisLoginCounters implements SharedLoginCounters {
  readonly #redis: WithFail;
  #down = false;

  constructor(
    redis: Redis,
    /** Key prefix, e.g. `pipegate:prod:login:`. */
    private readonly prefix: string,
    readonly onOutage: 'open' | 'closed',
    private readonly events?: LoginCounterEvents,
  ) {
    if (!('pipegateLoginFail' in redis))
      redis.defineCommand('pipegateLoginFail', { numberOfKeys: 2, lua: FAIL_SCRIPT });
    this.#redis = redis as WithFail;
  }

  #keys(key: string): { n: string; l: string } {
    const h = createHash('sha256').update(key).digest('base64url').slice(0, 27);
    return { n: `${this.prefix}{${h}}:n`, l: `${this.prefix}{${h}}:l` };
  }

  async #call<T>(f: () => Promise<T>): Promise<T> {
    let v: T;
    try {
      v = await f();
    } catch (err) {
      this.#down = true;
      this.events?.onOutage(err, this.onOutage);
      throw err;
    }
    if (this.#down) {
      this.#down = false;
      this.events?.onRecovery();
    }
    return v;
  }

  lockedForMs(keys: readonly string[]): Promise<number> {
    return this.#call(async () => {
      const ttls = await Promise.all(keys.map((k) => this.#redis.pttl(this.#keys(k).l)));
      return Math.max(0, ...ttls);
    });
  }

  fail(entries: readonly { key: string; limit: number }[], o: BackoffSettings): Promise<void> {
    return this.#call(async () => {
      await Promise.all(
        entries.map(({ key, limit }) => {
          const k = this.#keys(key);
          return this.#redis.pipegateLoginFail(
            k.n,
            k.l,
            limit,
            o.windowMs,
            o.baseBackoffMs,
            o.maxBackoffMs,
          );
        }),
      );
    });
  }

  clear(key: string): Promise<void> {
    return this.#call(async () => {
      const k = this.#keys(key);
      await this.#redis.del(k.n, k.l);
    });
  }

  /** Whether the last command reached Redis. */
  get healthy(): boolean {
    return !this.#down;
  }
}
