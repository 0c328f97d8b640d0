// The audit trail of the admin API and the console: who changed what, from where, with which outcome.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JsonObject } from '../core/json.js';
import type { Store } from '../store/store.js';

/** What a route adds to its audit entry (a target known only after the work, a non-secret fact). */
export interface AuditNote {
  action?: string;
  target?: string | null;
  details?: JsonObject;
}

const actors = new WeakMap<FastifyRequest, string>();
const notes = new WeakMap<FastifyRequest, AuditNote>();

/** Records who the (authenticated) request acts as: `admin:<username>`. */
export function setActor(req: FastifyRequest, actor: string): void {
  actors.set(req, actor);
}

/** The authenticated actor of a request, or null. */
export function actorOf(req: FastifyRequest): string | null {
  return actors.get(req) ?? null;
}

/** Adds to the request's audit entry (merged with earlier notes). */
export function auditNote(req: FastifyRequest, note: AuditNote): void {
  const prev = notes.get(req) ?? {};
  notes.set(req, { ...prev, ...note, details: { ...prev.details, ...note.details } });
}

/** Action names of the admin routes that change state, by `METHOD route`. */
const ACTIONS: Record<string, string> = {
  'POST /admin/deployments': 'deployment.deploy',
  'DELETE /admin/deployments/:name/:major': 'deployment.undeploy',
  'POST /admin/deployments/:name/:major/rollback': 'deployment.rollback',
  'POST /admin/consumers': 'consumer.create',
  'PATCH /admin/consumers/:name': 'consumer.update',
  'POST /admin/consumers/:name/keys': 'consumer.key.add',
  'DELETE /admin/consumers/:name/keys/:keyId': 'consumer.key.revoke',
  'POST /admin/tokens/revoke': 'token.revoke',
  'POST /admin/anomalies/:id/ack': 'anomaly.ack',
  'POST /admin/anomalies/:id/resolve': 'anomaly.resolve',
  'PUT /admin/globals/:name': 'global.set',
  'DELETE /admin/globals/:name': 'global.remove',
};

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The `code` of a JSON error body, if any. */
function errorCode(payload: unknown): string | null {
  if (typeof payload !== 'string' || !payload.startsWith('{')) return null;
  try {
    const code = (JSON.parse(payload) as { code?: unknown }).code;
    return typeof code === 'string' ? code.slice(0, 80) : null;
  } catch {
    return null;
  }
}

/** Where audit entries go. */
export interface AuditSink {
  store: Store;
  environment: string;
  /** Called when an entry cannot be written (the request's answer is not changed). */
  onError(err: unknown): void;
}

/** Writes one entry; never throws. */
export async function writeAudit(
  sink: AuditSink,
  req: FastifyRequest,
  entry: {
    actor: string;
    action: string;
    target: string | null;
    status: number;
    details?: JsonObject | null;
  },
): Promise<void> {
  try {
    await sink.store.audit.append(sink.environment, {
      at: Date.now(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      clientIp: req.ip ?? null,
      outcome: entry.status < 400 ? 'success' : 'failure',
      status: entry.status,
      details: entry.details && Object.keys(entry.details).length > 0 ? entry.details : null,
    });
  } catch (err) {
    sink.onError(err);
  }
}

/**
 * Audits every authenticated POST, PUT, PATCH and DELETE of the scope (the admin plugin): action from
 * the route, target from its parameters unless the route noted one, outcome from the status, and an
 * error's code. The entry is written before the answer leaves, so a client that got its answer finds
 * the entry. Bodies are never recorded (they may hold secrets).
 */
export function registerAuditHook(scope: FastifyInstance, sink: AuditSink): void {
  scope.addHook('onSend', async (req, reply, payload) => {
    if (!UNSAFE.has(req.method)) return payload;
    const actor = actorOf(req);
    const route = req.routeOptions.url;
    if (actor === null || route === undefined) return payload;
    const note = notes.get(req) ?? {};
    const params = Object.values((req.params ?? {}) as Record<string, string>);
    const code = reply.statusCode >= 400 ? errorCode(payload) : null;
    await writeAudit(sink, req, {
      actor,
      action: note.action ?? ACTIONS[`${req.method} ${route}`] ?? `${req.method} ${route}`,
      target: note.target !== undefined ? note.target : params.length > 0 ? params.join('/') : null,
      status: reply.statusCode,
      details: { ...note.details, ...(code ? { code } : {}) },
    });
    return payload;
  });
}
