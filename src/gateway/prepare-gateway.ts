// The once-per-start work of a multi-process gateway, done by the primary before it forks the workers.
import { registryWithConnectors } from '../connectors/custom/load-connectors.js';
import { SecretBox } from '../security/index.js';
import type { MasterKey } from '../security/index.js';
import { DEFAULT_SIGNING_ALGORITHM } from '../security/signing-keys.js';
import { KeyRing } from '../security/tokens/key-ring.js';
import type { Store } from '../store/store.js';
import { deployFolders } from './folder-deploy.js';
import { resolveGatewayConfig } from './gateway-config.js';
import type { GatewayConfig, GatewayOptions } from './gateway-config.js';
import { openGatewayStore } from './open-gateway-store.js';
import { validatePipelineDirs } from './pipeline-files.js';

/** The opened store of the primary: first-start credentials are created through it, then it is closed. */
export interface PreparedGateway {
  cfg: GatewayConfig;
  store: Store;
  master: MasterKey;
}

/**
 * Validates the folders' pipelines, migrates the store (creating the embedded master key file),
 * deploys the folders and creates the realm's first signing key — each once, in the primary, so N
 * workers starting together do not race for them. The workers then find everything in place (their
 * own folder pass reads and deploys nothing). Warnings go to `warn`.
 */
export async function prepareGateway(
  options: GatewayOptions,
  warn: (msg: string, details: Record<string, unknown>) => void,
): Promise<PreparedGateway> {
  const cfg = resolveGatewayConfig(options);
  const registry =
    options.registry ?? (await registryWithConnectors(options.connectors ?? [], options.cwd));
  const files = await validatePipelineDirs(cfg.dirs, registry, cfg.realm);
  const { store, master } = await openGatewayStore(cfg);
  try {
    await deployFolders(
      {
        store,
        environment: cfg.environment,
        realm: cfg.realm,
        registry,
        defaultRateLimit: options.defaultRateLimit ?? null,
      },
      files,
      warn,
    );
    await new KeyRing({
      store,
      box: new SecretBox(master),
      environment: cfg.environment,
      realm: cfg.realm,
      algorithm: options.tokenPolicy?.signingAlgorithm ?? DEFAULT_SIGNING_ALGORITHM,
      now: Date.now,
    }).init();
    return { cfg, store, master };
  } catch (err) {
    await store.close();
    throw err;
  }
}
