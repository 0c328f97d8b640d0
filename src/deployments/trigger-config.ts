// Compiles a pipeline's trigger once at deploy: defaults applied, routes parsed, response headers compiled.
import type { JsonObject, JsonValue } from '../core/json.js';
import type { CompiledPipeline } from '../core/pipeline-model.js';
import { TRIGGER_DEFAULTS } from '../core/trigger-schema.js';
import { compileValue, newCompileInfo } from '../expr/index.js';
import type { CompiledValue } from '../expr/index.js';
import { PipelineInvalidError } from '../core/loader/index.js';
import { PlatformError, isPlatformError } from '../errors/index.js';
import { compileBodySchema } from './body-schema.js';
import type { BodyValidator } from './body-schema.js';

/** Rate-limit intervals and their length in ms (a month is 30 days, documented in docs/gateway.md). */
export const INTERVAL_MS = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  month: 2_592_000_000,
} as const;
export type RateInterval = keyof typeof INTERVAL_MS;

export interface CorsPolicy {
  origins: string[];
  methods: string[];
  headers: string[];
  exposeHeaders: string[];
  credentials: boolean;
  maxAgeSec: number | null;
}

export interface AuthPolicy {
  apiKey: boolean;
  /** Also read the API key from `?apikey=` (off by default: query strings end up in logs). */
  apiKeyInQuery: boolean;
  basicAuth: boolean;
  jwt: boolean;
  /**
   * Issuers whose tokens are accepted when `jwt` is on: `platform` (the realm's own tokens) and/or
   * names of external issuers (`pipegate issuers add`). `jwt: true` is `['platform']`.
   */
  issuers: string[];
  /** RFC 9449 sender-constrained tokens: `required` (DPoP-bound only), `optional`, or null (not advertised). */
  dpop: 'required' | 'optional' | null;
  scopes: string[];
  scopeMatch: 'all' | 'any';
}

/** The issuer name of the platform's own tokens in `auth.jwt.issuers`. */
export const PLATFORM_ISSUER = 'platform';

export interface RateLimitPolicy {
  aggregateBy: 'consumer' | 'credential';
  limits: { interval: RateInterval; limit: number }[];
}

/** The trigger as the request path uses it: every value resolved, nothing parsed per request. */
export interface TriggerConfig {
  type: 'rest' | 'http';
  methods: string[];
  /** Full paths served, e.g. `/pipeline/local/v1/orders` and `/pipeline/local/v1/orders/:id`. */
  paths: string[];
  timeoutMs: number;
  maxRequestBytes: number;
  responseHeaders: [string, CompiledValue][];
  cors: CorsPolicy | null;
  auth: AuthPolicy;
  rateLimit: RateLimitPolicy | null;
  /** Published on the public listener (`externalApi`, default true). */
  external: boolean;
  /** Published on the internal listener (`internalApi`, default false). */
  internal: boolean;
  /** `requestSchema`, compiled: bodies of POST, PUT, PATCH and DELETE requests are checked before the pipeline runs. */
  requestSchema: BodyValidator | null;
  /** `responseSchema`: documented in the OpenAPI document (not enforced). */
  responseSchema: JsonObject | null;
}

function asObject(v: JsonValue | undefined): JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

