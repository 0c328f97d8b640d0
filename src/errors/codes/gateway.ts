// Error codes of the gateway area (see docs/errors.md).
import type { ErrorTable } from '../registry.js';

export const gatewayCodes = {
  // Answers to callers (SPEC §6.3 table); the gateway's one error → response mapper renders them.
  ERR_GATEWAY_NOT_FOUND: {
    status: 404,
    message: 'Not Found',
    doc: 'No deployed pipeline serves this path; check the URL (default /pipeline/{realm}/v{major}/{name}) and `pipegate deployments list`.',
  },
  ERR_GATEWAY_METHOD_NOT_ALLOWED: {
    status: 405,
    message: 'Method Not Allowed',
    doc: 'The pipeline exists but its trigger `methods` do not include this method; the Allow header lists the accepted ones.',
  },
  ERR_GATEWAY_MALFORMED_JSON: {
    status: 400,
    message: 'Malformed JSON body',
    doc: 'A rest trigger received a body declared as JSON that does not parse; send valid JSON or use an http trigger.',
  },
  ERR_GATEWAY_PAYLOAD_TOO_LARGE: {
    status: 413,
    message: 'Request size limit exceeded',
    doc: 'The request body is larger than the trigger `maxRequestSizeMb` (default 5).',
  },
  ERR_GATEWAY_UNAUTHORIZED: {
    status: 401,
    message: 'Unauthorized',
    doc: 'The credential the trigger requires (API key, Basic Auth or bearer token) is missing or invalid; the precise reason is in the token usage log.',
  },
  ERR_GATEWAY_FORBIDDEN: {
    status: 403,
    message: 'Forbidden',
    doc: 'The caller is authenticated but its consumer is not allowed on this pipeline, or its token lacks a required scope.',
  },
  ERR_GATEWAY_RATE_LIMITED: {
    status: 429,
    message: 'Too Many Requests',
    doc: 'The trigger `rateLimit` quota of this consumer or credential is used up; retry after the Retry-After seconds.',
  },
  ERR_GATEWAY_TIMEOUT: {
    status: 504,
    message: 'Gateway Timeout',
    doc: 'The pipeline did not finish within the trigger `timeoutMs`; the execution key in the body finds its logs.',
  },
  ERR_GATEWAY_UNAVAILABLE: {
    status: 503,
    message: 'Service Unavailable',
    doc: 'The store or the key material could not be reached while authenticating or serving; retry later.',
  },
  ERR_GATEWAY_RATE_LIMIT_UNAVAILABLE: {
    status: 503,
    message: 'Rate limits cannot be checked: Redis is unreachable',
    doc: 'With `redis.onOutage: closed`, a rate-limited route answers 503 while the shared Redis (`--redis`) cannot be reached; check Redis, or set `redis.onOutage: open` to fall back to per-process limits (docs/scaling.md).',
  },
  ERR_GATEWAY_REPLAY_CACHE_UNAVAILABLE: {
    status: 503,
    message: 'The replay cache cannot be reached: {reason}',
    doc: 'A check that must remember one-time identifiers (e.g. DPoP proof `jti`s) across nodes could not reach Redis (`--redis`); the request is refused rather than risk accepting a replay. Check Redis (docs/scaling.md).',
  },
  ERR_GATEWAY_CLIENT_CLOSED: {
    status: 499,
    message: 'The client closed the connection before the response',
    doc: 'The caller went away while its pipeline ran; the execution was cancelled (logged, nothing sent).',
  },
  // Deployments and server configuration.
  ERR_GATEWAY_ROUTE_CONFLICT: {
    status: 409,
    message:
      'Route {route} of pipeline {pipeline} conflicts with route {otherRoute} of pipeline {other}',
    doc: 'Two deployed pipelines would answer the same path; change `routes`, `removePrefix` or undeploy the other pipeline.',
  },
  ERR_GATEWAY_ROUTE_RESERVED: {
    status: 409,
    message: 'Route {route} of pipeline {pipeline} is reserved by the gateway ({prefix})',
    doc: 'Paths under /admin, /healthz, /readyz, /.well-known, /oauth2 and /openapi.json belong to the gateway; choose another route.',
  },
  ERR_GATEWAY_AUTH_COMBINATION: {
    status: 400,
    message: 'Trigger auth cannot combine basicAuth with jwt: both use the Authorization header',
    doc: 'Combine `jwt` with `apiKey` (both required, compatible) instead of Basic Auth, or use Basic Auth alone.',
  },
  ERR_GATEWAY_NOT_DEPLOYED: {
    status: 404,
    message: 'Pipeline {name} major {major} has no active deployment in environment {environment}',
    doc: 'undeploy and rollback need an active deployment of that pipeline and major version; see `pipegate deployments list`.',
  },
  ERR_GATEWAY_DIR_NOT_FOUND: {
    status: 400,
    message: 'Pipeline folder {dir} does not exist or cannot be read',
    doc: '`pipegate serve` takes folders holding *.yaml, *.yml or *.json pipeline files.',
  },
  ERR_GATEWAY_CONFIG: {
    status: 400,
    message: 'Invalid gateway option {option}: {reason}',
    doc: 'A server option (port, host, realm, environment, store URL) has an invalid value.',
  },
  ERR_GATEWAY_LISTEN: {
    status: 500,
    message: 'Cannot listen on {host}:{port}: {reason}',
    doc: 'The port is in use or the address cannot be bound; pick another --port or --host.',
  },
  // Consumers (CLI and admin operations).
  ERR_CONSUMER_NOT_FOUND: {
    status: 404,
    message: 'Consumer {name} does not exist in environment {environment}',
    doc: 'The consumer name is unknown (or deleted) in this environment; see `pipegate consumers list`.',
  },
  ERR_CONSUMER_INVALID_NAME: {
    status: 400,
    message: 'Invalid {what} "{name}": {reason}',
    doc: 'Consumer names and Basic Auth usernames use letters, digits, ".", "_" and "-" (1–64 characters).',
  },
  ERR_CONSUMER_API_KEY_NOT_FOUND: {
    status: 404,
    message: 'Consumer {name} has no active API key {keyId}',
    doc: 'The key id (shown by `pipegate consumers show`) is unknown, belongs to another consumer or was already revoked.',
  },
  ERR_CONSUMER_BASIC_NOT_FOUND: {
    status: 404,
    message: 'Consumer {name} has no Basic Auth credential {username}',
    doc: 'The username is not a Basic Auth credential of that consumer; see `pipegate consumers show`.',
  },
  ERR_CONSUMER_PASSWORD_INVALID: {
    status: 400,
    message: 'Invalid Basic Auth password: {reason}',
    doc: 'Passwords read with --password-stdin must be 12 to 1024 characters without line breaks.',
  },
} as const satisfies ErrorTable;
