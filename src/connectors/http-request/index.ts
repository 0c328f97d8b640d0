// http-request: calls an external HTTP API through the host's pooled, egress-checked client (SPEC §5, issue 13).
import { setTimeout as sleep } from 'node:timers/promises';
import type { AccountResolver } from '../../core/account-types.js';
import { defineConnector } from '../../core/connector.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import type { StepContext } from '../../core/step-context.js';
import { PlatformError, isPlatformError } from '../../errors/index.js';
import type { OutboundHttp, OutboundResponse } from '../../http-client/index.js';
import { buildBody, buildHeaders, buildUrl } from './build-request.js';
import { sharedOAuthTokens } from './oauth-token-cache.js';
import { HTTP_DEFAULTS, httpRequestParameters, type HttpRequestParams } from './parameters.js';
import { resolveAuth, type RequestAuth } from './request-auth.js';
import { backoffMs, retryAfterMs, shouldRetryError, shouldRetryStatus } from './retry-policy.js';
import { responseOutput } from './response-output.js';

declare module '../../core/step-context.js' {
  interface HostServices {
    /** Pooled outbound HTTP with the egress policy (the CLI and the gateway create one per process). */
    outboundHttp?: OutboundHttp;
    /** Decrypted account values by label (the accounts store). */
    accounts?: AccountResolver;
  }
}

const ACCOUNT_PARAMS = ['account', 'tlsAccount', 'tlsKeyAccount', 'caAccount'] as const;

/** Sends with retries and the one OAuth refresh on 401; returns the final answer. */
async function exchange(
  ctx: StepContext,
  http: OutboundHttp,
  p: HttpRequestParams,
  auth: RequestAuth,
): Promise<OutboundResponse> {
  const url = buildUrl(p, auth.query);
  const headers = { ...buildHeaders(p.headers), ...auth.headers };
  const body = buildBody(p, headers);
  if (body) headers['content-type'] = body.contentType;
  // The upstream call listens on the execution's cheap abort emitter when the context has one (it
  // aborts with the same reason as ctx.signal); retry waits use the AbortSignal.
  const signal = ctx.abortEvents ?? ctx.signal;
  let refreshed = false;
  for (let attempt = 0; ; attempt++) {
    let token: string | undefined;
    if (auth.oauth) {
      token = await sharedOAuthTokens.token(
        http,
        auth.oauth.label,
        auth.oauth.account,
        ctx.clock.now(),
      );
      headers.authorization = `Bearer ${token}`;
    }
    let res: OutboundResponse;
    try {
      res = await http.request({
        url,
        method: p.method,
        headers,
        body: body?.body,
        signal,
        connectTimeoutMs: p.connectTimeoutMs,
        readTimeoutMs: p.readTimeoutMs,
        maxResponseBytes: p.maxResponseBytes,
        maxRedirects: p.followRedirects ? HTTP_DEFAULTS.maxRedirects : 0,
        tls: auth.tls,
        credentialHeaders: auth.credentialHeaders,
      });
    } catch (err) {
      if (
        signal.aborted ||
        !isPlatformError(err) ||
        attempt >= p.retries ||
        !shouldRetryError(err, p.method)
      )
        throw err;
      await sleep(backoffMs(attempt, ctx.clock.random), undefined, { signal: ctx.signal });
      continue;
    }
    // RFC 6750 §3.1: a 401 may mean the cached token was revoked early; fetch a new one, once.
    if (res.status === 401 && auth.oauth && token !== undefined && !refreshed) {
      refreshed = true;
      sharedOAuthTokens.invalidate(auth.oauth.account, token);
      attempt--;
      continue;
    }
    if (attempt < p.retries && shouldRetryStatus(res.status, p.method)) {
      const asked = retryAfterMs(res.headers['retry-after'], ctx.clock.now());
      if (asked === undefined || asked <= HTTP_DEFAULTS.maxRetryDelayMs) {
        await sleep(asked ?? backoffMs(attempt, ctx.clock.random), undefined, {
          signal: ctx.signal,
        });
        continue;
      }
    }
    return res;
  }
}

/** The `http-request` connector. */
export const httpRequest = defineConnector<HttpRequestParams>({
  type: 'http-request',
  version: 1,
  title: 'HTTP Request',
  category: 'web',
  summary:
    'Calls an external HTTP API and outputs `{ status, headers, body }` (JSON bodies parsed). Authentication from accounts (Basic, bearer, API key, custom header, OAuth 2.0 client credentials with a shared token cache, mTLS); pooled keep-alive connections shared by executions; connect and read timeouts, redirects, retries with backoff, a response size cap. Destinations pass the egress policy: loopback, private, link-local (169.254.169.254) and unique-local addresses are refused unless opened with `--allow-egress` (docs/egress.md). A 4xx/5xx answer is an output when `failOnError` is false (the default) and ERR_HTTP_STATUS when true.',
  failOnErrorDefault: false,
  parameters: httpRequestParameters,
  prepare(params, ctx) {
    for (const name of ACCOUNT_PARAMS) {
      const label = params[name];
      if (typeof label === 'string') ctx.useAccount?.(label);
    }
    return undefined;
  },
  async run(ctx, { params, failOnError }) {
    const http = ctx.host.outboundHttp;
    if (!http) throw new PlatformError('ERR_HTTP_UNAVAILABLE');
    const labels = {
      account: params.account,
      tlsAccount: params.tlsAccount,
      tlsKeyAccount: params.tlsKeyAccount,
      caAccount: params.caAccount,
    };
    let auth: RequestAuth = { headers: {}, query: [], credentialHeaders: [] };
    if (ACCOUNT_PARAMS.some((name) => params[name] !== undefined)) {
      if (!ctx.host.accounts)
        throw new PlatformError(
          'ERR_HTTP_UNAVAILABLE',
          {},
          {
            message:
              'Accounts are not available in this host; http-request cannot resolve its account',
          },
        );
      auth = await resolveAuth(ctx.host.accounts, labels);
    }
    const res = await exchange(ctx, http, params, auth);
    if (failOnError && res.status >= 400) {
      const u = new URL(res.url);
      throw new PlatformError('ERR_HTTP_STATUS', {
        method: params.method,
        origin: u.origin,
        path: u.pathname,
        status: res.status,
      });
    }
    return responseOutput(res, params.method, params.responseFormat);
  },
  errorOutput(error: PlatformError): JsonValue {
    const out: JsonObject = {
      success: false,
      message: 'http-request failed',
      error: error.message,
      code: error.code,
    };
    if (typeof error.details.status === 'number') out.status = error.details.status;
    return out;
  },
  example: [
    'type: http-request',
    'method: POST',
    'url: "https://api.example.com/orders/{{ message.orderId }}/notes"',
    'account: orders-api',
    'headers: { X-Request-Id: "{{ metadata.execution.key }}" }',
    'body: { text: "{{ message.note }}" }',
    'retries: 2',
  ].join('\n'),
});
