// Gateway options: defaults, PIPEGATE_* environment overrides, validation with coded errors.
import { isAbsolute, resolve } from 'node:path';
import type { ReplayCache } from '../security/dpop/index.js';
import type { ConnectorRegistry } from '../core/registry.js';
import { PlatformError } from '../errors/index.js';
import type { AnomalyListener, AnomalySettingsInput } from '../monitoring/anomalies/index.js';
import type { ConsoleSessionOptions } from '../console/console-session.js';
import type { ConsoleEventsOptions } from '../console/event-hub.js';
import { parseAllowEgress } from '../security/egress/index.js';
import { resolveMonitoring } from '../monitoring/monitoring-options.js';
import type { MonitoringOptions, ResolvedMonitoring } from '../monitoring/monitoring-options.js';
import { DEFAULT_DATA_DIR, defaultStoreUrl } from '../store/index.js';
import type { LoginGuardOptions } from './auth/login-guard.js';
import { resolveHttpLimits } from './http-limits.js';
import type { HttpLimits } from './http-limits.js';
import type { TokenServiceOptions } from '../security/tokens/token-service.js';
import type { RateLimitPolicy } from '../deployments/trigger-config.js';
import type { RedisSettings } from './shared-state/redis-connection.js';

/** The realm token policy (docs/tokens.md "Policies"); unset members keep their defaults. */
export type TokenPolicy = Pick<
  TokenServiceOptions,
  'defaultLifetimeMs' | 'maxTokenLifetimeMs' | 'signingAlgorithm' | 'leewaySec' | 'sensitiveFields'
>;

/** Options of startGateway (every one optional). */
export interface GatewayOptions {
  /** Folders whose *.yaml, *.yml, *.json pipelines are validated and deployed at start. */
  dirs?: string[];
  /** Listening port; 0 picks a free one (default PIPEGATE_PORT or 8080). */
  port?: number;
  /** Listening address (default PIPEGATE_HOST or 127.0.0.1). */
  host?: string;
  /**
   * Port of the internal listener for `internalApi` pipelines (default PIPEGATE_INTERNAL_PORT; none
   * when unset). It binds `internalHost` (default PIPEGATE_INTERNAL_HOST or 127.0.0.1).
   */
  internalPort?: number;
  internalHost?: string;
  /** Embedded data directory (default PIPEGATE_DATA_DIR or ./.pipegate). */
  dataDir?: string;
  /** Store URL (default PIPEGATE_STORE or sqlite:<dataDir>/pipegate.db). */
  store?: string;
  environment?: string;
  realm?: string;
  /** Base URL clients use (default PIPEGATE_PUBLIC_URL or the listening address): token issuer and jwks_uri. */
  publicUrl?: string;
  /** Environment variables (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Working directory for relative paths (default process.cwd()). */
  cwd?: string;
  /** `false` silences logs; otherwise pino options (e.g. `{ level: 'warn', stream }`). */
  logger?: false | Record<string, unknown>;
  /** Change-feed poll period in ms (default 250). */
  pollIntervalMs?: number;
  /**
   * Trust `X-Forwarded-For` from proxies (default PIPEGATE_TRUST_PROXY or off): `true`, a hop
   * count, or comma-separated addresses/CIDRs of the proxies. Client IPs feed usage records and
   * per-IP rate limits.
   */
  trustProxy?: boolean | number | string;
  /** Connector registry (default: the built-in connectors plus `connectors`). */
  registry?: ConnectorRegistry;
  /** Modules of custom connectors loaded at start (docs/connectors/custom.md). */
  connectors?: string[];
  /** The realm token policy (pipegate.yaml `tokenPolicy`). */
  tokenPolicy?: TokenPolicy;
  /**
   * Memory of DPoP proof `jti`s (RFC 9449 §11.1; docs/oauth.md "DPoP"). Default: in memory per node;
   * give a shared implementation (Redis) so a proof is single-use across nodes.
   */
  dpopReplay?: ReplayCache;
  /**
   * DPoP server nonces (RFC 9449 §8, §9; pipegate.yaml `dpop.nonce`, `--dpop-nonce`): every proof must
   * carry a fresh nonce from the `DPoP-Nonce` response header. Off by default.
   */
  dpop?: { nonce?: boolean; nonceLifetimeSec?: number };
  /** Quota of every pipeline whose trigger sets no `rateLimit` (pipegate.yaml `rateLimits.default`). */
  defaultRateLimit?: RateLimitPolicy | null;
  /**
   * Port of the admin listener serving /admin/* (default PIPEGATE_ADMIN_PORT or 8081; a free port
   * when `port` is 0 and this is unset; 0 disables the admin API). It binds `adminHost` (default
   * PIPEGATE_ADMIN_HOST or 127.0.0.1).
   */
  adminPort?: number;
  adminHost?: string;
  /** Time to receive request line and headers (default PIPEGATE_HEADERS_TIMEOUT_MS or 10000). */
  headersTimeoutMs?: number;
  /** Time to receive a whole request, body included (default PIPEGATE_REQUEST_TIMEOUT_MS or 25000). */
  requestTimeoutMs?: number;
  /** Idle keep-alive time between requests (default PIPEGATE_KEEP_ALIVE_TIMEOUT_MS or 5000). */
  keepAliveTimeoutMs?: number;
  /** Request-body bytes buffered at once per listener (default PIPEGATE_MAX_BODY_BYTES_IN_FLIGHT or 128 MiB). */
  maxBodyBytesInFlight?: number;
  /** Failed-login limits and the password-hash cap (docs/security.md "Password guessing"). */
  logins?: LoginGuardOptions;
  /** Anomaly detection thresholds, responses and alerts (docs/anomalies.md); on by default. */
  anomalies?: AnomalySettingsInput;
  /** Called once per anomaly this node opens (e.g. a metrics counter by rule). */
  onAnomaly?: AnomalyListener;
  /** Console session lifetimes and live-event limits (docs/console.md); defaults 30 min idle, 12 h absolute, 32 streams. */
  console?: { session?: ConsoleSessionOptions; events?: Omit<ConsoleEventsOptions, 'overview'> };
  /**
   * Destinations connectors may reach although the egress policy blocks their range: host names,
   * `*.domain`, IPs or CIDRs (`--allow-egress`, repeatable; default PIPEGATE_ALLOW_EGRESS,
   * comma-separated). See docs/egress.md.
   */
  allowEgress?: string[];
  /** Execution and log recording, retention (docs/monitoring.md "Settings"). */
  monitoring?: MonitoringOptions;
  /** Fault handling (docs/operations.md); each also has a PIPEGATE_* variable. */
  faults?: FaultOptions;
  /**
   * Shared Redis for rate-limit windows and replay caches (default PIPEGATE_REDIS,
   * PIPEGATE_REDIS_ON_OUTAGE, PIPEGATE_REDIS_KEY_PREFIX; none: per process). docs/scaling.md.
   */
  redis?: Partial<RedisSettings>;
  /**
   * Processes `pipegate serve` runs (`auto`: one per available core). startGateway itself always
   * runs in one process; the cluster is src/cli/commands/serve-cluster.ts.
   */
  workers?: number | 'auto';
  /** In a `serve --workers N` worker: the aggregated metrics of all workers, served at /metrics. */
  clusterMetrics?: () => Promise<string>;
}

