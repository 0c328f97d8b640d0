// Verifies a platform token against the current state: signature and claims (cached), revocation, consumer.
import type { TokenState } from './token-refresh.js';
import { MAX_TOKEN_CHARS } from './issue-token.js';
import { verifyTokenSignatureAndClaims } from './verify-token.js';
import type { VerifiedToken, VerifyResult } from './token-service.js';

/** What verification checks against, besides the state the refresh keeps current. */
export interface VerificationOptions {
  issuer: string;
  audience: string;
  leewaySec: number;
  /** True when the state is too old to trust (verification then answers `unavailable`). */
  isStale: () => boolean;
}

/**
 * The token's scopes narrowed to the consumer's current ceiling (null: no ceiling), so narrowing a
 * consumer's scopes applies to its live tokens at once. The cached entry is frozen: a copy is returned.
 */
function withinCeiling(v: VerifiedToken, ceiling: readonly string[] | null): VerifiedToken {
  if (ceiling === null || v.scopes.every((s) => ceiling.includes(s))) return v;
  return { ...v, scopes: v.scopes.filter((s) => ceiling.includes(s)) };
}

/** The verify function of a token service. */
export function createTokenVerifier(
  state: TokenState,
  opts: VerificationOptions,
): (token: string | undefined | null) => Promise<VerifyResult> {
  const { keys, revocations, consumers, cache, now } = state;
  const { issuer, audience, leewaySec } = opts;
  return async function verify(token) {
    if (token === undefined || token === null || token === '')
      return { ok: false, reason: 'missing' };
    if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS)
      return { ok: false, reason: 'malformed' };
    if (opts.isStale()) return { ok: false, reason: 'unavailable' };
    const nowSec = Math.floor(now() / 1000);
    let v = cache.get(token);
    // A key past its retireAfter is refused at once by the full check, before the next refresh
    // clears the cache: a hit signed by a key no longer accepted takes the full path again.
    if (v && !keys.get(v.kid)) {
      cache.delete(token);
      v = undefined;
    }
    if (v && nowSec >= v.exp) {
      cache.delete(token);
      return { ok: false, reason: 'token_expired', jti: v.jti, consumer: v.consumer };
    }
    // A cached token was valid once; a clock that moved back must still see nbf/iat in the future.
    if (
      v &&
      Math.max(v.iat, typeof v.claims.nbf === 'number' ? v.claims.nbf : 0) > nowSec + leewaySec
    ) {
      return { ok: false, reason: 'not_yet_valid', jti: v.jti, consumer: v.consumer };
    }
    if (!v) {
      const r = await verifyTokenSignatureAndClaims(token, {
        keys,
        issuer,
        audience,
        leewaySec,
        nowSec,
      });
      if (!r.ok) return r;
      v = cache.set(token, r);
    }
    if (revocations.isRevoked({ jti: v.jti, consumer: v.consumer, iatMs: v.iat * 1000 })) {
      cache.delete(token);
      return { ok: false, reason: 'revoked', jti: v.jti, consumer: v.consumer };
    }
    let status;
    try {
      status = await consumers.get(v.consumer);
    } catch {
      return { ok: false, reason: 'unavailable' };
    }
    // A consumer deleted and re-created under the same name has another id: the old tokens stay dead.
    if (status === null || status.id !== v.consumerId)
      return { ok: false, reason: 'consumer_unknown', jti: v.jti, consumer: v.consumer };
    if (!status.enabled)
      return { ok: false, reason: 'consumer_disabled', jti: v.jti, consumer: v.consumer };
    return withinCeiling(v, status.scopes);
  };
}
