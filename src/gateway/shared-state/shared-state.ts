// Short-lived state shared by every worker and node: rate-limit windows, replay caches and failed-login
// counters (Redis), or per process.
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { RateLimiter } from '../rate-limiter.js';
import type { RateLimitCheck } from '../rate-limiter.js';
import { LogThrottle } from '../log-throttle.js';
import { MemoryReplayCache } from './replay-cache.js';
import type { ReplayCache } from './replay-cache.js';
import { openRedis, redisReady } from './redis-connection.js';
import type { RedisSettings } from './redis-connection.js';
import { RedisReplayCache } from './redis-replay-cache.js';
import { RedisLoginCounters } from './redis-login-counters.js';
import type { SharedLoginCounters } from '../auth/login-guard.js';
import { SharedRateLimiter } from './shared-rate-limiter.js';
import type { SharedLimitEvents } from './shared-rate-limiter.js';

/** What the gateway uses for limits and one-time ids. */
export interface SharedState {
  limiter: RateLimitCheck;
  /** A replay cache for `name` (e.g. `dpop`): its ids live under their own key prefix. */
  replayCache(name: string): ReplayCache;
  /** The failed-login guard's counters when shared (Redis); null: each process counts its own. */
  loginCounters: SharedLoginCounters | null;
  /** True when backed by Redis. */
  readonly shared: boolean;
  close(): Promise<void>;
}

/** Where the shared state reports. */
export interface SharedStateContext {
  environment: string;
  env?: NodeJS.ProcessEnv;
  registry: Registry;
  log: {
    warn(details: Record<string, unknown>, msg: string): void;
    info(details: Record<string, unknown>, msg: string): void;
  };
  /** Period of the repeated outage line (default 10 s). */
  logRepeatIntervalMs?: number;
  /** Longest wait for the first Redis connection at start (default 2000 ms); the outage policy applies after. */
  connectWaitMs?: number;
}

/**
 * Without Redis: an in-process RateLimiter and MemoryReplayCaches (limits hold per process:
 * N workers × M nodes may admit up to N·M times a quota). With Redis: counters and ids in Redis,
 * the outage policy applied per check, `pipegate_redis_up` and
 * `pipegate_redis_failures_total{policy}` in the registry, one warn line per period while it lasts.
 */
export async function createSharedState(
  redis: RedisSettings | null | undefined,
  ctx: SharedStateContext,
): Promise<SharedState> {
  const local = new RateLimiter();
  if (!redis?.url) {
    return {
      limiter: local,
      replayCache: () => new MemoryReplayCache(),
      loginCounters: null,
      shared: false,
      close: async () => {
        local.close();
      },
    };
  }
  const client = openRedis(redis.url, ctx.env);
  if (!(await redisReady(client, ctx.connectWaitMs ?? 2000)))
    ctx.log.warn(
      { policy: redis.onOutage ?? 'open' },
      'Redis not reachable at start; the outage policy applies until it is',
    );
  const prefix = `${redis.keyPrefix ?? 'pipegate:'}${ctx.environment}:`;
  const registers = [ctx.registry];
  const up = new Gauge({
    name: 'pipegate_redis_up',
    help: '1 while the last rate-limit check or failed-login count reached Redis, 0 during an outage',
    registers,
  });
  up.set(1);
  const failures = new Counter({
    name: 'pipegate_redis_failures_total',
    help: 'Rate-limit checks and failed-login counts that could not reach Redis, by the outage policy applied (open: this process, closed: 503)',
    labelNames: ['policy'],
    registers,
  });
  const throttle = new LogThrottle(ctx.logRepeatIntervalMs ?? 10_000);
  const onOutage = redis.onOutage ?? 'open';
  /** Outage and recovery of one use of Redis: the shared gauge and counter, a throttled log line. */
  const outageEvents = (
    what: string,
    lines: { open: string; closed: string; recovered: string },
  ): SharedLimitEvents => ({
    onOutage(err, policy) {
      up.set(0);
      failures.inc({ policy });
      throttle.hit(what, (repeated) =>
        ctx.log.warn(
          { reason: (err as Error).message, policy, repeated },
          policy === 'open' ? lines.open : lines.closed,
        ),
      );
    },
    onRecovery() {
      up.set(1);
      ctx.log.info({}, lines.recovered);
    },
  });
  const limiter = new SharedRateLimiter({
    redis: client,
    prefix: `${prefix}rl:`,
    onOutage,
    local,
    events: outageEvents('redis', {
      open: 'Redis unreachable: rate limits fall back to this process',
      closed: 'Redis unreachable: rate-limited routes answer 503',
      recovered: 'Redis reachable again: rate limits are shared',
    }),
  });
  const loginCounters = new RedisLoginCounters(
    client,
    `${prefix}login:`,
    onOutage,
    outageEvents('redis-logins', {
      open: 'Redis unreachable: failed-login counters fall back to this process',
      closed: 'Redis unreachable: password checks answer 503',
      recovered: 'Redis reachable again: failed-login counters are shared',
    }),
  );
  return {
    limiter,
    replayCache: (name) => new RedisReplayCache(client, `${prefix}replay:${name}:`),
    loginCounters,
    shared: true,
    async close() {
      limiter.close();
      client.disconnect();
    },
  };
}
