// Minting of a platform access token (SPEC §5.1 generate; RFC 9068 header and claims).
import { defineOwn, isJsonObject } from '../../core/json.js';
import { uuidv7 } from '../../core/time-ordered-id.js';
import type { JsonObject } from '../../core/json.js';
import { PlatformError } from '../../errors/index.js';
import {
  assertNoReservedClaims,
  assertNoSensitiveClaims,
  checkScopes,
  resolveLifetime,
} from './claims-policy.js';
import type { ConsumerCache } from './consumer-cache.js';
import type { KeyRing } from './key-ring.js';
import { compactPlatformJws } from './platform-jws.js';
import type { IssueRequest, IssuedToken, UsageRecorder } from './token-service.js';

/** What minting needs from the service. */
export interface IssueContext {
  keys: KeyRing;
  consumers: ConsumerCache;
  usage: UsageRecorder;
  issuer: string;
  audience: string;
  realm: string;
  now: () => number;
  defaultLifetimeMs: number;
  maxLifetimeMs: number;
  realmSensitiveFields: readonly string[];
}

/**
 * Longest token accepted from the wire (16 KiB; larger input is malformed before any parsing), so
 * also the longest token minted: a token the gateway itself would refuse is never issued.
 */
export const MAX_TOKEN_CHARS = 16_384;

/** Checks every minting rule, signs with the active key and records an `issued` usage event. */
export async function issueToken(req: IssueRequest, ctx: IssueContext): Promise<IssuedToken> {
  if (!isJsonObject(req.claims)) throw new TypeError('issue: claims must be a JSON object');
  assertNoSensitiveClaims(req.claims, [...req.sensitiveFields, ...ctx.realmSensitiveFields]);
  assertNoReservedClaims(req.claims);
  const lifetimeMs = resolveLifetime(req.lifetimeMs, ctx.defaultLifetimeMs, ctx.maxLifetimeMs);
  let status;
  try {
    status = await ctx.consumers.get(req.consumer);
  } catch (err) {
    throw new PlatformError(
      'ERR_JWT_SERVICE_UNAVAILABLE',
      { reason: 'the store cannot be reached' },
      { cause: err },
    );
  }
  if (status === null)
    throw new PlatformError('ERR_JWT_CONSUMER_UNKNOWN', { consumer: req.consumer });
  if (!status.enabled)
    throw new PlatformError('ERR_JWT_CONSUMER_DISABLED', { consumer: req.consumer });
  const scopes = checkScopes(req.scopes, status.scopes, req.consumer);
  const key = ctx.keys.active;
  if (!key)
    throw new PlatformError('ERR_JWT_SERVICE_UNAVAILABLE', {
      reason: 'the realm has no active signing key',
    });

  const nowMs = ctx.now();
  const iat = Math.floor(nowMs / 1000);
  const exp = Math.max(iat + 1, Math.floor((nowMs + lifetimeMs) / 1000));
  // Time-ordered (RFC 9562 v7: the millisecond, then 74 random bits): the anomaly windows and the
  // (jti, IP) table index every new jti, and a random key dirties a random index page per token.
  const jti = uuidv7(nowMs);
  const payload: JsonObject = {
    iss: ctx.issuer,
    sub: req.subject ?? req.consumer,
    aud: ctx.audience,
    client_id: req.consumer,
    iat,
    exp,
    jti,
  };
  if (scopes.length > 0) payload.scope = scopes.join(' ');
  payload.consumer_name = req.consumer;
  // The immutable id: a consumer deleted and re-created under the same name does not revive this token.
  payload.consumer_id = status.id;
  payload.realm = ctx.realm;
  payload.scopes = scopes;
  if (req.jkt !== undefined) payload.cnf = { jkt: req.jkt };
  for (const [name, value] of Object.entries(req.claims)) defineOwn(payload, name, value);

  // Signed with node:crypto (platform-jws.ts), as jose would (tested against it).
  const token = await compactPlatformJws(
    key.alg,
    key.signKey,
    { alg: key.alg, kid: key.kid, typ: 'at+jwt' },
    JSON.stringify(payload),
  );
  if (token.length > MAX_TOKEN_CHARS)
    throw new PlatformError('ERR_JWT_TOKEN_TOO_LARGE', {
      size: token.length,
      max: MAX_TOKEN_CHARS,
    });
  ctx.usage.record({
    time: nowMs,
    kind: 'issued',
    outcome: 'allowed',
    pipeline: req.pipeline,
    consumer: req.consumer,
    credentialKind: 'jwt',
    jti,
    scopes,
    exp,
    executionKey: req.executionKey,
    ...(req.route === undefined ? {} : { route: req.route }),
    ...(req.clientIp === undefined ? {} : { clientIp: req.clientIp }),
    ...(req.userAgent === undefined ? {} : { userAgent: req.userAgent }),
  });
  return { token, jti, exp, expiresIn: exp - iat, scopes };
}
