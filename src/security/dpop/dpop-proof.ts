// Validation of a DPoP proof JWT (RFC 9449 §4.3) and the RFC 7638 thumbprint of its key.
import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, compactVerify, errors as joseErrors, importJWK } from 'jose';
import type { JWK } from 'jose';
import { isJsonObject } from '../../core/json.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import type { PlatformErrorCode } from '../../errors/index.js';
import type { DpopNonces } from './dpop-nonce.js';
import type { ReplayCache } from './replay-cache.js';

/**
 * Proof algorithms accepted (RFC 9449 §4.3 check 5): asymmetric only — `none` and HMAC are never
 * accepted, as a proof signed with a shared secret proves nothing about a client key. Published as
 * `dpop_signing_alg_values_supported` (RFC 8414 metadata) and in the `algs` of DPoP challenges.
 */
export const DPOP_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
  'EdDSA',
] as const;

/** How long after its `iat` a proof is accepted (plus the leeway); also how long its jti is kept. */
export const DPOP_MAX_AGE_SEC = 60;

/** Longest proof accepted from the wire, and longest `jti`. */
const MAX_PROOF_CHARS = 8_192;
const MAX_JTI_CHARS = 256;

/** JWK members that only a private (or symmetric) key has. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** What one proof is checked against. */
export interface DpopCheck {
  /** The raw `DPoP` header value(s) of the request. */
  header: string | string[] | undefined;
  method: string;
  /** The request URL as the gateway is reached, without query (compared after normalisation). */
  url: string;
  /** The access token the proof accompanies (resource requests): `ath` is required and checked. */
  accessToken?: string;
  /** The `cnf.jkt` of that token: the proof key must have this thumbprint. */
  boundJkt?: string;
  nowSec: number;
  leewaySec: number;
  replay: ReplayCache;
  /** When the server requires nonces (RFC 9449 §8, §9): the proof's `nonce` claim must be one of them. */
  nonces?: DpopNonces | null;
}

export type DpopResult =
  | { ok: true; jkt: string; jti: string }
  | { ok: false; code: PlatformErrorCode; details: Record<string, string | number> };

const fail = (
  code: PlatformErrorCode,
  details: Record<string, string | number> = {},
): DpopResult => ({ ok: false, code, details });

function decodeSegment(segment: string): JsonObject | null {
  if (segment.length === 0 || !/^[A-Za-z0-9_-]+$/.test(segment)) return null;
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as JsonValue;
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** RFC 9449 §4.3 check 9: scheme and host case-insensitive, default port dropped, no query/fragment. */
export function normalizeHtu(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return null;
  }
}

/** base64url(SHA-256(ASCII(token))): the `ath` claim (RFC 9449 §4.2). */
export function accessTokenHash(token: string): string {
  return createHash('sha256').update(token, 'ascii').digest('base64url');
}

/** Header checks (§4.3 checks 2–5, 7): one JWT, typ, alg, a public jwk of the alg's key type. */
async function checkHeader(
  proof: string,
): Promise<DpopResult | { header: JsonObject; alg: string; jwk: JWK }> {
  if (proof.length > MAX_PROOF_CHARS)
    return fail('ERR_DPOP_PROOF_MALFORMED', { reason: 'the proof is too long' });
  const parts = proof.split('.');
  if (parts.length !== 3 || parts[2] === '')
    return fail('ERR_DPOP_PROOF_MALFORMED', { reason: 'not a compact JWS' });
  const header = decodeSegment(parts[0]!);
  if (!header) return fail('ERR_DPOP_PROOF_MALFORMED', { reason: 'the header is not JSON' });
  if (header.typ !== 'dpop+jwt') return fail('ERR_DPOP_PROOF_TYP');
  const alg = typeof header.alg === 'string' ? header.alg : '';
  if (!(DPOP_ALGORITHMS as readonly string[]).includes(alg))
    return fail('ERR_DPOP_PROOF_ALG', { alg: alg.slice(0, 32), algs: DPOP_ALGORITHMS.join(' ') });
  if (header.crit !== undefined)
    return fail('ERR_DPOP_PROOF_MALFORMED', { reason: 'crit is not supported' });
  const jwk = header.jwk;
  if (!isJsonObject(jwk)) return fail('ERR_DPOP_PROOF_JWK', { reason: 'the header has no jwk' });
  if (PRIVATE_MEMBERS.some((m) => jwk[m] !== undefined))
    return fail('ERR_DPOP_PROOF_JWK', { reason: 'it contains private key material' });
  return { header, alg, jwk: jwk as JWK };
}

