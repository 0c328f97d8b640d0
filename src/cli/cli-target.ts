// Shared options of the store-backed CLI commands (--data-dir, --store, --environment, --realm, --json).
import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from './command.js';
import { readCliConfig } from './cli-config.js';
import { gatewayOptionsFrom } from '../config/index.js';
import { registryWithConnectors } from '../connectors/custom/load-connectors.js';
import type { DeployTarget } from '../deployments/deploy-pipeline.js';
import type { ConsumerTarget } from '../consumers/consumer-admin.js';
import { resolveGatewayConfig } from '../gateway/gateway-config.js';
import type { GatewayOptions, TokenPolicy } from '../gateway/gateway-config.js';
import { openGatewayStore } from '../gateway/open-gateway-store.js';

/** parseArgs options every store-backed command accepts. */
export const STORE_OPTIONS = {
  'data-dir': { type: 'string' },
  store: { type: 'string' },
  environment: { type: 'string' },
  realm: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The usage suffix describing STORE_OPTIONS. */
export const STORE_USAGE =
  '[--environment NAME] [--realm NAME] [--data-dir DIR] [--store URL] [--config FILE] [--json]';

/** A store opened for one command; `close()` when done. */
export interface CliTarget extends DeployTarget, ConsumerTarget {
  /** The realm token policy of pipegate.yaml (keys rotate reads its lifetime and algorithm). */
  tokenPolicy: TokenPolicy;
  close(): Promise<void>;
}

/**
 * Opens the store the server uses (same defaults: ./.pipegate under the working directory, or
 * --store / PIPEGATE_STORE) with its master key. Commands write the store directly; running servers
 * pick the change up from the change feed within their poll bound (docs/deployments.md).
 */
export async function openCliTarget(
  values: {
    'data-dir'?: string;
    store?: string;
    environment?: string;
    realm?: string;
    config?: string;
  },
  io: CliIo,
): Promise<CliTarget> {
  // pipegate.yaml, PIPEGATE_* and these flags, in that order of precedence (docs/configuration.md).
  const options = gatewayOptionsFrom(await readCliConfig(io, values)) as GatewayOptions;
  const cfg = resolveGatewayConfig({ ...options, env: io.env, cwd: io.cwd });
  const registry = await registryWithConnectors(options.connectors ?? [], io.cwd);
  const { store, master } = await openGatewayStore(cfg);
  return {
    store,
    master,
    environment: cfg.environment,
    realm: cfg.realm,
    registry,
    defaultRateLimit: options.defaultRateLimit ?? null,
    tokenPolicy: options.tokenPolicy ?? {},
    close: () => store.close(),
  };
}

/** Writes one JSON document. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
