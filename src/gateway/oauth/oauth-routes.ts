// The OAuth 2.0 endpoints: token (RFC 6749 §4.4), introspection (RFC 7662), revocation (RFC 7009).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { JsonObject } from '../../core/json.js';
import { uuidv7 } from '../../core/time-ordered-id.js';
import { isPlatformError, PlatformError } from '../../errors/index.js';
import type { PlatformErrorCode } from '../../errors/index.js';
import {
  INTROSPECTION_PATH,
  REVOCATION_PATH,
  TOKEN_PATH,
} from '../../security/tokens/metadata-document.js';
import type { TokenService, UsageRecorder } from '../../security/tokens/token-service.js';
import type { Consumer } from '../../store/store.js';
import { verifyDpopProof } from '../../security/dpop/index.js';
import { consumerCredential, readCredentials } from '../auth/authenticate.js';
import type { AuthServices, CredentialFacts } from '../auth/authenticate.js';
import type { RateLimitCheck } from '../rate-limiter.js';
import type { AuthPolicy } from '../../deployments/trigger-config.js';
import type { OAuthSettings } from './oauth-settings.js';

/** What the endpoints need from the gateway (GatewayState provides it). */
export interface OAuthServices {
  auth(): AuthServices | null;
  tokens(): TokenService | null;
  usage(): UsageRecorder | null;
  limiter: RateLimitCheck;
  readonly realm: string;
}

/** RFC 6749 §5.2 error names of the ERR_OAUTH_* codes. */
const OAUTH_ERROR: Record<string, string> = {
  ERR_OAUTH_INVALID_REQUEST: 'invalid_request',
  ERR_OAUTH_INVALID_CLIENT: 'invalid_client',
  ERR_OAUTH_UNSUPPORTED_GRANT_TYPE: 'unsupported_grant_type',
  ERR_OAUTH_INVALID_SCOPE: 'invalid_scope',
  ERR_OAUTH_UNAUTHORIZED_CLIENT: 'unauthorized_client',
  ERR_OAUTH_METHOD_NOT_ALLOWED: 'invalid_request',
  ERR_OAUTH_RATE_LIMITED: 'rate_limited',
  ERR_OAUTH_UNAVAILABLE: 'temporarily_unavailable',
  ERR_OAUTH_SERVER_ERROR: 'server_error',
  ERR_OAUTH_INVALID_DPOP_PROOF: 'invalid_dpop_proof',
  ERR_OAUTH_USE_DPOP_NONCE: 'use_dpop_nonce',
};

/** Client authentication accepts exactly one of the two consumer credentials. */
const CLIENT_POLICY: AuthPolicy = {
  apiKey: true,
  apiKeyInQuery: false,
  basicAuth: true,
  jwt: false,
  issuers: [],
  dpop: null,
  scopes: [],
  scopeMatch: 'all',
};

const FORM_TYPE = 'application/x-www-form-urlencoded';

/** A refusal carrying its usage-log reason (never shown to the caller). */
class OAuthRefusal extends Error {
  constructor(
    readonly error: PlatformError,
    readonly reason: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(error.message);
  }
}

function refuse(
  code: PlatformErrorCode,
  reason: string,
  details: Record<string, string | number> = {},
  headers: Record<string, string> = {},
): OAuthRefusal {
  return new OAuthRefusal(new PlatformError(code, details), reason, headers);
}

/** One request's context: who called, what the usage event says. */
interface Call {
  path: string;
  started: number;
  executionKey: string;
  facts: CredentialFacts;
  consumer: Consumer | null;
  /** Response headers the endpoint adds, on success and refusal alike (`DPoP-Nonce`). */
  headers: Record<string, string>;
}

