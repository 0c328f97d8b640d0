// RSA1_5 (RSAES-PKCS1-v1_5, RFC 7518 §4.2) key encryption with implicit rejection, for compact JWE.
import { constants, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { JsonObject } from '../../../core/json.js';
import type { ContentEnc } from './algorithms.js';
import { contentSizes, decryptContent, encryptContent } from './content-cipher.js';
import { fail } from './jose-error.js';

/** Encrypts a compact JWE with RSA1_5; the header must hold `alg: RSA1_5` and `enc`. */
export function encryptRsa15(plaintext: Uint8Array, header: JsonObject & { enc: ContentEnc }, key: KeyObject): string {
  const cek = randomBytes(contentSizes(header.enc).cek);
  const encryptedKey = publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, cek);
  const protectedB64 = Buffer.from(JSON.stringify(header)).toString('base64url');
  const { iv, ciphertext, tag } = encryptContent(header.enc, cek, plaintext, Buffer.from(protectedB64, 'ascii'));
  return [protectedB64, encryptedKey, iv, ciphertext, tag].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/**
 * Recovers the CEK without revealing whether the padding was valid (RFC 7516 §11.5, the Marvin
 * attack): the raw RSA result is checked branch-free against the only acceptable layout for a CEK
 * of the expected length — 0x00 0x02, at least 8 non-zero padding bytes, 0x00, then the CEK — and a
 * random CEK is substituted on any mismatch, so every failure surfaces later as the same tag failure.
 * Node refuses PKCS#1 v1.5 decryption, so the RSA step runs without padding (OpenSSL blinds it).
 */
export function unwrapRsa15Cek(key: KeyObject, encryptedKey: Buffer, cekLength: number): Buffer {
  const k = Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  const fallback = randomBytes(cekLength);
  let em: Buffer;
  try {
    em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, encryptedKey.length === k ? encryptedKey : Buffer.alloc(k));
  } catch {
    em = Buffer.alloc(k);
  }
  const sep = k - cekLength - 1;
  // good stays 0 only if every check passes; all loops run over fixed ranges.
  let good = em[0]! | (em[1]! ^ 0x02) | em[sep]! | (encryptedKey.length ^ k);
  for (let i = 2; i < sep; i++) good |= ((em[i]! - 1) >> 8) & 1; // 1 when the padding byte is 0
  good |= ((sep - 10) >> 31) & 1; // at least 8 padding bytes
  const mask = ((good | -good) >> 31) & 0xff; // 0xff when bad, 0x00 when good
  const cek = Buffer.alloc(cekLength);
  for (let i = 0; i < cekLength; i++) cek[i] = (em[sep + 1 + i]! & ~mask) | (fallback[i]! & mask);
  return cek;
}

/** Decrypts a compact RSA1_5 JWE already checked by the guard; failures are ERR_JOSE_DECRYPTION_FAILED. */
export function decryptRsa15(segments: string[], header: JsonObject & { enc: ContentEnc }, keys: KeyObject[], maxDecompressedBytes: number): Uint8Array {
  const [, encKey, iv, ciphertext, tag] = segments.map((s) => Buffer.from(s, 'base64url')) as Buffer[];
  const aad = Buffer.from(segments[0] ?? '', 'ascii');
  for (const key of keys) {
    const cek = unwrapRsa15Cek(key, encKey!, contentSizes(header.enc).cek);
    const plaintext = decryptContent(header.enc, cek, iv!, ciphertext!, tag!, aad);
    if (!plaintext) continue;
    if (header.zip !== 'DEF') return plaintext;
    try {
      return inflateRawSync(plaintext, { maxOutputLength: maxDecompressedBytes });
    } catch (err) {
      return fail('ERR_JOSE_COMPRESSION', { reason: 'the payload does not inflate (corrupt, or larger than maxDecompressedBytes)' }, err);
    }
  }
  return fail('ERR_JOSE_DECRYPTION_FAILED');
}
