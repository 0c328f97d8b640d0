// Authenticates a request for a trigger's auth policy: API key, Basic Auth, bearer token, allow-list, scopes.
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthInfo } from '../../core/step-context.js';
import type { ApiKeyHasher, PasswordVerifier } from '../../security/index.js';
import type { TokenService } from '../../security/tokens/token-service.js';
import type { DpopNonces, ReplayCache } from '../../security/dpop/index.js';
import { isPlatformError } from '../../errors/index.js';
import type { Consumer, CredentialKind } from '../../store/store.js';
import { unverifiedIssuer } from '../../security/issuers/external-issuers.js';
import type { ExternalIssuers } from '../../security/issuers/external-issuers.js';
import { PLATFORM_ISSUER } from '../../deployments/trigger-config.js';
import type { AuthPolicy } from '../../deployments/trigger-config.js';
import type { CredentialCache } from './credential-cache.js';
import { verifyGuarded } from './login-guard.js';
import type { LoginGuard } from './login-guard.js';
import { checkSenderConstraint, dpopRefusal, tokenRefusal } from './sender-constraint.js';
import {
  apiKeyDenied,
  basicDenied,
  forbidden,
  loginBusy,
  loginThrottled,
  scopeDenied,
  tokenDenied,
  unavailable,
} from './denials.js';
import type { Denial } from './denials.js';

/** What DPoP proof checks need (RFC 9449): the jti memory, the public URL for `htu`, the clock. */
export interface DpopServices {
  replay: ReplayCache;
  /** Base URL clients reach the gateway at (PIPEGATE_PUBLIC_URL or the listening address). */
  publicUrl(): string;
  /** Clock leeway for the proof `iat` in seconds (the token service's leeway). */
  leewaySec: number;
  /** Epoch seconds (tests may freeze it). */
  nowSec(): number;
  /** Server nonces when `dpop.nonce` is on (RFC 9449 §8, §9), otherwise null. */
  nonces: DpopNonces | null;
}

/** What authentication needs from the server. */
export interface AuthServices {
  realm: string;
  cache: CredentialCache;
  hasher: ApiKeyHasher;
  passwords: PasswordVerifier;
  tokens: TokenService;
  /** Failed-login limits and the hash cap (shared with the admin API). */
  logins: LoginGuard;
  dpop: DpopServices;
  /** Tokens of external issuers (`auth.jwt.issuers`); null when the gateway has no outbound HTTP. */
  issuers?: ExternalIssuers | null;
}

/** The credential facts of a decision, for the usage log (never a secret). */
export interface CredentialFacts {
  consumer: string | null;
  credentialKind: CredentialKind | null;
  credentialId: string | null;
  jti: string | null;
  exp: number | null;
  scopes: string[] | null;
}

export type AuthDecision =
  | { ok: true; info: AuthInfo; facts: CredentialFacts; bearerToken?: string }
  | { ok: false; denial: Denial; facts: CredentialFacts };

/** The credentials presented, read once from headers and query. */
export interface PresentedCredentials {
  apiKey?: string;
  basic?: { username: string; password: string } | 'malformed';
  /** The access token of `Authorization: Bearer` or `Authorization: DPoP`. */
  bearer?: string;
  /** Which scheme carried `bearer` (RFC 6750 Bearer or RFC 9449 §7.1 DPoP). */
  tokenScheme?: 'bearer' | 'dpop';
  /** The raw `DPoP` proof header(s). */
  dpopProof?: string | string[];
}

/** The request a DPoP proof must be made for (method and path as received, no query). */
export interface RequestTarget {
  method: string;
  path: string;
}

/** Reads `apikey` (header, else query) and the Authorization header. */
export function readCredentials(
  headers: IncomingHttpHeaders,
  query: Record<string, unknown>,
): PresentedCredentials {
  const out: PresentedCredentials = {};
  const headerKey = headers['apikey'];
  const queryKey = query['apikey'];
  if (typeof headerKey === 'string' && headerKey !== '') out.apiKey = headerKey;
  else if (typeof queryKey === 'string' && queryKey !== '') out.apiKey = queryKey;
  const authz = headers.authorization;
  if (typeof authz === 'string') {
    const m = /^([A-Za-z]+)(?: +(.*))?$/.exec(authz.trim());
    const scheme = m?.[1]?.toLowerCase();
    if (scheme === 'bearer' || scheme === 'dpop') {
      out.bearer = m?.[2]?.trim() ?? '';
      out.tokenScheme = scheme;
    } else if (scheme === 'basic') out.basic = parseBasic(m?.[2] ?? '');
  }
  const proof = headers.dpop;
  if (proof !== undefined) out.dpopProof = proof;
  return out;
}

