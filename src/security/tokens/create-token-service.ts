// Builds the TokenService of one realm and environment (keys loaded or created, refresh timer started).
import { performance } from 'node:perf_hooks';
import { PlatformError } from '../../errors/index.js';
import { DEFAULT_SIGNING_ALGORITHM } from '../signing-keys.js';
import {
  DEFAULT_LIFETIME_MS,
  DEFAULT_MAX_LIFETIME_MS,
  ABSOLUTE_MAX_LIFETIME_MS,
} from './claims-policy.js';
import { ConsumerCache, storeConsumerLookup, type ConsumerLookup } from './consumer-cache.js';
import { KeyRing } from './key-ring.js';
import { MAX_TOKEN_CHARS, issueToken } from './issue-token.js';
import { RevocationList } from './revocation-list.js';
import { metadataDocument } from './metadata-document.js';
import { VerifiedTokenCache } from './verified-token-cache.js';
import { verifyTokenSignatureAndClaims } from './verify-token.js';
import { consumerJtiValue } from '../../store/records.js';
import type { Revocation } from '../../store/records.js';
import type {
  RevokeRequest,
  TokenService,
  TokenServiceOptions,
  VerifiedToken,
  VerifyResult,
} from './token-service.js';

/** Extra options beyond the shared contract (local runs, tests). */
export interface TokenServiceInternals {
  /** Resolves consumers by name; default: the store's live consumers. */
  consumerLookup?: ConsumerLookup;
  /** Verified-token cache size (default 10000). */
  cacheSize?: number;
  /** Age of the last successful refresh past which verify answers `unavailable` (default max(30 s, 10 × interval)). */
  staleAfterMs?: number;
}

const CHANGE_TOPICS = ['signingKeys', 'revocations', 'consumers'] as const;
/** A full reload of revocations drops expired rows from memory. */
const FULL_RELOAD_MS = 60_000;

/** Loads (or on first start creates) the realm's signing key and starts the refresh timer. */
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

/**
 * The token's scopes narrowed to the consumer's current ceiling (null: no ceiling), so narrowing a
 * consumer's scopes applies to its live tokens at once. The cached entry is frozen: a copy is returned.
 */
function withinCeiling(v: VerifiedToken, ceiling: readonly string[] | null): VerifiedToken {
  if (ceiling === null || v.scopes.every((s) => ceiling.includes(s))) return v;
  return { ...v, scopes: v.scopes.filter((s) => ceiling.includes(s)) };
}

