// Key bytes and key objects from accounts for the hash and crypto connectors; errors name the label, never the key.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { AccountValue } from '../../core/account-types.js';
import { PlatformError } from '../../errors/index.js';

function keyError(label: string, algorithm: string, operation: string, reason: string, cause?: unknown): PlatformError {
  return new PlatformError('ERR_CRYPTO_KEY', { label, algorithm, operation, reason }, { cause });
}

/** The bytes of a secret-key account (raw text as UTF-8, or Base64 decoded). */
export function secretKeyBytes(label: string, value: AccountValue, algorithm: string, operation: string): Buffer {
  if (value.type !== 'secret-key') throw keyError(label, algorithm, operation, `it is a ${value.type} account; a secret-key account is needed`);
  return value.encoding === 'base64' ? Buffer.from(value.value, 'base64') : Buffer.from(value.value, 'utf8');
}

/** A 32-byte AES-256 key. */
export function aesKey(label: string, value: AccountValue, operation: string): Buffer {
  const key = secretKeyBytes(label, value, 'AES-256-GCM', operation);
  if (key.length !== 32) throw keyError(label, 'AES-256-GCM', operation, `the key has ${key.length} bytes; AES-256 needs exactly 32 (e.g. 44 Base64 characters)`);
  return key;
}

/** The RSA key for RSA-OAEP-256: public for encrypt (public-key, certificate or private-key account), private for decrypt. */
export function rsaKey(label: string, value: AccountValue, operation: 'encrypt' | 'decrypt'): KeyObject {
  let key: KeyObject;
  try {
    if (operation === 'decrypt') {
      if (value.type !== 'private-key') throw keyError(label, 'RSA-OAEP-256', operation, `it is a ${value.type} account; decrypting needs a private-key account`);
      key = createPrivateKey({ key: value.pem, format: 'pem', passphrase: value.passphrase });
    } else if (value.type === 'public-key' || value.type === 'certificate-chain') {
      key = createPublicKey(value.pem);
    } else if (value.type === 'private-key') {
      key = createPublicKey(createPrivateKey({ key: value.pem, format: 'pem', passphrase: value.passphrase }));
    } else {
      throw keyError(label, 'RSA-OAEP-256', operation, `it is a ${value.type} account; encrypting needs a public-key account`);
    }
  } catch (err) {
    if (err instanceof PlatformError) throw err;
    throw keyError(label, 'RSA-OAEP-256', operation, 'the PEM cannot be read', err);
  }
  if (key.asymmetricKeyType !== 'rsa') throw keyError(label, 'RSA-OAEP-256', operation, `the key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not RSA`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw keyError(label, 'RSA-OAEP-256', operation, `the RSA key has ${bits} bits; at least 2048 are required`);
  return key;
}
