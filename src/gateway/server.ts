// The fastify application: health, well-known documents, and one catch-all route for deployed pipelines.
import type { IncomingMessage } from 'node:http';
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { JsonObject } from '../core/json.js';
import { PlatformError } from '../errors/index.js';
import type { TokenService, UsageRecorder } from '../security/tokens/token-service.js';
import { BodyBudget, DEFAULT_HTTP_LIMITS, serverTimeouts } from './http-limits.js';
import type { HttpLimits } from './http-limits.js';
import { createPipelineHandler } from './pipeline-handler.js';
import type { HandlerServices } from './pipeline-handler.js';
import { createRequestGuard } from './request-guard.js';
import type { GuardServices, Listener } from './request-guard.js';
import {
  answerConnect,
  bodyStreamError,
  createMethodGuard,
  mapClientError,
  noteRefusal,
  refusalOf,
} from './client-errors.js';
import { jsonResponse, mapGatewayError, refusalCode, sendMapped } from './response-mapper.js';
import { authUsageEvent, createDurableUsageHook, isDurablyRecorded } from './usage-events.js';
import { issuerPath } from '../security/tokens/metadata-document.js';

/** Everything the app needs from startGateway. */
export interface ServerServices extends GuardServices, HandlerServices {
  usage(): UsageRecorder | null;
  tokens(): TokenService | null;
  /** Readiness: store reachable and keys loaded. */
  ready(): Promise<{ ok: boolean; checks: JsonObject }>;
  publicUrl(): string;
  /** True once a graceful shutdown has started. */
  closing(): boolean;
  /** Durable usage recording: answer only once the request's usage events are committed. */
  readonly durableUsage?: boolean;
}

/** Pino options that never log a credential: headers are not logged, query strings are cut. */
export function loggerOptions(base: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    level: 'info',
    ...base,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.apikey',
        'req.headers.cookie',
        'headers.authorization',
        'headers.apikey',
      ],
      censor: '***',
    },
    serializers: {
      req: (r: { method?: string; url?: string; ip?: string }) => ({
        method: r.method,
        path: (r.url ?? '').split('?')[0],
        remoteAddress: r.ip,
      }),
    },
  };
}

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Bytes each request holds in its listener's BodyBudget, returned when the request ends. */
const held = new WeakMap<IncomingMessage, { budget: BodyBudget; bytes: number }>();

/** Returns the body bytes a request held (on response, abort or error; idempotent). */
export function releaseBody(raw: IncomingMessage): void {
  const h = held.get(raw);
  if (!h) return;
  held.delete(raw);
  h.budget.give(h.bytes);
}

/** Reads the request body as a Buffer, refusing more than the route's limit or the listener's budget. */
function collectBody(
  req: { pg: { served: { trigger: { maxRequestBytes: number } } } | null },
  payload: IncomingMessage,
  budget: BodyBudget,
): Promise<Buffer> {
  const limit = req.pg?.served.trigger.maxRequestBytes ?? 1024 * 1024;
  const h = { budget, bytes: 0 };
  held.set(payload, h);
  // A client that goes away before its response returns the bytes (no onResponse then). Only a
  // request with a body holds bytes, so only such a request gets this listener (a fastify
  // onRequestAbort hook would add one to every request).
  payload.on('close', () => {
    if (payload.aborted) releaseBody(payload);
  });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (err: PlatformError): void => {
      // Stop reading: the answer goes out with `Connection: close` and the rest is never buffered.
      payload.removeAllListeners('data');
      payload.pause();
      reject(err);
    };
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop(new PlatformError('ERR_GATEWAY_PAYLOAD_TOO_LARGE'));
      if (!budget.take(chunk.length)) return stop(new PlatformError('ERR_GATEWAY_BUSY'));
      h.bytes += chunk.length;
      chunks.push(chunk);
    });
    payload.on('end', () => resolve(Buffer.concat(chunks)));
    payload.on('error', (err) => reject(bodyStreamError(err)));
  });
}

/**
 * Headers every response of every listener carries (issue 10 item 12), and `Connection: close` on
 * the responses sent once `closing()` holds (graceful shutdown: keep-alive clients do not hold the
 * server open once the last request has finished).
 */
export function addSecurityHeaders(app: FastifyInstance, closing?: () => boolean): void {
  // One onSend hook for both (a promise per request each). It stays async: in callback style
  // (`done(null, payload)`) — and equally with no onSend hook at all, the header set in onRequest —
  // a keep-alive connection whose request was refused before its body was read got a response
  // framed wrongly ("Data after Connection: close" in the client; test/fuzz/fuzz.test.ts, seed
  // 20261201). onRequest and onResponse hooks are callback style (no promise per request).
  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    if (closing?.() === true) reply.header('connection', 'close');
  });
}

