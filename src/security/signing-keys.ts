// Platform signing keys: generation with jose, sealing the private JWK for the store, opening it for signing.
import { randomBytes } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  generateSecret,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';
import type { JsonObject } from '../core/json.js';
import type { NewSigningKey, SigningAlgorithm, SigningKeyRecord } from '../store/records.js';
import { signingKeyAad, type SecretBox } from './envelope.js';

/** Algorithms of platform keys, default first. */
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = [
  'ES256',
  'EdDSA',
  'RS256',
  'PS256',
  'HS256',
];

/** The default algorithm of platform tokens (SPEC §6.4). */
export const DEFAULT_SIGNING_ALGORITHM: SigningAlgorithm = 'ES256';

/** A generated key before it is stored; `privateJwk` is secret (never log it). */
export interface GeneratedSigningKey {
  kid: string;
  alg: SigningAlgorithm;
  /** Public JWK with kid, alg and use; null for HS256. */
  publicJwk: JsonObject | null;
  privateJwk: JWK;
}

/** True for a supported signing algorithm name. */
export function isSigningAlgorithm(value: string): value is SigningAlgorithm {
  return (SIGNING_ALGORITHMS as readonly string[]).includes(value);
}

/**
 * Generates a signing key. The kid is the RFC 7638 thumbprint of the public key for asymmetric
 * algorithms (stable and verifiable by anyone holding the JWKS), and 128 random bits for HS256 (a
 * thumbprint of a secret would be a hash of the secret).
 */
export async function generateSigningKey(
  alg: SigningAlgorithm = DEFAULT_SIGNING_ALGORITHM,
): Promise<GeneratedSigningKey> {
  if (!isSigningAlgorithm(alg)) throw new TypeError(`unsupported signing algorithm ${String(alg)}`);
  if (alg === 'HS256') {
    const secret = await generateSecret('HS256', { extractable: true });
    const kid = randomBytes(16).toString('base64url');
    return { kid, alg, publicJwk: null, privateJwk: { ...(await exportJWK(secret)), kid, alg } };
  }
  const pair = await generateKeyPair(alg, {
    extractable: true,
    ...(alg.startsWith('R') || alg.startsWith('P') ? { modulusLength: 2048 } : {}),
  });
  const pub = await exportJWK(pair.publicKey);
  const kid = await calculateJwkThumbprint(pub, 'sha256');
  const publicJwk = { ...pub, kid, alg, use: 'sig' } as JsonObject;
  return { kid, alg, publicJwk, privateJwk: { ...(await exportJWK(pair.privateKey)), kid, alg } };
}

/** Seals a generated key for SigningKeyRepository.create/rotate (private JWK encrypted, AAD = env+realm+kid). */
export function sealSigningKey(
  box: SecretBox,
  environment: string,
  realm: string,
  key: GeneratedSigningKey,
): NewSigningKey {
  return {
    kid: key.kid,
    realm,
    alg: key.alg,
    publicJwk: key.publicJwk,
    privateKeyEncrypted: box.sealJson(key.privateJwk, signingKeyAad(environment, realm, key.kid)),
  };
}

/** Generates and seals in one step. */
export async function createSealedSigningKey(
  box: SecretBox,
  environment: string,
  realm: string,
  alg: SigningAlgorithm = DEFAULT_SIGNING_ALGORITHM,
): Promise<NewSigningKey> {
  return sealSigningKey(box, environment, realm, await generateSigningKey(alg));
}

/** Decrypts a stored key's private JWK. ERR_SECRET_DECRYPT / ERR_MASTER_KEY_MISMATCH on failure. */
export function openPrivateJwk(box: SecretBox, record: SigningKeyRecord): JWK {
  return box.openJson<JWK>(
    record.privateKeyEncrypted,
    signingKeyAad(record.environment, record.realm, record.kid),
    `signing key ${record.kid}`,
  );
}

/** The key object jose needs to sign with a stored key (CryptoKey, or bytes for HS256). */
export async function openSigningKey(
  box: SecretBox,
  record: SigningKeyRecord,
): Promise<CryptoKey | Uint8Array> {
  return importJWK(openPrivateJwk(box, record), record.alg);
}

/** The key object jose needs to verify with a stored key (public key; the secret for HS256). */
export async function openVerificationKey(
  box: SecretBox,
  record: SigningKeyRecord,
): Promise<CryptoKey | Uint8Array> {
  if (record.publicJwk === null) return openSigningKey(box, record);
  return importJWK(record.publicJwk as JWK, record.alg);
}
