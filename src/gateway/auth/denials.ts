// The SPEC §6.3 error contract: status, body and WWW-Authenticate of every authentication denial.
import type { JsonObject } from '../../core/json.js';

/** A refused request: what the caller sees, and the precise reason that only the usage log sees. */
export interface Denial {
  status: number;
  body: JsonObject;
  headers: Record<string, string>;
  /** Precise reason for the token usage log (`unknown_key`, `token_expired`, …). */
  reason: string;
}

function quote(v: string): string {
  return v.replace(/["\\]/g, '\\$&');
}

/** API key missing, unknown or revoked; consumer of the key unknown or disabled. */
export function apiKeyDenied(reason: string): Denial {
  return { status: 401, body: { message: 'Unauthorized' }, headers: {}, reason };
}

/** Basic credentials missing or wrong. */
export function basicDenied(realm: string, reason: string): Denial {
  return {
    status: 401,
    body: { message: 'Unauthorized' },
    headers: { 'WWW-Authenticate': `Basic realm="${quote(realm)}"` },
    reason,
  };
}

/**
 * Bearer token refused. RFC 6750 §3.1: a request without any token gets no error code; every other
 * failure is `invalid_token`.
 */
export function tokenDenied(realm: string, reason: string): Denial {
  if (reason === 'missing') {
    return {
      status: 401,
      body: { message: 'Unauthorized' },
      headers: { 'WWW-Authenticate': `Bearer realm="${quote(realm)}"` },
      reason,
    };
  }
  return {
    status: 401,
    body: { message: 'Unauthorized', error: 'invalid_token' },
    headers: { 'WWW-Authenticate': `Bearer realm="${quote(realm)}", error="invalid_token"` },
    reason,
  };
}

/** The DPoP challenge (RFC 9449 §7.1): the accepted proof algorithms, and the error if any. */
export function dpopChallenge(
  algs: readonly string[],
  error?: string,
  description?: string,
): string {
  const parts: string[] = [];
  if (error) parts.push(`error="${quote(error)}"`);
  if (description) parts.push(`error_description="${quote(description)}"`);
  parts.push(`algs="${algs.join(' ')}"`);
  return `DPoP ${parts.join(', ')}`;
}

/**
 * A refusal of the DPoP scheme (RFC 9449 §7.1): `invalid_dpop_proof` for a failed proof check,
 * `use_dpop_nonce` for a missing or stale server nonce (§9), `invalid_token` for a token that cannot
 * be used this way. The body carries the stable code.
 */
export function dpopDenied(
  algs: readonly string[],
  error: 'invalid_dpop_proof' | 'invalid_token' | 'use_dpop_nonce',
  code: string,
  description: string,
): Denial {
  return {
    status: 401,
    body: { message: 'Unauthorized', error, code },
    headers: { 'WWW-Authenticate': dpopChallenge(algs, error, description) },
    reason: code.slice(4).toLowerCase(),
  };
}

/** Token valid but a required scope is missing (RFC 6750 §3.1 insufficient_scope). */
export function scopeDenied(realm: string, required: readonly string[]): Denial {
  return {
    status: 403,
    body: { message: 'Forbidden', error: 'insufficient_scope' },
    headers: {
      'WWW-Authenticate': `Bearer realm="${quote(realm)}", error="insufficient_scope", scope="${quote(required.join(' '))}"`,
    },
    reason: 'insufficient_scope',
  };
}

/** Consumer not allowed on the pipeline, or (API key / Basic) lacking a required scope. */
export function forbidden(reason: string): Denial {
  return { status: 403, body: { message: 'Forbidden' }, headers: {}, reason };
}

/** Store or key material unreachable: never a 401. */
export function unavailable(reason = 'unavailable'): Denial {
  return { status: 503, body: { message: 'Service Unavailable' }, headers: {}, reason };
}

/** Quota used up. */
export function rateLimited(headers: Record<string, string>): Denial {
  return { status: 429, body: { message: 'Too Many Requests' }, headers, reason: 'rate_limited' };
}

/** Shared rate-limit counters unreachable and `redis.onOutage: closed` (docs/scaling.md). */
export function rateLimitUnavailable(): Denial {
  return {
    status: 503,
    body: { message: 'Service Unavailable', code: 'ERR_GATEWAY_RATE_LIMIT_UNAVAILABLE' },
    headers: { 'Retry-After': '1' },
    reason: 'rate_limit_unavailable',
  };
}

/** Failed-login backoff in force for this client address or username (checked before hashing). */
export function loginThrottled(retryAfterSec: number): Denial {
  return {
    status: 429,
    body: { message: 'Too Many Requests' },
    headers: { 'Retry-After': String(retryAfterSec) },
    reason: 'login_throttled',
  };
}

/** Every password-hash slot busy: refused at once rather than queued behind a flood. */
export function loginBusy(): Denial {
  return {
    status: 503,
    body: { message: 'Service Unavailable' },
    headers: { 'Retry-After': '1' },
    reason: 'login_busy',
  };
}
