// The usage event of a request's authentication decision, and durable recording (written before the response leaves).
import { PlatformError } from '../errors/index.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { NewTokenUsageEvent } from '../store/records.js';
import type { UsageRecorder } from '../security/tokens/token-service.js';
import type { AuthDecisionRecord, RequestState } from './request-state.js';
import { jsonResponse } from './response-mapper.js';

/** The `auth` usage event of a request whose authentication was decided. */
export function authUsageEvent(
  req: FastifyRequest,
  st: RequestState,
  d: AuthDecisionRecord,
  status: number,
  latencyMs: number,
): NewTokenUsageEvent {
  return {
    time: Date.now(),
    kind: 'auth',
    outcome: d.outcome,
    reason: d.reason,
    status,
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
  };
}

const durablyRecorded = new WeakSet<FastifyRequest>();

/** True when the durable hook already recorded this request's auth event (onResponse skips it). */
export function isDurablyRecorded(req: FastifyRequest): boolean {
  return durablyRecorded.has(req);
}

/**
 * Durable mode (docs/operations.md): an onSend hook that records the auth event and waits until
 * every queued usage event — this request's `issued` event too — is committed to the store before
 * the response is written, so a SIGKILL loses nothing that a client saw answered. Concurrent
 * requests share one flush (group commit). When the store refuses, the answer becomes 503
 * (ERR_USAGE_NOT_DURABLE): nothing is served that could not be recorded.
 */
export function createDurableUsageHook(usage: () => UsageRecorder | null) {
  return async function durableUsage(
    req: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
  ): Promise<unknown> {
    const st = req.pg;
    const recorder = usage();
    if (!st || !recorder) return payload;
    if (st.decision) {
      const latencyMs = Math.round((performance.now() - st.started) * 1000) / 1000;
      recorder.record(authUsageEvent(req, st, st.decision, reply.statusCode, latencyMs));
      durablyRecorded.add(req);
    }
    try {
      await recorder.flush();
    } catch (err) {
      const refused = new PlatformError(
        'ERR_USAGE_NOT_DURABLE',
        { reason: 'the store refused the usage events' },
        { cause: err },
      );
      req.log.warn(
        {
          executionKey: st.executionKey,
          code: refused.code,
          storeCode: (err as { code?: string }).code,
        },
        refused.message,
      );
      const res = jsonResponse(503, { message: 'Service Unavailable' });
      reply.code(503).removeHeader('authorization').headers(res.headers);
      return res.body;
    }
    return payload;
  };
}
