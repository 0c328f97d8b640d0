// Verification of tokens from external issuers: which issuer, its keys, then RFC 7519 / RFC 9068 checks.
import { compactVerify, decodeJwt, errors as joseErrors } from 'jose';
import type { JsonObject, JsonValue } from '../../core/json.js';
import { isJsonObject } from '../../core/json.js';
import type { PlatformError } from '../../errors/index.js';
import type { OutboundHttp } from '../../http-client/index.js';
import type { Store } from '../../store/store.js';
import { listIssuers } from './issuer-config.js';
import type { IssuerConfig } from './issuer-config.js';
import { IssuerKeys } from './issuer-keys.js';
import type { IssuerKeysOptions } from './issuer-keys.js';

/** A verified external token. */
export interface ExternalToken {
  ok: true;
  /** The configured issuer name. */
  issuer: string;
  subject: string;
  claims: JsonObject;
  scopes: string[];
  jti: string | null;
  exp: number;
}

/** Why an external token was refused (usage log); `unavailable` is a 503, never a 401. */
export interface ExternalDenial {
  ok: false;
  reason:
    | 'malformed'
    | 'alg_not_allowed'
    | 'unknown_kid'
    | 'bad_signature'
    | 'wrong_typ'
    | 'wrong_issuer'
    | 'wrong_audience'
    | 'token_expired'
    | 'not_yet_valid'
    | 'unavailable';
  issuer?: string;
}

/** Options of ExternalIssuers. */
export interface ExternalIssuersOptions extends Omit<IssuerKeysOptions, 'http'> {
  store: Store;
  realm: string;
  environment: string;
  http: OutboundHttp;
  leewaySec: number;
  /** How long the issuer list read from the store is reused (default 2 s). */
  reloadMs?: number;
  onError?: (issuer: string, err: PlatformError) => void;
}

/** The `iss` of a token without verifying it (to choose the issuer whose keys verify it). */
export function unverifiedIssuer(token: string): string | null {
  try {
    const iss = decodeJwt(token).iss;
    return typeof iss === 'string' ? iss : null;
  } catch {
    return null;
  }
}

