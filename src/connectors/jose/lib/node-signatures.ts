// ES256K (ECDSA on secp256k1 with SHA-256, RFC 8812 §3.2) through node:crypto: `jose` v6 lacks it.
import { sign, verify, type KeyObject } from 'node:crypto';

/** Signs the JWS signing input; the signature is R || S, 64 bytes (RFC 7518 §3.4). */
export function signEs256k(signingInput: string, key: KeyObject): Buffer {
  return sign('sha256', Buffer.from(signingInput, 'ascii'), { key, dsaEncoding: 'ieee-p1363' });
}

/** Verifies R || S over the signing input; any other length is a failure, never DER. */
export function verifyEs256k(signingInput: string, signature: Buffer, key: KeyObject): boolean {
  if (signature.length !== 64) return false;
  try {
    return verify('sha256', Buffer.from(signingInput, 'ascii'), { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}
