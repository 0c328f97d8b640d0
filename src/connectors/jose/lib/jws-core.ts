// Compact JWS signing and verification over `jose` (ES256K through node:crypto), with the guard's policy.
import type { KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, errors as joseErrors, type CompactJWSHeaderParameters } from 'jose';
import type { JsonObject } from '../../../core/json.js';
import type { JwsAlg } from './algorithms.js';
import { isNodeSigned, signNode, verifyNode } from './node-signatures.js';
import { fail, toJoseFailure } from './jose-error.js';
import type { FittedKey, KeyPurpose } from './key-fit.js';
import { checkJwsHeader, parseCompact, type TokenLimits } from './token-guard.js';

/** Finds the keys to try for a purpose and the token's kid (see key-source.ts). */
export type KeyLookup = (purpose: KeyPurpose, kid: string | undefined) => Promise<FittedKey[]>;

/** Signs `payload` with `header` (which must hold `alg`) as a compact JWS. */
export async function signCompact(payload: Uint8Array, header: JsonObject & { alg: JwsAlg }, key: KeyObject): Promise<string> {
  if (isNodeSigned(header.alg, key)) {
    const input = `${b64(Buffer.from(JSON.stringify(header)))}.${b64(payload)}`;
    return `${input}.${b64(signNode(header.alg, input, key))}`;
  }
  return new CompactSign(payload).setProtectedHeader(header as CompactJWSHeaderParameters).sign(key);
}

/** Result of a successful verification. */
export interface VerifiedJws {
  payload: Uint8Array;
  header: JsonObject;
  alg: JwsAlg;
}

/** Verifies a compact JWS against the allow-list and the looked-up keys; every failure is coded. */
export async function verifyCompact(
  token: unknown,
  algorithms: readonly JwsAlg[],
  keys: KeyLookup,
  limits: TokenLimits,
): Promise<VerifiedJws> {
  const parsed = parseCompact(token, 'jws', limits);
  const alg = checkJwsHeader(parsed.header, algorithms, limits);
  const kid = typeof parsed.header.kid === 'string' ? parsed.header.kid : undefined;
  const candidates = await keys({ alg, usage: 'verify' }, kid);
  const [h, p, s] = parsed.segments as [string, string, string];
  let lastFailure: unknown;
  for (const { key } of candidates) {
    if (isNodeSigned(alg, key)) {
      if (verifyNode(alg, `${h}.${p}`, Buffer.from(s, 'base64url'), key)) {
        return { payload: Buffer.from(p, 'base64url'), header: parsed.header, alg };
      }
      continue;
    }
    try {
      const result = await compactVerify(token as string, key, { algorithms: [alg] });
      return { payload: result.payload, header: parsed.header, alg };
    } catch (err) {
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
        lastFailure = err;
        continue;
      }
      throw toJoseFailure(err, 'verify-jws');
    }
  }
  return fail('ERR_JOSE_SIGNATURE_INVALID', {}, lastFailure);
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