/** How the gateway behaves when the store or its own logs misbehave (docs/operations.md). */
export interface FaultOptions {
  /**
   * Answer a request only once its token usage events are committed to the store (default
   * PIPEGATE_DURABLE_USAGE or off): zero loss on SIGKILL, at a measured cost (bench/durable-usage.md).
   */
  durableUsage?: boolean;
  /** PostgreSQL: longest statement or query, server- and client-side (default PIPEGATE_STORE_QUERY_TIMEOUT_MS or 5000). */
  storeQueryTimeoutMs?: number;
  /** PostgreSQL: longest wait for a new connection (default PIPEGATE_STORE_CONNECT_TIMEOUT_MS or 2000). */
  storeConnectTimeoutMs?: number;
  /** Consecutive store failures that open the circuit breaker (default PIPEGATE_BREAKER_FAILURES or 5). */
  breakerFailures?: number;
  /** How long the open breaker answers at once before one probe is let through (default PIPEGATE_BREAKER_RESET_MS or 2000). */
  breakerResetMs?: number;
  /** A repeated log line is written once, then at most once per this period with its count (default PIPEGATE_LOG_REPEAT_MS or 10000). */
  logRepeatIntervalMs?: number;
}

/** Resolved configuration. */
export interface GatewayConfig {
  dirs: string[];
  port: number;
  host: string;
  internalPort: number | null;
  internalHost: string;
  dataDir: string;
  storeUrl: string;
  /** True when the store is the default embedded SQLite file. */
  embedded: boolean;
  environment: string;
  realm: string;
  publicUrl: string | null;
  env: NodeJS.ProcessEnv;
  pollIntervalMs: number;
  trustProxy: boolean | number | string;
  /** Egress allow-list entries, validated. */
  allowEgress: string[];
  monitoring: ResolvedMonitoring;
  faults: Required<FaultOptions>;
  /** Null when the admin listener is disabled; 0 for a free port. */
  adminPort: number | null;
  adminHost: string;
  limits: HttpLimits;
  logins: LoginGuardOptions;
  /** Null without Redis. */
  redis: Required<RedisSettings> | null;
}

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,62})$/;

function invalid(option: string, reason: string): PlatformError {
  return new PlatformError('ERR_GATEWAY_CONFIG', { option, reason });
}

/** Environment name and realm: lowercase letters, digits and hyphens (they appear in URLs and token audiences). */
export function checkName(option: string, value: string): string {
  if (!NAME.test(value))
    throw invalid(option, `"${value}" must be 1-63 lowercase letters, digits or hyphens`);
  return value;
}

function parsePort(value: number | string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw invalid('port', `"${value}" is not a port number (0-65535)`);
  return n;
}

