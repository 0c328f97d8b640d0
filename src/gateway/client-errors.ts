// Requests the gateway refuses for what the client sent: unknown methods, CONNECT, malformed framing and Content-Type.
import type { Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { PlatformError, isPlatformError } from '../errors/index.js';
import type { DeploymentSet } from './deployments/deployment-set.js';
import { jsonResponse, sendMapped } from './response-mapper.js';
import type { MappedResponse } from './response-mapper.js';

/** The methods pipeline routes are registered for (SPEC §6.1 defaults plus HEAD). */
export const REGISTERED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const REGISTERED = new Set(REGISTERED_METHODS);

/**
 * onRequest hook of the whole app: a method outside the registered seven (`PROPFIND`, `SEARCH`,
 * `QUERY`, …) answers 405 with `Allow` — the trigger's methods on a pipeline path, the registered
 * seven elsewhere — before fastify looks for a route or a body parser (QUERY without Content-Type
 * used to be a 500 there).
 */
export function createMethodGuard(deployments: () => DeploymentSet) {
  // Callback style, not async: this hook runs on every request and a promise per request costs.
  return function unknownMethodGuard(
    req: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void {
    if (REGISTERED.has(req.method)) {
      done();
      return;
    }
    const url = req.raw.url ?? '/';
    const q = url.indexOf('?');
    const match = deployments().table.match(q === -1 ? url : url.slice(0, q));
    const allow = match ? match.entry.target.trigger.methods : REGISTERED_METHODS;
    sendMapped(reply, jsonResponse(405, { message: 'Method Not Allowed' }), {
      Allow: allow.join(', '),
    });
  };
}

/**
 * Node hands CONNECT requests to the server's `connect` event and destroys the socket when nobody
 * listens; the gateway is no proxy, so it answers 405 and closes the connection.
 */
export function answerConnect(server: Server): void {
  server.on('connect', (_req: unknown, socket: Duplex) => {
    const body = JSON.stringify({ message: 'Method Not Allowed' });
    socket.on('error', () => undefined);
    socket.end(
      'HTTP/1.1 405 Method Not Allowed\r\n' +
        `Allow: ${REGISTERED_METHODS.join(', ')}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}

/** An error of the request body stream: the client broke the framing or went away mid-body. */
export function bodyStreamError(err: unknown): PlatformError {
  const code = (err as { code?: unknown }).code;
  if (code === 'ECONNRESET' || (err as { message?: unknown }).message === 'aborted')
    return new PlatformError('ERR_GATEWAY_CLIENT_CLOSED', {}, { cause: err });
  return new PlatformError(
    'ERR_GATEWAY_BAD_REQUEST',
    { reason: typeof code === 'string' ? code : 'unreadable body' },
    { cause: err },
  );
}

/**
 * Client-caused errors that did not come from the gateway's own codes: fastify's (415 for a
 * Content-Type that does not parse, 400 for a bad Content-Length, …) carry a 4xx `statusCode`.
 * Returns the SPEC-shaped answer and the code for the one log line, or null for anything else.
 */
export function mapClientError(err: unknown): { response: MappedResponse; code: string } | null {
  if (isPlatformError(err)) {
    if (err.code === 'ERR_GATEWAY_CLIENT_CLOSED')
      return { response: jsonResponse(400, { message: 'Bad Request' }), code: err.code };
    if (err.code === 'ERR_GATEWAY_BAD_REQUEST' || err.code === 'ERR_GATEWAY_UNSUPPORTED_MEDIA_TYPE')
      return {
        response: jsonResponse(err.status, { message: STATUS_CODES[err.status]! }),
        code: err.code,
      };
    return null;
  }
  const status = (err as { statusCode?: unknown }).statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  const code =
    status === 415
      ? 'ERR_GATEWAY_UNSUPPORTED_MEDIA_TYPE'
      : status === 413
        ? 'ERR_GATEWAY_PAYLOAD_TOO_LARGE'
        : 'ERR_GATEWAY_BAD_REQUEST';
  const message =
    status === 413 ? 'Request size limit exceeded' : (STATUS_CODES[status] ?? 'Bad Request');
  return { response: jsonResponse(status, { message }), code };
}

const refusals = new WeakMap<FastifyRequest, string>();

/** Remembers the code of a refused request for its access log line. */
export function noteRefusal(req: FastifyRequest, code: string): void {
  refusals.set(req, code);
}

/** The code noted by noteRefusal, if any. */
export function refusalOf(req: FastifyRequest): string | undefined {
  return refusals.get(req);
}
