// Basic Auth verification with a short-lived, bounded cache of successful checks (SPEC §6.3).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MasterKey } from './master-key.js';
import { verifyPassword } from './passwords.js';

/** Options of PasswordVerifier. */
export interface PasswordVerifierOptions {
  /** How long a successful verification is reused (default 60 s). */
  ttlMs?: number;
  /** Bound on cached entries; the oldest are evicted first (default 10000). */
  maxEntries?: number;
  /** Clock (tests). */
  now?: () => number;
}

interface Entry {
  /** HMAC of the stored hash this success was computed against: a changed password misses. */
  hashTag: Buffer;
  expiresAt: number;
  username: string;
}

/**
 * Verifies username/password pairs against stored scrypt hashes. Successful results are cached under
 * HMAC(username ‖ password) with a key derived from the master key, so the cache holds no password
 * and no value usable offline without the master key. Failures are never cached. `invalidate` drops a
 * username's entries (call it when a credential is removed or its password changes).
 */
export class PasswordVerifier {
  readonly #key: Buffer;
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;
  /** Insertion-ordered: the first entry is the oldest. */
  readonly #entries = new Map<string, Entry>();

  constructor(master: MasterKey, opts: PasswordVerifierOptions = {}) {
    this.#key = master.derive('password-cache');
    this.#ttlMs = opts.ttlMs ?? 60_000;
    this.#max = opts.maxEntries ?? 10_000;
    this.#now = opts.now ?? Date.now;
  }

  #tag(...parts: string[]): Buffer {
    const h = createHmac('sha256', this.#key);
    for (const part of parts)
      h.update(String(Buffer.byteLength(part)))
        .update(':')
        .update(part, 'utf8');
    return h.digest();
  }

  /** True when a cached success answers this check without hashing (login limits skip those). */
  isCached(username: string, password: string, storedHash: string): boolean {
    const hit = this.#entries.get(this.#tag('pair', username, password).toString('base64url'));
    if (!hit || hit.expiresAt <= this.#now()) return false;
    const hashTag = this.#tag('hash', storedHash);
    return hit.hashTag.length === hashTag.length && timingSafeEqual(hit.hashTag, hashTag);
  }

  /** True when `password` matches `storedHash` for `username`; cached for ttlMs on success. */
  async verify(username: string, password: string, storedHash: string): Promise<boolean> {
    const cacheKey = this.#tag('pair', username, password).toString('base64url');
    const hashTag = this.#tag('hash', storedHash);
    const hit = this.#entries.get(cacheKey);
    if (hit) {
      if (
        hit.expiresAt > this.#now() &&
        hit.hashTag.length === hashTag.length &&
        timingSafeEqual(hit.hashTag, hashTag)
      ) {
        return true;
      }
      this.#entries.delete(cacheKey);
    }
    const ok = await verifyPassword(password, storedHash);
    if (ok) {
      if (this.#entries.size >= this.#max) {
        const oldest = this.#entries.keys().next();
        if (!oldest.done) this.#entries.delete(oldest.value);
      }
      this.#entries.set(cacheKey, { hashTag, expiresAt: this.#now() + this.#ttlMs, username });
    }
    return ok;
  }

  /** Drops every cached success of `username`. */
  invalidate(username: string): void {
    for (const [k, e] of this.#entries) if (e.username === username) this.#entries.delete(k);
  }

  /** Drops everything (e.g. on a change-feed reload). */
  clear(): void {
    this.#entries.clear();
  }

  /** Number of cached entries (for tests and metrics). */
  get size(): number {
    return this.#entries.size;
  }
}
