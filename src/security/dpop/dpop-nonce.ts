// DPoP server nonces (RFC 9449 §8, §9): stateless, so that every node and worker sharing the master key
// accepts the nonces of the others without a shared store.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Default time a nonce stays valid after it was issued. */
export const DPOP_NONCE_LIFETIME_SEC = 300;

const TIME_BYTES = 6;
const MAC_BYTES = 16;
/** base64url length of TIME_BYTES + MAC_BYTES bytes. */
const NONCE_CHARS = Math.ceil(((TIME_BYTES + MAC_BYTES) * 4) / 3);

export interface DpopNonceOptions {
  /** Seconds a nonce is accepted after it was issued (default 300). */
  lifetimeSec?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

/**
 * A nonce is the issue time (seconds, 48 bits) followed by a truncated HMAC-SHA256 of it under a
 * key derived from the master key and bound to the realm and environment: `base64url(time ‖ mac)`,
 * 30 characters of the RFC's NQCHAR set. It is valid while `now - time ≤ lifetimeSec` (and not from
 * the future beyond a 5 s clock skew between nodes). The same nonce is handed out for a tenth of the
 * lifetime, so a busy route computes one HMAC per period, not per response, and a client that
 * retries promptly always holds a nonce that is still valid. Replay of whole proofs is prevented by
 * the `jti` cache, not by the nonce (§11.1); the nonce bounds how long a pre-made proof is usable
 * (§11.2).
 */
export class DpopNonces {
  readonly lifetimeSec: number;
  readonly #key: Buffer;
  readonly #now: () => number;
  #current = '';
  #currentSec = -Infinity;

  constructor(key: Buffer, o: DpopNonceOptions = {}) {
    this.#key = key;
    this.lifetimeSec = o.lifetimeSec ?? DPOP_NONCE_LIFETIME_SEC;
    this.#now = o.now ?? Date.now;
  }

  #mac(time: Buffer): Buffer {
    return createHmac('sha256', this.#key).update(time).digest().subarray(0, MAC_BYTES);
  }

  /** The nonce to send in `DPoP-Nonce` now. */
  current(): string {
    const sec = Math.floor(this.#now() / 1000);
    if (sec - this.#currentSec >= Math.max(1, Math.floor(this.lifetimeSec / 10))) {
      const time = Buffer.alloc(TIME_BYTES);
      time.writeUIntBE(sec, 0, TIME_BYTES);
      this.#current = Buffer.concat([time, this.#mac(time)]).toString('base64url');
      this.#currentSec = sec;
    }
    return this.#current;
  }

  /** Whether `nonce` (the proof's `nonce` claim) was issued by a node of this deployment and is fresh. */
  isValid(nonce: unknown): boolean {
    if (typeof nonce !== 'string' || nonce.length !== NONCE_CHARS) return false;
    if (!/^[A-Za-z0-9_-]+$/.test(nonce)) return false;
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== TIME_BYTES + MAC_BYTES) return false;
    const time = raw.subarray(0, TIME_BYTES);
    if (!timingSafeEqual(raw.subarray(TIME_BYTES), this.#mac(time))) return false;
    const age = Math.floor(this.#now() / 1000) - time.readUIntBE(0, TIME_BYTES);
    return age >= -5 && age <= this.lifetimeSec;
  }
}

/** The nonce key of one realm and environment: its nonces are refused by every other one. */
export function dpopNonceKey(
  master: { derive(purpose: 'dpop-nonce'): Buffer },
  realm: string,
  environment: string,
): Buffer {
  return createHmac('sha256', master.derive('dpop-nonce'))
    .update(`${realm}\u0000${environment}`)
    .digest();
}
