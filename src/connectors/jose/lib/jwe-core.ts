// Compact JWE encryption and decryption over `jose`, with the guard's policy (alg/enc lists, PBES2, zip).
import type { KeyObject } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, errors as joseErrors, type CompactJWEHeaderParameters } from 'jose';
import type { JsonObject } from '../../../core/json.js';
import type { ContentEnc, JweAlg } from './algorithms.js';
import { fail, toJoseFailure } from './jose-error.js';
import { decryptRsa15, encryptRsa15 } from './rsa1-5.js';
import type { KeyLookup } from './jws-core.js';
import { checkJweHeader, parseCompact, type JweLimits } from './token-guard.js';

/** Encrypts `plaintext` to `key` with the header's alg and enc; PBES2 uses `p2c` iterations. */
export async function encryptCompact(
  plaintext: Uint8Array,
  header: JsonObject & { alg: JweAlg; enc: ContentEnc },
  key: KeyObject,
  p2c: number,
): Promise<string> {
  if (header.alg === 'RSA1_5') return encryptRsa15(plaintext, header, key);
  const jwe = new CompactEncrypt(plaintext).setProtectedHeader(header as CompactJWEHeaderParameters);
  if (header.alg.startsWith('PBES2')) jwe.setKeyManagementParameters({ p2c });
  try {
    return await jwe.encrypt(key);
  } catch (err) {
    throw toJoseFailure(err, 'generate-jwe');
  }
}

/** Result of a successful decryption. */
export interface DecryptedJwe {
  plaintext: Uint8Array;
  header: JsonObject;
  alg: JweAlg;
  enc: ContentEnc;
}

/**
 * Decrypts a compact JWE. Keys of a set are tried in turn; all failing is ERR_JOSE_DECRYPTION_FAILED
 * (the same code for every key-unwrap or tag failure, so padding problems are not distinguishable).
 */
export async function decryptCompact(
  token: unknown,
  algorithms: readonly JweAlg[],
  encryptions: readonly ContentEnc[],
  keys: KeyLookup,
  limits: JweLimits,
): Promise<DecryptedJwe> {
  const parsed = parseCompact(token, 'jwe', limits);
  const { alg, enc } = checkJweHeader(parsed.header, algorithms, encryptions, limits);
  const kid = typeof parsed.header.kid === 'string' ? parsed.header.kid : undefined;
  const candidates = await keys({ alg, enc, usage: 'decrypt' }, kid);
  if (alg === 'RSA1_5') {
    const plaintext = decryptRsa15(parsed.segments, { ...parsed.header, enc }, candidates.map((c) => c.key), limits.maxDecompressedBytes);
    return { plaintext, header: parsed.header, alg, enc };
  }
  let lastFailure: unknown;
  for (const { key } of candidates) {
    try {
      const result = await compactDecrypt(token as string, key, {
        keyManagementAlgorithms: [alg],
        contentEncryptionAlgorithms: [enc],
        maxPBES2Count: limits.maxPbes2Count,
        maxDecompressedLength: limits.maxDecompressedBytes,
      });
      return { plaintext: result.plaintext, header: parsed.header, alg, enc };
    } catch (err) {
      if (err instanceof joseErrors.JWEDecryptionFailed) {
        lastFailure = err;
        continue;
      }
      throw toJoseFailure(err, 'decode-jwe');
    }
  }
  return fail('ERR_JOSE_DECRYPTION_FAILED', {}, lastFailure);
}
