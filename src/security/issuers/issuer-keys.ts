// The signing keys of one external issuer: discovery + JWKS fetched through the egress policy, cached and bounded.
import { importJWK } from 'jose';
import type { JWK } from 'jose';
import type { JsonObject, JsonValue } from '../../core/json.js';
import { isJsonObject } from '../../core/json.js';
import { PlatformError, isPlatformError } from '../../errors/index.js';
import type { OutboundHttp } from '../../http-client/index.js';
import type { IssuerConfig } from './issuer-config.js';

/** Bounds of the cache (docs/oauth.md "External issuers"). */
export interface IssuerKeysOptions {
  http: OutboundHttp;
  now?: () => number;
  /** Called when a fetch fails (the error has no secret). */
  onError?: (issuer: string, err: PlatformError) => void;
  /** Least time between two fetches caused by unknown kids (default 30 s). */
  cooldownMs?: number;
  /** Cache lifetime when the JWKS answer has no usable Cache-Control max-age (default 5 min). */
  defaultTtlMs?: number;
  /** Bounds applied to max-age (default 1 min … 24 h). */
  minTtlMs?: number;
  maxTtlMs?: number;
  /** How long expired keys are still used while refetching fails (default 1 h). */
  staleMs?: number;
  /** Connect and read timeout of each fetch (default 5 s). */
  timeoutMs?: number;
  /** Least time between attempts after a failed fetch (default 5 s), so a down IdP is not hammered. */
  retryMs?: number;
}

const MAX_BYTES = 256 * 1024;
const MAX_KEYS = 100;

type KeyLike = Awaited<ReturnType<typeof importJWK>>;

/** What a lookup found. */
export type KeyLookup =
  { ok: true; key: KeyLike; issuer: string } | { ok: false; reason: 'unknown_kid' | 'unavailable' };

