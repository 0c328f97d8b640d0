// Revokes tokens by jti, consumer or time: the row is applied locally at once and written to the store.
import { PlatformError } from '../../errors/index.js';
import { consumerJtiValue } from '../../store/records.js';
import type { Revocation } from '../../store/records.js';
import type { TokenState } from './token-refresh.js';
import type { RevokeRequest } from './token-service.js';

/**
 * The revocation row for one target. It stays useful for `ttlMs` (the longest token lifetime plus
 * leeway) after the newest token it can apply to.
 */
function revocationRow(
  r: RevokeRequest,
  t: number,
  ttlMs: number,
): Pick<Revocation, 'kind' | 'value' | 'issuedBefore' | 'expiresAt'> {
  if (r.jti !== undefined) {
    if (typeof r.jti !== 'string' || r.jti === '')
      throw new PlatformError('ERR_JWT_REVOKE_TARGET', { reason: 'empty jti' });
    const expiresAt = r.expiresAt ?? t + ttlMs;
    if (r.owner !== undefined) {
      if (typeof r.owner !== 'string' || r.owner === '' || r.owner.includes(':'))
        throw new PlatformError('ERR_JWT_REVOKE_TARGET', { reason: 'invalid owner consumer' });
      const value = consumerJtiValue(r.owner, r.jti);
      return { kind: 'consumer_jti', value, issuedBefore: null, expiresAt };
    }
    return { kind: 'jti', value: r.jti, issuedBefore: null, expiresAt };
  }
  if (r.consumer !== undefined) {
    if (typeof r.consumer !== 'string' || r.consumer === '')
      throw new PlatformError('ERR_JWT_REVOKE_TARGET', { reason: 'empty consumer' });
    return {
      kind: 'consumer',
      value: r.consumer,
      issuedBefore: t,
      expiresAt: r.expiresAt ?? t + ttlMs,
    };
  }
  const before = r.before!;
  if (!Number.isFinite(before) || before <= 0)
    throw new PlatformError('ERR_JWT_REVOKE_TARGET', { reason: 'before is not a time' });
  return {
    kind: 'before',
    value: String(before),
    issuedBefore: before,
    expiresAt: r.expiresAt ?? Math.max(before, t) + ttlMs,
  };
}

/** The revoke function of a token service; `ttlMs` is the longest token lifetime plus leeway. */
export function createTokenRevoker(
  state: TokenState,
  ttlMs: number,
): (r: RevokeRequest) => Promise<void> {
  const { store, environment, revocations, cache, now } = state;
  return async function revoke(r) {
    const targets = [r.jti, r.consumer, r.before].filter((t) => t !== undefined);
    if (targets.length !== 1)
      throw new PlatformError('ERR_JWT_REVOKE_TARGET', { reason: `${targets.length} given` });
    if (r.owner !== undefined && r.jti === undefined)
      throw new PlatformError('ERR_JWT_REVOKE_TARGET', { reason: 'owner applies to a jti only' });
    const row = revocationRow(r, now(), ttlMs);
    revocations.apply(row);
    // The store ignores issuedBefore for jti rows and takes it absent, not null.
    await store.revocations.add(environment, {
      ...row,
      issuedBefore: row.issuedBefore ?? undefined,
    });
    cache.purge((v) =>
      revocations.isRevoked({ jti: v.jti, consumer: v.consumer, iatMs: v.iat * 1000 }),
    );
  };
}
