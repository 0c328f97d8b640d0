// Everything decided before the body is read: route, method, CORS preflight, size, authentication, quota.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { uuidv7 } from '../core/time-ordered-id.js';
import { authenticate, readCredentials } from './auth/authenticate.js';
import type { AuthServices } from './auth/authenticate.js';
import { rateLimitUnavailable, rateLimited, unavailable } from './auth/denials.js';
import type { Denial } from './auth/denials.js';
import { corsHeaders, isPreflight, preflightHeaders } from './cors.js';
import type { DeploymentSet } from './deployments/deployment-set.js';
import { clientKey } from './rate-limiter.js';
import type { RateLimitCheck } from './rate-limiter.js';
import { jsonResponse, sendMapped } from './response-mapper.js';
import { RequestState } from './request-state.js';
import { verifyDpopProof } from '../security/dpop/index.js';
import { PlatformError } from '../errors/index.js';

/** Which listener a request came in on (trigger `externalApi` / `internalApi`). */
export type Listener = 'external' | 'internal';

/** What the guard needs from the server. */
export interface GuardServices {
  deployments: DeploymentSet;
  limiter: RateLimitCheck;
  /** Null until the token service is ready (then every protected route answers 503). */
  auth(): AuthServices | null;
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

/**
 * A `DPoP` proof on a route that takes no token (a login pipeline, RFC 9449 §5): validated for this
 * method and URL; its key thumbprint goes to the jwt connector, which binds the token it mints. An
 * invalid proof is refused like at the token endpoint (400 invalid_dpop_proof).
 */
async function loginProof(
  s: GuardServices,
  st: RequestState,
  req: FastifyRequest,
): Promise<Denial | null> {
  const services = s.auth();
  if (!services) return unavailable('starting');
  const d = services.dpop;
  let r;
  try {
    r = await verifyDpopProof({
      header: req.headers.dpop,
      method: req.method,
      url: `${d.publicUrl()}${st.path}`,
      nowSec: d.nowSec(),
      leewaySec: d.leewaySec,
      replay: d.replay,
      nonces: d.nonces,
    });
  } catch {
    return unavailable('replay_cache_unavailable');
  }
  if (r.ok) {
    st.dpopJkt = r.jkt;
    return null;
  }
  // RFC 9449 §8: a missing or stale nonce is `use_dpop_nonce` with a fresh one (added by the guard).
  return {
    status: 400,
    body: {
      message: 'Bad Request',
      error: r.code === 'ERR_DPOP_USE_NONCE' ? 'use_dpop_nonce' : 'invalid_dpop_proof',
      error_description: new PlatformError(r.code, r.details).message,
      code: r.code,
    },
    headers: {},
    reason: r.code.slice(4).toLowerCase(),
  };
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
    const executionKey = uuidv7();
    const headers: Record<string, string> = t.cors ? corsHeaders(t.cors, origin) : {};
    headers['X-Pipegate-Execution-Key'] = executionKey;
    // RFC 9449 §8.2, §9: every answer to a DPoP request (login or protected) carries the current nonce.
    if (req.headers.dpop !== undefined) {
      const nonces = s.auth()?.dpop.nonces;
      if (nonces) headers['DPoP-Nonce'] = nonces.current();
    }
    const st = new RequestState({
      served,
      route: match.entry.pattern,
      path,
      rawQuery: q === -1 ? '' : url.slice(q + 1),
      params: match.params,
      executionKey,
      started: performance.now(),
      headers,
    });
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
        deny(reply, st, unavailable('starting'));
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
        { method: req.method, path },
      );
      if (decision && !decision.ok) {
        st.deny(decision.facts, decision.denial.reason);
        deny(reply, st, decision.denial);
        return reply;
      }
      if (decision?.ok) st.allow(decision.facts, decision.info, decision.bearerToken);
    }
    if (t.rateLimit) {
      const r = await s.limiter.check(t.rateLimit, rateSubject(st, req.ip));
      Object.assign(st.headers, r.headers);
      if (r.unavailable) {
        if (st.decision) st.deny(st.decision.facts, 'rate_limit_unavailable');
        deny(reply, st, rateLimitUnavailable());
        return reply;
      }
      if (!r.allowed) {
        st.rateLimited();
        deny(reply, st, rateLimited({}));
        return reply;
      }
    }
    if (!t.auth.jwt && req.headers.dpop !== undefined) {
      const refused = await loginProof(s, st, req);
      if (refused) {
        deny(reply, st, refused);
        return reply;
      }
    }
  };
}
