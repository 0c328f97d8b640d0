// Revocations in memory (SPEC §6.4): jti set, per-consumer and global cut-offs, reloaded from the store.
import { consumerJtiValue } from '../../store/records.js';
import type { Revocation } from '../../store/records.js';
import type { Store } from '../../store/store.js';

/** What a token is checked against: `iatMs` is the token's `iat` in epoch ms. */
export interface RevocationSubject {
  jti: string;
  consumer: string;
  iatMs: number;
}

/**
 * Every revocation still useful, held in memory so the check costs map lookups. Cut-offs compare
 * `iat * 1000 < issuedBefore` like the store's isRevoked: since `iat` has 1-second resolution, a token
 * issued in the same second as (but after) a consumer or time cut-off is revoked too — the safe side.
 */
export class RevocationList {
  #jtis = new Map<string, number | null>();
  /** `consumer_jti` rows by value (`<consumer>:<jti>`). */
  #ownedJtis = new Set<string>();
  #consumers = new Map<string, number>();
  #before = 0;

  constructor(
    private readonly store: Store,
    private readonly environment: string,
    private readonly now: () => number,
  ) {}

  /** Replaces the in-memory state with the store's list. */
  async load(): Promise<void> {
    const rows = await this.store.revocations.list(this.environment, { now: this.now() });
    this.#jtis = new Map();
    this.#ownedJtis = new Set();
    this.#consumers = new Map();
    this.#before = 0;
    for (const row of rows) this.apply(row);
  }

  /** Adds one revocation (a local revoke applies before the store round trip completes). */
  apply(row: Pick<Revocation, 'kind' | 'value' | 'issuedBefore' | 'expiresAt'>): void {
    if (row.kind === 'jti') {
      this.#jtis.set(row.value, row.expiresAt);
    } else if (row.kind === 'consumer_jti') {
      this.#ownedJtis.add(row.value);
    } else if (row.kind === 'consumer') {
      const cut = row.issuedBefore ?? this.now();
      this.#consumers.set(row.value, Math.max(cut, this.#consumers.get(row.value) ?? 0));
    } else {
      this.#before = Math.max(this.#before, row.issuedBefore ?? Number(row.value));
    }
  }

  /** True when the token is revoked. */
  isRevoked(t: RevocationSubject): boolean {
    if (this.#jtis.has(t.jti)) return true;
    if (this.#ownedJtis.size > 0 && this.#ownedJtis.has(consumerJtiValue(t.consumer, t.jti)))
      return true;
    if (t.iatMs < this.#before) return true;
    const cut = this.#consumers.get(t.consumer);
    return cut !== undefined && t.iatMs < cut;
  }

  /** How many jti revocations are held (for metrics and docs). */
  get size(): number {
    return this.#jtis.size + this.#ownedJtis.size + this.#consumers.size;
  }
}
