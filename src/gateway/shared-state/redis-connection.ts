// The Redis connection of a gateway process (ioredis): fail fast while disconnected, reconnect forever.
import { Redis } from 'ioredis';

/** Settings of the shared Redis (pipegate.yaml `redis.*`, docs/scaling.md). */
export interface RedisSettings {
  /** `redis://` or `rediss://` URL; the password comes from PIPEGATE_REDIS_PASSWORD. */
  url: string;
  /** While Redis is unreachable: per-process limits (`open`, default) or 503 (`closed`). */
  onOutage?: 'open' | 'closed';
  /** Prefix of every key written (default `pipegate:`). */
  keyPrefix?: string;
}

/**
 * Opens a connection. Commands never queue while Redis is away (`enableOfflineQueue: false`): a
 * request fails at once and the caller applies its outage policy; ioredis keeps reconnecting in the
 * background (back-off up to 2 s) and the next command after the reconnect succeeds — recovery needs
 * no restart.
 */
export function openRedis(url: string, env: NodeJS.ProcessEnv = process.env): Redis {
  const password = env.PIPEGATE_REDIS_PASSWORD;
  const redis = new Redis(url, {
    ...(password ? { password } : {}),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // A command that failed was answered by the outage policy: resending it after the reconnect would count it twice.
    autoResendUnfulfilledCommands: false,
    connectTimeout: 2000,
    commandTimeout: 1000,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
  });
  // Connection errors surface as failed commands (counted, logged throttled); without a listener
  // ioredis would print each one.
  redis.on('error', () => undefined);
  return redis;
}

/** Waits until the connection is ready, at most `timeoutMs`; false when it is not (yet) reachable. */
export function redisReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.once('ready', onReady);
  });
}
