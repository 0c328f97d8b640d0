// Checks a compact token before any key is touched: size, shape, canonical base64url, header policy.
import { isJsonObject, type JsonObject } from '../../../core/json.js';
import { isContentEnc, isJweAlg, isJwsAlg, type ContentEnc, type JweAlg, type JwsAlg } from './algorithms.js';
import { fail } from './jose-error.js';

/** Limits applied to every incoming token (see docs/jose.md "Safe defaults"). */
export interface TokenLimits {
  /** Largest accepted token, in bytes (UTF-8). */
  maxTokenBytes: number;
  /** Ignore (instead of reject) jku, x5u, jwk and x5c headers; they are never followed either way. */
  allowKeyReferenceHeaders: boolean;
}

/** A parsed compact token. */
export interface CompactToken {
  kind: 'jws' | 'jwe';
  segments: string[];
  header: JsonObject;
}

const b64url = /^[A-Za-z0-9_-]*$/;
const keyReferenceHeaders = ['jku', 'x5u', 'jwk', 'x5c'];

/** Splits and checks a compact JWS (3 segments) or JWE (5 segments); `any` accepts both. */
export function parseCompact(token: unknown, kind: 'jws' | 'jwe' | 'any', limits: TokenLimits): CompactToken {
  const label = kind === 'any' ? 'JWS or JWE' : kind.toUpperCase();
  if (typeof token !== 'string' || token.length === 0) {
    fail('ERR_JOSE_TOKEN_FORMAT', { kind: label, reason: 'the token is missing or not text' });
  }
  const size = Buffer.byteLength(token, 'utf8');
  if (size > limits.maxTokenBytes) fail('ERR_JOSE_TOKEN_TOO_LARGE', { size, limit: limits.maxTokenBytes });
  if (token.trimStart().startsWith('{')) {
    fail('ERR_JOSE_TOKEN_FORMAT', { kind: label, reason: 'JSON serializations are not accepted, only compact tokens' });
  }
  const segments = token.split('.');
  const found: 'jws' | 'jwe' | undefined = segments.length === 3 ? 'jws' : segments.length === 5 ? 'jwe' : undefined;
  if (!found || (kind !== 'any' && kind !== found)) {
    fail('ERR_JOSE_TOKEN_FORMAT', { kind: label, reason: `${segments.length} dot-separated segments` });
  }
  const badSegment = (index: number): never =>
    fail('ERR_JOSE_TOKEN_FORMAT', { kind: label, reason: `segment ${index + 1} is not canonical base64url` });
  if (!isCanonicalBase64url(segments[0] ?? '')) badSegment(0);
  const header = decodeHeader(segments[0] ?? '');
  // Critical extensions first: an extension such as b64 (RFC 7797) changes how later segments read.
  checkCrit(header);
  segments.forEach((segment, index) => {
    if (index > 0 && !isCanonicalBase64url(segment)) badSegment(index);
  });
  return { kind: found, segments, header };
}

/** RFC 7515 §4.1.11: no extension is implemented, so any critical name is one we do not understand. */
function checkCrit(header: JsonObject): void {
  if (header.crit === undefined) return;
  const crit = header.crit;
  if (!Array.isArray(crit) || crit.length === 0 || !crit.every((n) => typeof n === 'string' && n !== '')) {
    fail('ERR_JOSE_HEADER_INVALID', { reason: '"crit" must be a non-empty list of names' });
  }
  fail('ERR_JOSE_CRIT_UNSUPPORTED', { names: crit as string[] });
}

/** RFC 7515 §2: base64url without padding; also rejects non-zero unused bits (Wycheproof `base64`). */
export function isCanonicalBase64url(segment: string): boolean {
  if (!b64url.test(segment) || segment.length % 4 === 1) return false;
  return Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

function decodeHeader(segment: string): JsonObject {
  if (segment === '') fail('ERR_JOSE_HEADER_INVALID', { reason: 'the protected header is empty' });
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(segment, 'base64url')));
  } catch {
    fail('ERR_JOSE_HEADER_INVALID', { reason: 'the protected header is not UTF-8 JSON' });
  }
  if (!isJsonObject(header)) fail('ERR_JOSE_HEADER_INVALID', { reason: 'the protected header is not a JSON object' });
  return header;
}

/** The checks every JWS and JWE header gets: alg none, crit, key-reference headers. */
function checkCommon(header: JsonObject, limits: TokenLimits): string {
  const alg = header.alg;
  if (typeof alg !== 'string' || alg === '') fail('ERR_JOSE_HEADER_INVALID', { reason: 'the header has no "alg"' });
  if (alg.toLowerCase() === 'none') fail('ERR_JOSE_ALG_NONE');
  if (!limits.allowKeyReferenceHeaders) {
    const found = keyReferenceHeaders.find((name) => header[name] !== undefined);
    if (found) fail('ERR_JOSE_KEY_REFERENCE_HEADER', { header: found });
  }
  return alg;
}

/** JWS header policy: the alg must be in the allow-list. Returns the alg. */
export function checkJwsHeader(header: JsonObject, algorithms: readonly JwsAlg[], limits: TokenLimits): JwsAlg {
  const alg = checkCommon(header, limits);
  if (!isJwsAlg(alg) || !algorithms.includes(alg)) fail('ERR_JOSE_ALG_NOT_ALLOWED', { member: 'alg', alg });
  return alg;
}

/** JWE policy limits. */
export interface JweLimits extends TokenLimits {
  maxPbes2Count: number;
  /** 0 disables `zip` entirely. */
  maxDecompressedBytes: number;
}

/** JWE header policy: alg and enc allow-lists, PBES2 count, zip. Returns alg and enc. */
export function checkJweHeader(
  header: JsonObject,
  algorithms: readonly JweAlg[],
  encryptions: readonly ContentEnc[],
  limits: JweLimits,
): { alg: JweAlg; enc: ContentEnc } {
  const alg = checkCommon(header, limits);
  if (!isJweAlg(alg) || !algorithms.includes(alg)) fail('ERR_JOSE_ALG_NOT_ALLOWED', { member: 'alg', alg });
  const enc = header.enc;
  if (typeof enc !== 'string') fail('ERR_JOSE_HEADER_INVALID', { reason: 'the header has no "enc"' });
  if (!isContentEnc(enc) || !encryptions.includes(enc)) fail('ERR_JOSE_ALG_NOT_ALLOWED', { member: 'enc', alg: enc });
  if (alg.startsWith('PBES2')) {
    const p2c = header.p2c;
    if (typeof p2c !== 'number' || !Number.isInteger(p2c) || p2c < 1000 || p2c > limits.maxPbes2Count) {
      fail('ERR_JOSE_PBES2_COUNT', { count: String(p2c), limit: limits.maxPbes2Count });
    }
  }
  if (header.zip !== undefined) {
    if (header.zip !== 'DEF') fail('ERR_JOSE_COMPRESSION', { reason: `unknown zip "${String(header.zip)}"` });
    if (limits.maxDecompressedBytes === 0) fail('ERR_JOSE_COMPRESSION', { reason: 'compression is disabled (maxDecompressedBytes 0)' });
  }
  return { alg, enc };
}
