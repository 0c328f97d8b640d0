// AES-256-GCM envelope encryption of secrets at rest, with AAD binding each blob to its record.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PlatformError } from '../errors/index.js';
import type { MasterKey } from './master-key.js';

/*
 * Format (version 1), all parts base64url, joined by '.':
 *   v1.<keyId>.<iv 12 bytes>.<ciphertext>.<tag 16 bytes>
 * keyId identifies the master key (MasterKey.id) so a future key rotation can tell blobs apart.
 * The AAD is not stored: the caller supplies the record identity again when decrypting, so a blob
 * copied to another record (another label, environment or kid) fails authentication.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Builds an unambiguous AAD from the parts of a record identity, e.g. `aad('account', env, label)`. */
export function aad(kind: string, ...parts: string[]): string {
  return `pipegate:${kind}:${JSON.stringify(parts)}`;
}

/** AAD of an account blob. */
export function accountAad(environment: string, label: string): string {
  return aad('account', environment, label);
}

/** AAD of a signing key's private JWK. */
export function signingKeyAad(environment: string, realm: string, kid: string): string {
  return aad('signing-key', environment, realm, kid);
}

/** Seals and opens secrets under a key derived from the master key. */
export class SecretBox {
  readonly #key: Buffer;
  readonly #keyId: string;

  constructor(master: MasterKey) {
    this.#key = master.derive('envelope');
    this.#keyId = master.id;
  }

  /** Encrypts `plaintext` (a fresh random 96-bit IV each time) bound to `aadText`. */
  seal(plaintext: string | Uint8Array, aadText: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aadText, 'utf8'));
    const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    const ct = Buffer.concat([cipher.update(data), cipher.final()]);
    return [
      VERSION,
      this.#keyId,
      iv.toString('base64url'),
      ct.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
    ].join('.');
  }

  /**
   * Decrypts a blob sealed with the same AAD. ERR_MASTER_KEY_MISMATCH when it was sealed under another
   * master key; ERR_SECRET_DECRYPT when it is corrupt or bound to another record (`what` names it).
   */
  open(blob: string, aadText: string, what = 'secret'): Buffer {
    const parts = blob.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION)
      throw new PlatformError('ERR_SECRET_DECRYPT', { what });
    const [, keyId, ivText, ctText, tagText] = parts as [string, string, string, string, string];
    if (keyId !== this.#keyId) throw new PlatformError('ERR_MASTER_KEY_MISMATCH', { source: what });
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
      throw new PlatformError('ERR_SECRET_DECRYPT', { what });
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aadText, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(ctText, 'base64url')), decipher.final()]);
    } catch (err) {
      throw new PlatformError('ERR_SECRET_DECRYPT', { what }, { cause: err });
    }
  }

  /** `open` decoded as UTF-8. */
  openText(blob: string, aadText: string, what?: string): string {
    return this.open(blob, aadText, what).toString('utf8');
  }

  /** Seals a JSON value. */
  sealJson(value: unknown, aadText: string): string {
    return this.seal(JSON.stringify(value), aadText);
  }

  /** Opens a blob sealed by `sealJson`. */
  openJson<T = unknown>(blob: string, aadText: string, what?: string): T {
    return JSON.parse(this.openText(blob, aadText, what)) as T;
  }
}
