// The realm's signing keys in memory: the active key for minting, active + retiring keys for verification.
import type { JsonObject } from '../../core/json.js';
import { isPlatformError } from '../../errors/index.js';
import type { SigningAlgorithm, SigningKeyRecord } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import type { SecretBox } from '../envelope.js';
import { createSealedSigningKey, openSigningKey, openVerificationKey } from '../signing-keys.js';
import { toNodeKey, type NodeKey } from './platform-jws.js';

/** A key usable for verification. */
export interface RingKey {
  kid: string;
  alg: SigningAlgorithm;
  state: 'active' | 'retiring';
  /** Not accepted after this time (epoch ms) even before the store marks it retired. */
  retireAfter: number | null;
  publicJwk: JsonObject | null;
  /** The public key (the secret for HS256), for node:crypto (platform-jws.ts). */
  verifyKey: NodeKey;
}

/** Options of KeyRing. */
export interface KeyRingOptions {
  store: Store;
  box: SecretBox;
  environment: string;
  realm: string;
  /** Algorithm of the key created on first start. */
  algorithm: SigningAlgorithm;
  now: () => number;
}

/** Loads keys from the store; `load()` again after a `signingKeys` change. */
export class KeyRing {
  readonly #opts: KeyRingOptions;
  #keys = new Map<string, RingKey>();
  #active: { record: SigningKeyRecord; signKey: NodeKey } | null = null;

  constructor(opts: KeyRingOptions) {
    this.#opts = opts;
  }

  /** Creates the first key when the realm has none (race-safe between nodes), then loads. */
  async init(): Promise<void> {
    const { store, environment, realm, box, algorithm } = this.#opts;
    if ((await store.signingKeys.getActive(environment, realm)) === null) {
      try {
        await store.signingKeys.create(
          environment,
          await createSealedSigningKey(box, environment, realm, algorithm),
        );
      } catch (err) {
        // Another node created it first: use theirs.
        if (!(isPlatformError(err) && err.code === 'ERR_STORE_CONFLICT')) throw err;
      }
    }
    await this.load();
  }

  /** Reloads the active and retiring keys; keys already imported are reused. */
  async load(): Promise<void> {
    const { store, environment, realm, box } = this.#opts;
    const records = await store.signingKeys.list(environment, realm, {
      states: ['active', 'retiring'],
    });
    const next = new Map<string, RingKey>();
    let active: SigningKeyRecord | null = null;
    for (const r of records) {
      const known = this.#keys.get(r.kid);
      const verifyKey = known?.verifyKey ?? toNodeKey(await openVerificationKey(box, r));
      next.set(r.kid, {
        kid: r.kid,
        alg: r.alg,
        state: r.state as RingKey['state'],
        retireAfter: r.retireAfter,
        publicJwk: r.publicJwk,
        verifyKey,
      });
      if (r.state === 'active' && active === null) active = r;
    }
    if (active && this.#active?.record.kid !== active.kid) {
      this.#active = { record: active, signKey: toNodeKey(await openSigningKey(box, active)) };
    } else if (!active) {
      this.#active = null;
    }
    this.#keys = next;
  }

  /** The key to mint with, or null (no active key: the store lost it or it is being rotated). */
  get active(): { kid: string; alg: SigningAlgorithm; signKey: NodeKey } | null {
    const a = this.#active;
    return a ? { kid: a.record.kid, alg: a.record.alg, signKey: a.signKey } : null;
  }

  /** A key accepted for verification at `now`: active, or retiring and not past its retireAfter. */
  get(kid: string): RingKey | undefined {
    const key = this.#keys.get(kid);
    if (!key) return undefined;
    if (key.state === 'retiring' && key.retireAfter !== null && key.retireAfter <= this.#opts.now())
      return undefined;
    return key;
  }

  /** True when `alg` is the algorithm of one of the realm's accepted keys (the allow-list). */
  allows(alg: string): boolean {
    for (const key of this.#keys.values()) if (key.alg === alg && this.get(key.kid)) return true;
    return false;
  }

  /** True when a retiring key is past its retireAfter (the store should be told: retireDue). */
  hasDueKeys(): boolean {
    for (const key of this.#keys.values())
      if (key.state === 'retiring' && !this.get(key.kid)) return true;
    return false;
  }

  /** Public JWKs of the accepted keys (HS256 secrets are never published). */
  publicKeys(): JsonObject[] {
    const out: JsonObject[] = [];
    for (const key of this.#keys.values())
      if (key.publicJwk && this.get(key.kid)) out.push({ ...key.publicJwk });
    return out;
  }

  /** Algorithms of the accepted keys. */
  algorithms(): SigningAlgorithm[] {
    return [...new Set([...this.#keys.values()].filter((k) => this.get(k.kid)).map((k) => k.alg))];
  }
}
