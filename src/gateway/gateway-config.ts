// Gateway options: defaults, PIPEGATE_* environment overrides, validation with coded errors.
import { isAbsolute, resolve } from 'node:path';
import type { ConnectorRegistry } from '../core/registry.js';
import { PlatformError } from '../errors/index.js';
import type { TokenServiceOptions } from '../security/tokens/token-service.js';
import { DEFAULT_DATA_DIR, defaultStoreUrl } from '../store/index.js';
import type { RateLimitPolicy } from './trigger-config.js';

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
  /** Quota of every pipeline whose trigger sets no `rateLimit` (pipegate.yaml `rateLimits.default`). */
  defaultRateLimit?: RateLimitPolicy | null;
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
  if (publicUrl !== null && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(publicUrl))
    throw invalid('publicUrl', 'expected an http(s) URL');
  return {
    dirs: (o.dirs ?? []).map(abs),
    port: parsePort(o.port ?? env.PIPEGATE_PORT ?? 8080),
    host: o.host ?? env.PIPEGATE_HOST ?? '127.0.0.1',
    internalPort: internal === undefined ? null : parsePort(internal),
    internalHost: o.internalHost ?? env.PIPEGATE_INTERNAL_HOST ?? '127.0.0.1',
    dataDir,
    storeUrl: explicitStore ?? defaultStoreUrl(dataDir),
    embedded: explicitStore === undefined,
    environment: checkName('environment', o.environment ?? env.PIPEGATE_ENVIRONMENT ?? 'test'),
    realm: checkName('realm', o.realm ?? env.PIPEGATE_REALM ?? 'local'),
    publicUrl: publicUrl?.replace(/\/+$/, '') ?? null,
    env,
    pollIntervalMs: o.pollIntervalMs ?? 250,
    trustProxy: parseTrustProxy(o.trustProxy ?? env.PIPEGATE_TRUST_PROXY),
  };
}