function positiveInt(option: string, v: number | string | undefined, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n <= 0) throw invalid(option, `"${v}" is not a positive integer`);
  return n;
}

function resolveFaults(o: FaultOptions, env: NodeJS.ProcessEnv): Required<FaultOptions> {
  const durable = o.durableUsage ?? env.PIPEGATE_DURABLE_USAGE;
  return {
    durableUsage: durable === true || durable === 'true' || durable === '1',
    storeQueryTimeoutMs: positiveInt(
      'storeQueryTimeoutMs',
      o.storeQueryTimeoutMs ?? env.PIPEGATE_STORE_QUERY_TIMEOUT_MS,
      5000,
    ),
    storeConnectTimeoutMs: positiveInt(
      'storeConnectTimeoutMs',
      o.storeConnectTimeoutMs ?? env.PIPEGATE_STORE_CONNECT_TIMEOUT_MS,
      2000,
    ),
    breakerFailures: positiveInt(
      'breakerFailures',
      o.breakerFailures ?? env.PIPEGATE_BREAKER_FAILURES,
      5,
    ),
    breakerResetMs: positiveInt(
      'breakerResetMs',
      o.breakerResetMs ?? env.PIPEGATE_BREAKER_RESET_MS,
      2000,
    ),
    logRepeatIntervalMs: positiveInt(
      'logRepeatIntervalMs',
      o.logRepeatIntervalMs ?? env.PIPEGATE_LOG_REPEAT_MS,
      10_000,
    ),
  };
}

function parseTrustProxy(v: boolean | number | string | undefined): boolean | number | string {
  if (v === undefined || v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return v;
}

/** Applies defaults and environment overrides (explicit options win), validating each value. */
export function resolveGatewayConfig(o: GatewayOptions): GatewayConfig {
  const env = o.env ?? process.env;
  const cwd = o.cwd ?? process.cwd();
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
  const dataDir = abs(o.dataDir ?? env.PIPEGATE_DATA_DIR ?? DEFAULT_DATA_DIR);
  const explicitStore = o.store ?? env.PIPEGATE_STORE;
  const publicUrl = o.publicUrl ?? env.PIPEGATE_PUBLIC_URL ?? null;
  const internal = o.internalPort ?? (env.PIPEGATE_INTERNAL_PORT || undefined);
  const port = parsePort(o.port ?? env.PIPEGATE_PORT ?? 8080);
  const admin = o.adminPort ?? (env.PIPEGATE_ADMIN_PORT || undefined);
  const adminPort = admin === undefined ? (port === 0 ? 0 : 8081) : parsePort(admin) || null;
  if (publicUrl !== null && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(publicUrl))
    throw invalid('publicUrl', 'expected an http(s) URL');
  const environment = checkName('environment', o.environment ?? env.PIPEGATE_ENVIRONMENT ?? 'test');
  return {
    dirs: (o.dirs ?? []).map(abs),
    port,
    host: o.host ?? env.PIPEGATE_HOST ?? '127.0.0.1',
    internalPort: internal === undefined ? null : parsePort(internal),
    internalHost: o.internalHost ?? env.PIPEGATE_INTERNAL_HOST ?? '127.0.0.1',
    dataDir,
    storeUrl: explicitStore ?? defaultStoreUrl(dataDir),
    embedded: explicitStore === undefined,
    environment,
    realm: checkName('realm', o.realm ?? env.PIPEGATE_REALM ?? 'local'),
    publicUrl: publicUrl?.replace(/\/+$/, '') ?? null,
    env,
    pollIntervalMs: o.pollIntervalMs ?? 250,
    trustProxy: parseTrustProxy(o.trustProxy ?? env.PIPEGATE_TRUST_PROXY),
    allowEgress: parseAllowEgress(o.allowEgress ?? env.PIPEGATE_ALLOW_EGRESS),
    monitoring: resolveMonitoring(o.monitoring, env, environment),
    faults: resolveFaults(o.faults ?? {}, env),
    adminPort,
    adminHost: o.adminHost ?? env.PIPEGATE_ADMIN_HOST ?? '127.0.0.1',
    limits: resolveHttpLimits(o, env),
    logins: o.logins ?? {},
    redis: resolveRedis(o.redis ?? {}, env),
  };
}

function resolveRedis(
  o: Partial<RedisSettings>,
  env: NodeJS.ProcessEnv,
): Required<RedisSettings> | null {
  const url = o.url ?? (env.PIPEGATE_REDIS || undefined);
  if (url === undefined) return null;
  if (!/^rediss?:\/\/\S+$/.test(url))
    throw invalid('redis.url', 'expected a redis:// or rediss:// URL');
  const onOutage = o.onOutage ?? (env.PIPEGATE_REDIS_ON_OUTAGE || 'open');
  if (onOutage !== 'open' && onOutage !== 'closed')
    throw invalid('redis.onOutage', `"${onOutage}" is not open or closed`);
  const keyPrefix = o.keyPrefix ?? (env.PIPEGATE_REDIS_KEY_PREFIX || 'pipegate:');
  return { url, onOutage, keyPrefix };
}
