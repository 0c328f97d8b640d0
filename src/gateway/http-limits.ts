// Connection limits of every listener: header, request and keep-alive timeouts, body bytes in flight.
import type { FastifyServerOptions } from 'fastify';
import { PlatformError } from '../errors/index.js';

/** Timeouts and the body-byte cap (docs/gateway.md "Connection limits"). */
export interface HttpLimits {
  /** Time to receive the request line and headers (default 10 s). */
  headersTimeoutMs: number;
  /** Time to receive the whole request, body included (default 25 s: closed within 30 s). */
  requestTimeoutMs: number;
  /** Idle time of a kept-alive connection between requests (default 5 s). */
  keepAliveTimeoutMs: number;
  /** Request-body bytes buffered at once over all requests of a listener (default 128 MiB). */
  maxBodyBytesInFlight: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 25_000,
  keepAliveTimeoutMs: 5_000,
  maxBodyBytesInFlight: 128 * 1024 * 1024,
});

/** The fastify/Node server options enforcing `l`. */
export function serverTimeouts(l: HttpLimits): Partial<FastifyServerOptions> {
  // `http` (options of node:http createServer) exists at run time in fastify 5; its typings only
  // declare it on the http2/https overloads.
  const options: Partial<FastifyServerOptions> & { http: Record<string, number> } = {
    requestTimeout: l.requestTimeoutMs,
    keepAliveTimeout: l.keepAliveTimeoutMs,
    http: {
      headersTimeout: l.headersTimeoutMs,
      requestTimeout: l.requestTimeoutMs,
      // Node checks the two timeouts on this period (default 30 s, which would double the bound).
      connectionsCheckingInterval: Math.max(
        50,
        Math.min(1_000, Math.floor(Math.min(l.headersTimeoutMs, l.requestTimeoutMs) / 4)),
      ),
    },
  };
  return options;
}

/**
 * The request-body bytes of one listener buffered at once: a body is refused (503, connection
 * closed) once taking its next chunk would pass the cap, so that many slow or large uploads cannot
 * hold unbounded memory. Bytes are returned when the request ends.
 */
export class BodyBudget {
  #used = 0;
  constructor(readonly max: number) {}

  take(n: number): boolean {
    if (this.#used + n > this.max) return false;
    this.#used += n;
    return true;
  }

  give(n: number): void {
    this.#used = Math.max(0, this.#used - n);
  }

  get used(): number {
    return this.#used;
  }
}

function positive(option: string, v: number | string | undefined, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new PlatformError('ERR_GATEWAY_CONFIG', {
      option,
      reason: `"${v}" is not a positive integer`,
    });
  return n;
}

/** Resolves the limits from options, then PIPEGATE_* variables, then defaults. */
export function resolveHttpLimits(o: Partial<HttpLimits>, env: NodeJS.ProcessEnv): HttpLimits {
  const d = DEFAULT_HTTP_LIMITS;
  const l: HttpLimits = {
    headersTimeoutMs: positive(
      'headersTimeoutMs',
      o.headersTimeoutMs ?? env.PIPEGATE_HEADERS_TIMEOUT_MS,
      d.headersTimeoutMs,
    ),
    requestTimeoutMs: positive(
      'requestTimeoutMs',
      o.requestTimeoutMs ?? env.PIPEGATE_REQUEST_TIMEOUT_MS,
      d.requestTimeoutMs,
    ),
    keepAliveTimeoutMs: positive(
      'keepAliveTimeoutMs',
      o.keepAliveTimeoutMs ?? env.PIPEGATE_KEEP_ALIVE_TIMEOUT_MS,
      d.keepAliveTimeoutMs,
    ),
    maxBodyBytesInFlight: positive(
      'maxBodyBytesInFlight',
      o.maxBodyBytesInFlight ?? env.PIPEGATE_MAX_BODY_BYTES_IN_FLIGHT,
      d.maxBodyBytesInFlight,
    ),
  };
  // Node requires headersTimeout <= requestTimeout.
  if (l.headersTimeoutMs > l.requestTimeoutMs)
    throw new PlatformError('ERR_GATEWAY_CONFIG', {
      option: 'headersTimeoutMs',
      reason: 'must not exceed requestTimeoutMs',
    });
  return l;
}
