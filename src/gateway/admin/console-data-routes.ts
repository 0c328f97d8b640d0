// Admin API routes the console reads and acts through (usable by any client): overview, metrics, history, consumers, tokens, audit, events.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseJsonSafe } from '../../core/json.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import { PlatformError } from '../../errors/index.js';
import { auditNote } from '../../console/audit.js';
import { parseTopics } from '../../console/event-hub.js';
import {
  overview,
  periodWindow,
  pipelineMetrics,
  tokenSummary,
} from '../../monitoring/console-queries.js';
import { revokeTokens } from '../../security/tokens/revoke-target.js';
import type { RevokeTarget } from '../../security/tokens/revoke-target.js';
import {
  addApiKey,
  createConsumer,
  parseList,
  revokeApiKey,
  setEnabled,
  showConsumer,
  updateConsumer,
} from '../../consumers/consumer-admin.js';
import type { AdminServices } from './admin-routes.js';

const bad = (option: string, reason: string): PlatformError =>
  new PlatformError('ERR_CONSOLE_REQUEST', { option, reason });

/** The JSON object body of a write (an empty body is `{}`). */
function objectBody(req: FastifyRequest): JsonObject {
  const text = typeof req.body === 'string' ? req.body.trim() : '';
  if (text === '') return {};
  let doc: JsonValue;
  try {
    doc = parseJsonSafe(text);
  } catch {
    throw bad('body', 'expected a JSON object');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw bad('body', 'expected a JSON object');
  return doc;
}

/** A list field: an array of strings, `"*"` (pipelines: every one), or null (scopes: no ceiling). */
function listField(body: JsonObject, field: 'pipelines' | 'scopes'): string[] | null | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (v === null && field === 'scopes') return null;
  if (v === '*' && field === 'pipelines') return ['*'];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.includes(',')))
    throw bad(
      field,
      field === 'pipelines'
        ? 'expected an array of pipeline names or "*"'
        : 'expected an array of scopes or null',
    );
  return parseList((v as string[]).join(','), field) ?? [];
}

function stringField(body: JsonObject, field: string): string | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw bad(field, 'expected a non-empty string');
  return v;
}