/** Reads the form body: right content type, valid UTF-8 pairs, each parameter at most once (RFC 6749 §3.2). */
function readForm(req: FastifyRequest): Map<string, string> {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type !== FORM_TYPE)
    throw refuse('ERR_OAUTH_INVALID_REQUEST', 'invalid_request', {
      reason: `the body must be ${FORM_TYPE}`,
    });
  const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  const out = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (out.has(name))
      throw refuse('ERR_OAUTH_INVALID_REQUEST', 'invalid_request', {
        reason: `parameter "${name}" is repeated`,
      });
    out.set(name, value);
  }
  if (out.has('client_secret'))
    throw refuse('ERR_OAUTH_INVALID_REQUEST', 'invalid_request', {
      reason: 'client_secret in the body is not accepted; use HTTP Basic or the apikey header',
    });
  return out;
}

function required(form: Map<string, string>, name: string): string {
  const v = form.get(name);
  if (v === undefined || v === '')
    throw refuse('ERR_OAUTH_INVALID_REQUEST', 'invalid_request', {
      reason: `parameter "${name}" is required`,
    });
  return v;
}

function authServices(s: OAuthServices): AuthServices {
  const a = s.auth();
  if (!a)
    throw refuse(
      'ERR_OAUTH_UNAVAILABLE',
      'starting',
      { reason: 'the gateway is starting' },
      {
        'Retry-After': '1',
      },
    );
  return a;
}

/**
 * Client authentication (RFC 6749 §2.3): the consumer's Basic credential or its API key in the
 * `apikey` header (never the query string), exactly one of them.
 */
async function authenticateClient(
  s: OAuthServices,
  req: FastifyRequest,
  call: Call,
): Promise<OAuthRefusal | null> {
  const services = authServices(s);
  const creds = readCredentials(req.headers, {});
  const challenge = { 'WWW-Authenticate': `Basic realm="${s.realm.replace(/["\\]/g, '\\$&')}"` };
  if (creds.apiKey !== undefined && creds.basic !== undefined)
    return refuse('ERR_OAUTH_INVALID_REQUEST', 'two_client_credentials', {
      reason: 'send one client credential: HTTP Basic or the apikey header, not both',
    });
  if (creds.apiKey === undefined && creds.basic === undefined)
    return refuse('ERR_OAUTH_INVALID_CLIENT', 'missing', {}, challenge);
  let r;
  try {
    r = await consumerCredential(services, CLIENT_POLICY, creds, call.facts, req.ip);
  } catch {
    return refuse('ERR_OAUTH_UNAVAILABLE', 'store_unavailable', {
      reason: 'the store cannot be reached',
    });
  }
  if ('denial' in r) {
    // The failed-login guard (docs/security.md "Password guessing") refused before any hash.
    if (r.denial.status === 429) {
      const retryAfter = r.denial.headers?.['Retry-After'] ?? '1';
      return refuse(
        'ERR_OAUTH_RATE_LIMITED',
        r.denial.reason,
        { path: call.path, retryAfter },
        { 'Retry-After': retryAfter },
      );
    }
    if (r.denial.status >= 500)
      return refuse('ERR_OAUTH_UNAVAILABLE', r.denial.reason, {
        reason: 'the store cannot be reached',
      });
    return refuse('ERR_OAUTH_INVALID_CLIENT', r.denial.reason, {}, challenge);
  }
  call.consumer = r.consumer;
  return null;
}

/** The endpoint quota, per consumer (per address while unauthenticated). Throws a 429 refusal. */
async function checkRate(
  s: OAuthServices,
  settings: OAuthSettings,
  req: FastifyRequest,
  reply: FastifyReply,
  call: Call,
): Promise<void> {
  const who = call.consumer ? `consumer:${call.consumer.name}` : `ip:${req.ip}`;
  const r = await s.limiter.check(settings.rateLimit, `oauth2:${call.path}|${who}`);
  reply.headers(r.headers);
  if (r.unavailable)
    throw refuse(
      'ERR_OAUTH_UNAVAILABLE',
      'rate_limit_unavailable',
      { reason: 'the rate-limit store (Redis) cannot be reached' },
      { 'Retry-After': '1' },
    );
  if (!r.allowed)
    throw refuse(
      'ERR_OAUTH_RATE_LIMITED',
      'rate_limited',
      { path: call.path, retryAfter: r.headers['Retry-After'] ?? '1' },
      { 'Retry-After': r.headers['Retry-After'] ?? '1' },
    );
}