/** Seconds of `max-age` in a Cache-Control header, 0 for no-store/no-cache, null when absent. */
export function maxAgeOf(header: string | string[] | undefined): number | null {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  if (/(^|,)\s*(no-store|no-cache)\s*(,|$)/i.test(text)) return 0;
  const m = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * Keys are fetched on first use, kept for the JWKS `Cache-Control: max-age` (bounded), refetched
 * on an unknown `kid` at most once per cooldown, and used stale for a bounded time while the
 * issuer cannot be reached. Concurrent requests share one fetch.
 */
export class IssuerKeys {
  readonly #o: Required<Omit<IssuerKeysOptions, 'onError'>> & Pick<IssuerKeysOptions, 'onError'>;
  #keys: JWK[] | null = null;
  #issuer: string | null;
  #jwksUrl: string | null;
  #expiresAt = 0;
  #lastFetch = -Infinity;
  #failed = false;
  #inflight: Promise<boolean> | null = null;
  readonly #imported = new Map<string, KeyLike>();

  constructor(
    readonly config: IssuerConfig,
    options: IssuerKeysOptions,
  ) {
    this.#o = {
      now: Date.now,
      cooldownMs: 30_000,
      defaultTtlMs: 300_000,
      minTtlMs: 60_000,
      maxTtlMs: 86_400_000,
      staleMs: 3_600_000,
      timeoutMs: 5_000,
      retryMs: 5_000,
      ...options,
    };
    this.#issuer = config.discovery ? null : config.issuer;
    this.#jwksUrl = config.discovery ? null : config.jwksUrl;
  }

  /** The key for a token header, refreshing as the rules above say. */
  async lookup(kid: string | undefined, alg: string): Promise<KeyLookup> {
    const now = this.#o.now();
    const due = this.#keys === null || now >= this.#expiresAt;
    if (due && (!this.#failed || now - this.#lastFetch >= this.#o.retryMs)) await this.#refresh();
    if (this.#keys === null || now >= this.#expiresAt + this.#o.staleMs)
      return { ok: false, reason: 'unavailable' };
    let jwk = this.#select(kid, alg);
    if (!jwk && now - this.#lastFetch >= this.#o.cooldownMs) {
      // A new kid: the issuer may have rotated its keys (RFC 7517 §4.5); refetch, rate-limited.
      await this.#refresh();
      jwk = this.#select(kid, alg);
    }
    if (!jwk) return { ok: false, reason: 'unknown_kid' };
    const id = `${jwk.kid ?? ''}|${alg}|${jwk.x ?? jwk.n ?? ''}`;
    let key = this.#imported.get(id);
    if (!key) {
      try {
        key = await importJWK(jwk, alg);
      } catch {
        return { ok: false, reason: 'unknown_kid' };
      }
      if (this.#imported.size >= MAX_KEYS) this.#imported.clear();
      this.#imported.set(id, key);
    }
    return { ok: true, key, issuer: this.#issuer! };
  }

  /** A key named by `kid` (or, without kid, the only key that fits `alg`), usable for signatures. */
  #select(kid: string | undefined, alg: string): JWK | undefined {
    const fits = (k: JWK): boolean =>
      (k.use === undefined || k.use === 'sig') &&
      (k.alg === undefined || k.alg === alg) &&
      ktyFor(alg) === k.kty;
    const keys = (this.#keys ?? []).filter(fits);
    if (kid !== undefined) return keys.find((k) => k.kid === kid);
    return keys.length === 1 ? keys[0] : undefined;
  }

  #refresh(): Promise<boolean> {
    this.#inflight ??= this.#fetchAll().finally(() => (this.#inflight = null));
    return this.#inflight;
  }

  async #fetchAll(): Promise<boolean> {
    this.#lastFetch = this.#o.now();
    try {
      if (this.config.discovery) await this.#discover(this.config.discovery);
      const { body, maxAge } = await this.#getJson(this.#jwksUrl!, 'JWKS');
      const keys = Array.isArray(body.keys) ? body.keys.filter(isJsonObject) : null;
      if (!keys) throw this.#failure('the JWKS has no "keys" array');
      // Private members are never kept, whatever the issuer publishes.
      this.#keys = keys.slice(0, MAX_KEYS).map((k) => publicPart(k));
      this.#imported.clear();
      const ttl = maxAge === null ? this.#o.defaultTtlMs : maxAge * 1000;
      this.#expiresAt = this.#o.now() + Math.min(this.#o.maxTtlMs, Math.max(this.#o.minTtlMs, ttl));
      this.#failed = false;
      return true;
    } catch (err) {
      const e = isPlatformError(err) ? err : this.#failure('unexpected failure');
      this.#failed = true;
      this.#o.onError?.(this.config.name, e);
      return false;
    }
  }

  /** OIDC Discovery / RFC 8414: `issuer` and `jwks_uri`; the issuer must be the one the URL names. */
  async #discover(url: string): Promise<void> {
    const { body } = await this.#getJson(url, 'discovery document');
    const issuer = body.issuer;
    const jwks = body.jwks_uri;
    if (typeof issuer !== 'string' || typeof jwks !== 'string')
      throw this.#failure('the discovery document lacks issuer or jwks_uri');
    if (!discoveryMatches(url, issuer))
      throw this.#failure(`the discovery document names issuer ${issuer}, not the one of its URL`);
    if (this.config.issuer !== null && this.config.issuer !== issuer)
      throw this.#failure(`the discovery document names issuer ${issuer}`);
    this.#issuer = issuer;
    this.#jwksUrl = jwks;
  }

  async #getJson(url: string, what: string): Promise<{ body: JsonObject; maxAge: number | null }> {
    let res;
    try {
      res = await this.#o.http.request({
        url,
        method: 'GET',
        headers: { accept: 'application/json' },
        connectTimeoutMs: this.#o.timeoutMs,
        readTimeoutMs: this.#o.timeoutMs,
        maxResponseBytes: MAX_BYTES,
        maxRedirects: 3,
      });
    } catch (err) {
      const reason = isPlatformError(err) ? `${err.code}: ${err.message}` : 'request failed';
      throw this.#failure(`${what}: ${reason}`);
    }
    if (res.status !== 200) throw this.#failure(`${what} answered HTTP ${res.status}`);
    let body: JsonValue;
    try {
      body = JSON.parse(res.body.toString('utf8')) as JsonValue;
    } catch {
      throw this.#failure(`${what} is not JSON`);
    }
    if (!isJsonObject(body)) throw this.#failure(`${what} is not a JSON object`);
    return { body, maxAge: maxAgeOf(res.headers['cache-control']) };
  }

  #failure(reason: string): PlatformError {
    return new PlatformError('ERR_ISSUER_KEYS_UNAVAILABLE', { name: this.config.name, reason });
  }
}

function ktyFor(alg: string): string {
  if (alg.startsWith('ES')) return 'EC';
  if (alg === 'EdDSA') return 'OKP';
  return 'RSA';
}

const PUBLIC_MEMBERS = ['kty', 'kid', 'use', 'alg', 'crv', 'x', 'y', 'n', 'e'];

function publicPart(k: JsonObject): JWK {
  const out: Record<string, unknown> = {};
  for (const m of PUBLIC_MEMBERS) if (typeof k[m] === 'string') out[m] = k[m];
  return out as JWK;
}

/**
 * OIDC Discovery §4.3 / RFC 8414 §3.3: the document's `issuer` is the one its URL was derived from:
 * `<issuer>/.well-known/openid-configuration` or `<origin>/.well-known/oauth-authorization-server<path>`.
 */
export function discoveryMatches(url: string, issuer: string): boolean {
  const base = issuer.replace(/\/+$/, '');
  if (url === `${base}/.well-known/openid-configuration`) return true;
  try {
    const i = new URL(issuer);
    const path = i.pathname.replace(/\/+$/, '');
    return url === `${i.origin}/.well-known/oauth-authorization-server${path}`;
  } catch {
    return false;
  }
}
