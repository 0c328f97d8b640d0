// Shared state: the ReplayCache interface and its implementations, the Redis rate limiter, the factory.
export type { ReplayCache, MemoryReplayCacheOptions } from './replay-cache.js';
export { MemoryReplayCache } from './replay-cache.js';
export { RedisReplayCache } from './redis-replay-cache.js';
export { openRedis } from './redis-connection.js';
export type { RedisSettings } from './redis-connection.js';
export { SharedRateLimiter } from './shared-rate-limiter.js';
export { RedisLoginCounters } from './redis-login-counters.js';
export { createSharedState } from './shared-state.js';
export type { SharedState, SharedStateContext } from './shared-state.js';
