// OAuth 2.0 client-credentials tokens (RFC 6749 §4.4): fetched once, shared by executions, renewed before expiry.
import { createHash } from 'node:crypto';
import type { AccountValue } from '../../core/account-types.js';
import { isJsonObject } from '../../core/json.js';
import { PlatformError, isPlatformError } from '../../errors/index.js';
import type { OutboundHttp } from '../../http-client/index.js';

type ClientCredentials = Extract<AccountValue, { type: 'oauth-client-credentials' }>;

interface Entry {
  token?: string;
  /** Epoch ms after which the token is not used any more (a margin before its real expiry). */
  renewAt: number;
  inflight?: Promise<string>;
}

/** Lifetime assumed when the token endpoint omits `expires_in`. */
const DEFAULT_LIFETIME_SEC = 300;
const MAX_ENTRIES = 1000;

/**
 * Tokens per (token URL, client, scopes, audience), shared by every execution of the process. One
 * request per client at a time (concurrent executions wait for the same one). A token is renewed
 * 60 s before expiry, or at 90 % of a lifetime shorter than 10 minutes. The cache key is a digest:
 * the secret itself is not kept as a map key.
 */
export class OAuthTokenCache {
  private readonly entries = new Map<string, Entry>();
  /** Token requests made (observability and tests). */
  requests = 0;

  /** A valid access token for the account. */
  async token(http: OutboundHttp, label: string, account: ClientCredentials, now: number): Promise<string> {
    const key = cacheKey(account);
    let entry = this.entries.get(key);
    if (entry?.token && now < entry.renewAt) return entry.token;
    if (!entry) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      entry = { renewAt: 0 };
      this.entries.set(key, entry);
    }
    if (entry.inflight) return entry.inflight;
    const target = entry;
    target.inflight = this.fetchToken(http, label, account)
      .then(({ token, lifetimeSec }) => {
        const margin = lifetimeSec >= 600 ? 60 : lifetimeSec * 0.1;
        target.token = token;
        target.renewAt = now + (lifetimeSec - margin) * 1000;
        return token;
      })
      .finally(() => {
        target.inflight = undefined;
      });
    return target.inflight;
  }

  /** Forgets `token` after the API refused it (401), unless a newer one already replaced it. */
  invalidate(account: ClientCredentials, token: string): void {
    const entry = this.entries.get(cacheKey(account));
    if (entry?.token === token) {
      entry.token = undefined;
      entry.renewAt = 0;
    }
  }

  private async fetchToken(http: OutboundHttp, label: string, a: ClientCredentials): Promise<{ token: string; lifetimeSec: number }> {
    this.requests += 1;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (a.scopes) form.set('scope', a.scopes.split(/[\s,]+/).filter(Boolean).join(' '));
    if (a.audience) form.set('audience', a.audience);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (a.clientAuth === 'post') {
      form.set('client_id', a.clientId);
      form.set('client_secret', a.clientSecret);
    } else {
      // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
      const user = `${encodeURIComponent(a.clientId)}:${encodeURIComponent(a.clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(user).toString('base64')}`;
    }
    const failed = (reason: string, cause?: unknown): PlatformError => new PlatformError('ERR_HTTP_OAUTH_TOKEN', { label, reason }, { cause });
    let res;
    try {
      // Not tied to one execution's signal: other executions may be waiting on this request.
      res = await http.request({
        url: a.tokenUrl,
        method: 'POST',
        headers,
        body: form.toString(),
        connectTimeoutMs: 5_000,
        readTimeoutMs: 10_000,
        maxResponseBytes: 64 * 1024,
        maxRedirects: 0,
      });
    } catch (err) {
      if (isPlatformError(err) && err.code === 'ERR_EGRESS_DENIED') throw err;
      throw failed(isPlatformError(err) ? err.message : 'the token endpoint cannot be reached', err);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(res.body.toString('utf8'));
    } catch {
      doc = undefined;
    }
    if (res.status !== 200) {
      // RFC 6749 §5.2 error codes are safe to show; descriptions might echo input, so they are left out.
      const code = isJsonObject(doc) && typeof doc.error === 'string' ? ` (${doc.error.slice(0, 64)})` : '';
      throw failed(`the token endpoint answered HTTP ${res.status}${code}`);
    }
    if (!isJsonObject(doc) || typeof doc.access_token !== 'string' || doc.access_token === '') throw failed('the answer has no access_token');
    if (typeof doc.token_type === 'string' && doc.token_type.toLowerCase() !== 'bearer') throw failed(`token_type "${doc.token_type.slice(0, 32)}" is not Bearer`);
    const expires = typeof doc.expires_in === 'number' ? doc.expires_in : typeof doc.expires_in === 'string' ? Number(doc.expires_in) : NaN;
    return { token: doc.access_token, lifetimeSec: Number.isFinite(expires) && expires > 0 ? expires : DEFAULT_LIFETIME_SEC };
  }
}

function cacheKey(a: ClientCredentials): string {
  return createHash('sha256').update(JSON.stringify([a.tokenUrl, a.clientId, a.clientSecret, a.scopes ?? '', a.audience ?? '', a.clientAuth ?? 'basic'])).digest('base64url');
}

/** The process-wide cache used by the connector. */
export const sharedOAuthTokens = new OAuthTokenCache();
