// The key port of the jose connector: accounts (host service), inline JWKs and JWKS URLs become key lookups.
import { createHash } from 'node:crypto';
import type { AccountResolver } from '../../core/account-types.js';
import type { StepContext } from '../../core/step-context.js';
import { fetchThrough } from '../../http-client/index.js';
import { fail } from './lib/jose-error.js';
import { selectKeys, type KeyPurpose } from './lib/key-fit.js';
import { importAccount, importJwkOrSet, type KeyCandidate } from './lib/key-import.js';
import type { KeyLookup } from './lib/jws-core.js';
import { sharedJwksCache, type JwksCache } from './lib/jwks-cache.js';

declare module '../../core/step-context.js' {
  interface HostServices {
    /** Decrypted account values by label (the accounts store). */
    accounts?: AccountResolver;
  }
}

/** A rendered `key` / `encryptionKey` parameter: exactly one member is set (checked in prepare). */
export interface KeySpec {
  account?: string;
  jwk?: unknown;
  jwksUrl?: string;
}

/** Keys known at load time (a literal JWK), imported once by prepare. */
export type StaticKeys = KeyCandidate[] | undefined;

const importCache = new Map<string, KeyCandidate[]>();
const importCacheLimit = 128;

/**
 * Imports through a small cache keyed by a digest of the material, so repeated runs reuse the same
 * KeyObjects (and `jose`'s per-key CryptoKey cache). The digest, not the material, is the map key.
 */
function cachedImport(scope: string, material: string, load: () => KeyCandidate[]): KeyCandidate[] {
  const id = `${scope}:${createHash('sha256').update(material).digest('base64url')}`;
  const hit = importCache.get(id);
  if (hit) return hit;
  const keys = load();
  if (importCache.size >= importCacheLimit) importCache.delete(importCache.keys().next().value as string);
  importCache.set(id, keys);
  return keys;
}

/** Loads the candidates of a non-JWKS key source at run time. */
async function loadCandidates(ctx: StepContext, spec: KeySpec, staticKeys: StaticKeys): Promise<KeyCandidate[]> {
  if (staticKeys) return staticKeys;
  if (spec.account !== undefined) {
    const label = spec.account;
    const accounts = ctx.host.accounts;
    if (!accounts) return fail('ERR_JOSE_ACCOUNTS_UNAVAILABLE', { label });
    const value = await accounts.resolve(label);
    return cachedImport(`account:${label}`, JSON.stringify(value), () => importAccount(label, value));
  }
  const jwk = spec.jwk;
  const text = typeof jwk === 'string' ? jwk : JSON.stringify(jwk ?? null);
  return cachedImport('jwk', text, () => importJwkOrSet(jwk, 'the inline jwk'));
}

/**
 * The lookup an operation uses: keys fitting the purpose and the token's kid. For a JWKS URL an
 * unknown kid triggers one refetch (subject to the cache's cooldown) before ERR_JOSE_KEY_NOT_FOUND.
 */
export function keyLookup(ctx: StepContext, spec: KeySpec, staticKeys: StaticKeys, cache: JwksCache = sharedJwksCache): KeyLookup {
  return async (purpose: KeyPurpose, kid: string | undefined) => {
    if (spec.jwksUrl === undefined) return selectKeys(await loadCandidates(ctx, spec, staticKeys), purpose, kid);
    const url = spec.jwksUrl;
    // Through the host's outbound client when it has one: the egress policy applies to JWKS URLs too.
    const fetcher = ctx.host.outboundHttp ? fetchThrough(ctx.host.outboundHttp) : undefined;
    const keys = await cache.get(url, ctx.clock.now(), fetcher);
    try {
      return selectKeys(keys, purpose, kid);
    } catch (err) {
      if (!(err instanceof Error && 'code' in err && err.code === 'ERR_JOSE_KEY_NOT_FOUND')) throw err;
      const fresh = await cache.refetchForUnknownKid(url, ctx.clock.now(), fetcher);
      if (!fresh || fresh === keys) throw err;
      return selectKeys(fresh, purpose, kid);
    }
  };
}

/**
 * The account labels a jose step names (`key.account`, `encryptionKey.account`), so a deploy can
 * check that they exist (SPEC §1: an account a pipeline names must exist at deploy time).
 */
export function joseAccountLabels(params: Record<string, unknown>): string[] {
  const labels: string[] = [];
  for (const name of ['key', 'encryptionKey']) {
    const spec = params[name];
    if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) {
      const account = (spec as Record<string, unknown>).account;
      if (typeof account === 'string' && account !== '') labels.push(account);
    }
  }
  return labels;
}
