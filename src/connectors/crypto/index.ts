// crypto: encrypts and decrypts fields or the whole message, AES-256-GCM (secret key) or RSA-OAEP-256 (key pair accounts).
import { constants, createCipheriv, createDecipheriv, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import type { AccountResolver } from '../../core/account-types.js';
import { defineConnector } from '../../core/connector.js';
import { defineOwn, isJsonObject, parseJsonSafe } from '../../core/json.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import { PlatformError } from '../../errors/index.js';
import { aesKey, rsaKey } from './key-material.js';

declare module '../../core/step-context.js' {
  interface HostServices {
    accounts?: AccountResolver;
  }
}

type Operation = 'encrypt' | 'decrypt';
interface CryptoParams {
  operation: Operation;
  algorithm: 'AES-256-GCM' | 'RSA-OAEP-256';
  account: string;
  fields?: string[];
  payloadField: string;
  output: 'text' | 'json';
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

type Codec = { encrypt(plain: Buffer): Buffer; decrypt(sealed: Buffer, what: string): Buffer };

function aesCodec(key: Buffer): Codec {
  return {
    // Layout: IV (12 bytes, random per value) ‖ ciphertext ‖ tag (16 bytes), the common GCM framing.
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    },
    decrypt(sealed, what) {
      if (sealed.length < IV_BYTES + TAG_BYTES) throw new PlatformError('ERR_CRYPTO_DECRYPT', { what });
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
        decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
        return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
      } catch {
        // No cause kept: OpenSSL's reason must not distinguish one failure from another.
        throw new PlatformError('ERR_CRYPTO_DECRYPT', { what });
      }
    },
  };
}

function rsaCodec(key: KeyObject, operation: Operation): Codec {
  const options = { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' };
  const bytes = (key.asymmetricKeyDetails?.modulusLength ?? 2048) / 8;
  const max = bytes - 2 * 32 - 2; // RFC 8017 §7.1.1 with SHA-256
  return {
    encrypt(plain) {
      if (plain.length > max) throw new PlatformError('ERR_CRYPTO_INPUT', { operation, what: 'the value', reason: `RSA-OAEP-256 with this key takes at most ${max} bytes; encrypt larger data with AES-256-GCM` });
      return publicEncrypt(options, plain);
    },
    decrypt(sealed, what) {
      try {
        return privateDecrypt(options, sealed);
      } catch {
        throw new PlatformError('ERR_CRYPTO_DECRYPT', { what });
      }
    },
  };
}

function plainBytes(value: JsonValue): Buffer {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
}

function sealedBytes(value: JsonValue, what: string): Buffer {
  if (typeof value !== 'string' || !BASE64.test(value) || value.length === 0) {
    throw new PlatformError('ERR_CRYPTO_INPUT', { operation: 'decrypt', what, reason: 'expected Base64 text produced by encrypt' });
  }
  return Buffer.from(value, 'base64');
}

function opened(bytes: Buffer, output: 'text' | 'json', what: string): JsonValue {
  const text = bytes.toString('utf8');
  if (output === 'text') return text;
  try {
    return parseJsonSafe(text);
  } catch {
    throw new PlatformError('ERR_CRYPTO_INPUT', { operation: 'decrypt', what, reason: 'the decrypted text is not JSON (use output: text)' });
  }
}

export const cryptoConnector = defineConnector<CryptoParams>({
  type: 'crypto',
  version: 1,
  title: 'Crypto (encrypt / decrypt)',
  category: 'security',
  summary:
    'Encrypts or decrypts listed top-level fields, or the whole message. Symmetric: AES-256-GCM with a 32-byte key from a secret-key account (a random 96-bit IV per value; output Base64 of IV ‖ ciphertext ‖ tag). Asymmetric: RSA-OAEP-256, encrypting to a public-key account and decrypting with a private-key account (RSA ≥ 2048 bits; small values only). Authenticated decryption failures are ERR_CRYPTO_DECRYPT, whose message is the same whatever went wrong.',
  failOnErrorDefault: false,
  parameters: {
    operation: { schema: { enum: ['encrypt', 'decrypt'] }, required: true, description: 'encrypt or decrypt.' },
    algorithm: { schema: { enum: ['AES-256-GCM', 'RSA-OAEP-256'] }, default: 'AES-256-GCM', description: 'AES-256-GCM (symmetric, any size) or RSA-OAEP-256 (asymmetric, at most 190 bytes with a 2048-bit key).' },
    account: {
      schema: { type: 'string', minLength: 1 },
      account: true,
      required: true,
      description: 'AES: a secret-key account (32 bytes raw, or Base64 of 32 bytes). RSA: a public-key (or certificate-chain) account to encrypt, a private-key account to decrypt.',
    },
    fields: {
      schema: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true, minItems: 1 },
      description: 'Top-level fields whose values are encrypted / decrypted in place (text as UTF-8, other values as their JSON text; missing and null fields untouched). Absent: the whole message.',
    },
    payloadField: {
      schema: { type: 'string', minLength: 1 },
      default: 'encrypted',
      description: 'Whole-message mode: encrypt outputs `{ "<payloadField>": "<Base64>" }` of the message\'s JSON text; decrypt reads that field and outputs the message.',
    },
    output: {
      schema: { enum: ['text', 'json'] },
      default: 'text',
      description: 'Fields mode, decrypt: `text` keeps the decrypted text, `json` parses it (for values that were not text).',
    },
  },
  prepare(params, ctx) {
    if (typeof params.account === 'string') ctx.useAccount?.(params.account);
    return undefined;
  },
  async run(ctx, { params, message }) {
    const accounts = ctx.host.accounts;
    if (!accounts) throw new PlatformError('ERR_HTTP_UNAVAILABLE', {}, { message: 'Accounts are not available in this host; the crypto step cannot read its key' });
    const value = await accounts.resolve(params.account);
    const op = params.operation;
    const codec = params.algorithm === 'AES-256-GCM' ? aesCodec(aesKey(params.account, value, op)) : rsaCodec(rsaKey(params.account, value, op), op);
    if (params.fields === undefined) {
      if (op === 'encrypt') return { [params.payloadField]: codec.encrypt(plainBytes(JSON.stringify(message))).toString('base64') };
      const sealed = isJsonObject(message) ? message[params.payloadField] : undefined;
      if (sealed === undefined) throw new PlatformError('ERR_CRYPTO_INPUT', { operation: op, what: 'the message', reason: `it has no "${params.payloadField}" field` });
      return opened(codec.decrypt(sealedBytes(sealed ?? null, 'the message'), 'the message'), 'json', 'the message');
    }
    if (!isJsonObject(message)) throw new PlatformError('ERR_CRYPTO_INPUT', { operation: op, what: 'the message', reason: 'fields mode needs a JSON object message' });
    const out: JsonObject = { ...message };
    for (const field of params.fields) {
      if (!Object.prototype.hasOwnProperty.call(message, field) || message[field] === null) continue;
      const what = `field "${field}"`;
      const v = message[field] as JsonValue;
      defineOwn(out, field, op === 'encrypt' ? codec.encrypt(plainBytes(v)).toString('base64') : opened(codec.decrypt(sealedBytes(v, what), what), params.output, what));
    }
    return out;
  },
  example: ['type: crypto', 'operation: encrypt', 'algorithm: AES-256-GCM', 'account: card-data-key', 'fields: [cardNumber]'].join('\n'),
});
