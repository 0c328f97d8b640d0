// Authenticates a request for a trigger's auth policy: API key, Basic Auth, bearer token, allow-list, scopes.
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthInfo } from '../../core/step-context.js';
import type { ApiKeyHasher, PasswordVerifier } from '../../security/index.js';
import type { TokenService, VerifiedToken } from '../../security/tokens/token-service.js';
import { isPlatformError } from '../../errors/index.js';
import type { Consumer, CredentialKind } from '../../store/store.js';
import type { AuthPolicy } from '../trigger-config.js';
import type { CredentialCache } from './credential-cache.js';
import { verifyGuarded } from './login-guard.js';
import type { LoginGuard } from './login-guard.js';
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

/** What authentication needs from the server. */
export interface AuthServices {
  realm: string;
  cache: CredentialCache;
  hasher: ApiKeyHasher;
  passwords: PasswordVerifier;
  tokens: TokenService;
  /** Failed-login limits and the hash cap (shared with the admin API). */
  logins: LoginGuard;
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
  bearer?: string;
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
    if (scheme === 'bearer') out.bearer = m?.[2]?.trim() ?? '';
    else if (scheme === 'basic') out.basic = parseBasic(m?.[2] ?? '');
  }
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

/** One credential kind's verdict: the consumer it names, or the denial (with what is known of it). */
type CredentialResult =
  | { ok: true; consumer: Consumer; id: string }
  | { ok: false; denial: Denial; consumer?: string; id?: string };

/** The `apikey` credential: keyed-hash lookup, revocation, consumer status. */
async function authenticateApiKey(
  s: AuthServices,
  key: string | undefined,
): Promise<CredentialResult> {
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

/** The Basic credential: username (also `{realm}-{username}`), guarded password check, consumer status. */
async function authenticateBasic(
  s: AuthServices,
  basic: PresentedCredentials['basic'],
  clientIp: string,
): Promise<CredentialResult> {
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

type Denied = { ok: false; denial: Denial; facts: CredentialFacts };

/**
 * The bearer token: verification (signature once, then the verified-token cache; revocation and
 * consumer status every time), and the same consumer as the API key or Basic credential, if any.
 * Fills `facts` with the token's jti, exp, scopes and consumer.
 */
async function authenticateBearer(
  s: AuthServices,
  token: string | undefined,
  credentialConsumer: Consumer | null,
  facts: CredentialFacts,
): Promise<{ ok: true; consumer: Consumer; verified: VerifiedToken } | Denied> {
  const deny = (denial: Denial): Denied => ({ ok: false, denial, facts });
  facts.credentialKind = 'jwt';
  const verified = await s.tokens.verify(token ?? null);
  if (!verified.ok) {
    // A genuine but refused token (expired, revoked, …) is attributed to its jti and consumer.
    if (verified.jti !== undefined) facts.jti = verified.jti;
    if (verified.consumer !== undefined && facts.consumer === null)
      facts.consumer = verified.consumer;
    return deny(
      verified.reason === 'unavailable' ? unavailable() : tokenDenied(s.realm, verified.reason),
    );
  }
  facts.consumer = verified.consumer;
  facts.jti = verified.jti;
  facts.exp = verified.exp;
  facts.scopes = verified.scopes;
  if (credentialConsumer && credentialConsumer.id !== verified.consumerId) {
    return deny(tokenDenied(s.realm, 'consumer_mismatch'));
  }
  const consumer = credentialConsumer ?? (await s.cache.consumerByName(verified.consumer));
  // Same name, another id: the token's consumer was deleted and the name reused.
  if (!consumer || consumer.id !== verified.consumerId)
    return deny(tokenDenied(s.realm, 'consumer_unknown'));
  if (!consumer.enabled) return deny(tokenDenied(s.realm, 'consumer_disabled'));
  return { ok: true, consumer, verified };
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
  let r = useBasic
    ? await authenticateBasic(s, creds.basic, clientIp)
    : await authenticateApiKey(s, creds.apiKey);
  // Neither credential sent while both are accepted: answer with the Basic challenge.
  if (!r.ok && !useBasic && policy.basicAuth && r.denial.reason === 'missing') {
    r = { ok: false, denial: basicDenied(s.realm, 'missing') };
  }
  facts.credentialId = r.id ?? null;
  facts.consumer = r.ok ? r.consumer.name : (r.consumer ?? null);
  return r.ok ? { consumer: r.consumer, method } : { ok: false, denial: r.denial, facts };
}

/** Pipeline allow-list and required scopes, once the caller is known. */
function authorize(
  s: AuthServices,
  policy: AuthPolicy,
  pipeline: string,
  consumer: Consumer,
  held: readonly string[],
  bearer: boolean,
): Denial | null {
  if (!isAllowed(consumer, pipeline)) return forbidden('pipeline_not_allowed');
  if (hasScopes(held, policy)) return null;
  return bearer ? scopeDenied(s.realm, policy.scopes) : forbidden('insufficient_scope');
}

/**
 * Errors that mean "the store or key material cannot be reached": the caller is not at fault (503).
 * Anything else (a TypeError, a bug) propagates and becomes the bare 500 of the error handler.
 */
export function isStoreUnavailable(err: unknown): boolean {
  return (
    isPlatformError(err) &&
    (err.code === 'ERR_STORE_UNAVAILABLE' ||
      err.code === 'ERR_STORE_CLOSED' ||
      err.code === 'ERR_SECRET_DECRYPT')
  );
}

async function decide(
  s: AuthServices,
  policy: AuthPolicy,
  pipeline: string,
  creds: PresentedCredentials,
  clientIp: string,
  facts: CredentialFacts,
): Promise<AuthDecision> {
  let consumer: Consumer | null = null;
  let method: 'apiKey' | 'basic' = 'apiKey';
  if (policy.apiKey || policy.basicAuth) {
    const r = await consumerCredential(s, policy, creds, facts, clientIp);
    if ('denial' in r) return r;
    ({ consumer, method } = r);
  }
  let info: AuthInfo;
  let denial: Denial | null;
  if (policy.jwt) {
    const t = await authenticateBearer(s, creds.bearer, consumer, facts);
    if (!t.ok) return t;
    const v = t.verified;
    denial = authorize(s, policy, pipeline, t.consumer, v.scopes, true);
    info = {
      method: 'jwt',
      consumer: t.consumer.name,
      scopes: v.scopes,
      claims: v.claims,
      tokenId: v.jti,
      tokenExp: v.exp,
    };
  } else {
    const held = consumer!.scopes ?? [];
    facts.scopes = held;
    denial = authorize(s, policy, pipeline, consumer!, held, false);
    info = { method, consumer: consumer!.name, scopes: held, claims: null };
  }
  if (denial) return { ok: false, denial, facts };
  if (facts.credentialId) info.credentialId = facts.credentialId;
  return policy.jwt
    ? { ok: true, info, facts, bearerToken: creds.bearer }
    : { ok: true, info, facts };
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
): Promise<AuthDecision | null> {
  if (!policy.apiKey && !policy.basicAuth && !policy.jwt) return null;
  const facts = noFacts();
  try {
    return await decide(s, policy, pipeline, creds, clientIp, facts);
  } catch (err) {
    if (!isStoreUnavailable(err)) throw err;
    return { ok: false, denial: unavailable('store_unavailable'), facts };
  }
}
