// The one mapper from an execution result (or a gateway error) to status, headers and body.
import type { FastifyReply } from 'fastify';
import type { ExecutionResult } from '../core/engine/index.js';
import { isJsonObject } from '../core/json.js';
import type { JsonObject, JsonValue } from '../core/json.js';
import { isPlatformError } from '../errors/index.js';
import type { PlatformError } from '../errors/index.js';

/** A response ready to send. `body` is the exact bytes' text. */
export interface MappedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Set when `body` is `JSON.stringify` of the execution's output (the execution record reuses it). */
  outputText?: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
/** Headers a pipeline may not set: they belong to the transport. */
const RESERVED = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'x-pipegate-execution-key',
]);

/** A JSON response. */
export function jsonResponse(
  status: number,
  body: JsonValue,
  headers: Record<string, string> = {},
): MappedResponse {
  return { status, headers: { ...headers, 'content-type': JSON_TYPE }, body: JSON.stringify(body) };
}

/** Sends a mapped response; `extra` headers first, the response's own win on a clash. */
export function sendMapped(
  reply: FastifyReply,
  res: MappedResponse,
  extra: Record<string, string> = {},
): FastifyReply {
  return reply
    .code(res.status)
    .headers({ ...extra, ...res.headers })
    .send(res.body);
}

/** Whether a header may be sent (valid token name, no control characters in the value). */
export function isSendableHeader(name: string, value: string): boolean {
  return (
    /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) &&
    !/[\r\n\0]/.test(value) &&
    !RESERVED.has(name.toLowerCase())
  );
}

function statusOf(code: JsonValue | undefined, fallback: number): number {
  return typeof code === 'number' && Number.isInteger(code) && code >= 100 && code <= 599
    ? code
    : fallback;
}

function isErrorObject(v: JsonValue): v is JsonObject {
  return isJsonObject(v) && v.error !== undefined && typeof v.code === 'number';
}

/** The `http` trigger envelope `{ code, body, "Content-Type", headers }`. */
function httpEnvelope(out: JsonObject): MappedResponse {
  const headers: Record<string, string> = {};
  if (isJsonObject(out.headers)) {
    for (const [k, v] of Object.entries(out.headers))
      if (v !== null && v !== undefined) headers[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  const contentType =
    typeof out['Content-Type'] === 'string' ? out['Content-Type'] : 'text/plain; charset=utf-8';
  const body =
    out.body === undefined || out.body === null
      ? ''
      : typeof out.body === 'string'
        ? out.body
        : JSON.stringify(out.body);
  return {
    status: statusOf(out.code, 200),
    headers: { ...headers, 'content-type': contentType },
    body,
  };
}

/**
 * SPEC §6.2: the final message is a 200 JSON body; a message with `error` and a numeric `code` sets
 * the status (so does the engine's error object); a timeout is a 504 with the execution key; an
 * unexpected failure (ERR_EXECUTION_INTERNAL) is a bare 500 whose details stay in the server log.
 * `http` triggers answer with the `{code, body, Content-Type, headers}` envelope when the message has
 * one (a `body` or `code` member), else like `rest`.
 */
export function mapExecution(
  result: ExecutionResult,
  triggerType: 'rest' | 'http',
): MappedResponse {
  if (result.status === 'timeout')
    return jsonResponse(504, { message: 'Gateway Timeout', executionKey: result.executionKey });
  if (
    result.status === 'error' &&
    (!result.error || result.error.code === 'ERR_EXECUTION_INTERNAL')
  ) {
    return jsonResponse(500, { message: 'Internal Server Error' });
  }
  const out = result.output;
  if (isErrorObject(out))
    return outputResponse(statusOf(out.code, result.error?.status ?? 500), out);
  if (result.status === 'error') return outputResponse(result.error?.status ?? 500, out);
  if (
    triggerType === 'http' &&
    isJsonObject(out) &&
    (out.body !== undefined || out.code !== undefined)
  )
    return httpEnvelope(out);
  return outputResponse(200, out);
}

/** The output as a JSON response, its text kept for the execution record. */
function outputResponse(status: number, out: JsonValue): MappedResponse {
  const body = JSON.stringify(out);
  return { status, headers: { 'content-type': JSON_TYPE }, body, outputText: body };
}

/** Gateway-level errors (before or around the execution) → the SPEC §6.3 bodies. */
export function mapGatewayError(err: unknown): MappedResponse {
  const code = isPlatformError(err) ? err.code : '';
  switch (code) {
    case 'ERR_GATEWAY_MALFORMED_JSON':
      return jsonResponse(400, { message: 'Malformed JSON body' });
    case 'ERR_GATEWAY_REQUEST_SCHEMA':
      // The failing JSON Pointer paths of the body and what is wrong there (body-schema.ts).
      return jsonResponse(400, (err as PlatformError).body as JsonObject);
    case 'ERR_GATEWAY_PAYLOAD_TOO_LARGE':
      return jsonResponse(413, { message: 'Request size limit exceeded' });
    case 'ERR_GATEWAY_NOT_FOUND':
      return jsonResponse(404, { message: 'Not Found' });
    case 'ERR_GATEWAY_UNAVAILABLE':
    case 'ERR_GATEWAY_BUSY':
    case 'ERR_STORE_UNAVAILABLE':
      return jsonResponse(503, { message: 'Service Unavailable' });
    default:
      return jsonResponse(500, { message: 'Internal Server Error' });
  }
}

const REFUSAL_CODES: Record<number, string> = {
  400: 'ERR_GATEWAY_MALFORMED_JSON',
  401: 'ERR_GATEWAY_UNAUTHORIZED',
  403: 'ERR_GATEWAY_FORBIDDEN',
  404: 'ERR_GATEWAY_NOT_FOUND',
  405: 'ERR_GATEWAY_METHOD_NOT_ALLOWED',
  413: 'ERR_GATEWAY_PAYLOAD_TOO_LARGE',
  429: 'ERR_GATEWAY_RATE_LIMITED',
  503: 'ERR_GATEWAY_UNAVAILABLE',
  504: 'ERR_GATEWAY_TIMEOUT',
};

/** The code of a response the gateway itself refused (for the request log line), or undefined. */
export function refusalCode(status: number, executed: boolean): string | undefined {
  return executed ? undefined : REFUSAL_CODES[status];
}
