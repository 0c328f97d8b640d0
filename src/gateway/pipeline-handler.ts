// Runs the matched pipeline for a guarded request and maps the result onto the HTTP response.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { runPipeline, systemClock } from '../core/engine/index.js';
import type { ExecutionResult } from '../core/engine/index.js';
import type { JsonObject, JsonValue } from '../core/json.js';
import { requestSchemaError } from '../deployments/body-schema.js';
import type { HostServices } from '../core/step-context.js';
import type { EvalScope } from '../expr/index.js';
import { textForm } from '../expr/index.js';
import { PlatformError } from '../errors/index.js';
import type { ExecutionMonitor } from '../monitoring/execution-monitor.js';
import { buildEnvelope } from './request-envelope.js';
import type { RequestState } from './request-state.js';
import { isSendableHeader, mapExecution, sendMapped } from './response-mapper.js';

/** What the handler needs from the server. */
export interface HandlerServices {
  realm: string;
  environment: string;
  host(): HostServices;
  /** The environment's globals (`{{ global.<name> }}`), refreshed from the change feed. */
  globals(): JsonObject;
  /** Records executions, log lines and execution metrics (null while starting). */
  monitor?(): ExecutionMonitor | null;
}

/** Methods whose body `requestSchema` checks (the ones the OpenAPI document gives a requestBody). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Logs a platform warning and keeps its text for the execution's pipeline log. */
type Warn = (details: Record<string, unknown>, message: string) => void;

/** Trigger `responseHeaders`, rendered against the final message; a failing expression skips its header. */
function triggerHeaders(
  st: RequestState,
  result: ExecutionResult,
  warn: Warn,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (st.served.trigger.responseHeaders.length === 0) return out;
  const scope: EvalScope = {
    message: result.output,
    global: {},
    account: {},
    // The metadata the execution saw (built once by runPipeline), not a copy rebuilt here.
    metadata: result.metadata,
    step: {},
    item: null,
    services: systemClock,
  };
  for (const [name, compiled] of st.served.trigger.responseHeaders) {
    try {
      const value = compiled.evaluate(scope);
      if (value !== null) out[name] = textForm(value);
    } catch (err) {
      warn(
        { executionKey: st.executionKey, header: name, code: (err as { code?: string }).code },
        `response header expression failed: ${name} (${(err as { code?: string }).code ?? 'error'})`,
      );
    }
  }
  return out;
}

/** Merges header sets left to right (pipeline-controlled ones checked, `trusted` last); Access-Control-Expose-Headers values are combined, not replaced. */
function mergeHeaders(
  warn: Warn,
  key: string,
  sets: Record<string, string>[],
  trusted: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const lower = new Map<string, string>();
  for (const set of [...sets, trusted]) {
    for (const [name, value] of Object.entries(set)) {
      if (set !== trusted && !isSendableHeader(name, value)) {
        warn({ executionKey: key, header: name }, `response header not sendable; dropped: ${name}`);
        continue;
      }
      const l = name.toLowerCase();
      const existing = lower.get(l);
      if (existing !== undefined && l === 'access-control-expose-headers') {
        const merged = new Set(
          [...out[existing]!.split(','), ...value.split(',')].map((v) => v.trim()).filter(Boolean),
        );
        out[existing] = [...merged].join(',');
        continue;
      }
      if (existing !== undefined) delete out[existing];
      lower.set(l, name);
      out[name] = value;
    }
  }
  return out;
}

/**
 * The route handler of every pipeline path (after the guard let the request through). It returns
 * nothing: an async handler has to resolve with the reply (fastify would send `undefined` again while
 * the async onSend hook runs), and a reply as the resolved value makes fastify wait for the response
 * with an end-of-stream listener set per request. A rejection is handled as fastify's own
 * wrap-thenable does: an error response, or a log line once the reply went out.
 */