/** A query parameter (the last when repeated). */
function queryText(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof last === 'string' ? last : undefined;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * Registers the console's data routes on the authenticated admin scope (docs/console.md "Data
 * routes"). Writes go through the same functions as the CLI (consumer-admin, revokeTokens) and are
 * audited by the scope's audit hook.
 */
export function registerConsoleDataRoutes(admin: FastifyInstance, s: AdminServices): void {
  const t = s.target;
  const env = t.environment;
  const checkEnv = (req: FastifyRequest): void => {
    const e = queryText(req, 'env');
    if (e !== undefined && e !== '' && e !== env)
      throw bad('env', `this admin listener serves environment "${env}"`);
  };
  const consumersChanged = async (): Promise<void> => {
    await s.applyChanges?.(new Set(['consumers', 'apiKeys']));
  };

  admin.get('/overview', async (req) => {
    checkEnv(req);
    const now = Date.now();
    return {
      environment: env,
      ...(await overview(t.store, env, periodWindow(queryText(req, 'period'), now), now)),
    };
  });

  admin.get<{ Params: { name: string } }>('/pipelines/:name/metrics', async (req) => {
    checkEnv(req);
    const w = periodWindow(queryText(req, 'period'), Date.now(), '1h');
    let inFlight = 0;
    if (s.monitoring) {
      const g = await s.monitoring.metrics.inFlight.get();
      inFlight = g.values.find((v) => v.labels.pipeline === req.params.name)?.value ?? 0;
    }
    return {
      environment: env,
      ...(await pipelineMetrics(t.store, env, req.params.name, w, inFlight)),
    };
  });

  admin.get('/deployments/history', async (req) => {
    const pipeline = queryText(req, 'pipeline');
    const rows = await t.store.deployments.list(env, pipeline ? { name: pipeline } : {});
    return {
      environment: env,
      deployments: rows.map((d) => ({
        name: d.name,
        version: `${d.major}.${d.minor}`,
        id: d.id,
        deployedAt: iso(d.deployedAt),
        active: d.active,
        previousId: d.previousId,
      })),
    };
  });

  admin.post('/consumers', async (req, reply) => {
    const body = objectBody(req);
    const name = stringField(body, 'name');
    if (name === undefined) throw bad('name', 'the consumer name is required');
    auditNote(req, { target: name });
    const enabled = body.enabled;
    if (enabled !== undefined && typeof enabled !== 'boolean')
      throw bad('enabled', 'expected true or false');
    const r = await createConsumer(t, {
      name,
      pipelines: listField(body, 'pipelines') ?? ['*'],
      scopes: listField(body, 'scopes') ?? null,
      enabled: enabled ?? true,
    });
    auditNote(req, { details: { keyId: r.keyId } });
    await consumersChanged();
    return reply
      .code(201)
      .header('Cache-Control', 'no-store')
      .send({
        environment: env,
        consumer: await showConsumer(t, name),
        keyId: r.keyId,
        apiKey: r.apiKey,
      });
  });

  admin.patch<{ Params: { name: string } }>('/consumers/:name', async (req) => {
    const body = objectBody(req);
    const name = req.params.name;
    const enabled = body.enabled;
    if (enabled !== undefined && typeof enabled !== 'boolean')
      throw bad('enabled', 'expected true or false');
    const pipelines = listField(body, 'pipelines');
    const scopes = listField(body, 'scopes');
    if (enabled === undefined && pipelines === undefined && scopes === undefined)
      throw bad('body', 'give at least one of enabled, scopes, pipelines');
    const patch: { pipelines?: string[]; scopes?: string[] | null } = {};
    if (pipelines) patch.pipelines = pipelines;
    if (scopes !== undefined) patch.scopes = scopes;
    if (Object.keys(patch).length > 0) await updateConsumer(t, name, patch);
    if (enabled !== undefined) await setEnabled(t, name, enabled);
    auditNote(req, {
      details: {
        ...(enabled !== undefined ? { enabled } : {}),
        ...(pipelines ? { pipelines } : {}),
        ...(scopes !== undefined ? { scopes } : {}),
      },
    });
    await consumersChanged();
    return { environment: env, consumer: await showConsumer(t, name) };
  });

  admin.post<{ Params: { name: string } }>('/consumers/:name/keys', async (req, reply) => {
    const r = await addApiKey(t, req.params.name);
    auditNote(req, { details: { keyId: r.keyId } });
    await consumersChanged();
    return reply
      .code(201)
      .header('Cache-Control', 'no-store')
      .send({ environment: env, keyId: r.keyId, apiKey: r.apiKey });
  });

  admin.delete<{ Params: { name: string; keyId: string } }>(
    '/consumers/:name/keys/:keyId',
    async (req) => {
      await revokeApiKey(t, req.params.name, req.params.keyId);
      await consumersChanged();
      return { environment: env, revoked: { consumer: req.params.name, keyId: req.params.keyId } };
    },
  );

  admin.get('/tokens/summary', async (req) => {
    const w = periodWindow(queryText(req, 'period'), Date.now());
    const consumer = queryText(req, 'consumer');
    return { environment: env, ...(await tokenSummary(t.store, env, w, consumer || undefined)) };
  });

  admin.post('/tokens/revoke', async (req) => {
    const body = objectBody(req);
    const target: RevokeTarget = {};
    const jti = stringField(body, 'jti');
    const consumer = stringField(body, 'consumer');
    const before = stringField(body, 'before');
    if (jti !== undefined) target.jti = jti;
    if (consumer !== undefined) target.consumer = consumer;
    if (before !== undefined) {
      const ms = /^\d{4}-\d{2}-\d{2}/.test(before) ? Date.parse(before) : NaN;
      if (!Number.isFinite(ms)) throw bad('before', 'expected an ISO 8601 time');
      target.before = ms;
    }
    auditNote(req, { target: jti ?? consumer ?? before ?? null });
    const r = await revokeTokens(t.store, env, target);
    auditNote(req, { details: { kind: r.kind } });
    await s.refreshTokens?.();
    return {
      environment: env,
      revoked: {
        kind: r.kind,
        value: r.value,
        issuedBefore: iso(r.issuedBefore),
        expiresAt: iso(r.expiresAt),
      },
    };
  });

  admin.get('/audit', async (req) => {
    const cursor = queryText(req, 'cursor');
    const limitText = queryText(req, 'limit');
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw bad('limit', 'takes 1 to 1000');
    let beforeId: number | undefined;
    if (cursor !== undefined && cursor !== '') {
      beforeId = Number(cursor);
      if (!Number.isSafeInteger(beforeId) || beforeId < 1)
        throw bad('cursor', 'not a cursor returned by a previous page');
    }
    const rows = await t.store.audit.list(env, {
      limit,
      beforeId,
      actor: queryText(req, 'actor') || undefined,
      action: queryText(req, 'action') || undefined,
    });
    return {
      environment: env,
      entries: rows.map((e) => ({
        id: e.id,
        at: iso(e.at),
        actor: e.actor,
        action: e.action,
        target: e.target,
        clientIp: e.clientIp,
        outcome: e.outcome,
        status: e.status,
        details: e.details,
      })),
      nextCursor: rows.length === limit ? String(rows[rows.length - 1]!.id) : null,
    };
  });

  admin.get('/events', async (req, reply) => {
    const events = s.events;
    if (!events) throw new PlatformError('ERR_CONSOLE_EVENTS_BUSY', { max: 0 });
    const topics = parseTopics(queryText(req, 'topics'));
    const raw = reply.raw;
    const unsubscribe = events.subscribe(topics, raw);
    reply.hijack();
    raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    raw.write(`retry: 3000\n: connected ${[...topics].join(',')}\n\n`);
    const done = (): void => unsubscribe();
    raw.on('close', done);
    req.raw.on('close', done);
  });
}
