// JWS signing and verification of the platform's own tokens with node:crypto (no WebCrypto layers).
import {
  KeyObject,
  constants,
  createHmac,
  createSecretKey,
  sign as cryptoSign,
  timingSafeEqual,
  verify as cryptoVerify,
  type SignKeyObjectInput,
  type VerifyKeyObjectInput,
} from 'node:crypto';
import type { CryptoKey } from 'jose';
import type { SigningAlgorithm } from '../../store/records.js';

/*
 * jose stays the JOSE library of the platform (the JOSE connector, external issuers, DPoP proofs,
 * key generation). Its API runs on WebCrypto: every signature goes through WebIDL conversions,
 * algorithm normalisation and key checks in JavaScript before the job reaches libuv's thread pool.
 * The platform's own tokens are checked on every request that presents a new one and minted on every
 * login, so here they use node:crypto's asynchronous sign/verify jobs directly: the same OpenSSL call
 * on the same thread pool, ≈ 30 µs less of the event loop per signature (bench/gateway-jwt.md,
 * "Session 4"). The algorithms are exactly the platform's (SIGNING_ALGORITHMS), with jose's
 * semantics: ECDSA signatures in the IEEE P1363 form of RFC 7518 §3.4 (r‖s, 64 bytes for P-256), PSS
 * with a salt as long as the digest, HMAC (inline: cheaper than a hand-off) compared in constant time.
 * platform-jws.test.ts checks both directions against jose on generated keys, payloads and tampered
 * tokens.
 */

/** A platform key as node:crypto uses it. */
export type NodeKey = KeyObject;

/** The node:crypto key of a jose key (CryptoKey) or an HS256 secret (bytes). */
export function toNodeKey(key: CryptoKey | Uint8Array): NodeKey {
  return key instanceof Uint8Array ? createSecretKey(key) : KeyObject.from(key);
}

/** Bytes of an ES256 signature (r‖s, RFC 7518 §3.4) and of an HS256 MAC. */
const ES256_BYTES = 64;
const HS256_BYTES = 32;

type AsymmetricAlgorithm = Exclude<SigningAlgorithm, 'HS256'>;

/** node:crypto's digest and key options for an asymmetric platform algorithm. */
function asymmetric(
  alg: AsymmetricAlgorithm,
  key: NodeKey,
): { digest: string | null; options: SignKeyObjectInput & VerifyKeyObjectInput } {
  switch (alg) {
    case 'ES256':
      return { digest: 'sha256', options: { key, dsaEncoding: 'ieee-p1363' } };
    case 'EdDSA':
      return { digest: null, options: { key } };
    case 'RS256':
      return { digest: 'sha256', options: { key } };
    case 'PS256':
      return {
        digest: 'sha256',
        options: {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        },
      };
  }
}

function hmac(key: NodeKey, data: Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Signs the JWS signing input (`base64url(header).base64url(payload)`) with a platform key. */
export function signPlatformJws(
  alg: SigningAlgorithm,
  key: NodeKey,
  input: string,
): Promise<Buffer> {
  const data = Buffer.from(input, 'latin1');
  if (alg === 'HS256') return Promise.resolve(hmac(key, data));
  const { digest, options } = asymmetric(alg, key);
  return new Promise((resolve, reject) =>
    cryptoSign(digest, data, options, (err, sig) => (err ? reject(err) : resolve(sig))),
  );
}

/**
 * Whether `signature` is a valid signature of the signing input under a platform key of `alg` (the
 * caller has checked that the token's `alg` is the key's). A malformed signature (wrong length, out
 * of range) is invalid, never an exception.
 */
export function verifyPlatformJws(
  alg: SigningAlgorithm,
  key: NodeKey,
  input: string,
  signature: Buffer,
): Promise<boolean> {
  const data = Buffer.from(input, 'latin1');
  if (alg === 'HS256')
    return Promise.resolve(
      signature.length === HS256_BYTES && timingSafeEqual(hmac(key, data), signature),
    );
  if (alg === 'ES256' && signature.length !== ES256_BYTES) return Promise.resolve(false);
  const { digest, options } = asymmetric(alg, key);
  return new Promise((resolve) => {
    try {
      cryptoVerify(digest, data, options, signature, (err, ok) => resolve(err === null && ok));
    } catch {
      // OpenSSL refuses some malformed signatures (e.g. an RSA signature longer than the modulus)
      // up front: for the caller that is a bad signature too.
      resolve(false);
    }
  });
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes a base64url JWS segment strictly (that alphabet, no padding); null when it is not one. */
export function decodeBase64url(segment: string): Buffer | null {
  // A length of 4k+1 characters is never the encoding of whole bytes.
  if (!BASE64URL.test(segment) || segment.length % 4 === 1) return null;
  return Buffer.from(segment, 'base64url');
}

/** The compact JWS `base64url(header).base64url(payload).base64url(signature)` of a platform key. */
export async function compactPlatformJws(
  alg: SigningAlgorithm,
  key: NodeKey,
  header: object,
  payload: string,
): Promise<string> {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  return `${input}.${(await signPlatformJws(alg, key, input)).toString('base64url')}`;
}
