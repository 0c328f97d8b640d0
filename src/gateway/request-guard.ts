// Everything decided before the body is read: route, method, CORS preflight, size, authentication, quota.
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthInfo } from '../core/step-context.js';
import { authenticate, readCredentials } from './auth/authenticate.js';
import type { AuthServices, CredentialFacts } from './auth/authenticate.js';
import { rateLimitUnavailable, rateLimited } from './auth/denials.js';
import type { Denial } from './auth/denials.js';
import { corsHeaders, isPreflight, preflightHeaders } from './cors.js';
import type { ServedPipeline } from './deployments/compile-deployment.js';
import type { DeploymentSet } from './deployments/deployment-set.js';
import { clientKey } from './rate-limiter.js';
import type { RateLimitCheck } from './rate-limiter.js';
import { jsonResponse } from './response-mapper.js';
import type { MappedResponse } from './response-mapper.js';

/** Per-request state carried from the guard to the handler and the response hook. */
export interface RequestState {
  served: ServedPipeline;
  /** The matched route pattern (for logs and usage records). */
  route: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  executionKey: string;
  started: number;
  auth: AuthInfo | null;
  bearerToken?: string;
  /** Set when an authentication decision was taken: recorded as a usage event when the response ends. */
  decision?: { facts: CredentialFacts; outcome: 'allowed' | 'denied'; reason: string | null };
  /** Set when the pipeline ran (its result, not the gateway, decided the response). */
  executed?: boolean;
  /** Headers every response of this request carries (CORS, RateLimit-*, execution key). */
  headers: Record<string, string>;
  strip: { apiKey: boolean; authorization: boolean };
}

declare module 'fastify' {
  interface FastifyRequest {
    pg: RequestState | null;
  }
}

/** Which listener a request came in on (trigger `externalApi` / `internalApi`). */
export type Listener = 'external' | 'internal';

/** What the guard needs from the server. */
export interface GuardServices {
  deployments: DeploymentSet;
  limiter: RateLimitCheck;
  /** Null until the token service is ready (then every protected route answers 503). */
  auth(): AuthServices | null;
}

/** Sends a mapped response with extra headers. */
export function sendMapped(
  reply: FastifyReply,
  res: MappedResponse,
  extra: Record<string, string> = {},
): FastifyReply {
  return reply
    .code(res.status)
    .headers({ ...extra, ...res.headers })
    .send(res.body);
}

function deny(reply: FastifyReply, st: RequestState, d: Denial): FastifyReply {
  return sendMapped(reply, jsonResponse(d.status, d.body, d.headers), st.headers);
}

function rateSubject(st: RequestState, clientIp: string): string {
  const policy = st.served.trigger.rateLimit!;
  const f = st.decision?.facts;
  let who = `ip:${clientKey(clientIp)}`;
  if (f?.consumer) {
    who =
      policy.aggregateBy === 'credential'
        ? `cred:${f.credentialKind}:${f.credentialId ?? f.jti ?? ''}`
        : `consumer:${f.consumer}`;
  }
  return `${st.served.key}|${who}`;
}

/** The onRequest hook of the pipeline routes. Replies itself when the request stops here. */
export function createRequestGuard(s: GuardServices, listener: Listener = 'external') {
  return async function pipelineGuard(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const url = req.raw.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const match = s.deployments.table.match(path);
    const published =
      match &&
      (listener === 'external'
        ? match.entry.target.trigger.external
        : match.entry.target.trigger.internal);
    if (!match || !published) {
      sendMapped(reply, jsonResponse(404, { message: 'Not Found' }));
      return reply;
    }
    const served = match.entry.target;
    const t = served.trigger;
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    if (t.cors && isPreflight(req.method, req.headers)) {
      reply.code(204).headers(preflightHeaders(t.cors, origin)).send();
      return reply;
    }
    if (!t.methods.includes(req.method)) {
      sendMapped(reply, jsonResponse(405, { message: 'Method Not Allowed' }), {
        Allow: t.methods.join(', '),
      });
      return reply;
    }
    const executionKey = randomUUID();
    const st: RequestState = {
      served,
      route: match.entry.pattern,
      path,
      query: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
      params: match.params,
      executionKey,
      started: performance.now(),
      auth: null,
      headers: {
        ...(t.cors ? corsHeaders(t.cors, origin) : {}),
        'X-Pipegate-Execution-Key': executionKey,
      },
      strip: { apiKey: t.auth.apiKey, authorization: t.auth.basicAuth || t.auth.jwt },
    };
    req.pg = st;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > t.maxRequestBytes) {
      deny(reply, st, {
        status: 413,
        body: { message: 'Request size limit exceeded' },
        // The declared body is never read: close the connection instead of draining it.
        headers: { connection: 'close' },
        reason: 'too_large',
      });
      return reply;
    }
    if (t.auth.apiKey || t.auth.basicAuth || t.auth.jwt) {
      const services = s.auth();
      if (!services) {
        deny(reply, st, {
          status: 503,
          body: { message: 'Service Unavailable' },
          headers: {},
          reason: 'starting',
        });
        return reply;
      }
      // `?apikey=` only where the trigger opts in (issue 10 item 9: query strings reach proxy logs).
      const creds = readCredentials(
        req.headers,
        t.auth.apiKeyInQuery ? Object.fromEntries(st.query) : {},
      );
      const decision = await authenticate(
        services,
        t.auth,
        served.pipeline.name,
        creds,
        clientKey(req.ip),
      );
      if (decision && !decision.ok) {
        st.decision = { facts: decision.facts, outcome: 'denied', reason: decision.denial.reason };
        deny(reply, st, decision.denial);
        return reply;
      }
      if (decision?.ok) {
        st.auth = decision.info;
        if (decision.bearerToken !== undefined) st.bearerToken = decision.bearerToken;
        st.decision = { facts: decision.facts, outcome: 'allowed', reason: null };
      }
    }
    if (t.rateLimit) {
      const r = await s.limiter.check(t.rateLimit, rateSubject(st, req.ip));
      Object.assign(st.headers, r.headers);
      if (r.unavailable) {
        if (st.decision)
          st.decision = { ...st.decision, outcome: 'denied', reason: 'rate_limit_unavailable' };
        deny(reply, st, rateLimitUnavailable());
        return reply;
      }
      if (!r.allowed) {
        if (st.decision)
          st.decision = { ...st.decision, outcome: 'denied', reason: 'rate_limited' };
        deny(reply, st, rateLimited({}));
        return reply;
      }
    }
  };
}
