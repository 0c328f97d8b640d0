// Public surface of DPoP (RFC 9449): proof validation, the proof algorithms, the jti replay cache port.
export {
  DPOP_ALGORITHMS,
  DPOP_MAX_AGE_SEC,
  accessTokenHash,
  normalizeHtu,
  verifyDpopProof,
  type DpopCheck,
  type DpopResult,
} from './dpop-proof.js';
export {
  MemoryReplayCache,
  type MemoryReplayCacheOptions,
  type ReplayCache,
} from './replay-cache.js';
export {
  DPOP_NONCE_LIFETIME_SEC,
  DpopNonces,
  dpopNonceKey,
  type DpopNonceOptions,
} from './dpop-nonce.js';
