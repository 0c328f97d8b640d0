// The one table of settings: pipegate.yaml key ↔ PIPEGATE_* variable ↔ serve flag ↔ gateway option.
import type { JsonSchema } from '../core/connector.js';
import type { JsonValue } from '../core/json.js';

/** How a text value (environment variable or flag) becomes a JSON value. */
export type TextKind = 'string' | 'integer' | 'boolean' | 'list' | 'json';

/** One setting. Adding a setting is adding one row here (docs/configuration.md lists them all). */
export interface ConfigRow {
  /** Dotted path in pipegate.yaml, e.g. `listeners.main.port`. */
  key: string;
  /** Environment variable overriding the file, or null. */
  env: string | null;
  /** `serve` flag (without `--`) overriding both, or null. */
  flag: string | null;
  /** Dotted member of the gateway options (`startGateway`) the value is passed as. */
  option: string;
  /** JSON Schema of the value (the file, the variable and the flag are all checked against it). */
  schema: JsonSchema;
  /** How a variable or flag text is read. */
  text: TextKind;
  /** Documented default; null when unset by default (the gateway derives it). */
  default: JsonValue;
  description: string;
  /** Relative paths resolve against the configuration file's folder (file) or the working directory. */
  path?: boolean;
  /** A secret: only from the environment, never the file, printed as `***`. */
  secret?: boolean;
  /**
   * The branch whose feature reads this option: until it is merged the value is validated and shown
   * but the gateway ignores it (`config show` marks it `[not wired yet: …]`).
   */
  pending?: string;
}

const port: JsonSchema = { type: 'integer', minimum: 0, maximum: 65535 };
const host: JsonSchema = { type: 'string', minLength: 1, maxLength: 255 };
const name: JsonSchema = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' };
const positiveMs: JsonSchema = { type: 'integer', minimum: 1, maximum: 365 * 24 * 3600 * 1000 };
const url: JsonSchema = { type: 'string', pattern: '^https?://[^\\s/]+(/\\S*)?$' };
const count: JsonSchema = { type: 'integer', minimum: 1 };
const rateLimit: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['limits'],
  properties: {
    aggregateBy: { enum: ['consumer', 'credential'], default: 'consumer' },
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
};

