// Parameter declarations of the http-request connector (schema, defaults, expression modes; docs read these).
import type { ParameterSpec } from '../../core/connector.js';
import type { JsonObject, JsonValue } from '../../core/json.js';

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type Method = (typeof METHODS)[number];

/** Limits and defaults (issue 13): 5 s connect, 30 s read, 5 redirects, 10 MB. */
export const HTTP_DEFAULTS = {
  connectTimeoutMs: 5_000,
  readTimeoutMs: 30_000,
  maxRedirects: 5,
  maxResponseBytes: 10 * 1024 * 1024,
  maxRetries: 10,
  /** A Retry-After longer than this is not waited for: the answer is returned (or raised) as is. */
  maxRetryDelayMs: 30_000,
} as const;

/** Parameters as `run` receives them (defaults applied, expressions rendered, types checked by the engine). */
export interface HttpRequestParams {
  url: string;
  method: Method;
  headers?: Record<string, string | number | boolean | null>;
  queryParams?: JsonObject;
  body?: JsonValue;
  contentType?: string;
  account?: string;
  tlsAccount?: string;
  tlsKeyAccount?: string;
  caAccount?: string;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  followRedirects: boolean;
  retries: number;
  maxResponseBytes: number;
  responseFormat: 'auto' | 'json' | 'text' | 'base64';
}

const label = { type: 'string', pattern: '^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$' };

export const httpRequestParameters: Record<string, ParameterSpec> = {
  url: {
    schema: { type: 'string', minLength: 1 },
    expression: 'render',
    required: true,
    description:
      'Absolute http(s) URL, e.g. `https://api.example.com/orders/{{ message.id }}`. User info in the URL is refused (use an account). The destination must pass the egress policy (docs/egress.md).',
  },
  method: { schema: { enum: [...METHODS] }, default: 'GET', description: 'HTTP method.' },
  headers: {
    schema: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
    expression: 'render',
    description: 'Request headers by name. Values are rendered; CR, LF and NUL are refused; a null value leaves the header out.',
  },
  queryParams: {
    schema: { type: 'object' },
    expression: 'render',
    description: 'Query parameters added to the URL (URL-encoded); an array value repeats the parameter; null leaves it out.',
  },
  body: {
    schema: {},
    expression: 'render',
    description:
      'Request body: a JSON value sent as JSON (`application/json` unless `contentType` says `application/x-www-form-urlencoded`, then an object is form-encoded), or text sent as is with `contentType` (default `text/plain; charset=utf-8`). Not allowed with GET and HEAD.',
  },
  contentType: { schema: { type: 'string' }, expression: 'render', description: 'Content-Type of the body (overrides the default above).' },
  account: {
    schema: label,
    account: true,
    description:
      'Authentication: `basic` (Authorization: Basic), `oauth-bearer` (Authorization: Bearer), `api-key` (header `apikey` or the account\'s `name` / `in: query`), `custom-auth-header`, `oauth-client-credentials` (token fetched, cached and shared until shortly before it expires, refreshed once on a 401), or `certificate-chain` (mTLS with the key inside the chain). Values never reach logs or execution records.',
  },
  tlsAccount: {
    schema: label,
    account: true,
    description: 'mTLS client identity to use together with another `account`: a `certificate-chain` account (leaf first, with its private key in the chain or in `tlsKeyAccount`).',
  },
  tlsKeyAccount: { schema: label, account: true, description: 'A `private-key` account holding the key of the mTLS certificate, when the chain does not include it.' },
  caAccount: {
    schema: label,
    account: true,
    description: 'A `certificate-chain` or `public-key` account with CA certificates trusted in addition to the system roots (a private PKI).',
  },
  connectTimeoutMs: { schema: { type: 'integer', minimum: 1, maximum: 120_000 }, default: HTTP_DEFAULTS.connectTimeoutMs, description: 'Longest wait for a connection (TCP and TLS).' },
  readTimeoutMs: {
    schema: { type: 'integer', minimum: 1, maximum: 900_000 },
    default: HTTP_DEFAULTS.readTimeoutMs,
    description: 'Longest silence while waiting for the answer\'s headers or between body chunks. The pipeline timeout still bounds the whole step.',
  },
  followRedirects: {
    schema: { type: 'boolean' },
    default: true,
    description: 'Follow up to 5 redirects (each target checked by the egress policy; credentials dropped when the origin changes). False returns the 3xx answer.',
  },
  retries: {
    schema: { type: 'integer', minimum: 0, maximum: HTTP_DEFAULTS.maxRetries },
    default: 0,
    description:
      'Extra attempts: after connection failures (any method), after network errors and timeouts of idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE), and after 429/503 answers to idempotent methods, waiting `Retry-After` (up to 30 s) or a jittered exponential backoff.',
  },
  maxResponseBytes: {
    schema: { type: 'integer', minimum: 1, maximum: 512 * 1024 * 1024 },
    default: HTTP_DEFAULTS.maxResponseBytes,
    description: 'Largest answer body, counted after decompression (gzip, deflate, br); larger is ERR_HTTP_RESPONSE_TOO_LARGE.',
  },
  responseFormat: {
    schema: { enum: ['auto', 'json', 'text', 'base64'] },
    default: 'auto',
    description: '`auto`: JSON bodies (`application/json`, `+json`) parsed, text types as text, other types as Base64 (with `bodyEncoding: "base64"`); or force one.',
  },
};
