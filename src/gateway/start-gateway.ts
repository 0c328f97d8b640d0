// Starts a gateway: store, master key, deployments, token service, usage recorder, HTTP listener.
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { defaultRegistry } from '../connectors/index.js';
import { PlatformError } from '../errors/index.js';
import { SecretBox } from '../security/index.js';
import { createTokenService, createUsageRecorder } from '../security/tokens/token-service.js';
import type { TokenService, UsageRecorder } from '../security/tokens/token-service.js';
import type { DeploymentRecord, Store } from '../store/store.js';
import { startChangePoller } from './change-poller.js';
import type { ChangePoller } from './change-poller.js';
import { deployFile, rollback, undeploy } from './deployments/deploy-pipeline.js';
import type { DeployOutcome, DeployTarget } from './deployments/deploy-pipeline.js';
import { DeploymentSet } from './deployments/deployment-set.js';
import { registerAdminRoutes } from './admin/admin-routes.js';
import { deployFolders } from './folder-deploy.js';
import { resolveGatewayConfig } from './gateway-config.js';
import type { GatewayOptions } from './gateway-config.js';
import { GatewayState } from './gateway-state.js';
import { registerOAuthRoutes } from './oauth/oauth-routes.js';
import { oauthSettings } from './oauth/oauth-settings.js';
import { registerOpenApiRoute } from './openapi/openapi-route.js';
import { openGatewayStore } from './open-gateway-store.js';
import { validatePipelineDirs } from './pipeline-files.js';
import { buildServer, loggerOptions } from './server.js';

/** A running gateway. */
export interface Gateway {
  url: string;
  /** URL of the internal listener (`internalApi` pipelines), when one was configured. */
  internalUrl: string | null;
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

/** What has been started so far, for an orderly stop (also after a failed start). */
interface Running {
  app: FastifyInstance | null;
  internalApp: FastifyInstance | null;
  poller: ChangePoller | null;
  tokens: TokenService | null;
  usage: UsageRecorder | null;
  store: Store;
}

async function stopAll(r: Running): Promise<void> {
  await Promise.all([r.app?.close(), r.internalApp?.close()]);
  await r.poller?.stop();
  await r.tokens?.close();
  await r.usage?.close();
  await r.store.close();
}

/** Binds a listener; returns the URL clients reach it at. */
async function listen(
  app: FastifyInstance,
  at: { host: string; port: number },
): Promise<{ url: string; port: number }> {
  try {
    await app.listen({ port: at.port, host: at.host });
  } catch (err) {
    const reason = (err as Error).message;
    throw new PlatformError(
      'ERR_GATEWAY_LISTEN',
      { host: at.host, port: at.port, reason },
      { cause: err },
    );
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : at.port;
  const host = at.host.includes(':')
    ? `[${at.host}]`
    : at.host === '0.0.0.0'
      ? '127.0.0.1'
      : at.host;
  return { url: `http://${host}:${port}`, port };
}

/**
 * Starts a gateway (see docs/gateway.md): validates the folders' pipelines (rejecting before anything
 * is served when one is invalid), opens the store, deploys the folders, listens, then creates the
 * token service whose issuer contains the public URL, and follows the store's change feed.
 */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const cfg = resolveGatewayConfig(options);
  const registry = options.registry ?? defaultRegistry;
  const files = await validatePipelineDirs(cfg.dirs, registry, cfg.realm);
  const { store, master } = await openGatewayStore(cfg);
  const running: Running = {
    app: null,
    internalApp: null,
    poller: null,
    tokens: null,
    usage: null,
    store,
  };
  try {
    const target: DeployTarget = {
      store,
      environment: cfg.environment,
      realm: cfg.realm,
      registry,
    };
    const fromSeq = await store.changes.latest();
    const warn = (msg: string, details: Record<string, unknown>): void =>
      void running.app?.log.warn(details, msg);
    const state = new GatewayState(
      store,
      master,
      cfg.realm,
      cfg.environment,
      new DeploymentSet(target, warn),
    );
    const logger = options.logger === false ? false : loggerOptions(options.logger ?? {});
    const app = buildServer(state, logger as FastifyServerOptions['logger'], cfg.trustProxy);
    running.app = app;
    registerOAuthRoutes(app, state, oauthSettings(cfg.env));
    registerOpenApiRoute(app, state);
    registerAdminRoutes(app, {
      target: { ...target, master },
      passwords: state.passwords,
      afterWrite: () => state.deployments.reload(),
    });
    await state.reloadGlobals();
    await deployFolders(target, files, warn);
    await state.deployments.reload();
    const { url, port } = await listen(app, cfg);
    let internalUrl: string | null = null;
    if (cfg.internalPort !== null) {
      running.internalApp = buildServer(
        state,
        logger as FastifyServerOptions['logger'],
        cfg.trustProxy,
        'internal',
      );
      internalUrl = (
        await listen(running.internalApp, { host: cfg.internalHost, port: cfg.internalPort })
      ).url;
    }
    const publicUrl = cfg.publicUrl ?? url;
    state.setPublicUrl(publicUrl);
    const usage = createUsageRecorder(store, cfg.environment, {
      onError: (err) =>
        app.log.error({ code: (err as { code?: string }).code }, 'usage recorder cannot write'),
    });
    running.usage = usage;
    const issuer = `${publicUrl}/realms/${cfg.realm}`;
    const tokens = await createTokenService({
      store,
      box: new SecretBox(master),
      realm: cfg.realm,
      environment: cfg.environment,
      issuer,
      usage,
    });
    running.tokens = tokens;
    state.attachTokens(tokens, usage);
    running.poller = startChangePoller(
      {
        store,
        environment: cfg.environment,
        intervalMs: cfg.pollIntervalMs,
        onChange: (topics) => state.applyChanges(topics),
        onError: (err) =>
          app.log.warn({ code: (err as { code?: string }).code }, 'change feed poll failed'),
      },
      fromSeq,
    );
    const served = state.deployments.served.size;
    app.log.info(
      { url, environment: cfg.environment, realm: cfg.realm, deployments: served },
      'pipegate gateway listening',
    );
    const afterWrite = async <T>(result: T): Promise<T> => {
      await state.deployments.reload();
      return result;
    };
    return {
      url,
      internalUrl,
      port,
      store,
      tokens,
      usage,
      environment: cfg.environment,
      realm: cfg.realm,
      deployFile: async (path) => afterWrite(await deployFile(target, path)),
      undeploy: async (name, major) => afterWrite(await undeploy(target, name, major)),
      rollback: async (name, major) => afterWrite(await rollback(target, name, major)),
      async refresh() {
        await state.applyChanges(new Set(['consumers', 'globals', 'deployments']));
        await tokens.refresh();
      },
      async close() {
        state.startClosing();
        await stopAll(running);
      },
    };
  } catch (err) {
    await stopAll(running).catch(() => undefined);
    throw err;
  }
}
