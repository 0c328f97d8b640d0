// A minimal `fetch` over OutboundHttp, for code written against fetch (JWKS downloads) that must obey the egress policy.
import type { OutboundHttp } from './outbound-http.js';

/** Limits of requests made through the adapter (JWKS-sized). */
const LIMITS = { connectTimeoutMs: 5_000, readTimeoutMs: 10_000, maxResponseBytes: 1024 * 1024 };

/**
 * `fetch(url, { method, headers, signal, redirect })` answered by `http`: the destination and every
 * redirect pass its egress policy; `redirect: 'error'` follows none (the 3xx is returned).
 */
export function fetchThrough(http: OutboundHttp): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    const res = await http.request({
      url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      method: init?.method ?? 'GET',
      headers,
      signal: init?.signal ?? undefined,
      maxRedirects: init?.redirect === 'error' || init?.redirect === 'manual' ? 0 : 5,
      ...LIMITS,
    });
    const out = new Headers();
    for (const [name, value] of Object.entries(res.headers)) out.set(name, Array.isArray(value) ? value.join(', ') : value);
    const empty = res.status === 204 || res.status === 304 || (res.status >= 100 && res.status < 200);
    return new Response(empty ? null : res.body, { status: res.status, headers: out });
  }) as typeof fetch;
}
