// Starts a gateway: store, master key, deployments, token service, usage recorder, HTTP listener.
import { mkdir } from 'node:fs/promises';
import type { FastifyServerOptions } from 'fastify';
import { defaultRegistry } from '../connectors/index.js';
import type { ConnectorRegistry } from '../core/registry.js';
import type { HostServices } from '../core/step-context.js';
import { AccountService } from '../accounts/index.js';
import { defineOwn } from '../core/json.js';
import type { JsonObject } from '../core/json.js';
import { PlatformError, isPlatformError } from '../errors/index.js';
import { ApiKeyHasher, PasswordVerifier, SecretBox } from '../security/index.js';
import { createTokenService, createUsageRecorder } from '../security/tokens/token-service.js';
import type { TokenService, UsageRecorder } from '../security/tokens/token-service.js';
import type { Store } from '../store/store.js';
import type { AuthServices } from './auth/authenticate.js';
import { CredentialCache } from './auth/credential-cache.js';
import { startChangePoller } from './change-poller.js';
import type { ChangePoller } from './change-poller.js';
import { resolveGatewayConfig } from './gateway-config.js';
import type { GatewayOptions } from './gateway-config.js';
import { openGatewayStore } from './open-gateway-store.js';
import { deployFile, deployText, rollback, undeploy } from './deployments/deploy-pipeline.js';
import type { DeployOutcome, DeployTarget } from './deployments/deploy-pipeline.js';
import { DeploymentSet } from './deployments/deployment-set.js';
import type { DeploymentRecord } from '../store/store.js';
import { validatePipelineDirs } from './pipeline-files.js';
import type { PipelineFile } from './pipeline-files.js';
import { RateLimiter } from './rate-limiter.js';
import { buildServer, loggerOptions } from './server.js';

/** A running gateway. */
export interface Gateway {
  url: string;
  port: number;
  store: Store;
  tokens: TokenService;
  usage: UsageRecorder;
  environment: string;
  realm: string;
  /** Deploys a pipeline file (validated, routes checked) and serves it before resolving. */
  deployFile(path: string): Promise<DeployOutcome>;
  undeploy(name: string, major: number): Promise<DeploymentRecord>;
  rollback(name: string, major: number): Promise<DeploymentRecord>;
  /** Re-reads deployments and credentials now (what the change-feed poller does within its bound). */
  refresh(): Promise<void>;
  /** Graceful: stops accepting, finishes in-flight requests, flushes usage events, closes the store. */
  close(): Promise<void>;
}

export type { GatewayOptions } from './gateway-config.js';

/**
 * Deploys the folder pipelines at start (docs/deployments.md "Start-up"): a file is deployed when its
 * major has no active version, when its minor is newer, or when it is the same minor with a changed
 * text. A file older than the active minor (a newer one was deployed with `pipegate deploy`) is
 * skipped with a warning, so a restart never silently undoes a hot deploy.
 */
async function deployFolders(
  target: DeployTarget,
  files: PipelineFile[],
  warn: (msg: string, d: Record<string, unknown>) => void,
): Promise<void> {
  for (const { file, text, name, major, minor } of files) {
    const active = await target.store.deployments.getActive(target.environment, name, major);
    if (
      active &&
      (active.minor > minor || (active.minor === minor && active.definition === text))
    ) {
      if (active.minor > minor)
        warn('a newer minor is deployed; folder file not deployed', {
          file,
          pipeline: `${name}@${major}`,
          active: `${major}.${active.minor}`,
          fileVersion: `${major}.${minor}`,
        });
      continue;
    }
    try {
      await deployText(target, file, text);
    } catch (err) {
      // Another node starting at the same moment deployed the same file first.
      const now = await target.store.deployments.getActive(target.environment, name, major);
      if (!(isPlatformError(err) && err.code === 'ERR_STORE_CONFLICT' && now?.definition === text))
        throw err;
    }
  }
}

