// Remote JWKS: cached per URL, refetched on an unknown kid at most once per cooldown, stale copy served on errors.
import { importJwk, checkKeySet, type KeyCandidate } from './key-import.js';
import { fail } from './jose-error.js';
import { getOwn, isJsonObject } from '../../../core/json.js';

/** Tuning of a JWKS cache (times in milliseconds). */
export interface JwksCacheOptions {
  /** A fetched set is fresh this long. */
  maxAgeMs: number;
  /** Minimum time between two fetches of one URL triggered by an unknown kid. */
  cooldownMs: number;
  /** How long an expired set may still serve when refetching fails (stale-while-error). */
  maxStaleMs: number;
  fetchTimeoutMs: number;
  maxBytes: number;
  /** Injected for tests; defaults to global fetch. */
  fetch?: typeof fetch;
}

export const defaultJwksOptions: JwksCacheOptions = {
  maxAgeMs: 10 * 60_000,
  cooldownMs: 30_000,
  maxStaleMs: 24 * 60 * 60_000,
  fetchTimeoutMs: 5_000,
  maxBytes: 512 * 1024,
};

interface Entry {
  keys?: KeyCandidate[];
  fetchedAt: number;
  attemptedAt: number;
  inflight?: Promise<KeyCandidate[]>;
}

/** A per-process cache of remote key sets. Times come from the caller's clock, so tests need no sleeps. */
export class JwksCache {
  private readonly entries = new Map<string, Entry>();
  /** Number of HTTP fetches made (observability and tests). */
  fetches = 0;

  constructor(private readonly options: JwksCacheOptions = defaultJwksOptions) {}

  /** The set for `url`: cached while fresh, else fetched; an expired set serves while the fetch fails. */
  async get(url: string, now: number, fetcher?: typeof fetch): Promise<KeyCandidate[]> {
    const entry = this.entries.get(url);
    if (entry?.keys && now - entry.fetchedAt < this.options.maxAgeMs) return entry.keys;
    // Expired, but the last attempt failed recently: keep serving the stale copy without hammering the URL.
    const { cooldownMs, maxAgeMs, maxStaleMs } = this.options;
    if (entry?.keys && now - entry.attemptedAt < cooldownMs && now - entry.fetchedAt < maxAgeMs + maxStaleMs) {
      return entry.keys;
    }
    return this.refresh(url, now, fetcher);
  }

  /**
   * Refetches after an unknown kid, unless the last attempt is younger than the cooldown (then
   * undefined: the caller reports the kid as unknown without touching the network).
   */
  async refetchForUnknownKid(url: string, now: number, fetcher?: typeof fetch): Promise<KeyCandidate[] | undefined> {
    const entry = this.entries.get(url);
    if (entry && now - entry.attemptedAt < this.options.cooldownMs) return undefined;
    return this.refresh(url, now, fetcher);
  }

  /**
   * One fetch per URL at a time, shared by every caller. It is bounded by the cache's own timeout,
   * not by a caller's abort signal: one cancelled execution must not fail the others waiting on it.
   */
  private async refresh(url: string, now: number, fetcher?: typeof fetch): Promise<KeyCandidate[]> {
    const entry: Entry = this.entries.get(url) ?? { fetchedAt: 0, attemptedAt: 0 };
    this.entries.set(url, entry);
    if (entry.inflight) return entry.inflight;
    entry.attemptedAt = now;
    entry.inflight = this.download(url, fetcher)
      .then((keys) => {
        entry.keys = keys;
        entry.fetchedAt = now;
        return keys;
      })
      .catch((err: unknown) => {
        if (entry.keys && now - entry.fetchedAt < this.options.maxAgeMs + this.options.maxStaleMs) return entry.keys;
        throw err;
      })
      .finally(() => {
        entry.inflight = undefined;
      });
    return entry.inflight;
  }

  /** `fetcher`: the host's egress-checked client when there is one (see docs/egress.md). */
  private async download(url: string, fetcher?: typeof fetch): Promise<KeyCandidate[]> {
    this.fetches += 1;
    const doFetch = fetcher ?? this.options.fetch ?? fetch;
    let text: string;
    try {
      const res = await doFetch(url, {
        signal: AbortSignal.timeout(this.options.fetchTimeoutMs),
        redirect: 'error',
        headers: { accept: 'application/jwk-set+json, application/json' },
      });
      if (res.status !== 200) throw new JwksError(`HTTP status ${res.status}`);
      const body = await res.arrayBuffer();
      if (body.byteLength > this.options.maxBytes) throw new JwksError(`the set exceeds ${this.options.maxBytes} bytes`);
      text = new TextDecoder().decode(body);
    } catch (err) {
      const reason = err instanceof JwksError ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : 'fetch failed';
      return fail('ERR_JOSE_JWKS_FETCH', { url: displayUrl(url), reason }, err);
    }
    return parseRemoteSet(text, url);
  }
}

class JwksError extends Error {}

/**
 * A remote set holds public keys only: `oct` members and keys that cannot be imported are skipped
 * (a provider may publish types we do not use); private members are reduced to their public half.
 */
export function parseRemoteSet(text: string, url: string): KeyCandidate[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch (err) {
    return fail('ERR_JOSE_JWKS_FETCH', { url: displayUrl(url), reason: 'the body is not JSON' }, err);
  }
  const keys = isJsonObject(doc) ? getOwn(doc, 'keys') : undefined;
  if (!Array.isArray(keys)) return fail('ERR_JOSE_JWKS_FETCH', { url: displayUrl(url), reason: 'the body has no "keys" list' });
  const source = `JWKS ${displayUrl(url)}`;
  const out: KeyCandidate[] = [];
  for (const jwk of keys) {
    if (!isJsonObject(jwk) || getOwn(jwk, 'kty') === 'oct') continue;
    const pub = Object.fromEntries(Object.entries(jwk).filter(([name]) => !privateMembers.includes(name)));
    try {
      out.push(importJwk(pub, source));
    } catch {
      continue;
    }
  }
  return checkKeySet(out, source);
}

const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];

/** The process-wide cache used by the connector. */
export const sharedJwksCache = new JwksCache();

/** The URL without user info or query (they may carry credentials), for messages. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** https, or http to a loopback host (tests, sidecars). Returns a reason when the URL is refused. */
export function jwksUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'it is not a URL';
  }
  if (parsed.protocol === 'https:') return undefined;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol === 'http:' && loopback) return undefined;
  return 'it must use https (http only for localhost)';
}
