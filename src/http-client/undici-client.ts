// The OutboundHttp service on undici: pooled agents per TLS identity, egress-pinned DNS, manual redirects.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Agent, type Dispatcher } from 'undici';
import { PlatformError, isPlatformError } from '../errors/index.js';
import {
  EgressPolicy,
  egressLookup,
  normalizeHost,
  type ResolveAll,
} from '../security/egress/index.js';
import { classifyError, originOf } from './http-errors.js';
import type {
  OutboundHttp,
  OutboundRequest,
  OutboundResponse,
  TlsOptions,
} from './outbound-http.js';
import { readBody } from './read-body.js';

/** Options of the service. */
export interface OutboundHttpOptions {
  /** Destinations opened beyond the default policy (`--allow-egress`). */
  policy?: EgressPolicy;
  /** Name resolution (tests give names private addresses without touching DNS). */
  resolveAll?: ResolveAll;
  /** Idle keep-alive time of pooled connections (default 4 s, below common server timeouts of 5 s). */
  keepAliveTimeoutMs?: number;
  /** Most connections per origin and agent (default unlimited, like undici). */
  connectionsPerOrigin?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ALWAYS_STRIPPED = ['authorization', 'cookie', 'proxy-authorization'];
const MAX_AGENTS = 64;

/** Creates the process-wide outbound client. */
export function createOutboundHttp(options: OutboundHttpOptions = {}): OutboundHttp {
  const policy = options.policy ?? new EgressPolicy();
  const lookup = egressLookup(policy, options.resolveAll);
  const agents = new Map<string, Agent>();

  /** One agent per (connect timeout, TLS identity): the pool is reused across executions. */
  function agentFor(connectTimeoutMs: number, tls: TlsOptions | undefined): Agent {
    const id = `${connectTimeoutMs}|${tls ? createHash('sha256').update(JSON.stringify(tls)).digest('base64url') : ''}`;
    let agent = agents.get(id);
    if (agent) return agent;
    if (agents.size >= MAX_AGENTS) {
      const [oldId, old] = agents.entries().next().value as [string, Agent];
      agents.delete(oldId);
      void old.close();
    }
    agent = new Agent({
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
      connections: options.connectionsPerOrigin ?? null,
      connect: {
        timeout: connectTimeoutMs,
        lookup,
        ...(tls?.cert ? { cert: tls.cert } : {}),
        ...(tls?.key ? { key: tls.key } : {}),
        ...(tls?.passphrase ? { passphrase: tls.passphrase } : {}),
        ...(tls?.ca ? { ca: [...rootCertificates, tls.ca] } : {}),
      },
    });
    agents.set(id, agent);
    return agent;
  }

  /** Parses (unless given a URL) and checks one hop's URL: http(s) only, IP literals judged here (sockets skip lookup for them). */
  function checkUrl(raw: string | URL): URL {
    let url: URL;
    if (raw instanceof URL) url = raw;
    else {
      try {
        url = new URL(raw);
      } catch (err) {
        throw new PlatformError(
          'ERR_HTTP_URL',
          { url: '(not a URL)', reason: 'it is not an absolute URL' },
          { cause: err },
        );
      }
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new PlatformError('ERR_HTTP_URL', {
        url: originOf(url),
        reason: 'only http and https are supported',
      });
    }
    if (url.username || url.password) {
      throw new PlatformError('ERR_HTTP_URL', {
        url: originOf(url),
        reason: 'credentials in the URL are refused; use an account',
      });
    }
    const host = normalizeHost(url.hostname);
    if (isIP(host)) policy.check(host, host);
    return url;
  }

  async function send(req: OutboundRequest): Promise<OutboundResponse> {
    let url = checkUrl(req.url);
    // URL#origin builds a new string on every read: once per hop.
    let origin = url.origin;
    const first = origin;
    let method = req.method.toUpperCase();
    let body = req.body;
    const headers = withDefaults(req.headers);
    const dispatcher = agentFor(req.connectTimeoutMs, req.tls);
    for (let hop = 0; ; hop++) {
      let res: Dispatcher.ResponseData;
      try {
        res = await dispatcher.request({
          origin,
          path: `${url.pathname}${url.search}`,
          method: method as Dispatcher.HttpMethod,
          headers,
          body,
          signal: req.signal,
          headersTimeout: req.readTimeoutMs,
          bodyTimeout: req.readTimeoutMs,
        });
      } catch (err) {
        throw classifyError(err, url, req);
      }
      const location = res.headers.location;
      if (REDIRECTS.has(res.statusCode) && req.maxRedirects > 0 && typeof location === 'string') {
        await res.body.dump().catch(() => undefined);
        if (hop >= req.maxRedirects)
          throw new PlatformError('ERR_HTTP_TOO_MANY_REDIRECTS', {
            limit: req.maxRedirects,
            origin,
          });
        let next: URL;
        try {
          next = new URL(location, url);
        } catch (err) {
          throw new PlatformError(
            'ERR_HTTP_URL',
            { url: '(redirect target)', reason: 'the Location header is not a URL' },
            { cause: err },
          );
        }
        url = checkUrl(next.href);
        origin = url.origin;
        // RFC 9110 §15.4: 303 becomes GET; 301/302 after POST do too (what every client does).
        if (
          res.statusCode === 303 ||
          ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')
        ) {
          if (method !== 'HEAD') method = 'GET';
          body = undefined;
          delete headers['content-type'];
          delete headers['content-length'];
        }
        if (origin !== first)
          for (const name of [
            ...ALWAYS_STRIPPED,
            ...(req.credentialHeaders ?? []).map((h) => h.toLowerCase()),
          ])
            delete headers[name];
        continue;
      }
      try {
        const data = await readBody(res, req.maxResponseBytes, origin);
        return {
          status: res.statusCode,
          headers: flatHeaders(res.headers),
          body: data,
          url: url.href,
        };
      } catch (err) {
        throw isPlatformError(err) ? err : classifyError(err, url, req);
      }
    }
  }

  return {
    policy,
    request: send,
    async close() {
      const all = [...agents.values()];
      agents.clear();
      await Promise.all(all.map((a) => a.close().catch(() => undefined)));
    },
  };
}

function withDefaults(given: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) out[name.toLowerCase()] = value;
  out['accept-encoding'] ??= 'gzip, deflate, br';
  return out;
}

function flatHeaders(
  h: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(h)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] =
      Array.isArray(value) && name.toLowerCase() !== 'set-cookie' ? value.join(', ') : value;
  }
  return out;
}
