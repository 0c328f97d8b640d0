// Admin API of anomalies: GET /admin/anomalies, GET /admin/anomalies/{id}, POST /admin/anomalies/{id}/ack|resolve.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PlatformError } from '../../errors/index.js';
import { anomalyJson, parseAnomalyFilters } from '../../monitoring/anomalies/index.js';
import type { AnomalyFilterText } from '../../monitoring/anomalies/index.js';
import type { Store } from '../../store/store.js';
import { actorOf } from '../../console/audit.js';
import type { ConsoleEvents } from '../../console/event-hub.js';

/** The admin's username from the (already verified) Basic credential: who acknowledged or resolved. */
function adminName(req: FastifyRequest): string | null {
  const m = /^Basic +([A-Za-z0-9+/]+={0,2})$/i.exec(req.headers.authorization ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon > 0 ? `admin:${text.slice(0, colon)}` : null;
}

/** Registers the anomaly routes on the admin plugin (inherits its authentication and error handler). */
export function registerAnomalyRoutes(
  admin: FastifyInstance,
  t: { store: Store; environment: string },
  events?: ConsoleEvents,
): void {
  admin.get<{ Querystring: AnomalyFilterText }>('/anomalies', async (req) => {
    const { anomalies, nextCursor } = await t.store.anomalies.list(
      t.environment,
      parseAnomalyFilters(req.query),
    );
    return { environment: t.environment, anomalies: anomalies.map(anomalyJson), nextCursor };
  });
  admin.get<{ Params: { id: string } }>('/anomalies/:id', async (req) => {
    const a = await t.store.anomalies.get(t.environment, req.params.id);
    if (!a)
      throw new PlatformError('ERR_ANOMALY_NOT_FOUND', {
        id: req.params.id,
        environment: t.environment,
      });
    return { environment: t.environment, anomaly: anomalyJson(a) };
  });
  for (const [verb, status] of [
    ['ack', 'acknowledged'],
    ['resolve', 'resolved'],
  ] as const) {
    admin.post<{ Params: { id: string } }>(`/anomalies/:id/${verb}`, async (req) => {
      const a = await t.store.anomalies.setStatus(
        t.environment,
        req.params.id,
        status,
        actorOf(req) ?? adminName(req),
      );
      if (!a)
        throw new PlatformError('ERR_ANOMALY_NOT_FOUND', {
          id: req.params.id,
          environment: t.environment,
        });
      const json = anomalyJson(a);
      // Live consoles show the new status at once.
      events?.publish('anomaly', json);
      return { environment: t.environment, anomaly: json };
    });
  }
}