export async function createTokenService(
  opts: TokenServiceOptions & TokenServiceInternals,
): Promise<TokenService> {
  const now = opts.now ?? Date.now;
  const { store, environment, realm, issuer } = opts;
  const audience = `${realm}:${environment}`;
  const leewaySec = opts.leewaySec ?? 30;
  const maxLifetimeMs = Math.min(
    opts.maxTokenLifetimeMs ?? DEFAULT_MAX_LIFETIME_MS,
    ABSOLUTE_MAX_LIFETIME_MS,
  );
  const defaultLifetimeMs = opts.defaultLifetimeMs ?? DEFAULT_LIFETIME_MS;
  const intervalMs = opts.refreshIntervalMs ?? 1000;
  /** Past this age of the last successful refresh, verification answers `unavailable` (revocations may be stale). */
  const staleAfterMs = opts.staleAfterMs ?? Math.max(30_000, intervalMs * 10);

  const keys = new KeyRing({
    store,
    box: opts.box,
    environment,
    realm,
    algorithm: opts.signingAlgorithm ?? DEFAULT_SIGNING_ALGORITHM,
    now,
  });
  const revocations = new RevocationList(store, environment, now);
  const consumers = new ConsumerCache(
    opts.consumerLookup ?? storeConsumerLookup(store, environment),
    () => performance.now(),
  );
  const cache = new VerifiedTokenCache(opts.cacheSize ?? 10_000);

  let seq = await store.changes.latest();
  await keys.init();
  await revocations.load();
  let lastOk = performance.now();
  let lastFullReload = lastOk;
  let refreshing: Promise<void> | null = null;

  async function refreshOnce(): Promise<void> {
    const topics = new Set<string>();
    // The feed position moves only once every change read here is applied (as the gateway's change
    // poller does): if a reload below fails, the next refresh reads the same events again instead of
    // missing a revocation until the next full reload.
    let next = seq;
    for (;;) {
      const events = await store.changes.since(next, {
        environment,
        topics: [...CHANGE_TOPICS],
        limit: 1000,
      });
      for (const e of events) {
        topics.add(e.topic);
        next = Math.max(next, e.seq);
      }
      if (events.length < 1000) break;
    }
    if (topics.has('consumers')) consumers.clear();
    if (topics.has('signingKeys')) {
      await keys.load();
      cache.clear();
    }
    if (keys.hasDueKeys()) {
      await store.signingKeys.retireDue(environment, now());
      await keys.load();
      cache.clear();
    }
    if (topics.has('revocations') || performance.now() - lastFullReload > FULL_RELOAD_MS) {
      await revocations.load();
      lastFullReload = performance.now();
      cache.purge((v) =>
        revocations.isRevoked({ jti: v.jti, consumer: v.consumer, iatMs: v.iat * 1000 }),
      );
    }
    seq = next;
    lastOk = performance.now();
  }

  let queued: Promise<void> | null = null;
  /** A call during a refresh queues one more after it (a change-feed wake-up may postdate its read). */
  function refresh(): Promise<void> {
    if (!refreshing) {
      refreshing = refreshOnce().finally(() => {
        refreshing = null;
      });
      return refreshing;
    }
    queued ??= refreshing
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return refresh();
      });
    return queued;
  }

  const timer =
    intervalMs > 0 ? setInterval(() => void refresh().catch(() => undefined), intervalMs) : null;
  timer?.unref();

  async function verify(token: string | undefined | null): Promise<VerifyResult> {
    if (token === undefined || token === null || token === '')
      return { ok: false, reason: 'missing' };
    if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS)
      return { ok: false, reason: 'malformed' };
    if (
      (intervalMs > 0 || opts.staleAfterMs !== undefined) &&
      performance.now() - lastOk > staleAfterMs
    )
      return { ok: false, reason: 'unavailable' };
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
  }

  async function revoke(r: RevokeRequest): Promise<void> {
    const targets = [r.jti, r.consumer, r.before].filter((t) => t !== undefined);
    if (targets.length !== 1)
      throw new PlatformError('ERR_JWT_REVOKE_TARGET', { reason: `${targets.length} given` });
    if (r.owner !== undefined && r.jti === undefined)
      throw new PlatformError('ERR_JWT_REVOKE_TARGET', { reason: 'owner applies to a jti only' });
    const row = revocationRow(r, now(), maxLifetimeMs + leewaySec * 1000);
    revocations.apply(row);
    // The store ignores issuedBefore for jti rows and takes it absent, not null.
    await store.revocations.add(environment, {
      ...row,
      issuedBefore: row.issuedBefore ?? undefined,
    });
    cache.purge((v) =>
      revocations.isRevoked({ jti: v.jti, consumer: v.consumer, iatMs: v.iat * 1000 }),
    );
  }

  return {
    realm,
    environment,
    issuer,
    audience,
    issue: (req) =>
      issueToken(req, {
        keys,
        consumers,
        usage: opts.usage,
        issuer,
        audience,
        realm,
        now,
        defaultLifetimeMs,
        maxLifetimeMs,
        realmSensitiveFields: opts.sensitiveFields ?? [],
      }),
    verify,
    revoke,
    jwks: async () => ({ keys: keys.publicKeys() }),
    metadataDocument: (baseUrl) => metadataDocument(issuer, baseUrl),
    refresh,
    async close() {
      if (timer) clearInterval(timer);
      await refreshing?.catch(() => undefined);
      await queued?.catch(() => undefined);
    },
  };
}
