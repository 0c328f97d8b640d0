// JWE content encryption (RFC 7518 §5) over node:crypto, for the RSA1_5 path that `jose` v6 does not handle.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual, type CipherGCMTypes } from 'node:crypto';
import type { ContentEnc } from './algorithms.js';

const gcm = (keyBytes: number): CipherGCMTypes => `aes-${keyBytes * 8}-gcm` as CipherGCMTypes;

/** CEK and IV sizes in bytes per `enc`. */
export function contentSizes(enc: ContentEnc): { cek: number; iv: number; tag: number } {
  const gcm = enc.endsWith('GCM');
  const bits = gcm ? Number(enc.slice(1, 4)) : Number(enc.slice(1, 4)) * 2;
  return { cek: bits / 8, iv: gcm ? 12 : 16, tag: gcm ? 16 : bits / 16 };
}

/** Encrypts; `aad` is ASCII(BASE64URL(protected header)). */
export function encryptContent(enc: ContentEnc, cek: Buffer, plaintext: Uint8Array, aad: Buffer): { iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const { iv: ivSize } = contentSizes(enc);
  const iv = randomBytes(ivSize);
  if (enc.endsWith('GCM')) {
    const cipher = createCipheriv(gcm(cek.length), cek, iv, { authTagLength: 16 });
    cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { iv, ciphertext, tag: cipher.getAuthTag() };
  }
  const half = cek.length / 2;
  const cipher = createCipheriv(`aes-${half * 8}-cbc`, cek.subarray(half), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cbcTag(enc, cek.subarray(0, half), aad, iv, ciphertext) };
}

/**
 * Decrypts, or returns undefined when authentication fails (one outcome for every failure, so
 * nothing distinguishes a bad tag from a bad CEK). Tag lengths are exact: no truncated GCM tags.
 */
export function decryptContent(enc: ContentEnc, cek: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer | undefined {
  const sizes = contentSizes(enc);
  if (cek.length !== sizes.cek || iv.length !== sizes.iv || tag.length !== sizes.tag) return undefined;
  try {
    if (enc.endsWith('GCM')) {
      const decipher = createDecipheriv(gcm(cek.length), cek, iv, { authTagLength: 16 });
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    }
    const half = cek.length / 2;
    // RFC 7518 §5.2.2.2: authenticate before decrypting (no padding oracle).
    if (!timingSafeEqual(cbcTag(enc, cek.subarray(0, half), aad, iv, ciphertext), tag)) return undefined;
    const decipher = createDecipheriv(`aes-${half * 8}-cbc`, cek.subarray(half), iv);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** RFC 7518 §5.2.2.1: HMAC over AAD || IV || ciphertext || AL (AAD length in bits, 64-bit big-endian), truncated. */
function cbcTag(enc: ContentEnc, macKey: Buffer, aad: Buffer, iv: Buffer, ciphertext: Buffer): Buffer {
  const al = Buffer.alloc(8);
  al.writeBigUInt64BE(BigInt(aad.length * 8));
  const hash = `sha${enc.slice(-3)}`;
  const mac = createHmac(hash, macKey).update(aad).update(iv).update(ciphertext).update(al).digest();
  return mac.subarray(0, macKey.length);
}