function parseBasic(b64: string): PresentedCredentials['basic'] {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64.trim())) return 'malformed';
  const text = Buffer.from(b64.trim(), 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return 'malformed';
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

const noFacts = (): CredentialFacts => ({
  consumer: null,
  credentialKind: null,
  credentialId: null,
  jti: null,
  exp: null,
  scopes: null,
});

type Step =
  | { ok: true; consumer: Consumer; id: string }
  | { ok: false; denial: Denial; consumer?: string; id?: string };

async function checkApiKey(s: AuthServices, key: string | undefined): Promise<Step> {
  if (!key) return { ok: false, denial: apiKeyDenied('missing') };
  const record = await s.cache.apiKeyByHash(s.hasher.hash(key));
  if (!record) return { ok: false, denial: apiKeyDenied('unknown_key') };
  if (record.revokedAt !== null)
    return { ok: false, denial: apiKeyDenied('revoked_key'), id: record.id };
  const consumer = await s.cache.consumerById(record.consumerId);
  if (!consumer) return { ok: false, denial: apiKeyDenied('consumer_unknown'), id: record.id };
  if (!consumer.enabled)
    return {
      ok: false,
      denial: apiKeyDenied('consumer_disabled'),
      id: record.id,
      consumer: consumer.name,
    };
  return { ok: true, consumer, id: record.id };
}

async function checkBasic(
  s: AuthServices,
  basic: PresentedCredentials['basic'],
  clientIp: string,
): Promise<Step> {
  if (!basic) return { ok: false, denial: basicDenied(s.realm, 'missing') };
  if (basic === 'malformed') return { ok: false, denial: basicDenied(s.realm, 'malformed') };
  // Compatible: callers may send `{realm}-{username}` as the reference platform stores it.
  let cred = await s.cache.basicByUsername(basic.username);
  const prefix = `${s.realm}-`;
  if (!cred && basic.username.startsWith(prefix))
    cred = await s.cache.basicByUsername(basic.username.slice(prefix.length));
  // Unknown users cost the same hash as a wrong password, so timing does not reveal which exist.
  const verdict = await verifyGuarded(s.logins, s.passwords, {
    scope: 'basic',
    ip: clientIp,
    username: cred?.username ?? basic.username,
    password: basic.password,
    storedHash: cred?.passwordHash ?? null,
    cacheName: cred?.username ?? basic.username,
  });
  if (verdict !== 'ok' && verdict !== 'wrong') {
    const denial = verdict.kind === 'busy' ? loginBusy() : loginThrottled(verdict.retryAfterSec);
    return { ok: false, denial, ...(cred ? { id: cred.username } : {}) };
  }
  if (!cred) return { ok: false, denial: basicDenied(s.realm, 'unknown_user') };
  if (verdict === 'wrong') {
    return { ok: false, denial: basicDenied(s.realm, 'wrong_password'), id: cred.username };
  }
  const consumer = await s.cache.consumerById(cred.consumerId);
  if (!consumer)
    return { ok: false, denial: basicDenied(s.realm, 'consumer_unknown'), id: cred.username };
  if (!consumer.enabled)
    return {
      ok: false,
      denial: basicDenied(s.realm, 'consumer_disabled'),
      id: cred.username,
      consumer: consumer.name,
    };
  return { ok: true, consumer, id: cred.username };
}

function isAllowed(consumer: Consumer, pipeline: string): boolean {
  return consumer.pipelines.includes('*') || consumer.pipelines.includes(pipeline);
}

function hasScopes(held: readonly string[], policy: AuthPolicy): boolean {
  if (policy.scopes.length === 0) return true;
  return policy.scopeMatch === 'any'
    ? policy.scopes.some((s) => held.includes(s))
    : policy.scopes.every((s) => held.includes(s));
}

type Denied = { ok: false; denial: Denial; facts: CredentialFacts };

/** API key or Basic credential (either one when both are on); fills `facts`. */
export async function consumerCredential(
  s: AuthServices,
  policy: AuthPolicy,
  creds: PresentedCredentials,
  facts: CredentialFacts,
  clientIp: string,
): Promise<{ consumer: Consumer; method: 'apiKey' | 'basic' } | Denied> {
  const useBasic =
    policy.basicAuth &&
    (!policy.apiKey || (creds.apiKey === undefined && creds.basic !== undefined));
  const method = useBasic ? 'basic' : 'apiKey';
  facts.credentialKind = method;
  let step = useBasic
    ? await checkBasic(s, creds.basic, clientIp)
    : await checkApiKey(s, creds.apiKey);
  // Neither credential sent while both are accepted: answer with the Basic challenge.
  if (!step.ok && !useBasic && policy.basicAuth && step.denial.reason === 'missing') {
    step = { ok: false, denial: basicDenied(s.realm, 'missing') };
  }
  facts.credentialId = step.id ?? null;
  facts.consumer = step.ok ? step.consumer.name : (step.consumer ?? null);
  return step.ok ? { consumer: step.consumer, method } : { ok: false, denial: step.denial, facts };
}

/**
 * A token of an external issuer (docs/oauth.md "External issuers"): verified with that issuer's
 * keys and settings; no consumer of its own (the API key's, if the trigger also asks for one);
 * scopes from the issuer's scope claim. Keys that could never be fetched are a 503, not a 401.
 */
async function withExternalToken(
  s: AuthServices,
  policy: AuthPolicy,
  creds: PresentedCredentials,
  credentialConsumer: Consumer | null,
  facts: CredentialFacts,
): Promise<AuthDecision> {
  const deny = (denial: Denial): Denied => ({ ok: false, denial, facts });
  if (policy.dpop === 'required') return deny(dpopRefusal('ERR_DPOP_REQUIRED'));
  if (creds.tokenScheme === 'dpop') return deny(dpopRefusal('ERR_DPOP_NOT_BOUND'));
  if (!s.issuers) return deny(unavailable('issuers_unavailable'));
  const r = await s.issuers.verify(creds.bearer!, policy.issuers);
  if (!r.ok) {
    if (r.issuer !== undefined) facts.credentialId = `issuer:${r.issuer}`;
    return deny(
      r.reason === 'unavailable'
        ? unavailable('issuer_keys_unavailable')
        : tokenRefusal(s, policy, creds, r.reason),
    );
  }
  Object.assign(facts, {
    consumer: credentialConsumer?.name ?? null,
    credentialId: `${r.issuer}:${r.subject}`.slice(0, 200),
    jti: r.jti,
    exp: r.exp,
    scopes: r.scopes,
  });
  if (!hasScopes(r.scopes, policy)) return deny(scopeDenied(s.realm, policy.scopes));
  const info: AuthInfo = {
    method: 'jwt',
    consumer: credentialConsumer?.name ?? null,
    scopes: r.scopes,
    claims: r.claims,
    tokenExp: r.exp,
    issuer: r.issuer,
    subject: r.subject,
  };
  if (r.jti !== null) info.tokenId = r.jti;
  return { ok: true, info, facts, bearerToken: creds.bearer };
}

/** True when the token goes to an external issuer: one is listed and the token is not the platform's. */
function isExternal(s: AuthServices, policy: AuthPolicy, token: string | undefined): boolean {
  if (!token || policy.issuers.every((n) => n === PLATFORM_ISSUER)) return false;
  if (!policy.issuers.includes(PLATFORM_ISSUER)) return true;
  return unverifiedIssuer(token) !== s.tokens.issuer;
}

/** The bearer token, its consumer (same as the credential's, if any), allow-list and scopes. */
async function withToken(
  s: AuthServices,
  policy: AuthPolicy,
  pipeline: string,
  creds: PresentedCredentials,
  credentialConsumer: Consumer | null,
  facts: CredentialFacts,
  target: RequestTarget | undefined,
): Promise<AuthDecision> {
  const deny = (denial: Denial): Denied => ({ ok: false, denial, facts });
  facts.credentialKind = 'jwt';
  if (isExternal(s, policy, creds.bearer))
    return withExternalToken(s, policy, creds, credentialConsumer, facts);
  const verified = await s.tokens.verify(creds.bearer ?? null);
  if (!verified.ok) {
    // A genuine but refused token (expired, revoked, …) is attributed to its jti and consumer.
    if (verified.jti !== undefined) facts.jti = verified.jti;
    if (verified.consumer !== undefined && facts.consumer === null)
      facts.consumer = verified.consumer;
    return deny(
      verified.reason === 'unavailable'
        ? unavailable()
        : tokenRefusal(s, policy, creds, verified.reason),
    );
  }
  Object.assign(facts, {
    consumer: verified.consumer,
    jti: verified.jti,
    exp: verified.exp,
    scopes: verified.scopes,
  });
  const constraint = await checkSenderConstraint(s, policy, creds, verified, target);
  if (constraint) return deny(constraint);
  if (credentialConsumer && credentialConsumer.id !== verified.consumerId) {
    return deny(tokenDenied(s.realm, 'consumer_mismatch'));
  }
  const consumer = credentialConsumer ?? (await s.cache.consumerByName(verified.consumer));
  // Same name, another id: the token's consumer was deleted and the name reused.
  if (!consumer || consumer.id !== verified.consumerId)
    return deny(tokenDenied(s.realm, 'consumer_unknown'));
  if (!consumer.enabled) return deny(tokenDenied(s.realm, 'consumer_disabled'));
  if (!isAllowed(consumer, pipeline)) return deny(forbidden('pipeline_not_allowed'));
  if (!hasScopes(verified.scopes, policy)) return deny(scopeDenied(s.realm, policy.scopes));
  const info: AuthInfo = {
    method: 'jwt',
    consumer: consumer.name,
    scopes: verified.scopes,
    claims: verified.claims,
    tokenId: verified.jti,
    tokenExp: verified.exp,
  };
  if (facts.credentialId) info.credentialId = facts.credentialId;
  return { ok: true, info, facts, bearerToken: creds.bearer };
}

/** API key / Basic only: allow-list, and required scopes against the consumer's scope list. */
function withoutToken(
  policy: AuthPolicy,
  pipeline: string,
  consumer: Consumer,
  method: 'apiKey' | 'basic',
  facts: CredentialFacts,
): AuthDecision {
  const held = consumer.scopes ?? [];
  facts.scopes = held;
  if (!isAllowed(consumer, pipeline))
    return { ok: false, denial: forbidden('pipeline_not_allowed'), facts };
  if (!hasScopes(held, policy))
    return { ok: false, denial: forbidden('insufficient_scope'), facts };
  const info: AuthInfo = { method, consumer: consumer.name, scopes: held, claims: null };
  if (facts.credentialId) info.credentialId = facts.credentialId;
  return { ok: true, info, facts };
}

/**
 * Decides one request. Rules (docs/gateway.md "Authentication"): with apiKey and basicAuth both on,
 * either credential is accepted; jwt adds a bearer token requirement on top of them; the token must
 * belong to the same consumer as the API key or Basic credential, and to a consumer allowed on the
 * pipeline. A store failure is a 503, never a 401; any other failure is thrown (a bare 500).
 */
export async function authenticate(
  s: AuthServices,
  policy: AuthPolicy,
  pipeline: string,
  creds: PresentedCredentials,
  clientIp = '',
  target?: RequestTarget,
): Promise<AuthDecision | null> {
  if (!policy.apiKey && !policy.basicAuth && !policy.jwt) return null;
  const facts = noFacts();
  try {
    let consumer: Consumer | null = null;
    let method: 'apiKey' | 'basic' = 'apiKey';
    if (policy.apiKey || policy.basicAuth) {
      const r = await consumerCredential(s, policy, creds, facts, clientIp);
      if ('denial' in r) return r;
      ({ consumer, method } = r);
    }
    if (policy.jwt) return await withToken(s, policy, pipeline, creds, consumer, facts, target);
    return withoutToken(policy, pipeline, consumer!, method, facts);
  } catch (err) {
    // The store (or key material) could not be reached: the caller is not at fault (503). Anything
    // else (a TypeError, a bug) propagates and becomes the bare 500 of the error handler.
    if (!isStoreUnavailable(err)) throw err;
    return { ok: false, denial: unavailable('store_unavailable'), facts };
  }
}

/**
 * Errors that mean "the store or key material cannot be reached": the caller is not at fault (503).
 */
export function isStoreUnavailable(err: unknown): boolean {
  return (
    isPlatformError(err) &&
    (err.code === 'ERR_STORE_UNAVAILABLE' ||
      err.code === 'ERR_STORE_CLOSED' ||
      err.code === 'ERR_SECRET_DECRYPT')
  );
}