export function createPipelineHandler(s: HandlerServices) {
  const serve = createServe(s);
  return function pipelineHandler(req: FastifyRequest, reply: FastifyReply): void {
    serve(req, reply).then(undefined, (err: unknown) => {
      if (reply.sent) reply.log.error({ err }, 'Promise errored, but reply.sent = true was set');
      else reply.send(err instanceof Error ? err : new Error(String(err)));
    });
  };
}

function createServe(s: HandlerServices) {
  return async function serve(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const st = req.pg!;
    const trigger = st.served.trigger;
    const message = buildEnvelope({
      triggerType: trigger.type,
      method: req.method,
      path: st.path,
      headers: req.headers,
      query: st.rawQuery === '' ? null : st.query,
      params: st.params,
      body: Buffer.isBuffer(req.body) ? req.body : undefined,
      strip: st.strip,
    });
    // requestSchema: checked before the pipeline runs (400 with the failing paths, docs/pipelines.md).
    if (trigger.requestSchema && BODY_METHODS.has(req.method)) {
      const issues = trigger.requestSchema.check(message.body as JsonValue);
      if (issues.length > 0) throw requestSchemaError(issues);
    }
    st.executed = true;
    const monitor = s.monitor?.() ?? null;
    monitor?.started(st.served.pipeline.name);
    const result = await runPipeline(st.served.pipeline, {
      message,
      realm: s.realm,
      environment: s.environment,
      host: s.host(),
      globals: s.globals(),
      timeoutMs: trigger.timeoutMs,
      executionKey: st.executionKey,
      auth: st.auth,
      request: {
        bearerToken: st.bearerToken,
        clientIp: req.ip,
        userAgent: req.headers['user-agent'],
        route: st.route,
        ...(st.dpopJkt === undefined ? {} : { dpopJkt: st.dpopJkt }),
      },
      // A client that goes away cancels its execution (no AbortController per request: costly).
      // `on`, not `once`: 'close' is emitted once, and `once` wraps the listener per request.
      onCancel: (cancel) =>
        reply.raw.on('close', () => {
          if (!reply.raw.writableFinished) cancel(new PlatformError('ERR_GATEWAY_CLIENT_CLOSED'));
        }),
    });
    for (const line of result.logs) {
      const level = line.level === 'ERROR' ? 'error' : line.level === 'WARN' ? 'warn' : 'info';
      req.log[level](
        { executionKey: line.executionKey, pipeline: line.pipeline, step: line.step },
        line.message,
      );
    }
    const mapped = mapExecution(result, trigger.type);
    const warnings: string[] = [];
    const warn: Warn = (details, text) => {
      req.log.warn(details, text);
      warnings.push(text);
    };
    const unexpected =
      mapped.status === 500 && (!result.error || result.error.code === 'ERR_EXECUTION_INTERNAL');
    if (unexpected) {
      req.log.error(
        {
          executionKey: st.executionKey,
          pipeline: st.served.key,
          err: result.error?.cause ?? result.error,
        },
        'pipeline failed unexpectedly',
      );
    } else if (result.status !== 'success') {
      req.log.info(
        {
          executionKey: st.executionKey,
          pipeline: st.served.key,
          code: result.error?.code,
          status: result.status,
        },
        'pipeline ended with an error',
      );
    }
    const headers = mergeHeaders(
      warn,
      st.executionKey,
      [triggerHeaders(st, result, warn), result.responseHeaders, mapped.headers],
      st.headers,
    );
    monitor?.finished({
      pipeline: st.served.pipeline,
      realm: s.realm,
      method: req.method,
      route: st.route,
      consumer: st.auth?.consumer ?? null,
      jti: st.decision?.facts.jti ?? null,
      clientIp: req.ip,
      request: message,
      result,
      httpStatus: mapped.status,
      warnings,
      unexpected,
      responseText: mapped.outputText,
    });
    sendMapped(reply, { ...mapped, headers });
  };
}
