// Starts a gateway: store, master key, deployments, token service, usage recorder, HTTP listener.
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { DatabasePools } from '../connectors/db/database-pools.js';
import { registryWithConnectors } from '../connectors/custom/load-connectors.js';
import { PlatformError } from '../errors/index.js';
import { createOutboundHttp, type OutboundHttp } from '../http-client/index.js';
import { DPOP_NONCE_LIFETIME_SEC, DpopNonces, dpopNonceKey } from '../security/dpop/index.js';
import { EgressPolicy } from '../security/egress/index.js';
import { SecretBox } from '../security/index.js';
import type { MasterKey } from '../security/index.js';
import {
  resolveAnomalySettings,
  startAnomalyDetection,
  teeUsageRecorder,
} from '../monitoring/anomalies/index.js';
import type { AnomalyDetection } from '../monitoring/anomalies/index.js';
import { createTokenService, createUsageRecorder } from '../security/tokens/token-service.js';
import type { TokenService, UsageRecorder } from '../security/tokens/token-service.js';
import type { ChangeSubscription, DeploymentRecord, Store } from '../store/store.js';
import { countedTokens, countedUsage } from '../monitoring/counted-services.js';
import { ExecutionMonitor } from '../monitoring/execution-monitor.js';
import { createGatewayMetrics } from '../monitoring/metrics.js';
import type { GatewayMetrics } from '../monitoring/metrics.js';
import { RetentionTask } from '../monitoring/retention.js';
import { startChangePoller } from './change-poller.js';
import type { ChangePoller } from './change-poller.js';
import { deployFile, rollback, undeploy } from '../deployments/deploy-pipeline.js';
import type { DeployOutcome, DeployTarget } from '../deployments/deploy-pipeline.js';
import { DeploymentSet } from './deployments/deployment-set.js';
import { buildAdminServer } from './admin/admin-server.js';
import { ConsoleEvents } from '../console/event-hub.js';
import { anomalyJson } from '../monitoring/anomalies/index.js';
import { executionView, logView } from '../monitoring/monitoring-reader.js';
import { LoginGuard } from './auth/login-guard.js';
import { deployFolders } from './folder-deploy.js';
import { resolveGatewayConfig } from './gateway-config.js';
import type { GatewayOptions } from './gateway-config.js';
import { GatewayState } from './gateway-state.js';
import { LogThrottle } from './log-throttle.js';
import { registerOAuthRoutes } from './oauth/oauth-routes.js';
import { oauthSettings } from './oauth/oauth-settings.js';
import { registerOpenApiRoute } from './openapi/openapi-route.js';
import { openGatewayStore } from './open-gateway-store.js';
import { validatePipelineDirs } from './pipeline-files.js';
import { buildServer, loggerOptions } from './server.js';
import { createSharedState } from './shared-state/index.js';
import { StoreReplayCache } from './shared-state/store-replay-cache.js';
import type { SharedState } from './shared-state/index.js';

/** A running gateway. */
export interface Gateway {
  url: string;
  /** URL of the internal listener (`internalApi` pipelines), when one was configured. */
  internalUrl: string | null;
  /** URL of the admin listener (/admin/*), null when disabled (`adminPort: 0`). */
  adminUrl: string | null;
  port: number;
  store: Store;
  tokens: TokenService;
  usage: UsageRecorder;
  /** Anomaly detection of this node (null when turned off). */
  anomalies: AnomalyDetection | null;
  /** Execution records and log lines (queues, flush) and the execution metrics. */
  monitor: ExecutionMonitor;
  /** The Prometheus registry served at /metrics; other modules add to it. */
  metrics: GatewayMetrics;
  /** The retention purge (its timer runs on every store; `addPurge` registers more tables). */
  retention: RetentionTask;
  /** Rate-limit windows and replay caches: in Redis with `redis.url`, else in this process. */
  shared: SharedState;
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
  adminApp: FastifyInstance | null;
  poller: ChangePoller | null;
  changeSubscription: ChangeSubscription | null;
  tokens: TokenService | null;
  usage: UsageRecorder | null;
  anomalies: AnomalyDetection | null;
  outboundHttp: OutboundHttp | null;
  databases: DatabasePools | null;
  monitor: ExecutionMonitor | null;
  retention: RetentionTask | null;
  shared: SharedState | null;
  store: Store;
}

