// Verification of a platform token against SPEC §6.3, returning the precise denial reason.
import { isJsonObject } from '../../core/json.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import type { KeyRing } from './key-ring.js';
import { decodeBase64url, verifyPlatformJws } from './platform-jws.js';
import type { DenialReason, TokenDenial, VerifiedToken } from './token-service.js';

/** What verification checks against (one realm in one environment). */
export interface VerifyContext {
  keys: KeyRing;
  issuer: string;
  audience: string;
  leewaySec: number;
  nowSec: number;
}

/** Registered header `typ` of RFC 9068 §2.1; `application/at+jwt` is the same media type. */
function isAccessTokenTyp(typ: unknown): boolean {
  if (typeof typ !== 'string') return false;
  const t = typ.toLowerCase();
  return t === 'at+jwt' || t === 'application/at+jwt';
}

function decodeSegment(segment: string): JsonObject | null {
  if (segment.length === 0 || !/^[A-Za-z0-9_-]+$/.test(segment)) return null;
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as JsonValue;
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}

function stringArray(value: JsonValue | undefined): string[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return null;
  return value as string[];
}

type Deny = TokenDenial;
const deny = (reason: DenialReason): Deny => ({ ok: false, reason });

/**
 * Cryptographic and claim checks, in this order so the reason is precise: structure → header alg in
 * the realm's allow-list → kid of an accepted key of that alg → signature → typ → iss → aud → exp →
 * nbf/iat (with leeway) → required claims. Revocation and consumer checks follow in the service.
 */
export async function verifyTokenSignatureAndClaims(
  token: string,
  ctx: VerifyContext,
): Promise<VerifiedToken | Deny> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[2] === '') return deny('malformed');
  const header = decodeSegment(parts[0]!);
  if (!header || typeof header.alg !== 'string') return deny('malformed');
  if (!ctx.keys.allows(header.alg)) return deny('alg_not_allowed');
  if (typeof header.kid !== 'string') return deny('unknown_kid');
  const key = ctx.keys.get(header.kid);
  if (!key) return deny('unknown_kid');
  // A kid names one key with one algorithm: an HS256 header on an ES256 kid is the key-confusion attack.
  if (key.alg !== header.alg) return deny('alg_not_allowed');
  if (header.crit !== undefined) return deny('malformed');
  // The signature, with node:crypto (platform-jws.ts): the payload and signature
  // segments must be base64url (jose's rule), the signature valid for the signing input as sent.
  const signature = decodeBase64url(parts[2]!);
  const payloadBytes = decodeBase64url(parts[1]!);
  if (signature === null || payloadBytes === null) return deny('malformed');
  if (!(await verifyPlatformJws(key.alg, key.verifyKey, `${parts[0]}.${parts[1]}`, signature)))
    return deny('bad_signature');
  if (!isAccessTokenTyp(header.typ)) return deny('wrong_typ');
  let claims: JsonValue;
  try {
    claims = JSON.parse(payloadBytes.toString('utf8')) as JsonValue;
  } catch {
    return deny('malformed');
  }
  if (!isJsonObject(claims)) return deny('malformed');
  return checkClaims(claims, header.kid, ctx);
}

function checkClaims(claims: JsonObject, kid: string, ctx: VerifyContext): VerifiedToken | Deny {
  // The signature is valid from here on: name the token in refusals so its use can be traced.
  const identity = {
    ...(typeof claims.jti === 'string' && claims.jti !== '' ? { jti: claims.jti } : {}),
    ...(typeof claims.client_id === 'string' && claims.client_id !== ''
      ? { consumer: claims.client_id }
      : {}),
  };
  const deny = (reason: DenialReason): Deny => ({ ok: false, reason, ...identity });
  if (claims.iss !== ctx.issuer) return deny('wrong_issuer');
  const aud = claims.aud;
  const audOk = aud === ctx.audience || (Array.isArray(aud) && aud.includes(ctx.audience));
  if (!audOk) return deny('wrong_audience');
  const { exp, iat, nbf, jti, sub } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return deny('malformed');
  if (ctx.nowSec >= exp) return deny('token_expired');
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > ctx.nowSec + ctx.leewaySec)) {
    return deny(typeof nbf === 'number' ? 'not_yet_valid' : 'malformed');
  }
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return deny('malformed');
  if (iat > ctx.nowSec + ctx.leewaySec) return deny('not_yet_valid');
  if (typeof jti !== 'string' || jti === '' || typeof sub !== 'string') return deny('malformed');
  const consumer = claims.client_id;
  if (typeof consumer !== 'string' || consumer === '') return deny('malformed');
  // Tokens carry the consumer's immutable id; one without it (minted before ids were added) is refused.
  const consumerId = claims.consumer_id;
  if (typeof consumerId !== 'string' || consumerId === '') return deny('malformed');
  const scopes =
    stringArray(claims.scopes) ??
    (typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : []);
  // RFC 9449 §6.1: a bound token names its key's thumbprint; a malformed cnf is not silently unbound.
  let jkt: string | null = null;
  if (claims.cnf !== undefined) {
    const cnf = claims.cnf;
    if (!isJsonObject(cnf) || typeof cnf.jkt !== 'string' || cnf.jkt === '')
      return deny('malformed');
    jkt = cnf.jkt;
  }
  return { ok: true, claims, consumer, consumerId, subject: sub, scopes, jti, exp, iat, kid, jkt };
}
