// API keys: 256-bit random secrets with a lookup id, stored only as HMAC-SHA256 under a derived key.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MasterKey } from './master-key.js';

/*
 * Key format: `pg_<id>_<secret>`
 *   id     12 chars of [a-z0-9] (~62 bits): the ApiKeyRecord id, shown in listings and usage records;
 *   secret 43 chars of base64url = 256 random bits.
 * The prefix makes leaked keys easy to recognise by secret scanners. The id alone grants nothing.
 */
const KEY_PREFIX = 'pg_';
const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ID_LENGTH = 12;
const SECRET_BYTES = 32;
const KEY_PATTERN = /^pg_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/** A freshly generated API key: show `key` once, store `id`, `prefix` and the hash. */
export interface GeneratedApiKey {
  key: string;
  id: string;
  /** Display form, e.g. `pg_k3x9a0b1c2d3` (non-secret). */
  prefix: string;
}

function randomId(): string {
  // Rejection sampling keeps every character equally likely.
  let id = '';
  while (id.length < ID_LENGTH) {
    for (const byte of randomBytes(ID_LENGTH * 2)) {
      if (byte < 252 && id.length < ID_LENGTH) id += ID_CHARS[byte % 36];
    }
  }
  return id;
}

/** Generates a new API key (256 random bits). */
export function generateApiKey(): GeneratedApiKey {
  const id = randomId();
  const key = `${KEY_PREFIX}${id}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { key, id, prefix: `${KEY_PREFIX}${id}` };
}

/** The id part of a well-formed key, or null when the text is not a Pipegate API key. */
export function parseApiKeyId(key: string): string | null {
  const m = KEY_PATTERN.exec(key);
  return m ? (m[1] ?? null) : null;
}

/** Hashes and verifies API keys with HMAC-SHA256 under the master key's `api-key-hash` derived key. */
export class ApiKeyHasher {
  readonly #key: Buffer;

  constructor(master: MasterKey) {
    this.#key = master.derive('api-key-hash');
  }

  /**
   * The keyed hash stored in ApiKeyRecord.keyHash (base64url). Any string can be hashed, so a
   * malformed presented key simply finds no record.
   */
  hash(key: string): string {
    return createHmac('sha256', this.#key).update(key, 'utf8').digest('base64url');
  }

  /** Constant-time check that `key` hashes to `storedHash`. */
  verify(key: string, storedHash: string): boolean {
    const a = Buffer.from(this.hash(key), 'utf8');
    const b = Buffer.from(storedHash, 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