async function stopAll(r: Running): Promise<void> {
  await Promise.all([r.app?.close(), r.internalApp?.close(), r.adminApp?.close()]);
  await r.changeSubscription?.close();
  await r.poller?.stop();
  await r.anomalies?.close();
  await r.tokens?.close();
  // SIGTERM path: every queued execution, log line and usage event is written before the store closes.
  await r.retention?.stop();
  await Promise.all([r.monitor?.close(), r.usage?.close()]);
  await r.outboundHttp?.close();
  await r.databases?.close();
  await r.shared?.close();
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

type Config = ReturnType<typeof resolveGatewayConfig>;
type Logger = FastifyServerOptions['logger'];

/** What every later step builds on: the deploy target, the shared request state, metrics, recorder. */
interface Core {
  cfg: Config;
  store: Store;
  master: MasterKey;
  target: DeployTarget;
  state: GatewayState;
  metrics: GatewayMetrics;
  monitor: ExecutionMonitor;
  logger: Logger;
  /** The main listener's log (set once it is built; before that, nothing to log to). */
  log(): FastifyInstance['log'] | undefined;
}

/** Step 1: the gateway state (deployments, login guard, outbound HTTP, databases) and execution recording. */
function createCore(
  cfg: Config,
  options: GatewayOptions,
  opened: { store: Store; master: MasterKey },
  registry: DeployTarget['registry'],
  running: Running,
): Core {
  const { store, master } = opened;
  const target: DeployTarget = {
    store,
    environment: cfg.environment,
    realm: cfg.realm,
    registry,
    defaultRateLimit: options.defaultRateLimit ?? null,
  };
  const log = (): FastifyInstance['log'] | undefined => running.app?.log;
  const state = new GatewayState(
    store,
    master,
    cfg.realm,
    cfg.environment,
    new DeploymentSet(
      target,
      (msg, details) => void log()?.warn(details, msg),
      (msg, details) => void log()?.info(details, msg),
    ),
    new LoginGuard(cfg.logins),
  );
  state.outboundHttp = running.outboundHttp = createOutboundHttp({
    policy: new EgressPolicy(cfg.allowEgress),
  });
  state.databases = running.databases = new DatabasePools();
  const metrics = createGatewayMetrics();
  if (options.clusterMetrics) metrics.clusterText = options.clusterMetrics;
  const monitor = new ExecutionMonitor(store, cfg.environment, metrics, {
    record: cfg.monitoring.record,
    maxQueue: cfg.monitoring.maxQueue,
    onError: (err) =>
      log()?.error({ code: (err as { code?: string }).code }, 'execution recorder cannot write'),
  });
  running.monitor = monitor;
  state.attachMonitor(monitor);
  state.durableUsage = cfg.faults.durableUsage;
  const logger = (options.logger === false ? false : loggerOptions(options.logger ?? {})) as Logger;
  return { cfg, store, master, target, state, metrics, monitor, logger, log };
}

/**
 * Step 2: the main listener — rate limits and replay caches (Redis or local), OAuth and OpenAPI
 * routes, globals, the folders' pipelines deployed and loaded — then listening.
 */
async function startPublicListener(
  core: Core,
  files: Awaited<ReturnType<typeof validatePipelineDirs>>,
  running: Running,
): Promise<{ app: FastifyInstance; shared: SharedState; url: string; port: number }> {
  const { cfg, state } = core;
  const app = buildServer(state, core.logger, cfg.trustProxy, 'external', cfg.limits);
  running.app = app;
  const shared = await createSharedState(cfg.redis, {
    environment: cfg.environment,
    env: cfg.env,
    registry: core.metrics.registry,
    log: app.log,
    logRepeatIntervalMs: cfg.faults.logRepeatIntervalMs,
  });
  running.shared = shared;
  state.limiter.close();
  state.limiter = shared.limiter;
  state.shared = shared;
  state.logins.share(shared.loginCounters);
  registerOAuthRoutes(app, state, oauthSettings(cfg.env));
  registerOpenApiRoute(app, state);
  await state.reloadGlobals();
  await deployFolders(core.target, files, (msg, details) => void app.log.warn(details, msg));
  await state.deployments.reload();
  const { url, port } = await listen(app, cfg);
  return { app, shared, url, port };
}

/** Step 3: the internal listener (`internalApi` pipelines), when configured. */
async function startInternalListener(core: Core, running: Running): Promise<string | null> {
  const { cfg } = core;
  if (cfg.internalPort === null) return null;
  running.internalApp = buildServer(
    core.state,
    core.logger,
    cfg.trustProxy,
    'internal',
    cfg.limits,
  );
  return (await listen(running.internalApp, { host: cfg.internalHost, port: cfg.internalPort }))
    .url;
}

/** Step 4: the admin listener (admin API, /metrics, the console and its live events), when enabled. */
async function startAdminListener(
  core: Core,
  options: GatewayOptions,
  running: Running,
): Promise<{ adminUrl: string | null; events: ConsoleEvents | null }> {
  const { cfg, store, state, monitor } = core;
  if (cfg.adminPort === null) return { adminUrl: null, events: null };
  const events = new ConsoleEvents({
    ...options.console?.events,
    overview: async () => {
      const now = Date.now();
      return {
        counters: await store.consoleStats.counters(cfg.environment, now - (now % 86_400_000)),
      };
    },
  });
  const env = cfg.environment;
  monitor.subscribe(
    (e) => {
      if (!events.wants(e.kind)) return;
      if (e.kind === 'execution')
        events.publish('execution', executionView({ ...e.record, environment: env }, false));
      else events.publish('log', logView({ ...e.line, environment: env }));
    },
    (kind) => events.wants(kind),
  );
  running.adminApp = buildAdminServer(
    {
      target: { ...core.target, master: core.master },
      passwords: state.passwords,
      logins: state.logins,
      afterWrite: () => state.deployments.reload(),
      monitoring: { metrics: core.metrics },
      events,
      applyChanges: (topics) => state.applyChanges(topics),
      refreshTokens: async () => {
        await running.tokens?.refresh();
      },
    },
    core.logger,
    cfg.trustProxy,
    cfg.limits,
    options.console?.session,
  );
  const adminUrl = (await listen(running.adminApp, { host: cfg.adminHost, port: cfg.adminPort }))
    .url;
  return { adminUrl, events };
}

/**
 * Step 5: usage records (with anomaly detection on them) and the token service, whose issuer holds
 * the public URL; DPoP replay cache and external-issuer error logging.
 */
async function startTokens(
  core: Core,
  options: GatewayOptions,
  pub: { app: FastifyInstance; shared: SharedState },
  events: ConsoleEvents | null,
  throttle: LogThrottle,
  publicUrl: string,
  anomalySettings: ReturnType<typeof resolveAnomalySettings>,
  running: Running,
): Promise<{ tokens: TokenService; usage: UsageRecorder; anomalies: AnomalyDetection | null }> {
  const { cfg, store, metrics, state } = core;
  const { app, shared } = pub;
  const recorder = countedUsage(
    createUsageRecorder(store, cfg.environment, {
      maxQueue: cfg.monitoring.maxQueue * 5,
      refusalWindowMs: cfg.monitoring.refusalWindowMs,
      onError: (err) => {
        metrics.storeErrors.inc({ operation: 'write_usage' });
        throttle.hit(`usage:${codeOf(err)}`, (repeated) =>
          app.log.error({ code: codeOf(err), repeated }, 'usage recorder cannot write'),
        );
      },
    }),
    metrics,
  );
  running.usage = recorder;
  const anomalies = anomalySettings.enabled
    ? startAnomalyDetection({
        store,
        environment: cfg.environment,
        realm: cfg.realm,
        settings: anomalySettings,
        revokeToken: (jti) => running.tokens!.revoke({ jti }),
        log: app.log,
      })
    : null;
  running.anomalies = anomalies;
  if (anomalies) {
    anomalies.onAnomaly((rule) => metrics.anomalies.inc({ rule }));
    if (events) anomalies.onAnomaly((_rule, a) => events.publish('anomaly', anomalyJson(a)));
    if (options.onAnomaly) anomalies.onAnomaly(options.onAnomaly);
  }
  const usage = anomalies ? teeUsageRecorder(recorder, anomalies) : recorder;
  const tokens = await createTokenService({
    store,
    box: new SecretBox(core.master),
    realm: cfg.realm,
    environment: cfg.environment,
    issuer: `${publicUrl}/realms/${cfg.realm}`,
    usage,
    ...options.tokenPolicy,
  });
  running.tokens = tokens;
  state.dpopLeewaySec = options.tokenPolicy?.leewaySec ?? 30;
  // DPoP proof ids are one-time across every node and worker: the caller's cache, else Redis when
  // configured, else the store (docs/oauth.md "Replay across nodes").
  if (options.dpopReplay) state.dpopReplay = options.dpopReplay;
  else if (shared.shared) state.dpopReplay = shared.replayCache('dpop');
  else state.dpopReplay = new StoreReplayCache(store, cfg.environment, 'dpop');
  // Stateless nonces under a key derived from the master key: every node and worker accepts them.
  if (options.dpop?.nonce)
    state.dpopNonces = new DpopNonces(dpopNonceKey(core.master, cfg.realm, cfg.environment), {
      lifetimeSec: options.dpop.nonceLifetimeSec ?? DPOP_NONCE_LIFETIME_SEC,
    });
  state.onIssuerError = (issuer, err) =>
    throttle.hit(`issuer:${issuer}:${err.code}`, (repeated) =>
      app.log.warn(
        { issuer, code: err.code, reason: err.message, repeated },
        'external issuer keys unavailable',
      ),
    );
  state.attachTokens(countedTokens(tokens, metrics), usage);
  return { tokens, usage, anomalies };
}

/**
 * Step 6: background work — the retention purge, the change-feed poller from `fromSeq`, and on
 * PostgreSQL the LISTEN subscription that wakes the poller and the token refresh at once.
 */
function startBackground(
  core: Core,
  app: FastifyInstance,
  tokens: TokenService,
  throttle: LogThrottle,
  fromSeq: number,
  running: Running,
): RetentionTask {
  const { cfg, store, state } = core;
  const retention = new RetentionTask({
    store,
    environment: cfg.environment,
    days: cfg.monitoring.retentionDays,
    intervalMs: cfg.monitoring.purgeIntervalMs,
    metrics: core.metrics,
    onError: (err) => app.log.warn({ code: codeOf(err) }, 'retention purge failed'),
  }).start();
  // Expired one-time ids (DPoP proofs) go with the same timer, whatever the retention days.
  retention.addPurge('replay_ids', (_before, limit) => store.replay.purge(cfg.environment, limit));
  running.retention = retention;
  const poller = startChangePoller(
    {
      store,
      environment: cfg.environment,
      intervalMs: cfg.pollIntervalMs,
      onChange: (topics) => state.applyChanges(topics),
      onError: (err) =>
        throttle.hit(`poll:${codeOf(err)}`, (repeated) =>
          app.log.warn({ code: codeOf(err), repeated }, 'change feed poll failed'),
        ),
    },
    fromSeq,
  );
  running.poller = poller;
  // PostgreSQL: a committed change wakes both pollers at once (sub-second propagation across
  // nodes); their timers stay as the safety net while the LISTEN connection is down.
  running.changeSubscription =
    store.changes.subscribe?.(cfg.environment, () => {
      void poller.pollNow();
      void tokens.refresh().catch(() => undefined);
    }) ?? null;
  return retention;
}

function codeOf(err: unknown): string | undefined {
  return (err as { code?: string }).code;
}

/**
 * Starts a gateway (see docs/gateway.md): validates the folders' pipelines (rejecting before anything
 * is served when one is invalid), opens the store, deploys the folders, listens, then creates the
 * token service whose issuer contains the public URL, and follows the store's change feed. Each
 * step above records what it started in `running`, so a failed start stops exactly that.
 */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const cfg = resolveGatewayConfig(options);
  const registry =
    options.registry ?? (await registryWithConnectors(options.connectors ?? [], options.cwd));
  // Settings are checked before anything is opened: a bad option fails the start with nothing to undo.
  const anomalySettings = resolveAnomalySettings(options.anomalies);
  const files = await validatePipelineDirs(cfg.dirs, registry, cfg.realm);
  const opened = await openGatewayStore(cfg);
  const { store } = opened;
  const running: Running = {
    app: null,
    internalApp: null,
    adminApp: null,
    poller: null,
    changeSubscription: null,
    tokens: null,
    usage: null,
    anomalies: null,
    outboundHttp: null,
    databases: null,
    monitor: null,
    retention: null,
    shared: null,
    store,
  };
  try {
    const fromSeq = await store.changes.latest();
    const core = createCore(cfg, options, opened, registry, running);
    const { state } = core;
    const pub = await startPublicListener(core, files, running);
    const { app, url, port } = pub;
    const internalUrl = await startInternalListener(core, running);
    const admin = await startAdminListener(core, options, running);
    const publicUrl = cfg.publicUrl ?? url;
    state.setPublicUrl(publicUrl);
    // Outage-time failures repeat several times a second: first line, then a count per interval.
    const throttle = new LogThrottle(cfg.faults.logRepeatIntervalMs);
    const { tokens, usage, anomalies } = await startTokens(
      core,
      options,
      pub,
      admin.events,
      throttle,
      publicUrl,
      anomalySettings,
      running,
    );
    const retention = startBackground(core, app, tokens, throttle, fromSeq, running);
    app.log.info(
      {
        url,
        environment: cfg.environment,
        realm: cfg.realm,
        deployments: state.deployments.served.size,
      },
      'pipegate gateway listening',
    );
    const afterWrite = async <T>(result: T): Promise<T> => {
      await state.deployments.reload();
      return result;
    };
    return {
      url,
      internalUrl,
      adminUrl: admin.adminUrl,
      port,
      store,
      tokens,
      usage,
      anomalies,
      monitor: core.monitor,
      metrics: core.metrics,
      retention,
      shared: pub.shared,
      environment: cfg.environment,
      realm: cfg.realm,
      deployFile: async (path) => afterWrite(await deployFile(core.target, path)),
      undeploy: async (name, major) => afterWrite(await undeploy(core.target, name, major)),
      rollback: async (name, major) => afterWrite(await rollback(core.target, name, major)),
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