/** Builds (does not start) the application, in the named steps below. */
export function buildServer(
  s: ServerServices,
  logger: FastifyServerOptions['logger'],
  trustProxy: boolean | number | string = false,
  listener: Listener = 'external',
  limits: HttpLimits = DEFAULT_HTTP_LIMITS,
): FastifyInstance {
  const budget = new BodyBudget(limits.maxBodyBytesInFlight);
  const app = Fastify({
    ...serverTimeouts(limits),
    logger,
    // Fastify accepts boolean, hop count or address list at run time; its overloads cannot resolve a
    // union of the three, so the type is narrowed here only for overload selection.
    trustProxy: trustProxy as boolean,
    logController: new LogController({ disableRequestLogging: true }),
    exposeHeadRoutes: false,
    return503OnClosing: true,
    bodyLimit: 100 * 1024 * 1024,
  });
  app.decorateRequest('pg', null);
  answerConnect(app.server);
  app.addHook(
    'onRequest',
    createMethodGuard(() => s.deployments),
  );
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (req: FastifyRequest, payload: IncomingMessage) =>
    collectBody(req, payload, budget),
  );
  addSecurityHeaders(app, () => s.closing());

  registerHealthAndWellKnown(app, s);
  registerPipelineRoutes(app, s, listener);
  registerErrorHandlers(app);
  registerResponseHooks(app, s);
  return app;
}

/** Health and readiness, the JWKS and the RFC 8414 metadata (bare and path-aware). */
function registerHealthAndWellKnown(app: FastifyInstance, s: ServerServices): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const r = await s.ready();
    return reply
      .code(r.ok ? 200 : 503)
      .send({ status: r.ok ? 'ready' : 'unavailable', checks: r.checks });
  });
  app.get('/.well-known/jwks.json', async (_req, reply) => {
    const tokens = s.tokens();
    if (!tokens) return sendMapped(reply, jsonResponse(503, { message: 'Service Unavailable' }));
    return reply.header('cache-control', 'public, max-age=60').send(await tokens.jwks());
  });
  app.get('/.well-known/oauth-authorization-server', async (_req, reply) => {
    const tokens = s.tokens();
    if (!tokens) return sendMapped(reply, jsonResponse(503, { message: 'Service Unavailable' }));
    return reply.send(tokens.metadataDocument(s.publicUrl()));
  });
  // RFC 8414 §3: an issuer with a path (…/realms/local) has its metadata at the well-known path
  // followed by the issuer's path; clients such as oauth4webapi and Spring fetch this one.
  app.get('/.well-known/oauth-authorization-server/*', async (req, reply) => {
    const tokens = s.tokens();
    if (!tokens) return sendMapped(reply, jsonResponse(503, { message: 'Service Unavailable' }));
    const suffix = `/${(req.params as { '*': string })['*']}`;
    if (suffix !== issuerPath(tokens.issuer))
      return sendMapped(reply, jsonResponse(404, { message: 'Not Found' }));
    return reply.send(tokens.metadataDocument(s.publicUrl()));
  });
}

/** Every other path: the request guard (route, method, size, credentials, quota), then the pipeline. */
function registerPipelineRoutes(app: FastifyInstance, s: ServerServices, listener: Listener): void {
  const guard = createRequestGuard(s, listener);
  app.route({
    method: [...ALL_METHODS],
    url: '/*',
    onRequest: guard,
    handler: createPipelineHandler(s),
  });
  app.route({
    method: [...ALL_METHODS],
    url: '/',
    onRequest: guard,
    handler: createPipelineHandler(s),
  });
}

/** 404 for unknown paths; client errors as 4xx without a stack; everything else mapped, defects logged. */
function registerErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((_req, reply) =>
    sendMapped(reply, jsonResponse(404, { message: 'Not Found' })),
  );
  app.setErrorHandler((err, req, reply) => {
    const key = req.pg?.executionKey;
    const client = mapClientError(err);
    if (client) {
      // One info line, no stack: on pipeline paths the access line below carries the code.
      if (req.pg) noteRefusal(req, client.code);
      else req.log.info({ code: client.code, method: req.method }, 'request refused');
      return sendMapped(reply, client.response, req.pg?.headers ?? {});
    }
    const mapped = mapGatewayError(err);
    if (mapped.status >= 500) req.log.error({ executionKey: key, err }, 'request failed');
    else
      req.log.info({ executionKey: key, code: (err as { code?: string }).code }, 'request refused');
    const code = (err as { code?: string }).code;
    const close: Record<string, string> =
      mapped.status === 413 || code === 'ERR_GATEWAY_BUSY' ? { connection: 'close' } : {};
    return sendMapped(reply, mapped, { ...(req.pg?.headers ?? {}), ...close });
  });
}

/** Durable usage, and the access line + usage event per response. */
function registerResponseHooks(app: FastifyInstance, s: ServerServices): void {
  if (s.durableUsage)
    app.addHook(
      'onSend',
      createDurableUsageHook(() => s.usage()),
    );
  const afterResponse = (req: FastifyRequest, reply: FastifyReply): void => {
    releaseBody(req.raw);
    const st = req.pg;
    if (!st) return;
    const latencyMs = Math.round((performance.now() - st.started) * 1000) / 1000;
    req.log.info(
      {
        executionKey: st.executionKey,
        method: req.method,
        path: st.path,
        route: st.route,
        pipeline: st.served.key,
        status: reply.statusCode,
        code: refusalOf(req) ?? refusalCode(reply.statusCode, st.executed === true),
        reason: st.decision?.reason ?? undefined,
        ms: latencyMs,
      },
      'request completed',
    );
    s.monitor?.()?.requestDone(st.served.pipeline.name, reply.statusCode, latencyMs / 1000);
    const d = st.decision;
    if (!d || isDurablyRecorded(req)) return;
    s.usage()?.record(authUsageEvent(req, st, d, reply.statusCode, latencyMs));
  };
  app.addHook('onResponse', (req, reply, done) => {
    afterResponse(req, reply);
    done();
  });
}