/** Claim checks (§4.3 checks 3, 8–12). */
function checkClaims(claims: JsonObject, c: DpopCheck): DpopResult | { jti: string } {
  const { jti, htm, htu, iat, ath } = claims;
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_CHARS)
    return fail('ERR_DPOP_PROOF_MALFORMED', { reason: 'jti is missing or too long' });
  if (typeof htm !== 'string' || typeof htu !== 'string')
    return fail('ERR_DPOP_PROOF_MALFORMED', { reason: 'htm and htu are required' });
  if (typeof iat !== 'number' || !Number.isFinite(iat))
    return fail('ERR_DPOP_PROOF_MALFORMED', { reason: 'iat must be a number' });
  if (htm !== c.method) return fail('ERR_DPOP_PROOF_HTM', { method: c.method });
  const expected = normalizeHtu(c.url);
  if (expected === null || normalizeHtu(htu) !== expected)
    return fail('ERR_DPOP_PROOF_HTU', { url: expected ?? '(none)' });
  // §4.3 check 10: the nonce the server provided (stateless: any fresh nonce of this deployment).
  if (c.nonces && !c.nonces.isValid(claims.nonce)) return fail('ERR_DPOP_USE_NONCE');
  if (iat > c.nowSec + c.leewaySec || iat < c.nowSec - DPOP_MAX_AGE_SEC - c.leewaySec)
    return fail('ERR_DPOP_PROOF_IAT', { windowSec: DPOP_MAX_AGE_SEC });
  if (c.accessToken !== undefined) {
    if (typeof ath !== 'string' || ath !== accessTokenHash(c.accessToken))
      return fail('ERR_DPOP_PROOF_ATH');
  }
  return { jti };
}

/**
 * Validates a DPoP proof per RFC 9449 §4.3, in the RFC's order, then the binding of the token
 * (§7.1: proof key thumbprint = `cnf.jkt`) and, last, the single use of its `jti` (§11.1), so a
 * proof refused for another reason does not burn its jti. Never throws for a bad proof.
 */
export async function verifyDpopProof(c: DpopCheck): Promise<DpopResult> {
  if (c.header === undefined || c.header === '') return fail('ERR_DPOP_PROOF_MISSING');
  // Node joins repeated unknown headers with ", "; a compact JWS never contains a comma.
  if (Array.isArray(c.header) || c.header.includes(',')) return fail('ERR_DPOP_PROOF_MULTIPLE');
  const proof = c.header.trim();
  const head = await checkHeader(proof);
  if ('ok' in head) return head;
  let payload: Uint8Array;
  try {
    const key = await importJWK(head.jwk, head.alg);
    ({ payload } = await compactVerify(proof, key, { algorithms: [head.alg] }));
  } catch (err) {
    if (err instanceof joseErrors.JWSSignatureVerificationFailed)
      return fail('ERR_DPOP_PROOF_SIGNATURE');
    if (err instanceof joseErrors.JWSInvalid)
      return fail('ERR_DPOP_PROOF_MALFORMED', { reason: 'not a valid JWS' });
    return fail('ERR_DPOP_PROOF_JWK', { reason: `it does not fit ${head.alg}` });
  }
  let claims: JsonValue;
  try {
    claims = JSON.parse(Buffer.from(payload).toString('utf8')) as JsonValue;
  } catch {
    return fail('ERR_DPOP_PROOF_MALFORMED', { reason: 'the claims are not JSON' });
  }
  if (!isJsonObject(claims))
    return fail('ERR_DPOP_PROOF_MALFORMED', { reason: 'the claims are not a JSON object' });
  const checked = checkClaims(claims, c);
  if ('ok' in checked) return checked;
  const jkt = await calculateJwkThumbprint(head.jwk, 'sha256');
  if (c.boundJkt !== undefined && jkt !== c.boundJkt) return fail('ERR_DPOP_KEY_MISMATCH');
  const replayId = `dpop:${createHash('sha256').update(`${jkt}.${checked.jti}`).digest('base64url')}`;
  const expiresAtMs = ((claims.iat as number) + DPOP_MAX_AGE_SEC + c.leewaySec + 1) * 1000;
  if (!(await c.replay.checkAndRemember(replayId, expiresAtMs)))
    return fail('ERR_DPOP_PROOF_REPLAYED');
  return { ok: true, jkt, jti: checked.jti };
}
