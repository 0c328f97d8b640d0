// Typed readers for rendered jose parameters: each wrong type is ERR_JOSE_PARAMETER naming the parameter.
import { isJsonObject, type JsonObject, type JsonValue } from '../../../core/json.js';
import { buildClaims, hasClaimInputs, type ClaimExpectations, type ClaimInputs } from './claims.js';
import { fail } from './jose-error.js';

/** Rendered parameters as `run` receives them (types are checked here, not trusted). */
export type RawParams = Record<string, JsonValue | undefined>;

const bad = (parameter: string, reason: string): never => fail('ERR_JOSE_PARAMETER', { parameter, reason });

export function optString(p: RawParams, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') return bad(name, 'expected text');
  return v;
}

/** A number, or numeric text (interpolated expressions yield text). */
export function optNumber(p: RawParams, name: string, min = 0): number | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < min) return bad(name, `expected a number >= ${min}`);
  return n;
}

/** A string or a list of strings (a comma-separated text is split). */
export function optStringList(p: RawParams, name: string): string[] | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  return bad(name, 'expected text or a list of text');
}

/** An object, or JSON text of an object. */
export function optObject(p: RawParams, name: string): JsonObject | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === '') return undefined;
  let value: unknown = v;
  if (typeof v === 'string') {
    try {
      value = JSON.parse(v) as unknown;
    } catch {
      return bad(name, 'expected an object or JSON text of an object');
    }
  }
  if (!isJsonObject(value)) return bad(name, 'expected an object');
  return value;
}

/** The claim parameters of a generate operation. */
export function readClaimInputs(p: RawParams): ClaimInputs {
  const audience = p.audience;
  return {
    issuer: optString(p, 'issuer'),
    subject: optString(p, 'subject'),
    audience: Array.isArray(audience) ? optStringList(p, 'audience') : optString(p, 'audience'),
    jwtId: optString(p, 'jwtId'),
    expirationMs: optNumber(p, 'expirationMs'),
    notBeforeMs: optNumber(p, 'notBeforeMs'),
    issuedAtMs: optNumber(p, 'issuedAtMs'),
    customClaims: optObject(p, 'customClaims'),
  };
}

/** The expectations of a verify operation; `exp` is required for signature verifications unless `requireExp: false`. */
export function readExpectations(p: RawParams, isVerify = false): ClaimExpectations {
  return {
    issuer: optStringList(p, 'issuer'),
    subject: optString(p, 'subject'),
    audience: optStringList(p, 'audience'),
    jwtId: optString(p, 'jwtId'),
    requiredClaims: optStringList(p, 'requiredClaims') ?? [],
    clockToleranceSec: optNumber(p, 'clockToleranceSec') ?? 0,
    maxTokenAgeSec: optNumber(p, 'maxTokenAgeSec'),
    requireExp: isVerify && p.requireExp !== false,
  };
}

/**
 * The bytes to protect: a JSON object payload merged with the claim parameters, text as is (or
 * merged when it is JSON text of an object and claims are given), other JSON values as JSON text.
 */
export function readPayloadBytes(p: RawParams): Uint8Array {
  const claims = readClaimInputs(p);
  const payload = p.payload;
  const withClaims = hasClaimInputs(claims);
  if (payload === undefined || payload === null) return utf8(JSON.stringify(buildClaims(undefined, claims)));
  if (isJsonObject(payload)) return utf8(JSON.stringify(buildClaims(payload, claims)));
  if (!withClaims) return utf8(typeof payload === 'string' ? payload : JSON.stringify(payload));
  if (typeof payload === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload) as unknown;
    } catch {
      parsed = undefined;
    }
    if (isJsonObject(parsed)) return utf8(JSON.stringify(buildClaims(parsed, claims)));
  }
  return fail('ERR_JOSE_PAYLOAD_INVALID', { reason: 'claim parameters need a JSON object payload' });
}

const reservedHeaders = ['alg', 'enc', 'crit', 'zip', 'b64', 'jku', 'jwk', 'x5u', 'epk', 'apu', 'apv', 'p2s', 'p2c', 'iv', 'tag'];

/** customHeaders plus `typ` and the key's kid, with reserved names refused. */
export function readHeaders(p: RawParams, kid: string | undefined): JsonObject {
  const custom = optObject(p, 'customHeaders') ?? {};
  for (const name of Object.keys(custom)) {
    if (reservedHeaders.includes(name)) fail('ERR_JOSE_HEADER_RESERVED', { header: name });
  }
  const out: JsonObject = { ...custom };
  const typ = optString(p, 'typ');
  if (typ !== undefined) {
    if (custom.typ !== undefined) fail('ERR_JOSE_HEADER_RESERVED', { header: 'typ (set it with the typ parameter only)' });
    out.typ = typ;
  }
  if (kid !== undefined && out.kid === undefined) out.kid = kid;
  return out;
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
