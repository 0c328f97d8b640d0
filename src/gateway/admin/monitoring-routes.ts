// Admin API monitoring routes (executions, logs, token usage) and GET /metrics, behind the admin credential.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayMetrics } from '../../monitoring/metrics.js';
import {
  listExecutions,
  listLogs,
  listUsage,
  showExecution,
} from '../../monitoring/monitoring-reader.js';
import type { FilterInput } from '../../monitoring/monitoring-filters.js';
import type { Store } from '../../store/store.js';

/** What the monitoring routes read. */
export interface MonitoringRouteServices {
  store: Store;
  environment: string;
  metrics: GatewayMetrics;
}

/** Query-string values as filter input: repeated parameters keep their last value. */
function filters(req: FastifyRequest): FilterInput {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    const value = Array.isArray(v) ? v[v.length - 1] : v;
    if (typeof value === 'string') out[k] = value;
  }
  return out;
}

/**
 * Registers, inside the authenticated `/admin` scope: `GET /executions`, `/executions/:key`,
 * `/logs`, `/tokens/usage` (docs/monitoring.md "Admin API"). Lists answer
 * `{ environment, <items>, nextCursor }`; pass `cursor=<nextCursor>` for the next page.
 */
export function registerMonitoringRoutes(admin: FastifyInstance, s: MonitoringRouteServices): void {
  const env = s.environment;
  admin.get('/executions', async (req) => ({
    environment: env,
    ...(await listExecutions(s.store, env, filters(req))),
  }));
  admin.get<{ Params: { key: string } }>('/executions/:key', async (req) => ({
    environment: env,
    ...(await showExecution(s.store, env, req.params.key)),
  }));
  admin.get('/logs', async (req) => ({
    environment: env,
    ...(await listLogs(s.store, env, filters(req))),
  }));
  admin.get('/tokens/usage', async (req) => ({
    environment: env,
    ...(await listUsage(s.store, env, filters(req))),
  }));
}

/**
 * `GET /metrics` in the Prometheus text format, on whichever listener serves the admin API, behind
 * the same admin credential (`basic_auth` in the Prometheus scrape config).
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: GatewayMetrics,
  gate: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): void {
  app.get('/metrics', { onRequest: gate }, async (_req, reply) => {
    const body = metrics.clusterText
      ? await metrics.clusterText()
      : await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).send(body);
  });
}
