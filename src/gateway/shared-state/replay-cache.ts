// One-time identifiers remembered until they expire (DPoP proof jtis, …): one port and one in-process
// cache for the whole gateway, defined with DPoP (src/security/dpop/replay-cache.ts). The in-process
// cache is per process: with several workers or nodes use the Redis cache (`--redis`, docs/scaling.md).
export { MemoryReplayCache } from '../../security/dpop/replay-cache.js';
export type { MemoryReplayCacheOptions, ReplayCache } from '../../security/dpop/replay-cache.js';
