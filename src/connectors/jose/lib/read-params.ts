// The jose parameters as `run` receives them (the engine checked their types), and what operations read from them.
import { isJsonObject, type JsonObject, type JsonValue } from '../../../core/json.js';
import { buildClaims, hasClaimInputs, type ClaimExpectations, type ClaimInputs } from './claims.js';
import { fail } from './jose-error.js';

/**
 * Parameters after the engine's check against `joseParameters` (src/core/parameter-values.ts):
 * numeric text is a number, an empty or null optional value is absent, so the types below hold.
 */
export interface JoseParams {
  [name: string]: JsonValue | undefined;
  key?: JsonObject;
  encryptionKey?: JsonObject;
  token?: string;
  payload?: JsonValue;
  issuer?: string | string[];
  subject?: string;
  audience?: string | string[];
  jwtId?: string;
  expirationMs?: number;
  notBeforeMs?: number;
  issuedAtMs?: number;
  customClaims?: JsonObject | string;
  customHeaders?: JsonObject | string;
  typ?: string;
  requiredClaims?: string[];
  clockToleranceSec?: number;
  maxTokenAgeSec?: number;
  requireExp?: boolean;
}

const bad = (parameter: string, reason: string): never => fail('ERR_JOSE_PARAMETER', { parameter, reason });

/** A list from a list, or from comma-separated text. */
function list(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined || Array.isArray(v)) return v;
  return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** An object given as an object or as JSON text of one. */
function objectValue(name: string, v: JsonObject | string | undefined): JsonObject | undefined {
  if (v === undefined || isJsonObject(v)) return v;
  let value: unknown;
  try {
    value = JSON.parse(v) as unknown;
  } catch {
    return bad(name, 'expected an object or JSON text of an object');
  }
  return isJsonObject(value) ? value : bad(name, 'expected an object');
}

/** The claim parameters of a generate operation. */
export function readClaimInputs(p: JoseParams): ClaimInputs {
  // A generated token has one issuer: the list form is for verify's accepted issuers.
  if (Array.isArray(p.issuer)) bad('issuer', 'expected text');
  return {
    issuer: p.issuer as string | undefined,
    subject: p.subject,
    audience: p.audience,
    jwtId: p.jwtId,
    expirationMs: p.expirationMs,
    notBeforeMs: p.notBeforeMs,
    issuedAtMs: p.issuedAtMs,
    customClaims: objectValue('customClaims', p.customClaims),
  };
}

/** The expectations of a verify operation; `exp` is required for signature verifications unless `requireExp: false`. */
export function readExpectations(p: JoseParams, isVerify = false): ClaimExpectations {
  return {
    issuer: list(p.issuer),
    subject: p.subject,
    audience: list(p.audience),
    jwtId: p.jwtId,
    requiredClaims: p.requiredClaims ?? [],
    clockToleranceSec: p.clockToleranceSec ?? 0,
    maxTokenAgeSec: p.maxTokenAgeSec,
    requireExp: isVerify && p.requireExp !== false,
  };
}

/**
 * The bytes to protect: a JSON object payload merged with the claim parameters, text as is (or
 * merged when it is JSON text of an object and claims are given), other JSON values as JSON text.
 */
export function readPayloadBytes(p: JoseParams): Uint8Array {
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
export function readHeaders(p: JoseParams, kid: string | undefined): JsonObject {
  const custom = objectValue('customHeaders', p.customHeaders) ?? {};
  for (const name of Object.keys(custom)) {
    if (reservedHeaders.includes(name)) fail('ERR_JOSE_HEADER_RESERVED', { header: name });
  }
  const out: JsonObject = { ...custom };
  if (p.typ !== undefined) {
    if (custom.typ !== undefined) fail('ERR_JOSE_HEADER_RESERVED', { header: 'typ (set it with the typ parameter only)' });
    out.typ = p.typ;
  }
  if (kid !== undefined && out.kid === undefined) out.kid = kid;
  return out;
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
