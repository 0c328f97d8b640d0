// The fastify application: health, well-known documents, and one catch-all route for deployed pipelines.
import type { IncomingMessage } from 'node:http';
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { JsonObject } from '../core/json.js';
import { PlatformError } from '../errors/index.js';
import type { TokenService, UsageRecorder } from '../security/tokens/token-service.js';
import { createPipelineHandler } from './pipeline-handler.js';
import type { HandlerServices } from './pipeline-handler.js';
import { createRequestGuard, sendMapped } from './request-guard.js';
import type { GuardServices, Listener } from './request-guard.js';
import { jsonResponse, mapGatewayError, refusalCode } from './response-mapper.js';
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

/** Reads the request body as a Buffer, refusing more than the route's limit. */
function collectBody(
  req: { pg: { served: { trigger: { maxRequestBytes: number } } } | null },
  payload: IncomingMessage,
): Promise<Buffer> {
  const limit = req.pg?.served.trigger.maxRequestBytes ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop reading: the 413 goes out with `Connection: close` and the rest is never buffered.
        payload.removeAllListeners('data');
        payload.pause();
        reject(new PlatformError('ERR_GATEWAY_PAYLOAD_TOO_LARGE'));
        return;
      }
      chunks.push(chunk);
    });
    payload.on('end', () => resolve(Buffer.concat(chunks)));
    payload.on('error', reject);
  });
}

/** Builds (does not start) the application. */
export function buildServer(
  s: ServerServices,
  logger: FastifyServerOptions['logger'],
  trustProxy: boolean | number | string = false,
  listener: Listener = 'external',
): FastifyInstance {
  const app = Fastify({
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
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (req: FastifyRequest, payload: IncomingMessage) =>
    collectBody(req, payload),
  );

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
    if (suffix !== issuerPath(tokens.issuer)) return sendMapped(reply, jsonResponse(404, { message: 'Not Found' }));
    return reply.send(tokens.metadataDocument(s.publicUrl()));
  });

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
  app.setNotFoundHandler((_req, reply) =>
    sendMapped(reply, jsonResponse(404, { message: 'Not Found' })),
  );
  app.setErrorHandler((err, req, reply) => {
    const mapped = mapGatewayError(err);
    const key = req.pg?.executionKey;
    if (mapped.status >= 500) req.log.error({ executionKey: key, err }, 'request failed');
    else
      req.log.info({ executionKey: key, code: (err as { code?: string }).code }, 'request refused');
    const close: Record<string, string> = mapped.status === 413 ? { connection: 'close' } : {};
    return sendMapped(reply, mapped, { ...(req.pg?.headers ?? {}), ...close });
  });
  // During a graceful shutdown the responses of in-flight requests close their connection, so that
  // keep-alive clients do not hold the server open once the last request has finished.
  app.addHook('onSend', async (_req, reply) => {
    if (s.closing()) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (req, reply) => {
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
        code: refusalCode(reply.statusCode, st.executed === true),
        reason: st.decision?.reason ?? undefined,
        ms: latencyMs,
      },
      'request completed',
    );
    const d = st.decision;
    if (!d) return;
    s.usage()?.record({
      time: Date.now(),
      kind: 'auth',
      outcome: d.outcome,
      reason: d.reason,
      status: reply.statusCode,
      latencyMs,
      clientIp: req.ip,
      userAgent:
        typeof req.headers['user-agent'] === 'string'
          ? req.headers['user-agent'].slice(0, 512)
          : null,
      route: st.route,
      pipeline: st.served.pipeline.name,
      executionKey: st.executionKey,
      ...d.facts,
    });
  });
  return app;
}
