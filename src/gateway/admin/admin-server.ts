// The admin listener: its own fastify app serving /admin/* (and later /metrics, the console) only.
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { serverTimeouts } from '../http-limits.js';
import type { HttpLimits } from '../http-limits.js';
import { addSecurityHeaders } from '../server.js';
import { registerAdminRoutes } from './admin-routes.js';
import type { AdminServices } from './admin-routes.js';

/**
 * Builds (does not start) the admin application. It binds 127.0.0.1:8081 by default, apart from the
 * public listener (where /admin answers 404), so that exposing the gateway does not expose the
 * admin API; everything not under /admin is 404.
 */
export function buildAdminServer(
  s: AdminServices,
  logger: FastifyServerOptions['logger'],
  trustProxy: boolean | number | string,
  limits: HttpLimits,
): FastifyInstance {
  const app = Fastify({
    ...serverTimeouts(limits),
    logger,
    trustProxy: trustProxy as boolean,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  addSecurityHeaders(app);
  registerAdminRoutes(app, s);
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ message: 'Not Found' }));
  return app;
}