function tokenService(s: OAuthServices): TokenService {
  const t = s.tokens();
  if (!t)
    throw refuse(
      'ERR_OAUTH_UNAVAILABLE',
      'starting',
      { reason: 'the gateway is starting' },
      {
        'Retry-After': '1',
      },
    );
  return t;
}

function userAgent(req: FastifyRequest): string | null {
  const ua = req.headers['user-agent'];
  return typeof ua === 'string' ? ua.slice(0, 512) : null;
}

/**
 * A `DPoP` header on a token request (RFC 9449 §5): validated as a proof for POST at the token
 * endpoint's public URL; its key thumbprint binds the token. No header: an unbound Bearer token.
 */
async function dpopBinding(
  s: OAuthServices,
  req: FastifyRequest,
  call: Call,
): Promise<string | undefined> {
  const header = req.headers.dpop;
  if (header === undefined) return undefined;
  const d = authServices(s).dpop;
  // RFC 9449 §8: with nonces on, every answer to a DPoP token request carries the current nonce.
  const nonceHeader: Record<string, string> = d.nonces ? { 'DPoP-Nonce': d.nonces.current() } : {};
  Object.assign(call.headers, nonceHeader);
  let r;
  try {
    r = await verifyDpopProof({
      header,
      method: 'POST',
      url: `${d.publicUrl()}${call.path}`,
      nowSec: d.nowSec(),
      leewaySec: d.leewaySec,
      replay: d.replay,
      nonces: d.nonces,
    });
  } catch {
    throw refuse('ERR_OAUTH_UNAVAILABLE', 'replay_cache_unavailable', {
      reason: 'the DPoP replay cache cannot be reached',
    });
  }
  if (!r.ok && r.code === 'ERR_DPOP_USE_NONCE')
    throw refuse('ERR_OAUTH_USE_DPOP_NONCE', 'dpop_use_nonce');
  if (!r.ok) {
    const reason = new PlatformError(r.code, r.details).message;
    // Usage-log reason: the check's code in the log's snake case (ERR_DPOP_PROOF_HTU → dpop_proof_htu).
    throw refuse('ERR_OAUTH_INVALID_DPOP_PROOF', r.code.slice(4).toLowerCase(), { reason });
  }
  return r.jkt;
}

/** POST /oauth2/token: client credentials grant. */
async function tokenEndpoint(
  s: OAuthServices,
  req: FastifyRequest,
  call: Call,
): Promise<JsonObject> {
  const form = readForm(req);
  const grantType = required(form, 'grant_type');
  if (grantType !== 'client_credentials')
    throw refuse('ERR_OAUTH_UNSUPPORTED_GRANT_TYPE', 'unsupported_grant_type', {
      grantType: grantType.slice(0, 64),
    });
  const consumer = call.consumer!;
  const requested = form.get('scope');
  // RFC 6749 §3.3: without `scope`, the default is the consumer's whole ceiling (none if it has none).
  const scopes =
    requested === undefined || requested.trim() === ''
      ? [...(consumer.scopes ?? [])]
      : requested.split(' ').filter((x) => x !== '');
  const tokens = tokenService(s);
  const jkt = await dpopBinding(s, req, call);
  try {
    const issued = await tokens.issue({
      ...(jkt === undefined ? {} : { jkt }),
      consumer: consumer.name,
      claims: {},
      scopes,
      pipeline: null,
      route: call.path,
      executionKey: call.executionKey,
      sensitiveFields: [],
      clientIp: req.ip,
      userAgent: userAgent(req),
    });
    const body: JsonObject = {
      access_token: issued.token,
      // RFC 9449 §5: a token bound to the proof key is of type DPoP.
      token_type: jkt === undefined ? 'Bearer' : 'DPoP',
      expires_in: issued.expiresIn,
    };
    if (issued.scopes.length > 0) body.scope = issued.scopes.join(' ');
    call.facts.scopes = issued.scopes;
    call.facts.exp = issued.exp;
    return body;
  } catch (err) {
    if (!isPlatformError(err)) throw err;
    if (err.code === 'ERR_JWT_SCOPE_INVALID' || err.code === 'ERR_JWT_SCOPE_NOT_ALLOWED')
      throw refuse('ERR_OAUTH_INVALID_SCOPE', 'invalid_scope', { reason: err.message });
    if (err.code === 'ERR_JWT_CONSUMER_UNKNOWN' || err.code === 'ERR_JWT_CONSUMER_DISABLED')
      throw refuse(
        'ERR_OAUTH_INVALID_CLIENT',
        err.code === 'ERR_JWT_CONSUMER_UNKNOWN' ? 'consumer_unknown' : 'consumer_disabled',
      );
    if (err.code === 'ERR_JWT_SERVICE_UNAVAILABLE')
      throw refuse('ERR_OAUTH_UNAVAILABLE', 'unavailable', { reason: err.message });
    throw err;
  }
}

