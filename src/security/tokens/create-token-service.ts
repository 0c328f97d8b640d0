// Builds the TokenService of one realm and environment from its parts: state, refresh, verification, revocation.
import { performance } from 'node:perf_hooks';
import { DEFAULT_SIGNING_ALGORITHM } from '../signing-keys.js';
import {
  DEFAULT_LIFETIME_MS,
  DEFAULT_MAX_LIFETIME_MS,
  ABSOLUTE_MAX_LIFETIME_MS,
} from './claims-policy.js';
import { ConsumerCache, storeConsumerLookup, type ConsumerLookup } from './consumer-cache.js';
import { KeyRing } from './key-ring.js';
import { issueToken } from './issue-token.js';
import { RevocationList } from './revocation-list.js';
import { metadataDocument } from './metadata-document.js';
import { VerifiedTokenCache } from './verified-token-cache.js';
import { startTokenRefresh } from './token-refresh.js';
import type { TokenState } from './token-refresh.js';
import { createTokenRevoker } from './token-revocation.js';
import { createTokenVerifier } from './token-verification.js';
import type { TokenService, TokenServiceOptions } from './token-service.js';

/** Extra options beyond the shared contract (local runs, tests). */
export interface TokenServiceInternals {
  /** Resolves consumers by name; default: the store's live consumers. */
  consumerLookup?: ConsumerLookup;
  /** Verified-token cache size (default 10000). */
  cacheSize?: number;
  /** Age of the last successful refresh past which verify answers `unavailable` (default max(30 s, 10 × interval)). */
  staleAfterMs?: number;
}

/**
 * Loads (or on first start creates) the realm's signing key and revocations, starts the refresh
 * (token-refresh.ts), and wires verification (token-verification.ts) and revocation
 * (token-revocation.ts) to the same in-memory state.
 */
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

  const state: TokenState = {
    store,
    environment,
    keys: new KeyRing({
      store,
      box: opts.box,
      environment,
      realm,
      algorithm: opts.signingAlgorithm ?? DEFAULT_SIGNING_ALGORITHM,
      now,
    }),
    revocations: new RevocationList(store, environment, now),
    consumers: new ConsumerCache(
      opts.consumerLookup ?? storeConsumerLookup(store, environment),
      () => performance.now(),
    ),
    cache: new VerifiedTokenCache(opts.cacheSize ?? 10_000),
    now,
  };
  const refresher = await startTokenRefresh(state, { intervalMs, staleAfterMs });
  // Without a background refresh (intervalMs 0) staleness applies only when asked for explicitly.
  const checksStaleness = intervalMs > 0 || opts.staleAfterMs !== undefined;
  const verify = createTokenVerifier(state, {
    issuer,
    audience,
    leewaySec,
    isStale: () => checksStaleness && refresher.isStale(),
  });
  const revoke = createTokenRevoker(state, maxLifetimeMs + leewaySec * 1000);

  return {
    realm,
    environment,
    issuer,
    audience,
    issue: (req) =>
      issueToken(req, {
        keys: state.keys,
        consumers: state.consumers,
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
    jwks: async () => ({ keys: state.keys.publicKeys() }),
    metadataDocument: (baseUrl) => metadataDocument(issuer, baseUrl),
    refresh: refresher.refresh,
    close: refresher.close,
  };
}
