// The ReplayCache in Redis: `SET key 1 PX ttl NX` is atomic across every node and worker.
import type { Redis } from 'ioredis';
import { PlatformError } from '../../errors/index.js';
import type { ReplayCache } from './replay-cache.js';

/** A cluster-wide ReplayCache; a Redis failure throws ERR_GATEWAY_REPLAY_CACHE_UNAVAILABLE (503). */
export class RedisReplayCache implements ReplayCache {
  constructor(
    private readonly redis: Redis,
    /** Key prefix, e.g. `pipegate:prod:dpop:`. */
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  async checkAndRemember(id: string, expiresAtMs: number): Promise<boolean> {
    const ttl = Math.ceil(expiresAtMs - this.now());
    if (ttl <= 0) return true;
    let answer: string | null;
    try {
      answer = await this.redis.set(this.prefix + id, '1', 'PX', ttl, 'NX');
    } catch (err) {
      throw new PlatformError(
        'ERR_GATEWAY_REPLAY_CACHE_UNAVAILABLE',
        { reason: (err as Error).message },
        { cause: err },
      );
    }
    return answer === 'OK';
  }
}