/** POST /oauth2/introspect: RFC 7662 §2.2 fields, or only `active: false`. */
async function introspectEndpoint(
  s: OAuthServices,
  req: FastifyRequest,
  call: Call,
): Promise<JsonObject> {
  const form = readForm(req);
  const token = required(form, 'token');
  const tokens = tokenService(s);
  const v = await tokens.verify(token);
  if (!v.ok) {
    // A store outage is not an inactive token: the resource server must not cache a false answer.
    if (v.reason === 'unavailable')
      throw refuse('ERR_OAUTH_UNAVAILABLE', 'unavailable', {
        reason: 'the store cannot be reached',
      });
    return { active: false };
  }
  call.facts.jti = v.jti;
  const c = v.claims;
  const out: JsonObject = { active: true };
  if (v.scopes.length > 0) out.scope = v.scopes.join(' ');
  out.client_id = v.consumer;
  out.username = v.consumer;
  out.token_type = v.jkt === null ? 'Bearer' : 'DPoP';
  // RFC 9449 §6.2: introspection of a bound token names the key it is bound to.
  if (v.jkt !== null) out.cnf = { jkt: v.jkt };
  out.exp = v.exp;
  out.iat = v.iat;
  if (typeof c.nbf === 'number') out.nbf = c.nbf;
  out.sub = v.subject;
  if (c.aud !== undefined) out.aud = c.aud;
  out.iss = tokens.issuer;
  out.jti = v.jti;
  return out;
}

/** POST /oauth2/revoke: RFC 7009 §2.1; a consumer revokes only its own tokens. */
async function revokeEndpoint(s: OAuthServices, req: FastifyRequest, call: Call): Promise<void> {
  const form = readForm(req);
  const token = required(form, 'token');
  const tokens = tokenService(s);
  const v = await tokens.verify(token);
  const owner = v.consumer;
  if (!v.ok && v.reason === 'unavailable')
    throw refuse(
      'ERR_OAUTH_UNAVAILABLE',
      'unavailable',
      { reason: 'the store cannot be reached' },
      {
        'Retry-After': '1',
      },
    );
  if (v.jti !== undefined) call.facts.jti = v.jti;
  if (owner !== undefined && owner !== call.consumer!.name)
    throw refuse('ERR_OAUTH_UNAUTHORIZED_CLIENT', 'not_token_owner');
  // Unknown, forged, foreign or already invalid tokens: nothing to do, 200 (RFC 7009 §2.2).
  if (!v.ok) return;
  await tokens.revoke({ jti: v.jti });
}

