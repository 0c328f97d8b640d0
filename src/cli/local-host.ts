// The host services `pipegate run` gives a pipeline: globals and a lazily created token service, a test consumer.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AccountService } from '../accounts/index.js';
import { DatabasePools } from '../connectors/db/database-pools.js';
import { createOutboundHttp } from '../http-client/index.js';
import { EgressPolicy, parseAllowEgress } from '../security/egress/index.js';
import { loadGlobalValues } from '../globals/global-admin.js';
import type { JsonObject } from '../core/json.js';
import type { AuthInfo, HostServices } from '../core/step-context.js';
import {
  SecretBox,
  generateMasterKeyText,
  loadMasterKey,
  parseMasterKey,
  verifyMasterKey,
} from '../security/index.js';
import type { MasterKey } from '../security/index.js';
import { openStore, DEFAULT_DATA_DIR, DEFAULT_DB_FILE } from '../store/index.js';
import type { Store } from '../store/store.js';
import { metadataDocument } from '../security/tokens/metadata-document.js';
import { storeConsumerLookup } from '../security/tokens/consumer-cache.js';
import { createTokenService, createUsageRecorder } from '../security/tokens/token-service.js';
import type { TokenService, UsageRecorder } from '../security/tokens/token-service.js';
import type { TokenPolicy } from '../gateway/gateway-config.js';

/** Options of the local host. */
export interface LocalHostOptions {
  cwd: string;
  dataDir?: string;
  environment: string;
  realm: string;
  consumer: string;
  env: NodeJS.ProcessEnv;
  /** Egress allow-list (`--allow-egress`; default PIPEGATE_ALLOW_EGRESS, comma-separated). */
  allowEgress?: string[];
  /** The realm token policy of pipegate.yaml. */
  tokenPolicy?: TokenPolicy;
  /** pipegate.yaml's publicUrl and main port (the issuer of a server started from the same file). */
  publicUrl?: string;
  port?: number;
}

/** What `run` gets from the local host. */
export interface LocalHost {
  host: HostServices;
  globals: JsonObject;
  auth: AuthInfo | null;
  close(): Promise<void>;
}

/**
 * The issuer a local server would use, so locally minted tokens verify there (same data dir):
 * pipegate.yaml's publicUrl and port when given, else the PIPEGATE_* variables, else the defaults.
 */
export function localIssuer(
  env: NodeJS.ProcessEnv,
  realm: string,
  configured: { publicUrl?: string; port?: number } = {},
): string {
  const base = (
    configured.publicUrl ??
    env.PIPEGATE_PUBLIC_URL ??
    `http://127.0.0.1:${configured.port ?? env.PIPEGATE_PORT ?? '8080'}`
  ).replace(/\/+$/, '');
  return `${base}/realms/${realm}`;
}

interface Backing {
  store: Store;
  master: MasterKey;
  /** True for the throw-away in-memory store of a run without a data directory. */
  ephemeral: boolean;
}

/**
 * Decision (docs/tokens.md "Local runs"): when the data directory's SQLite file exists (or
 * PIPEGATE_STORE is set) the run uses that store — its globals, consumers and signing key, with the
 * master key from PIPEGATE_MASTER_KEY or `<dataDir>/master.key` (never created here) — so a token
 * minted by `pipegate run` verifies on a server sharing that store. Otherwise nothing is written to
 * disk: an in-memory store with a random master key and a fresh signing key, valid for this run only.
 * The signing key and the token service are created on the first jwt step only, so pipelines that do
 * not mint tokens pay nothing.
 */
