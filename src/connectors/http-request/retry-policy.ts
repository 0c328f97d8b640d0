// When an http-request attempt is repeated, and how long to wait: Retry-After or jittered exponential backoff.
import { isConnectFailure } from '../../http-client/index.js';
import type { PlatformError } from '../../errors/index.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const BASE_DELAY_MS = 100;
const MAX_BACKOFF_MS = 5_000;

/** RFC 9110 §9.2.2. */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method);
}

/** A failed attempt may be repeated: connection never made (any method), or network/timeout on an idempotent one. */
export function shouldRetryError(err: PlatformError, method: string): boolean {
  if (isConnectFailure(err)) return true;
  return isIdempotent(method) && (err.code === 'ERR_HTTP_NETWORK' || err.code === 'ERR_HTTP_READ_TIMEOUT');
}

/** 429 Too Many Requests and 503 Service Unavailable of idempotent methods are repeated. */
export function shouldRetryStatus(status: number, method: string): boolean {
  return (status === 429 || status === 503) && isIdempotent(method);
}

/**
 * Milliseconds asked by Retry-After (RFC 9110 §10.2.3: delay-seconds or an HTTP date), or undefined
 * when absent or unreadable.
 */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** "Equal jitter" backoff for attempt n (0-based): half fixed, half random, capped. */
export function backoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}
