// The master key: loaded from PIPEGATE_MASTER_KEY or a 0600 key file, checked against the store, source of derived keys.
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PlatformError } from '../errors/index.js';
import type { MetaRepository } from '../store/store.js';
import { HAS_UNIX_MODES, ensurePrivateDir } from '../store/private-files.js';

/** Purposes of keys derived from the master key; each gets an independent HKDF output. */
export type KeyPurpose = 'envelope' | 'api-key-hash' | 'password-cache' | 'check' | 'dpop-nonce';

/** Name of the key file in the data directory (embedded mode). */
export const MASTER_KEY_FILE = 'master.key';
/** Meta key holding the check value. */
export const MASTER_KEY_CHECK_META = 'master_key_check';

const KEY_BYTES = 32;
const HKDF_SALT = Buffer.from('pipegate/master-key/v1');

/**
 * The 32-byte master key. The raw bytes stay private to this object; callers get purpose-bound
 * derived keys (HKDF-SHA256), so an API-key hash key can never decrypt an account.
 */
export class MasterKey {
  readonly #raw: Buffer;
  readonly #derived = new Map<KeyPurpose, Buffer>();
  /** Where the key came from, for messages (never the key itself). */
  readonly source: string;

  constructor(raw: Uint8Array, source = 'explicit') {
    if (raw.length !== KEY_BYTES) {
      throw new PlatformError('ERR_MASTER_KEY_INVALID', {
        source,
        reason: `expected 32 bytes, got ${raw.length}`,
      });
    }
    this.#raw = Buffer.from(raw);
    this.source = source;
  }

  /** A 32-byte key for `purpose` (HKDF-SHA256, RFC 5869), cached. */
  derive(purpose: KeyPurpose): Buffer {
    let key = this.#derived.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.#raw, HKDF_SALT, `pipegate/${purpose}`, KEY_BYTES));
      this.#derived.set(purpose, key);
    }
    return key;
  }

  /** A short non-secret identifier of the key (first 8 hex of the check value), for envelopes. */
  get id(): string {
    return this.checkValue().slice(0, 8);
  }

  /** The value stored in meta to recognise this key later (HMAC under a derived key, reveals nothing). */
  checkValue(): string {
    return createHmac('sha256', this.derive('check'))
      .update('pipegate master key check')
      .digest('hex');
  }

  /** Keeps the raw key out of logs and JSON. */
  toJSON(): string {
    return `[MasterKey ${this.source}]`;
  }
}

/** Parses 32 bytes from base64, base64url or hex text. */
export function parseMasterKey(text: string, source: string): MasterKey {
  const trimmed = text.trim();
  let bytes: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) bytes = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) bytes = Buffer.from(trimmed, 'base64url');
  if (!bytes || bytes.length !== KEY_BYTES) {
    throw new PlatformError('ERR_MASTER_KEY_INVALID', {
      source,
      reason: 'expected 32 bytes as base64, base64url or 64 hex digits',
    });
  }
  return new MasterKey(bytes, source);
}

/** A fresh random master key as base64url text (for `PIPEGATE_MASTER_KEY`). */
export function generateMasterKeyText(): string {
  return randomBytes(KEY_BYTES).toString('base64url');
}

export interface LoadMasterKeyOptions {
  /** Environment variables (default process.env); PIPEGATE_MASTER_KEY wins when set. */
  env?: Record<string, string | undefined>;
  /** Data directory of embedded mode; the key file is `<dataDir>/master.key`. */
  dataDir?: string;
  /** Create the key file (mode 0600) when absent (embedded mode). Default true. */
  create?: boolean;
}

/**
 * Loads the master key: PIPEGATE_MASTER_KEY if set, else `<dataDir>/master.key`, created with mode
 * 0600 on first start. ERR_MASTER_KEY_MISSING when neither is available.
 */
export async function loadMasterKey(opts: LoadMasterKeyOptions = {}): Promise<MasterKey> {
  const fromEnv = (opts.env ?? process.env)['PIPEGATE_MASTER_KEY'];
  if (fromEnv !== undefined && fromEnv !== '')
    return parseMasterKey(fromEnv, 'PIPEGATE_MASTER_KEY');
  if (opts.dataDir === undefined) throw new PlatformError('ERR_MASTER_KEY_MISSING');
  const file = join(opts.dataDir, MASTER_KEY_FILE);
  try {
    return await readKeyFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || opts.create === false) {
      if (err instanceof PlatformError) throw err;
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new PlatformError('ERR_MASTER_KEY_MISSING');
      throw new PlatformError(
        'ERR_MASTER_KEY_INVALID',
        { source: file, reason: 'the key file cannot be read' },
        { cause: err },
      );
    }
  }
  ensurePrivateDir(opts.dataDir);
  const text = generateMasterKeyText();
  try {
    // 'wx': never overwrite a key another process created a moment ago.
    await writeFile(file, text + '\n', { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file);
    throw new PlatformError(
      'ERR_MASTER_KEY_INVALID',
      { source: file, reason: 'the key file cannot be created' },
      { cause: err },
    );
  }
  return parseMasterKey(text, file);
}

/**
 * Reads an existing key file, refusing one that other users can read or write (any group or other
 * permission bit): a key readable by others decrypts every account and signing key of the store.
 */
async function readKeyFile(file: string): Promise<MasterKey> {
  const info = await stat(file);
  if (HAS_UNIX_MODES && (info.mode & 0o077) !== 0) {
    throw new PlatformError('ERR_MASTER_KEY_PERMISSIONS', {
      file,
      mode: (info.mode & 0o777).toString(8).padStart(4, '0'),
    });
  }
  return parseMasterKey(await readFile(file, 'utf8'), file);
}

/**
 * Binds the store to the master key: on a fresh store records the check value; otherwise compares it
 * in constant time and throws ERR_MASTER_KEY_MISMATCH, so a wrong key fails at start instead of at
 * the first decryption.
 */
export async function verifyMasterKey(meta: MetaRepository, key: MasterKey): Promise<void> {
  const mine = key.checkValue();
  const stored = await meta.putIfAbsent(MASTER_KEY_CHECK_META, mine);
  const a = Buffer.from(stored, 'utf8');
  const b = Buffer.from(mine, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new PlatformError('ERR_MASTER_KEY_MISMATCH', { source: key.source });
  }
}
