// The OpenAPI 3.1 document of what is deployed: external routes, methods, path parameters, security, errors.
import type { JsonObject, JsonValue } from '../../core/json.js';
import { TOKEN_PATH } from '../../security/tokens/metadata-document.js';
import type { ServedPipeline } from '../../deployments/compile-deployment.js';

/** Path of the document on the main listener. */
export const OPENAPI_PATH = '/openapi.json';

export interface OpenApiOptions {
  realm: string;
  environment: string;
  /** Base URL clients use; when null the document has no `servers` and a relative token URL. */
  baseUrl: string | null;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The gateway's error body (SPEC §6.3 denials and the error contract of docs/gateway.md). */
const ERROR_SCHEMA: JsonObject = {
  type: 'object',
  properties: {
    message: { type: 'string' },
    error: { type: 'string', description: 'RFC 6750 error of a bearer token refusal' },
    code: { type: 'string', description: 'Stable ERR_… code (docs/errors.md)' },
    executionKey: { type: 'string' },
    errors: {
      type: 'array',
      description: 'ERR_GATEWAY_REQUEST_SCHEMA: each failing JSON Pointer path of the body',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
        required: ['path', 'message'],
      },
    },
  },
  required: ['message'],
};

/** The documented gateway responses, by status. */
const ERRORS: Record<string, string> = {
  '400': 'Invalid request',
  '401': 'Credential missing or invalid (WWW-Authenticate tells which scheme)',
  '403': 'Consumer not allowed on the pipeline, or a required scope missing',
  '404': 'No deployed route for the path',
  '405': 'Method not served by the route (Allow lists the methods)',
  '413': 'Request body larger than the trigger maxRequestSizeMb',
  '429': 'Rate limit used up (Retry-After, RateLimit-* headers)',
  '500': 'The pipeline failed',
  '503': 'The gateway or its store is unavailable',
  '504': 'The pipeline did not finish within the trigger timeoutMs',
};

function errorResponses(): JsonObject {
  const out: JsonObject = {};
  for (const [status, description] of Object.entries(ERRORS)) {
    out[`Error${status}`] = {
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayError' } } },
    };
  }
  return out;
}

/** `/orders/:id` → `/orders/{id}` and its parameter names. */
function openApiPath(pattern: string): { path: string; params: string[] } {
  const params: string[] = [];
  const path = pattern.replace(/:([^/]+)/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: path === '' ? '/' : path, params };
}

/**
 * Security requirements of a trigger (OpenAPI: alternatives in the array, all schemes of one object
 * together): API key or Basic (either), and with `jwt` a bearer token on top — the platform JWT, or
 * one obtained with the client credentials flow carrying the route's scopes.
 */
function securityOf(s: ServedPipeline): JsonValue[] | null {
  const a = s.trigger.auth;
  const credentials: JsonObject[] = [];
  if (a.apiKey) credentials.push({ apiKey: [] });
  if (a.basicAuth) credentials.push({ basicAuth: [] });
  if (!a.jwt) return credentials.length > 0 ? credentials : null;
  // RFC 9449: `dpop: required` accepts only DPoP-bound tokens; `optional` offers the scheme too.
  const dpop: JsonObject = { dpop: [...a.scopes] };
  const tokens: JsonObject[] =
    a.dpop === 'required'
      ? [dpop]
      : [
          { bearerJwt: [...a.scopes] },
          { oauth2: [...a.scopes] },
          ...(a.dpop === 'optional' ? [dpop] : []),
        ];
  if (credentials.length === 0) return tokens;
  return credentials.flatMap((c) => tokens.map((t) => ({ ...c, ...t })));
}

function operation(s: ServedPipeline, method: string, params: string[], id: string): JsonObject {
  const p = s.pipeline;
  const op: JsonObject = {
    operationId: id,
    summary: `${p.name} ${p.versionMajor}.${p.versionMinor}`,
    tags: [p.name],
  };
  if (p.description) op.description = p.description;
  if (params.length > 0)
    op.parameters = params.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
  const requestSchema = s.trigger.requestSchema?.schema;
  if (BODY_METHODS.has(method))
    op.requestBody = requestSchema
      ? // A declared schema is enforced by the gateway: the body must be JSON matching it.
        { required: true, content: { 'application/json': { schema: requestSchema } } }
      : {
          required: false,
          content: { 'application/json': { schema: {} }, '*/*': { schema: {} } },
        };
  const security = securityOf(s);
  if (security) op.security = security;
  const responses: JsonObject = {
    '200': {
      description: 'The pipeline result',
      content: { 'application/json': { schema: s.trigger.responseSchema ?? {} } },
    },
  };
  const statuses = ['400', '404', '413', '500', '503', '504'];
  if (security) statuses.push('401', '403');
  if (s.trigger.rateLimit) statuses.push('429');
  for (const status of statuses.sort())
    responses[status] = { $ref: `#/components/responses/Error${status}` };
  op.responses = responses;
  return op;
}

/**
 * Builds the OpenAPI 3.1 document of the pipelines published on the public listener (`externalApi`);
 * internal-only pipelines never appear. Deterministic: pipelines and paths sorted.
 */
export function openApiDocument(
  served: Iterable<ServedPipeline>,
  opts: OpenApiOptions,
): JsonObject {
  const paths: JsonObject = {};
  const scopes = new Set<string>();
  const list = [...served]
    .filter((s) => s.trigger.external)
    .sort((a, b) => a.key.localeCompare(b.key));
  for (const s of list) {
    for (const sc of s.trigger.auth.jwt ? s.trigger.auth.scopes : []) scopes.add(sc);
    s.trigger.paths.forEach((pattern, i) => {
      const { path, params } = openApiPath(pattern);
      const item = (paths[path] ?? {}) as JsonObject;
      for (const method of s.trigger.methods) {
        const m = method.toLowerCase();
        const id = `${s.pipeline.name}_v${s.pipeline.versionMajor}_${m}${i === 0 ? '' : `_${i}`}`;
        item[m] = operation(s, method, params, id);
      }
      paths[path] = item;
    });
  }
  const base = opts.baseUrl?.replace(/\/+$/, '') ?? null;
  const doc: JsonObject = {
    openapi: '3.1.0',
    info: {
      title: `Pipegate ${opts.realm} (${opts.environment})`,
      version: opts.environment,
      description: `Pipelines deployed in environment ${opts.environment} of realm ${opts.realm}.`,
    },
  };
  if (base) doc.servers = [{ url: base }];
  doc.paths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  doc.components = {
    schemas: { GatewayError: ERROR_SCHEMA },
    responses: errorResponses(),
    securitySchemes: {
      apiKey: { type: 'apiKey', in: 'header', name: 'apikey' },
      basicAuth: { type: 'http', scheme: 'basic' },
      bearerJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      dpop: {
        type: 'http',
        scheme: 'DPoP',
        description:
          'RFC 9449: Authorization: DPoP <token> plus a DPoP proof header; the token is bound to the proof key at /oauth2/token.',
      },
      oauth2: {
        type: 'oauth2',
        flows: {
          clientCredentials: {
            tokenUrl: `${base ?? ''}${TOKEN_PATH}`,
            scopes: Object.fromEntries([...scopes].sort().map((sc) => [sc, `Scope ${sc}`])),
          },
        },
      },
    },
  };
  return doc;
}
