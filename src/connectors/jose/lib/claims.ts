// Building a JWT claims set from the step's claim parameters, and checking one (RFC 7519 §4.1).
import { defineOwn, getOwn, type JsonObject, type JsonValue } from '../../../core/json.js';
import { fail } from './jose-error.js';

/** Claim parameters of a generate operation (values already rendered and type-checked). */
export interface ClaimInputs {
  issuer?: string;
  subject?: string;
  audience?: string | string[];
  jwtId?: string;
  /** Epoch milliseconds (compatible); written to the token in seconds. */
  expirationMs?: number;
  notBeforeMs?: number;
  issuedAtMs?: number;
  customClaims?: JsonObject;
}

/** True when any claim parameter is set. */
export function hasClaimInputs(c: ClaimInputs): boolean {
  return Object.values(c).some((v) => v !== undefined);
}

/**
 * The claims set: the payload object, then customClaims, then the registered claims. A name set by
 * two of them is ERR_JOSE_CLAIM_CONFLICT: a claim is never silently overridden.
 */
export function buildClaims(payload: JsonObject | undefined, c: ClaimInputs): JsonObject {
  const out: JsonObject = {};
  const origin = new Map<string, string>();
  const put = (name: string, value: JsonValue, from: string): void => {
    const previous = origin.get(name);
    if (previous) fail('ERR_JOSE_CLAIM_CONFLICT', { claim: name, reason: `${previous} and ${from}` });
    origin.set(name, from);
    defineOwn(out, name, value);
  };
  for (const [k, v] of Object.entries(payload ?? {})) put(k, v, 'payload');
  for (const [k, v] of Object.entries(c.customClaims ?? {})) put(k, v, 'customClaims');
  if (c.issuer !== undefined) put('iss', c.issuer, 'issuer');
  if (c.subject !== undefined) put('sub', c.subject, 'subject');
  if (c.audience !== undefined) put('aud', c.audience, 'audience');
  if (c.jwtId !== undefined) put('jti', c.jwtId, 'jwtId');
  if (c.expirationMs !== undefined) put('exp', Math.floor(c.expirationMs / 1000), 'expirationMs');
  if (c.notBeforeMs !== undefined) put('nbf', Math.floor(c.notBeforeMs / 1000), 'notBeforeMs');
  if (c.issuedAtMs !== undefined) put('iat', Math.floor(c.issuedAtMs / 1000), 'issuedAtMs');
  return out;
}

/** What a verify operation expects of the claims. */
export interface ClaimExpectations {
  issuer?: string[];
  subject?: string;
  audience?: string[];
  jwtId?: string;
  requiredClaims: string[];
  clockToleranceSec: number;
  maxTokenAgeSec?: number;
  /** The claims set must carry a numeric `exp` (default true; `requireExp: false` opts out). */
  requireExp: boolean;
}

/** True when an expectation needs a JSON claims set. */
export function expectsClaims(e: ClaimExpectations): boolean {
  return (
    e.issuer !== undefined || e.subject !== undefined || e.audience !== undefined || e.jwtId !== undefined ||
    e.requiredClaims.length > 0 || e.maxTokenAgeSec !== undefined
  );
}

/** Checks exp, nbf, iat and the expectations at `nowMs`; throws the first coded failure. */
export function validateClaims(claims: JsonObject, e: ClaimExpectations, nowMs: number): void {
  const now = Math.floor(nowMs / 1000);
  const tol = e.clockToleranceSec;
  const num = (name: string): number | undefined => {
    const v = getOwn(claims, name);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) fail('ERR_JOSE_CLAIM_INVALID', { claim: name, reason: 'it must be a number' });
    return v;
  };
  const exp = num('exp');
  const nbf = num('nbf');
  const iat = num('iat');
  // A token without exp never expires: refused unless the step opts out explicitly (RFC 8725 §3.10).
  if (exp === undefined && e.requireExp) fail('ERR_JOSE_EXP_MISSING');
  // RFC 7519 §4.1.4: the token must not be accepted on or after exp.
  if (exp !== undefined && now >= exp + tol) fail('ERR_JOSE_TOKEN_EXPIRED', { exp, now, tolerance: tol });
  if (nbf !== undefined && now + tol < nbf) fail('ERR_JOSE_TOKEN_NOT_YET_VALID', { nbf, now, tolerance: tol });
  if (e.maxTokenAgeSec !== undefined) {
    if (iat === undefined) fail('ERR_JOSE_CLAIM_MISSING', { claim: 'iat' });
    if (iat > now + tol || now - iat > e.maxTokenAgeSec + tol) fail('ERR_JOSE_TOKEN_TOO_OLD', { iat, limit: e.maxTokenAgeSec });
  }
  for (const name of e.requiredClaims) {
    if (getOwn(claims, name) === undefined) fail('ERR_JOSE_CLAIM_MISSING', { claim: name });
  }
  expectString(claims, 'iss', e.issuer);
  expectString(claims, 'sub', e.subject === undefined ? undefined : [e.subject]);
  expectString(claims, 'jti', e.jwtId === undefined ? undefined : [e.jwtId]);
  if (e.audience !== undefined) {
    const aud = getOwn(claims, 'aud');
    if (aud === undefined) fail('ERR_JOSE_CLAIM_MISSING', { claim: 'aud' });
    const list = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : undefined;
    if (!list || !list.every((a) => typeof a === 'string')) fail('ERR_JOSE_CLAIM_INVALID', { claim: 'aud', reason: 'it must be a string or a list of strings' });
    if (!list.some((a) => e.audience?.includes(a as string))) fail('ERR_JOSE_CLAIM_MISMATCH', { claim: 'aud' });
  }
}

function expectString(claims: JsonObject, name: string, accepted: string[] | undefined): void {
  if (accepted === undefined) return;
  const v = getOwn(claims, name);
  if (v === undefined) fail('ERR_JOSE_CLAIM_MISSING', { claim: name });
  if (typeof v !== 'string') fail('ERR_JOSE_CLAIM_INVALID', { claim: name, reason: 'it must be a string' });
  if (!accepted.includes(v)) fail('ERR_JOSE_CLAIM_MISMATCH', { claim: name });
}

/** RFC 7515 §4.1.9: typ compared case-insensitively, with "application/" omitted. */
export function checkTyp(header: JsonObject, expected: string | undefined): void {
  if (expected === undefined) return;
  const norm = (t: string): string => t.toLowerCase().replace(/^application\//, '');
  const actual = header.typ;
  if (typeof actual !== 'string' || norm(actual) !== norm(expected)) {
    fail('ERR_JOSE_TYP_MISMATCH', { actual: typeof actual === 'string' ? actual : '(none)', expected });
  }
}

/** Parses a payload as JSON when it is JSON text; undefined otherwise. */
export function parseJsonPayload(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}