function scopesOf(claims: JsonObject, claim: string): string[] {
  const v: JsonValue | undefined = claims[claim];
  if (typeof v === 'string') return v.split(' ').filter(Boolean);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/**
 * The external issuers of one realm and environment (`pipegate issuers`), read from the store
 * (reused for `reloadMs`), each with its key cache. One per gateway.
 */
export class ExternalIssuers {
  readonly #o: ExternalIssuersOptions;
  #configs: IssuerConfig[] = [];
  #loadedAt = -Infinity;
  #loading: Promise<void> | null = null;
  readonly #keys = new Map<string, IssuerKeys>();

  constructor(options: ExternalIssuersOptions) {
    this.#o = options;
  }

  async #configsNow(): Promise<IssuerConfig[]> {
    const now = (this.#o.now ?? Date.now)();
    if (now - this.#loadedAt >= (this.#o.reloadMs ?? 2_000)) {
      this.#loading ??= listIssuers(this.#o.store, this.#o.realm, this.#o.environment)
        .then((list) => {
          this.#configs = list;
          this.#loadedAt = now;
        })
        .finally(() => (this.#loading = null));
      await this.#loading;
    }
    return this.#configs;
  }

  #keysFor(config: IssuerConfig): IssuerKeys {
    const existing = this.#keys.get(config.name);
    // A changed configuration (remove + add) starts a fresh cache.
    if (existing && JSON.stringify(existing.config) === JSON.stringify(config)) return existing;
    const o = this.#o;
    const keyOptions: IssuerKeysOptions = {
      http: o.http,
      ...(o.now ? { now: o.now } : {}),
      ...(o.onError ? { onError: o.onError } : {}),
      ...(o.cooldownMs === undefined ? {} : { cooldownMs: o.cooldownMs }),
      ...(o.retryMs === undefined ? {} : { retryMs: o.retryMs }),
      ...(o.staleMs === undefined ? {} : { staleMs: o.staleMs }),
      ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
    };
    const keys = new IssuerKeys(config, keyOptions);
    this.#keys.set(config.name, keys);
    return keys;
  }

  /**
   * The configured issuers among `allowed` whose `iss` is the token's (exact match). With
   * discovery the `iss` is known only after the first fetch, so those issuers are candidates too.
   * Throws when the store cannot be read (the caller answers 503).
   */
  async candidates(iss: string, allowed: readonly string[]): Promise<IssuerConfig[]> {
    const configs = await this.#configsNow();
    return configs.filter(
      (c) =>
        allowed.includes(c.name) &&
        (c.issuer === iss || (c.discovery !== null && c.issuer === null)),
    );
  }

  /** Verifies `token` against the first candidate issuer whose keys and `iss` fit. */
  async verify(token: string, allowed: readonly string[]): Promise<ExternalToken | ExternalDenial> {
    const iss = unverifiedIssuer(token);
    if (iss === null) return { ok: false, reason: 'malformed' };
    const list = await this.candidates(iss, allowed);
    let last: ExternalDenial = { ok: false, reason: 'wrong_issuer' };
    for (const config of list) {
      const r = await this.#verifyWith(token, config);
      if (r.ok || r.reason !== 'wrong_issuer') return r;
      last = r;
    }
    return last;
  }

  async #verifyWith(token: string, config: IssuerConfig): Promise<ExternalToken | ExternalDenial> {
    const deny = (reason: ExternalDenial['reason']): ExternalDenial => ({
      ok: false,
      reason,
      issuer: config.name,
    });
    const parts = token.split('.');
    if (parts.length !== 3 || parts[2] === '' || token.length > 16_384) return deny('malformed');
    let header: JsonValue;
    try {
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as JsonValue;
    } catch {
      return deny('malformed');
    }
    if (!isJsonObject(header) || typeof header.alg !== 'string') return deny('malformed');
    // The issuer's allow-list only: `none` and HMAC can never be in it (issuer-config.ts).
    if (!config.algorithms.includes(header.alg)) return deny('alg_not_allowed');
    if (header.crit !== undefined) return deny('malformed');
    // A DPoP proof is not an access token (RFC 9449 §4.2 explicit typing).
    if (typeof header.typ === 'string' && header.typ.toLowerCase() === 'dpop+jwt')
      return deny('wrong_typ');
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    const found = await this.#keysFor(config).lookup(kid, header.alg);
    if (!found.ok) return deny(found.reason);
    let payload: Uint8Array;
    try {
      ({ payload } = await compactVerify(token, found.key, { algorithms: [header.alg] }));
    } catch (err) {
      return deny(
        err instanceof joseErrors.JWSSignatureVerificationFailed ? 'bad_signature' : 'malformed',
      );
    }
    let claims: JsonValue;
    try {
      claims = JSON.parse(Buffer.from(payload).toString('utf8')) as JsonValue;
    } catch {
      return deny('malformed');
    }
    if (!isJsonObject(claims)) return deny('malformed');
    return this.#checkClaims(claims, config, found.issuer, deny);
  }

  #checkClaims(
    claims: JsonObject,
    config: IssuerConfig,
    issuer: string,
    deny: (reason: ExternalDenial['reason']) => ExternalDenial,
  ): ExternalToken | ExternalDenial {
    const nowSec = Math.floor((this.#o.now ?? Date.now)() / 1000);
    const leeway = this.#o.leewaySec;
    if (claims.iss !== issuer) return deny('wrong_issuer');
    if (config.audience !== null) {
      const aud = claims.aud;
      const ok = aud === config.audience || (Array.isArray(aud) && aud.includes(config.audience));
      if (!ok) return deny('wrong_audience');
    }
    const { exp, nbf, iat, sub, jti } = claims;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) return deny('malformed');
    if (nowSec >= exp + leeway) return deny('token_expired');
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > nowSec + leeway))
      return deny(typeof nbf === 'number' ? 'not_yet_valid' : 'malformed');
    if (iat !== undefined && (typeof iat !== 'number' || iat > nowSec + leeway))
      return deny(typeof iat === 'number' ? 'not_yet_valid' : 'malformed');
    if (typeof sub !== 'string' || sub === '') return deny('malformed');
    return {
      ok: true,
      issuer: config.name,
      subject: sub,
      claims,
      scopes: scopesOf(claims, config.scopeClaim),
      jti: typeof jti === 'string' && jti !== '' ? jti : null,
      exp,
    };
  }
}