/** Every setting, in the order `config show` prints them. */
export const CONFIG_ROWS: readonly ConfigRow[] = [
  { key: 'realm', env: 'PIPEGATE_REALM', flag: 'realm', option: 'realm', schema: name, text: 'string', default: 'local', description: 'Tenant name: default URLs, token issuer and audience.' },
  { key: 'environment', env: 'PIPEGATE_ENVIRONMENT', flag: 'environment', option: 'environment', schema: name, text: 'string', default: 'test', description: 'Environment this server serves (test, prod, …); the store keeps data per environment.' },
  { key: 'pipelines', env: 'PIPEGATE_PIPELINES', flag: 'pipelines', option: 'dirs', schema: { type: 'array', items: { type: 'string', minLength: 1 } }, text: 'list', default: [], path: true, description: 'Folders whose pipelines `serve` validates and deploys at start (`serve DIR…` replaces them).' },
  { key: 'connectors', env: 'PIPEGATE_CONNECTORS', flag: 'connectors', option: 'connectors', schema: { type: 'array', items: { type: 'string', minLength: 1 } }, text: 'list', default: [], path: true, description: 'JavaScript modules exporting custom connectors, loaded at start (docs/connectors/custom.md).' },
  { key: 'listeners.main.host', env: 'PIPEGATE_HOST', flag: 'host', option: 'host', schema: host, text: 'string', default: '127.0.0.1', description: 'Address of the public listener.' },
  { key: 'listeners.main.port', env: 'PIPEGATE_PORT', flag: 'port', option: 'port', schema: port, text: 'integer', default: 8080, description: 'Port of the public listener (0 picks a free one).' },
  { key: 'listeners.internal.host', env: 'PIPEGATE_INTERNAL_HOST', flag: 'internal-host', option: 'internalHost', schema: host, text: 'string', default: '127.0.0.1', description: 'Address of the internal listener (internalApi pipelines).' },
  { key: 'listeners.internal.port', env: 'PIPEGATE_INTERNAL_PORT', flag: 'internal-port', option: 'internalPort', schema: port, text: 'integer', default: null, description: 'Port of the internal listener; none when unset.' },
  { key: 'listeners.admin.host', env: 'PIPEGATE_ADMIN_HOST', flag: 'admin-host', option: 'adminHost', schema: host, text: 'string', default: '127.0.0.1', description: 'Address of the admin listener (/admin).' },
  { key: 'listeners.admin.port', env: 'PIPEGATE_ADMIN_PORT', flag: 'admin-port', option: 'adminPort', schema: port, text: 'integer', default: 8081, description: 'Port of the admin listener (0 disables it).' },
  { key: 'listeners.timeouts.requestMs', env: 'PIPEGATE_REQUEST_TIMEOUT_MS', flag: 'request-timeout-ms', option: 'requestTimeoutMs', schema: positiveMs, text: 'integer', default: 25000, description: 'Longest time to receive a whole request.' },
  { key: 'listeners.timeouts.headersMs', env: 'PIPEGATE_HEADERS_TIMEOUT_MS', flag: 'headers-timeout-ms', option: 'headersTimeoutMs', schema: positiveMs, text: 'integer', default: 10000, description: 'Longest time to receive the request headers.' },
  { key: 'listeners.timeouts.keepAliveMs', env: 'PIPEGATE_KEEP_ALIVE_TIMEOUT_MS', flag: 'keep-alive-timeout-ms', option: 'keepAliveTimeoutMs', schema: positiveMs, text: 'integer', default: 5000, description: 'Idle time after which a keep-alive connection is closed.' },
  { key: 'publicUrl', env: 'PIPEGATE_PUBLIC_URL', flag: 'public-url', option: 'publicUrl', schema: url, text: 'string', default: null, description: 'Base URL clients use: token issuer and jwks_uri (default: the listening address).' },
  { key: 'trustProxy', env: 'PIPEGATE_TRUST_PROXY', flag: null, option: 'trustProxy', schema: { type: ['boolean', 'integer', 'string'] }, text: 'string', default: false, description: 'Trust X-Forwarded-For: true, a hop count, or proxy addresses/CIDRs.' },
  { key: 'store.dataDir', env: 'PIPEGATE_DATA_DIR', flag: 'data-dir', option: 'dataDir', schema: { type: 'string', minLength: 1 }, text: 'string', default: '.pipegate', path: true, description: 'Embedded data directory (SQLite file, master key file).' },
  { key: 'store.url', env: 'PIPEGATE_STORE', flag: 'store', option: 'store', schema: { type: 'string', pattern: '^(sqlite:|postgres(ql)?://)' }, text: 'string', default: null, description: 'Store URL (default: sqlite:<dataDir>/pipegate.db). Put the password in PGPASSWORD, not here.' },
  { key: 'tokenPolicy.defaultLifetimeMs', env: 'PIPEGATE_TOKEN_DEFAULT_LIFETIME_MS', flag: null, option: 'tokenPolicy.defaultLifetimeMs', schema: positiveMs, text: 'integer', default: 900000, description: 'Token lifetime when a jwt step gives no expirationMs.' },
  { key: 'tokenPolicy.maxTokenLifetimeMs', env: 'PIPEGATE_TOKEN_MAX_LIFETIME_MS', flag: null, option: 'tokenPolicy.maxTokenLifetimeMs', schema: positiveMs, text: 'integer', default: 86400000, description: 'Longest lifetime a jwt step may ask for; also the retiring period of a rotated key.' },
  { key: 'tokenPolicy.signingAlgorithm', env: 'PIPEGATE_TOKEN_SIGNING_ALGORITHM', flag: null, option: 'tokenPolicy.signingAlgorithm', schema: { enum: ['ES256', 'EdDSA', 'RS256', 'PS256', 'HS256'] }, text: 'string', default: 'ES256', description: 'Algorithm of the key created at first start and by `keys rotate` without --alg.' },
  { key: 'tokenPolicy.leewaySec', env: 'PIPEGATE_TOKEN_LEEWAY_SEC', flag: null, option: 'tokenPolicy.leewaySec', schema: { type: 'integer', minimum: 0, maximum: 300 }, text: 'integer', default: 30, description: 'Tolerance for nbf and iat in the future.' },
  { key: 'tokenPolicy.sensitiveFields', env: 'PIPEGATE_TOKEN_SENSITIVE_FIELDS', flag: null, option: 'tokenPolicy.sensitiveFields', schema: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true }, text: 'list', default: [], description: 'Realm-wide additions to the sensitive field names refused in tokens.' },
  { key: 'rateLimits.default', env: 'PIPEGATE_RATE_LIMIT_DEFAULT', flag: null, option: 'defaultRateLimit', schema: rateLimit, text: 'json', default: null, description: 'Quota of every pipeline whose trigger sets no rateLimit (same shape as the trigger rateLimit).' },
  { key: 'monitoring.retentionDays', env: 'PIPEGATE_RETENTION_DAYS', flag: null, option: 'monitoring.retentionDays', schema: { anyOf: [{ type: 'integer', minimum: 1, maximum: 3650 }, { type: 'object', additionalProperties: { type: 'integer', minimum: 1, maximum: 3650 } }] }, text: 'json', default: { test: 3, prod: 10 }, description: 'Days executions, logs and usage are kept, per environment name.' },
  { key: 'usage.durable', env: 'PIPEGATE_DURABLE_USAGE', flag: 'durable-usage', option: 'faults.durableUsage', schema: { type: 'boolean' }, text: 'boolean', default: false, description: 'Write usage events ahead to the store before answering (no loss on SIGKILL, slower).' },
  { key: 'egress.allow', env: 'PIPEGATE_ALLOW_EGRESS', flag: 'allow-egress', option: 'allowEgress', schema: { type: 'array', items: { type: 'string', minLength: 1 } }, text: 'list', default: [], description: 'Hosts or CIDRs connectors may reach although private, loopback or link-local.' },
  { key: 'alerts.webhookUrl', env: 'PIPEGATE_ALERT_WEBHOOK', flag: 'alert-webhook', option: 'anomalies.alerts.webhook', schema: url, text: 'string', default: null, description: 'URL that receives every new and resolved anomaly as signed JSON.' },
  { key: 'alerts.webhookSecret', env: 'PIPEGATE_ALERT_SECRET', flag: null, option: 'anomalies.alerts.secret', schema: { type: 'string', minLength: 16 }, text: 'string', default: null, secret: true, description: 'HMAC key of the webhook signature (environment only).' },
  { key: 'anomalies.tokenMultiIp', env: 'PIPEGATE_ANOMALY_TOKEN_MULTI_IP', flag: null, option: 'anomalies.thresholds.token_multi_ip.ips', schema: count, text: 'integer', default: 3, description: 'Distinct client IPs of one token within 10 minutes.' },
  { key: 'anomalies.expiredTokenReplay', env: 'PIPEGATE_ANOMALY_EXPIRED_TOKEN_REPLAY', flag: null, option: 'anomalies.thresholds.expired_token_replay.count', schema: count, text: 'integer', default: 5, description: 'Presentations of one expired token within 10 minutes.' },
  { key: 'anomalies.forgedToken', env: 'PIPEGATE_ANOMALY_FORGED_TOKEN', flag: null, option: 'anomalies.thresholds.forged_token.count', schema: count, text: 'integer', default: 5, description: 'Forged tokens (bad signature, refused alg, unknown kid) from one IP within 10 minutes.' },
  { key: 'anomalies.authFailureBurst', env: 'PIPEGATE_ANOMALY_AUTH_FAILURE_BURST', flag: null, option: 'anomalies.thresholds.auth_failure_burst.count', schema: count, text: 'integer', default: 20, description: 'Refused authentications from one IP or against one consumer within 1 minute.' },
  { key: 'anomalies.tokenRateSpike', env: 'PIPEGATE_ANOMALY_TOKEN_RATE_SPIKE', flag: null, option: 'anomalies.thresholds.token_rate_spike.min', schema: count, text: 'integer', default: 100, description: 'Requests of one token in a minute (and ≥ 10× its hourly per-minute mean).' },
  { key: 'anomalies.issuanceBurst', env: 'PIPEGATE_ANOMALY_ISSUANCE_BURST', flag: null, option: 'anomalies.thresholds.issuance_burst.count', schema: count, text: 'integer', default: 60, description: 'Tokens issued to one consumer within 1 minute.' },
  { key: 'dpop.nonce', env: 'PIPEGATE_DPOP_NONCE', flag: 'dpop-nonce', option: 'dpop.nonce', schema: { type: 'boolean' }, text: 'boolean', default: false, description: 'Require DPoP server nonces (RFC 9449 §8, §9): every DPoP proof carries a fresh nonce from the DPoP-Nonce response header (docs/oauth.md).' },
  { key: 'dpop.nonceLifetimeSec', env: 'PIPEGATE_DPOP_NONCE_LIFETIME_SEC', flag: null, option: 'dpop.nonceLifetimeSec', schema: { type: 'integer', minimum: 10, maximum: 3600 }, text: 'integer', default: 300, description: 'Seconds a DPoP server nonce stays valid after it was issued.' },
  { key: 'workers', env: 'PIPEGATE_WORKERS', flag: 'workers', option: 'workers', schema: { anyOf: [{ type: 'integer', minimum: 1, maximum: 1024 }, { const: 'auto' }] }, text: 'integer', default: 1, description: 'Processes serving the same ports (`auto`: one per available core); a crashed worker is replaced (docs/scaling.md).' },
  { key: 'redis.url', env: 'PIPEGATE_REDIS', flag: 'redis', option: 'redis.url', schema: { type: 'string', pattern: '^rediss?://' }, text: 'string', default: null, description: 'Redis for cluster-wide rate limits, replay caches and failed-login counters (docs/scaling.md). Put the password in PIPEGATE_REDIS_PASSWORD, not here.' },
  { key: 'redis.onOutage', env: 'PIPEGATE_REDIS_ON_OUTAGE', flag: 'redis-on-outage', option: 'redis.onOutage', schema: { enum: ['open', 'closed'] }, text: 'string', default: 'open', description: 'While Redis is unreachable: `open` falls back to per-process limits and failed-login counters, `closed` answers 503 ERR_GATEWAY_RATE_LIMIT_UNAVAILABLE on rate-limited routes and ERR_LOGIN_BUSY on uncached password checks.' },
  { key: 'redis.keyPrefix', env: 'PIPEGATE_REDIS_KEY_PREFIX', flag: null, option: 'redis.keyPrefix', schema: { type: 'string', minLength: 1, maxLength: 100 }, text: 'string', default: 'pipegate:', description: 'Prefix of every Redis key Pipegate writes (several deployments can share one Redis).' },
];

/** The row of `key`, if any. */
export function configRow(key: string): ConfigRow | undefined {
  return CONFIG_ROWS.find((r) => r.key === key);
}
