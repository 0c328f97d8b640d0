// ES256K (RFC 8812 §3.2) and EdDSA with Ed448 (RFC 8037 §3.1) through node:crypto: `jose` v6 lacks both.
import { sign, verify, type KeyObject } from 'node:crypto';

/** True when node:crypto, not `jose`, must handle this algorithm and key. */
export function isNodeSigned(alg: string, key: KeyObject): boolean {
  return alg === 'ES256K' || (alg === 'EdDSA' && key.asymmetricKeyType === 'ed448');
}

/** Signs the JWS signing input with ES256K or Ed448. */
export function signNode(alg: string, signingInput: string, key: KeyObject): Buffer {
  return alg === 'ES256K' ? signEs256k(signingInput, key) : sign(null, Buffer.from(signingInput, 'ascii'), key);
}

/** Verifies ES256K (64-byte R || S) or Ed448 (114-byte) signatures; any other length fails. */
export function verifyNode(alg: string, signingInput: string, signature: Buffer, key: KeyObject): boolean {
  if (alg === 'ES256K') return verifyEs256k(signingInput, signature, key);
  if (signature.length !== 114) return false;
  try {
    return verify(null, Buffer.from(signingInput, 'ascii'), key, signature);
  } catch {
    return false;
  }
}

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
