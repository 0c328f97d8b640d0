// The admin listener: its own fastify app serving /admin/*, /metrics and the console (/console) only.
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { serverTimeouts } from '../http-limits.js';
import type { HttpLimits } from '../http-limits.js';
import { addSecurityHeaders } from '../server.js';
import { registerConsoleApi } from '../../console/console-api.js';
import { ConsoleSessions } from '../../console/console-session.js';
import type { ConsoleSessionOptions } from '../../console/console-session.js';
import { registerConsoleStatic } from '../../console/static-assets.js';
import { checkAdminCredential, crossSiteRefusal, registerAdminRoutes } from './admin-routes.js';
import type { AdminServices } from './admin-routes.js';

/**
 * Builds (does not start) the admin application. It binds 127.0.0.1:8081 by default, apart from the
 * public listener (where /admin and /console answer 404), so that exposing the gateway does not
 * expose the admin API or the console; everything else is 404.
 */
export function buildAdminServer(
  s: AdminServices,
  logger: FastifyServerOptions['logger'],
  trustProxy: boolean | number | string,
  limits: HttpLimits,
  consoleSession: ConsoleSessionOptions = {},
): FastifyInstance {
  const app = Fastify({
    ...serverTimeouts(limits),
    logger,
    trustProxy: trustProxy as boolean,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  addSecurityHeaders(app);
  const sessions = (s.sessions ??= new ConsoleSessions(consoleSession));
  registerAdminRoutes(app, s);
  registerConsoleApi(app, {
    sessions,
    audit: {
      store: s.target.store,
      environment: s.target.environment,
      onError: (err) =>
        app.log.error({ code: (err as { code?: string }).code }, 'audit entry cannot be written'),
    },
    checkCredential: (ip, c) => checkAdminCredential(s, ip, c),
    crossSiteRefusal,
  });
  registerConsoleStatic(app);
  if (s.events) {
    const events = s.events;
    // Live streams never end by themselves: end them so that close() does not wait for them.
    app.addHook('preClose', async () => events.close());
  }
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ message: 'Not Found' }));
  return app;
}