/** Sends a refusal in the RFC 6749 §5.2 shape, plus the platform's stable code. */
function sendRefusal(reply: FastifyReply, r: OAuthRefusal): FastifyReply {
  return reply
    .code(r.error.status)
    .headers({ ...r.headers, 'cache-control': 'no-store', pragma: 'no-cache' })
    .type('application/json; charset=utf-8')
    .send({
      error: OAUTH_ERROR[r.error.code] ?? 'invalid_request',
      error_description: r.error.message,
      code: r.error.code,
    });
}

type Handler = (s: OAuthServices, req: FastifyRequest, call: Call) => Promise<JsonObject | null>;

/** Authenticates, rate-limits, runs the endpoint, answers, logs and records one usage event. */
function endpoint(s: OAuthServices, settings: OAuthSettings, path: string, run: Handler) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const call: Call = {
      path,
      started: performance.now(),
      executionKey: uuidv7(),
      consumer: null,
      headers: {},
      facts: {
        consumer: null,
        credentialKind: null,
        credentialId: null,
        jti: null,
        exp: null,
        scopes: null,
      },
    };
    reply.header('X-Pipegate-Execution-Key', call.executionKey);
    let outcome: { status: number; reason: string | null; code: string | null };
    try {
      const denied = await authenticateClient(s, req, call);
      await checkRate(s, settings, req, reply, call);
      if (denied) throw denied;
      const body = await run(s, req, call);
      outcome = { status: 200, reason: null, code: null };
      reply.code(200).headers({ ...call.headers, 'cache-control': 'no-store', pragma: 'no-cache' });
      if (body === null) reply.send();
      else reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
    } catch (err) {
      let refusal: OAuthRefusal;
      if (err instanceof OAuthRefusal) refusal = err;
      else {
        req.log.error({ executionKey: call.executionKey, err }, 'oauth endpoint failed');
        refusal = new OAuthRefusal(new PlatformError('ERR_OAUTH_SERVER_ERROR'), 'server_error');
      }
      outcome = { status: refusal.error.status, reason: refusal.reason, code: refusal.error.code };
      reply.headers(call.headers);
      sendRefusal(reply, refusal);
    }
    const latencyMs = Math.round((performance.now() - call.started) * 1000) / 1000;
    req.log.info(
      {
        executionKey: call.executionKey,
        method: req.method,
        path,
        consumer: call.facts.consumer ?? undefined,
        status: outcome.status,
        code: outcome.code ?? undefined,
        reason: outcome.reason ?? undefined,
        ms: latencyMs,
      },
      'oauth request completed',
    );
    s.usage()?.record({
      time: Date.now(),
      kind: 'auth',
      outcome: outcome.status === 200 ? 'allowed' : 'denied',
      reason: outcome.reason,
      status: outcome.status,
      latencyMs,
      clientIp: req.ip,
      userAgent: userAgent(req),
      route: path,
      pipeline: null,
      executionKey: call.executionKey,
      ...call.facts,
    });
    return reply;
  };
}

const ALL_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Registers POST /oauth2/token, /oauth2/introspect and /oauth2/revoke (other methods: 405). The
 * `/oauth2` prefix is reserved: no pipeline route can take it.
 */
export function registerOAuthRoutes(
  app: FastifyInstance,
  s: OAuthServices,
  settings: OAuthSettings,
): void {
  const handlers: [string, Handler][] = [
    [TOKEN_PATH, tokenEndpoint],
    [INTROSPECTION_PATH, introspectEndpoint],
    [
      REVOCATION_PATH,
      async (sv, req, call) => {
        await revokeEndpoint(sv, req, call);
        return null;
      },
    ],
  ];
  for (const [path, run] of handlers) {
    app.post(path, endpoint(s, settings, path, run));
    app.route({
      method: [...ALL_METHODS],
      url: path,
      handler: async (_req, reply) =>
        sendRefusal(
          reply.header('allow', 'POST'),
          refuse('ERR_OAUTH_METHOD_NOT_ALLOWED', 'method_not_allowed', { path }),
        ),
    });
  }
}