/** Starts a gateway (see docs/gateway.md). Rejects, changing nothing served, when a pipeline is invalid. */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const cfg = resolveGatewayConfig(options);
  const registry: ConnectorRegistry = options.registry ?? defaultRegistry;
  const files = await validatePipelineDirs(cfg.dirs, registry, cfg.realm);
  if (cfg.embedded) await mkdir(cfg.dataDir, { recursive: true, mode: 0o700 });
  const { store, master } = await openGatewayStore(cfg);
  let poller: ChangePoller | null = null;
  let tokens: TokenService | null = null;
  let usage: UsageRecorder | null = null;
  let app: ReturnType<typeof buildServer> | null = null;
  try {
    const target: DeployTarget = {
      store,
      environment: cfg.environment,
      realm: cfg.realm,
      registry,
    };
    const fromSeq = await store.changes.latest();
    const logger =
      options.logger === false
        ? false
        : (loggerOptions(options.logger ?? {}) as FastifyServerOptions['logger']);
    const deployments = new DeploymentSet(target, (msg, details) => app?.log.warn(details, msg));
    const cache = new CredentialCache(store, cfg.environment);
    const passwords = new PasswordVerifier(master);
    const hasher = new ApiKeyHasher(master);
    let auth: AuthServices | null = null;
    let host: HostServices = {};
    const loadGlobals = async (): Promise<JsonObject> => {
      const out: JsonObject = {};
      for (const g of await store.globals.list(cfg.environment)) defineOwn(out, g.name, g.value);
      return out;
    };
    let globals = await loadGlobals();
    let publicUrl = cfg.publicUrl ?? '';
    let closing = false;
    app = buildServer(
      {
        realm: cfg.realm,
        environment: cfg.environment,
        deployments,
        limiter: new RateLimiter(),
        auth: () => auth,
        host: () => host,
        globals: () => globals,
        usage: () => usage,
        tokens: () => tokens,
        publicUrl: () => publicUrl,
        closing: () => closing,
        ready: async () => {
          let storeOk = true;
          try {
            await store.changes.latest();
          } catch {
            storeOk = false;
          }
          const keysOk =
            tokens !== null &&
            (await tokens.jwks().then(
              () => true,
              () => false,
            ));
          return {
            ok: storeOk && keysOk,
            checks: { store: storeOk, keys: keysOk, deployments: deployments.served.size },
          };
        },
      },
      logger,
      cfg.trustProxy,
    );
    await deployFolders(target, files, (msg, d) => app?.log.warn(d, msg));
    await deployments.reload();
    try {
      await app.listen({ port: cfg.port, host: cfg.host });
    } catch (err) {
      throw new PlatformError(
        'ERR_GATEWAY_LISTEN',
        { host: cfg.host, port: cfg.port, reason: (err as Error).message },
        { cause: err },
      );
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : cfg.port;
    const url = `http://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host === '0.0.0.0' ? '127.0.0.1' : cfg.host}:${port}`;
    if (!cfg.publicUrl) publicUrl = url;
    const log = app.log;
    usage = createUsageRecorder(store, cfg.environment, {
      onError: (err) =>
        log.error({ code: (err as { code?: string }).code }, 'usage recorder cannot write'),
    });
    tokens = await createTokenService({
      store,
      box: new SecretBox(master),
      realm: cfg.realm,
      environment: cfg.environment,
      issuer: `${publicUrl}/realms/${cfg.realm}`,
      usage,
    });
    const svc = tokens;
    host = gatewayHost(
      store,
      cfg.environment,
      svc,
      new AccountService(store, new SecretBox(master)),
    );
    auth = { realm: cfg.realm, cache, hasher, passwords, tokens: svc };
    poller = startChangePoller(
      {
        store,
        environment: cfg.environment,
        intervalMs: cfg.pollIntervalMs,
        onChange: async (topics) => {
          if (topics.has('consumers') || topics.has('apiKeys') || topics.has('basicCredentials')) {
            cache.clear();
            passwords.clear();
          }
          if (topics.has('globals')) globals = await loadGlobals();
          if (topics.has('deployments')) await deployments.reload();
        },
        onError: (err) =>
          log.warn({ code: (err as { code?: string }).code }, 'change feed poll failed'),
      },
      fromSeq,
    );
    log.info(
      { url, environment: cfg.environment, realm: cfg.realm, deployments: deployments.served.size },
      'pipegate gateway listening',
    );
    const running = { app, poller, usage, tokens: svc };
    return {
      url,
      port,
      store,
      tokens: svc,
      usage,
      environment: cfg.environment,
      realm: cfg.realm,
      async deployFile(path) {
        const outcome = await deployFile(target, path);
        await deployments.reload();
        return outcome;
      },
      async undeploy(name, major) {
        const r = await undeploy(target, name, major);
        await deployments.reload();
        return r;
      },
      async rollback(name, major) {
        const r = await rollback(target, name, major);
        await deployments.reload();
        return r;
      },
      async refresh() {
        globals = await loadGlobals();
        cache.clear();
        passwords.clear();
        await deployments.reload();
        await svc.refresh();
      },
      async close() {
        closing = true;
        await running.app.close();
        await running.poller.stop();
        await running.tokens.close();
        await running.usage.close();
        await store.close();
      },
    };
  } catch (err) {
    await app?.close();
    await poller?.stop();
    await tokens?.close();
    await usage?.close().catch(() => undefined);
    await store.close();
    throw err;
  }
}

/** Host services of gateway executions: tokens, accounts, and token-scoped session memory. */
function gatewayHost(
  store: Store,
  environment: string,
  tokens: TokenService,
  accounts: AccountService,
): HostServices {
  const host = {
    tokens,
    accounts: accounts.resolver(environment),
    accountScope: (labels: readonly string[], env: string) => accounts.scope(labels, env),
    globalSessions: {
      async get(key: string) {
        return (await store.globalSessions.get(environment, key))?.data;
      },
      async put(
        key: string,
        data: Parameters<Store['globalSessions']['put']>[2],
        expiresAtSec: number,
      ) {
        await store.globalSessions.put(environment, key, data, expiresAtSec * 1000);
      },
    },
  };
  return host as HostServices;
}
