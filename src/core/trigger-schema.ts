// JSON Schema of the pipeline trigger (rest / http), SPEC §6.1; defaults are applied by the gateway.
import type { JsonSchema } from './connector.js';

const routePattern = '^/[A-Za-z0-9._~\\-/:]*$';

/** Trigger parameter defaults (compatible with the reference platform). */
export const TRIGGER_DEFAULTS = {
  methods: ['POST', 'PUT', 'GET', 'PATCH', 'DELETE', 'OPTIONS'],
  timeoutMs: 30_000,
  maxTimeoutMs: 900_000,
  maxRequestSizeMb: 5,
} as const;

/** The trigger's JSON Schema. */
export const triggerSchema: JsonSchema = {
  type: 'object',
  description: 'How the gateway serves the pipeline (only needed to deploy it).',
  required: ['type'],
  additionalProperties: false,
  properties: {
    type: { enum: ['rest', 'http'], description: 'rest: JSON APIs; http: any content type, body kept as text.' },
    methods: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] },
      description: 'Accepted HTTP methods (default POST, PUT, GET, PATCH, DELETE, OPTIONS).',
    },
    routes: {
      type: 'array',
      items: { type: 'string', pattern: routePattern, maxLength: 512 },
      description: 'Extra paths under the pipeline prefix, with :param segments.',
    },
    removePrefix: { type: 'boolean', description: 'Serve the routes at the root instead of under /pipeline/{realm}/v{major}/{name}.' },
    timeoutMs: { type: 'integer', minimum: 1, maximum: TRIGGER_DEFAULTS.maxTimeoutMs, description: 'Bound of the whole execution (default 30000).' },
    maxRequestSizeMb: { type: 'number', exclusiveMinimum: 0, maximum: 100, description: 'Largest accepted request body (default 5).' },
    responseHeaders: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Headers added to every response; values accept Double Braces.',
    },
    cors: {
      type: 'object',
      additionalProperties: false,
      properties: {
        origins: { type: 'array', items: { type: 'string' } },
        methods: { type: 'array', items: { type: 'string' } },
        headers: { type: 'array', items: { type: 'string' } },
        exposeHeaders: { type: 'array', items: { type: 'string' } },
        credentials: { type: 'boolean' },
        maxAgeSec: { type: 'integer', minimum: 0 },
      },
      description: 'Per-pipeline CORS policy.',
    },
    auth: {
      type: 'object',
      additionalProperties: false,
      properties: {
        apiKey: { type: 'boolean' },
        apiKeyInQuery: { type: 'boolean' },
        basicAuth: { type: 'boolean' },
        jwt: {
          description:
            'Bearer/DPoP token required: true (platform tokens) or { issuers: [platform, NAME…], dpop: required|optional }.',
          oneOf: [
            { type: 'boolean' },
            {
              type: 'object',
              additionalProperties: false,
              properties: {
                issuers: {
                  type: 'array',
                  minItems: 1,
                  uniqueItems: true,
                  items: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' },
                  description: 'platform (the realm tokens) and/or names of external issuers (pipegate issuers add).',
                },
                dpop: { enum: ['required', 'optional'], description: 'RFC 9449 DPoP-bound tokens (docs/oauth.md).' },
              },
            },
          ],
        },
        scopes: { type: 'array', items: { type: 'string', pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$' } },
        scopeMatch: { enum: ['all', 'any'] },
      },
      description: 'Authentication required from callers (SPEC §6.3).',
    },
    rateLimit: {
      type: 'object',
      additionalProperties: false,
      required: ['limits'],
      properties: {
        aggregateBy: { enum: ['consumer', 'credential'] },
        limits: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['interval', 'limit'],
            properties: {
              interval: { enum: ['second', 'minute', 'hour', 'day', 'month'] },
              limit: { type: 'integer', minimum: 1 },
            },
          },
        },
      },
    },
    requestSchema: {
      type: 'object',
      description:
        'JSON Schema (2020-12) of the request body of POST, PUT, PATCH and DELETE; enforced (400 with the failing paths) and published in /openapi.json.',
    },
    responseSchema: {
      type: 'object',
      description: 'JSON Schema (2020-12) of the 200 response body; published in /openapi.json.',
    },
    externalApi: { type: 'boolean', description: 'Serve on the public listener (default true).' },
    internalApi: { type: 'boolean', description: 'Serve on the internal listener.' },
  },
};
