// Per-pipeline CORS: response headers for allowed origins and the answer to preflight requests.
import type { CorsPolicy } from '../deployments/trigger-config.js';

function allowedOrigin(policy: CorsPolicy, origin: string | undefined): string | null {
  if (!origin) return null;
  if (policy.origins.includes(origin)) return origin;
  if (policy.origins.includes('*')) return policy.credentials ? origin : '*';
  return null;
}

/** Headers added to an actual (non-preflight) response; empty when the origin is not allowed. */
export function corsHeaders(
  policy: CorsPolicy,
  origin: string | undefined,
): Record<string, string> {
  const allow = allowedOrigin(policy, origin);
  if (!allow) return {};
  const h: Record<string, string> = { 'Access-Control-Allow-Origin': allow };
  if (allow !== '*') h['Vary'] = 'Origin';
  if (policy.credentials) h['Access-Control-Allow-Credentials'] = 'true';
  // Authorization is exposed so browser clients can read the token the jwt connector returns.
  const expose = new Set([...policy.exposeHeaders, 'X-Pipegate-Execution-Key']);
  h['Access-Control-Expose-Headers'] = [...expose].join(',');
  return h;
}

/** A preflight is an OPTIONS request carrying Origin and Access-Control-Request-Method. */
export function isPreflight(method: string, headers: Record<string, unknown>): boolean {
  return (
    method === 'OPTIONS' &&
    typeof headers['origin'] === 'string' &&
    typeof headers['access-control-request-method'] === 'string'
  );
}

/** Headers of the 204 answer to a preflight (empty origin result: answered without CORS headers). */
export function preflightHeaders(
  policy: CorsPolicy,
  origin: string | undefined,
): Record<string, string> {
  const allow = allowedOrigin(policy, origin);
  if (!allow) return {};
  const h: Record<string, string> = {
    'Access-Control-Allow-Origin': allow,
    'Access-Control-Allow-Methods': policy.methods.join(','),
    'Access-Control-Allow-Headers': policy.headers.join(','),
  };
  if (allow !== '*') h['Vary'] = 'Origin';
  if (policy.credentials) h['Access-Control-Allow-Credentials'] = 'true';
  if (policy.maxAgeSec !== null) h['Access-Control-Max-Age'] = String(policy.maxAgeSec);
  return h;
}