function isObjectValue(v: JsonValue | undefined): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function strings(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The paths a trigger serves: the default URL plus `routes` under the prefix, or at the root. */
export function triggerPaths(
  realm: string,
  major: number,
  name: string,
  trigger: JsonObject,
): string[] {
  const prefix = `/pipeline/${realm}/v${major}`;
  const routes = strings(trigger.routes).map((r) => (r.length > 1 ? r.replace(/\/+$/, '') : r));
  if (trigger.removePrefix === true && routes.length > 0) return [...new Set(routes)];
  const paths = [`${prefix}/${name}`];
  for (const r of routes) paths.push(r === '/' ? prefix : `${prefix}${r}`);
  return [...new Set(paths)];
}

/** Compiles the trigger of `pipeline`; invalid response-header expressions are PipelineInvalidErrors. */
export function compileTrigger(pipeline: CompiledPipeline, realm: string): TriggerConfig {
  const t = asObject(pipeline.doc.trigger as JsonValue | undefined);
  const authDoc = asObject(t.auth);
  const jwtDoc = asObject(authDoc.jwt);
  const jwtOn = authDoc.jwt === true || isObjectValue(authDoc.jwt);
  const issuers = strings(jwtDoc.issuers);
  const corsDoc = t.cors === undefined ? null : asObject(t.cors);
  const rl = t.rateLimit === undefined ? null : asObject(t.rateLimit);
  const methods =
    strings(t.methods).length > 0 ? strings(t.methods) : [...TRIGGER_DEFAULTS.methods];
  const headers: [string, CompiledValue][] = [];
  for (const [name, value] of Object.entries(asObject(t.responseHeaders))) {
    try {
      headers.push([name, compileValue(value as JsonValue, newCompileInfo())]);
    } catch (err) {
      if (!isPlatformError(err)) throw err;
      throw new PipelineInvalidError(pipeline.source, [
        {
          file: pipeline.source,
          path: `/trigger/responseHeaders/${name}`,
          code: err.code,
          message: err.message,
        },
      ]);
    }
  }
  if (authDoc.basicAuth === true && jwtOn) {
    const err = new PlatformError('ERR_GATEWAY_AUTH_COMBINATION');
    throw new PipelineInvalidError(pipeline.source, [
      { file: pipeline.source, path: '/trigger/auth', code: err.code, message: err.message },
    ]);
  }
  // A credentialed CORS policy open to every origin would let any site read authenticated answers.
  if (
    corsDoc?.credentials === true &&
    (strings(corsDoc.origins).length === 0 || strings(corsDoc.origins).includes('*'))
  ) {
    const err = new PlatformError('ERR_GATEWAY_CORS_CREDENTIALS_WILDCARD');
    throw new PipelineInvalidError(pipeline.source, [
      { file: pipeline.source, path: '/trigger/cors', code: err.code, message: err.message },
    ]);
  }
  const bodySchema = (field: 'requestSchema' | 'responseSchema'): BodyValidator | null => {
    if (t[field] === undefined) return null;
    try {
      return compileBodySchema(asObject(t[field]), field);
    } catch (err) {
      if (!isPlatformError(err)) throw err;
      throw new PipelineInvalidError(pipeline.source, [
        { file: pipeline.source, path: `/trigger/${field}`, code: err.code, message: err.message },
      ]);
    }
  };
  const requestSchema = bodySchema('requestSchema');
  const responseSchema = bodySchema('responseSchema')?.schema ?? null;
  const limits = new Map<RateInterval, number>();
  for (const l of Array.isArray(rl?.limits) ? rl.limits : []) {
    const o = asObject(l);
    // Duplicated intervals: the first one wins (the reference platform uses only one).
    if (
      typeof o.interval === 'string' &&
      typeof o.limit === 'number' &&
      !limits.has(o.interval as RateInterval)
    ) {
      limits.set(o.interval as RateInterval, o.limit);
    }
  }
  return {
    type: t.type === 'http' ? 'http' : 'rest',
    methods,
    paths: triggerPaths(realm, pipeline.versionMajor, pipeline.name, t),
    timeoutMs: typeof t.timeoutMs === 'number' ? t.timeoutMs : TRIGGER_DEFAULTS.timeoutMs,
    maxRequestBytes: Math.floor(
      (typeof t.maxRequestSizeMb === 'number'
        ? t.maxRequestSizeMb
        : TRIGGER_DEFAULTS.maxRequestSizeMb) *
        1024 *
        1024,
    ),
    responseHeaders: headers,
    cors: corsDoc && {
      origins: strings(corsDoc.origins).length > 0 ? strings(corsDoc.origins) : ['*'],
      methods: strings(corsDoc.methods).length > 0 ? strings(corsDoc.methods) : methods,
      headers:
        strings(corsDoc.headers).length > 0
          ? strings(corsDoc.headers)
          : ['Content-Type', 'Authorization', 'apikey'],
      exposeHeaders: strings(corsDoc.exposeHeaders),
      credentials: corsDoc.credentials === true,
      maxAgeSec: typeof corsDoc.maxAgeSec === 'number' ? corsDoc.maxAgeSec : null,
    },
    auth: {
      apiKey: authDoc.apiKey === true,
      apiKeyInQuery: authDoc.apiKeyInQuery === true,
      basicAuth: authDoc.basicAuth === true,
      jwt: jwtOn,
      issuers: issuers.length > 0 ? [...new Set(issuers)] : [PLATFORM_ISSUER],
      dpop: jwtDoc.dpop === 'required' || jwtDoc.dpop === 'optional' ? jwtDoc.dpop : null,
      scopes: strings(authDoc.scopes),
      scopeMatch: authDoc.scopeMatch === 'any' ? 'any' : 'all',
    },
    requestSchema,
    responseSchema,
    external: t.externalApi !== false,
    internal: t.internalApi === true,
    rateLimit:
      limits.size > 0
        ? {
            aggregateBy: rl?.aggregateBy === 'credential' ? 'credential' : 'consumer',
            limits: [...limits].map(([interval, limit]) => ({ interval, limit })),
          }
        : null,
  };
}