async function openBacking(o: LocalHostOptions): Promise<Backing | null> {
  const dataDir = resolve(o.cwd, o.dataDir ?? o.env.PIPEGATE_DATA_DIR ?? DEFAULT_DATA_DIR);
  const url =
    o.env.PIPEGATE_STORE ??
    (existsSync(join(dataDir, DEFAULT_DB_FILE))
      ? `sqlite:${join(dataDir, DEFAULT_DB_FILE)}`
      : null);
  if (url === null) return null;
  const store = await openStore(url);
  try {
    const master = await loadMasterKey({ env: o.env, dataDir, create: false });
    await verifyMasterKey(store.meta, master);
    return { store, master, ephemeral: false };
  } catch (err) {
    await store.close();
    throw err;
  }
}

async function ephemeralBacking(): Promise<Backing> {
  const store = await openStore('sqlite::memory:');
  return {
    store,
    master: parseMasterKey(generateMasterKeyText(), 'ephemeral run key'),
    ephemeral: true,
  };
}

/** A TokenService whose real instance (keys, store) is created on first use. */
function lazyTokens(
  o: LocalHostOptions,
  getBacking: () => Promise<Backing>,
  track: (u: UsageRecorder, t: TokenService) => void,
): TokenService {
  const issuer = localIssuer(o.env, o.realm, { publicUrl: o.publicUrl, port: o.port });
  let created: Promise<TokenService> | null = null;
  const service = (): Promise<TokenService> =>
    (created ??= getBacking().then(async ({ store, master }) => {
      const usage = createUsageRecorder(store, o.environment);
      const fromStore = storeConsumerLookup(store, o.environment);
      const tokens = await createTokenService({
        store,
        box: new SecretBox(master),
        realm: o.realm,
        environment: o.environment,
        issuer,
        usage,
        refreshIntervalMs: 0,
        ...o.tokenPolicy,
        // The test consumer exists for this run even when the store does not know it.
        consumerLookup: async (name) =>
          (await fromStore(name)) ??
          (name === o.consumer ? { id: `local-run:${name}`, enabled: true, scopes: null } : null),
      });
      track(usage, tokens);
      return tokens;
    }));
  return {
    realm: o.realm,
    environment: o.environment,
    issuer,
    audience: `${o.realm}:${o.environment}`,
    issue: async (r) => (await service()).issue(r),
    verify: async (t) => (await service()).verify(t),
    revoke: async (r) => (await service()).revoke(r),
    jwks: async () => (await service()).jwks(),
    metadataDocument: (base) => metadataDocument(issuer, base),
    refresh: async () => (await service()).refresh(),
    close: async () => (created ? (await created).close() : undefined),
  };
}

/** Builds the host for local runs. */
export async function createLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  let backing = await openBacking(options);
  const globals: JsonObject = backing
    ? await loadGlobalValues(backing.store, options.environment)
    : {};
  let ephemeral: Promise<Backing> | null = null;
  const getBacking = (): Promise<Backing> =>
    backing ? Promise.resolve(backing) : (ephemeral ??= ephemeralBacking());
  const opened: { usage: UsageRecorder; tokens: TokenService }[] = [];
  const tokens = lazyTokens(options, getBacking, (usage, t) => opened.push({ usage, tokens: t }));
  const auth: AuthInfo = { method: 'none', consumer: options.consumer, scopes: [], claims: null };
  const policy = new EgressPolicy(
    parseAllowEgress(options.allowEgress ?? options.env.PIPEGATE_ALLOW_EGRESS),
  );
  const outboundHttp = createOutboundHttp({ policy });
  const databases = new DatabasePools();
  const host: HostServices = { tokens, outboundHttp, databases };
  if (backing) {
    // Accounts of the data directory's store, as a server sharing it would resolve them.
    const accounts = new AccountService(backing.store, new SecretBox(backing.master));
    host.accounts = accounts.resolver(options.environment);
    host.accountScope = (labels, env) => accounts.scope(labels, env);
  }
  return {
    host,
    globals,
    auth,
    async close() {
      await outboundHttp.close();
      await databases.close();
      for (const o of opened) {
        await o.tokens.close();
        await o.usage.close();
      }
      if (ephemeral) await (await ephemeral).store.close();
      await backing?.store.close();
      backing = null;
    },
  };
}
