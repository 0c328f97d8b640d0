// Minting rules of SPEC §5.1: sensitive and reserved claim names, lifetime policy, scope syntax and ceiling.
import { isJsonObject } from '../../core/json.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import { sensitiveNameSet } from '../../core/engine/index.js';
import { PlatformError } from '../../errors/index.js';

/** The reference platform's maximum expiration: 365 days. */
export const ABSOLUTE_MAX_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;
export const DEFAULT_LIFETIME_MS = 15 * 60 * 1000;
export const DEFAULT_MAX_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * Claims the platform sets or that carry protocol meaning (RFC 7519 §4.1, RFC 9068 §2.2, RFC 8693
 * §4), plus the compatible private claims. A message field with one of these names is refused rather
 * than silently overriding or being overridden.
 */
export const RESERVED_CLAIMS: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'scope',
  'scp',
  'scopes',
  'client_id',
  'azp',
  'auth_time',
  'acr',
  'amr',
  'cnf',
  'act',
  'may_act',
  'consumer_name',
  'consumer_id',
  'realm',
]);

const MAX_WALK_DEPTH = 64;

/**
 * Throws ERR_JWT_SENSITIVE_CLAIM naming the first field (as a dotted path) whose name, at any depth,
 * matches the sensitive list (built-in + `extra`, compared case-insensitively without `-`/`_`).
 */
export function assertNoSensitiveClaims(claims: JsonObject, extra: readonly string[]): void {
  const names = sensitiveNameSet(extra);
  const walk = (value: JsonValue, path: string, depth: number): void => {
    if (depth > MAX_WALK_DEPTH)
      throw new PlatformError('ERR_JWT_PARAMETER', {
        parameter: 'message',
        reason: 'nested too deeply',
      });
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
    } else if (isJsonObject(value)) {
      for (const key of Object.keys(value)) {
        const here = path ? `${path}.${key}` : key;
        if (names.has(key)) throw new PlatformError('ERR_JWT_SENSITIVE_CLAIM', { field: here });
        walk(value[key]!, here, depth + 1);
      }
    }
  };
  walk(claims, '', 0);
}

/** Throws ERR_JWT_RESERVED_CLAIM for a top-level field named like a registered claim. */
export function assertNoReservedClaims(claims: JsonObject): void {
  for (const key of Object.keys(claims)) {
    if (RESERVED_CLAIMS.has(key.toLowerCase()))
      throw new PlatformError('ERR_JWT_RESERVED_CLAIM', { claim: key });
  }
}

/** The effective lifetime: default when absent; ERR_JWT_LIFETIME_INVALID / ERR_JWT_LIFETIME_EXCEEDS_POLICY. */
export function resolveLifetime(
  requested: number | undefined,
  defaultMs: number,
  maxMs: number,
): number {
  if (requested === undefined) return Math.min(defaultMs, maxMs);
  if (typeof requested !== 'number' || !Number.isInteger(requested)) {
    throw new PlatformError('ERR_JWT_LIFETIME_INVALID', {
      lifetimeMs: String(requested),
      reason: 'not an integer',
    });
  }
  if (requested <= 0)
    throw new PlatformError('ERR_JWT_LIFETIME_INVALID', {
      lifetimeMs: requested,
      reason: 'must be positive',
    });
  if (requested > ABSOLUTE_MAX_LIFETIME_MS) {
    throw new PlatformError('ERR_JWT_LIFETIME_INVALID', {
      lifetimeMs: requested,
      reason: 'longer than 365 days',
    });
  }
  if (requested > maxMs)
    throw new PlatformError('ERR_JWT_LIFETIME_EXCEEDS_POLICY', { lifetimeMs: requested, maxMs });
  return requested;
}

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Checks scope syntax and the consumer's ceiling (null = no ceiling); returns the scopes without
 * duplicates, in request order.
 */
export function checkScopes(
  scopes: readonly string[],
  ceiling: readonly string[] | null,
  consumer: string,
): string[] {
  const out: string[] = [];
  for (const scope of scopes) {
    if (!SCOPE_TOKEN.test(scope)) throw new PlatformError('ERR_JWT_SCOPE_INVALID', { scope });
    if (ceiling !== null && !ceiling.includes(scope))
      throw new PlatformError('ERR_JWT_SCOPE_NOT_ALLOWED', { scope, consumer });
    if (!out.includes(scope)) out.push(scope);
  }
  return out;
}
