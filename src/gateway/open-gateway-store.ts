// Opens the store and the master key bound to it, for the server and the store-backed CLI commands.
import { loadMasterKey, verifyMasterKey } from '../security/index.js';
import type { MasterKey } from '../security/index.js';
import { openStore } from '../store/index.js';
import { ensurePrivateDir } from '../store/private-files.js';
import type { Store } from '../store/store.js';

/** What the server and the CLI share. */
export interface OpenedStore {
  store: Store;
  master: MasterKey;
}

/**
 * Opens `storeUrl` (migrating it) and loads the master key: PIPEGATE_MASTER_KEY, else
 * `<dataDir>/master.key`. The key file is created only for the embedded store: with a shared store
 * every node must be given the same key, and a node inventing its own would be refused anyway by the
 * check value (ERR_MASTER_KEY_MISMATCH).
 */
export async function openGatewayStore(cfg: {
  storeUrl: string;
  dataDir: string;
  embedded: boolean;
  env: NodeJS.ProcessEnv;
  /** Timeouts and circuit breaker of a PostgreSQL pool (docs/operations.md). */
  faults?: {
    storeQueryTimeoutMs: number;
    storeConnectTimeoutMs: number;
    breakerFailures: number;
    breakerResetMs: number;
  };
}): Promise<OpenedStore> {
  if (cfg.embedded) ensurePrivateDir(cfg.dataDir);
  const f = cfg.faults;
  const store = await openStore(
    cfg.storeUrl,
    f
      ? {
          queryTimeoutMs: f.storeQueryTimeoutMs,
          connectTimeoutMs: f.storeConnectTimeoutMs,
          breaker: { failures: f.breakerFailures, resetMs: f.breakerResetMs },
        }
      : {},
  );
  try {
    const master = await loadMasterKey({
      env: cfg.env,
      dataDir: cfg.dataDir,
      create: cfg.embedded,
    });
    await verifyMasterKey(store.meta, master);
    return { store, master };
  } catch (err) {
    await store.close();
    throw err;
  }
}
