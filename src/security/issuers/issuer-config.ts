// External token issuers (OIDC providers, any JWKS): their settings, validated, kept per realm and environment.
import { PlatformError } from '../../errors/index.js';
import type { Store } from '../../store/store.js';

/**
 * Algorithms an external issuer may sign with. Asymmetric only: `none` and HMAC are never accepted
 * from an external issuer (a shared secret would let anyone holding it mint tokens, and a JWKS
 * publishes keys), so an allow-list naming them is refused.
 */
export const EXTERNAL_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/** Claims scopes may come from. */
export const SCOPE_CLAIMS = ['scope', 'scp', 'roles'] as const;

/** One trusted external issuer. */
export interface IssuerConfig {
  /** Name used in `auth.jwt.issuers` (lower case, not `platform`). */
  name: string;
  /** OIDC discovery / RFC 8414 document URL; when set, `issuer` and `jwksUrl` come from it. */
  discovery: string | null;
  /** Expected `iss` (exact match). With `discovery`, checked against the document's `issuer`. */
  issuer: string | null;
  jwksUrl: string | null;
  /** Required `aud` value; null accepts any audience (not recommended). */
  audience: string | null;
  algorithms: string[];
  scopeClaim: (typeof SCOPE_CLAIMS)[number];
  createdAt: number;
}

/** What `pipegate issuers add` is given. */
export interface NewIssuer {
  name: string;
  discovery?: string;
  issuer?: string;
  jwksUrl?: string;
  audience?: string;
  algorithms?: string[];
  scopeClaim?: string;
}

const NAME = /^[a-z][a-z0-9-]{0,62}$/;

function invalid(reason: string): PlatformError {
  return new PlatformError('ERR_ISSUER_INVALID', { reason });
}

function httpUrl(value: string, what: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw invalid(`${what} is not an absolute URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw invalid(`${what} must be an http(s) URL`);
  if (u.username || u.password) throw invalid(`${what} must not carry credentials`);
  return u.href;
}

/** Checks and normalises a new issuer (ERR_ISSUER_INVALID naming what to fix). */
export function validateIssuer(n: NewIssuer, now = Date.now()): IssuerConfig {
  if (!NAME.test(n.name) || n.name === 'platform')
    throw invalid('the name must be lower-case letters, digits and dashes, not "platform"');
  if (n.discovery !== undefined && (n.issuer !== undefined || n.jwksUrl !== undefined))
    throw invalid('give either --discovery, or --issuer with --jwks-url, not both');
  if (n.discovery === undefined && (n.issuer === undefined || n.jwksUrl === undefined))
    throw invalid('give --discovery URL, or both --issuer URL and --jwks-url URL');
  const algorithms =
    n.algorithms && n.algorithms.length > 0 ? [...new Set(n.algorithms)] : ['RS256'];
  for (const alg of algorithms) {
    if (!(EXTERNAL_ALGORITHMS as readonly string[]).includes(alg))
      throw invalid(
        `algorithm "${alg}" is not accepted from an external issuer; use ${EXTERNAL_ALGORITHMS.join(', ')}`,
      );
  }
  const scopeClaim = n.scopeClaim ?? 'scope';
  if (!(SCOPE_CLAIMS as readonly string[]).includes(scopeClaim))
    throw invalid(`--scope-claim must be one of ${SCOPE_CLAIMS.join(', ')}`);
  if (n.audience !== undefined && n.audience.trim() === '') throw invalid('--audience is empty');
  return {
    name: n.name,
    discovery: n.discovery === undefined ? null : httpUrl(n.discovery, '--discovery'),
    // `iss` is compared exactly as configured (no URL normalisation: RFC 8414 §3.3, OIDC Discovery §4.3).
    issuer: n.issuer === undefined ? null : (httpUrl(n.issuer, '--issuer'), n.issuer),
    jwksUrl: n.jwksUrl === undefined ? null : httpUrl(n.jwksUrl, '--jwks-url'),
    audience: n.audience ?? null,
    algorithms,
    scopeClaim: scopeClaim as IssuerConfig['scopeClaim'],
    createdAt: now,
  };
}

/**
 * Issuers are one JSON document per realm and environment in the store's meta table (no migration;
 * a handful of rows read by every node every few seconds).
 */
function metaKey(realm: string, environment: string): string {
  return `issuers/${realm}/${environment}`;
}

/** The issuers of a realm and environment, sorted by name. */
export async function listIssuers(
  store: Store,
  realm: string,
  environment: string,
): Promise<IssuerConfig[]> {
  const text = await store.meta.get(metaKey(realm, environment));
  if (text === null) return [];
  const all = JSON.parse(text) as Record<string, IssuerConfig>;
  return Object.values(all).sort((a, b) => a.name.localeCompare(b.name));
}

/** Adds (or replaces, with `replace`) an issuer. ERR_ISSUER_EXISTS when the name is taken. */
export async function putIssuer(
  store: Store,
  realm: string,
  environment: string,
  issuer: IssuerConfig,
  replace = false,
): Promise<void> {
  const all = Object.fromEntries(
    (await listIssuers(store, realm, environment)).map((i) => [i.name, i]),
  );
  if (all[issuer.name] && !replace)
    throw new PlatformError('ERR_ISSUER_EXISTS', { name: issuer.name });
  all[issuer.name] = issuer;
  await store.meta.put(metaKey(realm, environment), JSON.stringify(all));
}

/** Removes an issuer; ERR_ISSUER_UNKNOWN when there is none of that name. */
export async function removeIssuer(
  store: Store,
  realm: string,
  environment: string,
  name: string,
): Promise<void> {
  const all = Object.fromEntries(
    (await listIssuers(store, realm, environment)).map((i) => [i.name, i]),
  );
  if (!all[name]) throw new PlatformError('ERR_ISSUER_UNKNOWN', { name });
  delete all[name];
  await store.meta.put(metaKey(realm, environment), JSON.stringify(all));
}
