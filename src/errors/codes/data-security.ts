// Error codes of the hash and crypto connectors (docs/connectors/hash.md, docs/connectors/crypto.md).
import type { ErrorTable } from '../registry.js';

export const dataSecurityCodes = {
  ERR_HASH_KEY_REQUIRED: {
    status: 400,
    message: 'Algorithm {algorithm} needs a key: set "account" to a secret-key account',
    doc: 'HmacSHA1/256/384/512 take their key from a `secret-key` account named by `account`.',
  },
  ERR_HASH_INPUT: {
    status: 500,
    message: 'Cannot hash {what}: {reason}',
    doc: 'hash-fields needs an object message and text, number or boolean field values; BCrypt refuses inputs over 72 bytes (it would ignore the rest).',
  },
  ERR_CRYPTO_KEY: {
    status: 500,
    message: 'Account "{label}" cannot be used for {algorithm} {operation}: {reason}',
    doc: 'AES-256-GCM needs a `secret-key` account holding exactly 32 bytes (raw or Base64); RSA-OAEP-256 encrypts with a `public-key` (or certificate) account and decrypts with a `private-key` account.',
  },
  ERR_CRYPTO_INPUT: {
    status: 500,
    message: 'Cannot {operation} {what}: {reason}',
    doc: 'The value to encrypt or decrypt is missing or of the wrong kind (decrypt takes Base64 text), or too long for RSA-OAEP (encrypt large data with AES-256-GCM).',
  },
  ERR_CRYPTO_DECRYPT: {
    status: 500,
    message: 'Decryption of {what} failed: the data was altered, truncated, or encrypted with another key',
    doc: 'Authenticated decryption failed. The message is the same whatever the reason, so it reveals nothing about the key.',
  },
} as const satisfies ErrorTable;
