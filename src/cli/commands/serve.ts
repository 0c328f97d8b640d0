// `pipegate serve [DIR…]`: validates and deploys the folders' pipelines, then serves them until SIGTERM/SIGINT.
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { AggregatorRegistry } from 'prom-client';
import { startGateway } from '../../gateway/index.js';
import type { GatewayOptions } from '../../gateway/index.js';
import type { Store } from '../../store/store.js';
import { configFlagOptions, configFlagUsage, gatewayOptionsFrom } from '../../config/index.js';
import { CONFIG_OPTION, readCliConfig } from '../cli-config.js';
import {
  DEMO_CONSUMER,
  deliverAdminPassword,
  demoWalkthrough,
  ensureAdmin,
  ensureDemoConsumer,
} from '../../gateway/first-start.js';
import { loadMasterKey } from '../../security/index.js';
import { resolveGatewayConfig } from '../../gateway/gateway-config.js';
import { anomalyInputFromFlags, mergeAnomalySettings } from '../../monitoring/anomalies/index.js';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { serveHelp } from './serve-help.js';
import { serveBanner, stoppedLine } from './serve-banner.js';
import {
  clusterMetricsFromPrimary,
  resolveWorkers,
  runClusterPrimary,
  workerStopSignal,
} from './serve-cluster.js';
import type { ClusterMessage } from './serve-cluster.js';
import type { CliIo } from '../command.js';

/** Resolves when the process is asked to stop. */
function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => () => {
      process.off('SIGTERM', term);
      process.off('SIGINT', int);
      resolve(sig);
    };
    const term = on('SIGTERM');
    const int = on('SIGINT');
    process.once('SIGTERM', term);
    process.once('SIGINT', int);
  });
}

export const serveCommand: Command = {
  ...serveHelp,
  name: 'serve',
  summary:
    'Run the gateway: deploy the pipelines of the given folders (or pipegate.yaml `pipelines`) and serve them',
  usage: `pipegate serve [DIR…] [--config FILE] ${configFlagUsage()} [--retention-days N] [--no-record] [--alert-secret S] [--anomaly-threshold RULE.PARAM=VALUE]… [--anomaly-response RULE=revoke-token|disable-consumer]… [--anomaly-detection on|off] [--demo]`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...configFlagOptions(),
        ...CONFIG_OPTION,
        'retention-days': { type: 'string' },
        'no-record': { type: 'boolean', default: false },
        demo: { type: 'boolean', default: false },
        'alert-secret': { type: 'string' },
        'anomaly-threshold': { type: 'string', multiple: true },
        'anomaly-response': { type: 'string', multiple: true },
        'anomaly-detection': { type: 'string' },
      },
    });
    const flags: Record<string, unknown> = { ...values };
    if (positionals.length > 0) flags.pipelines = positionals;
    const config = await readCliConfig(io, flags);
    const base = gatewayOptionsFrom(config) as GatewayOptions;
    const options: GatewayOptions = {
      ...base,
      anomalies: mergeAnomalySettings(
        base.anomalies,
        anomalyInputFromFlags(
          {
            thresholds: values['anomaly-threshold'],
            responses: values['anomaly-response'],
            detection: values['anomaly-detection'],
            secret: values['alert-secret'],
          },
          io.env,
        ),
      ),
      monitoring: {
        ...base.monitoring,
        ...(values['retention-days'] === undefined
          ? {}
          : { retentionDays: Number(values['retention-days']) }),
        ...(values['no-record'] ? { record: false } : {}),
      },
      env: io.env,
      cwd: io.cwd,
    };
    const workers = resolveWorkers(options.workers);
    if (cluster.isWorker && io.env.PIPEGATE_CLUSTER_WORKER === '1') return runWorker(options);
    if (workers > 1) {
      return runClusterPrimary(options, workers, io, {
        firstStart: async ({ store, master, cfg }) => {
          await firstStartCredentials(io, store, cfg.dataDir);
          const demoKey = values.demo
            ? { key: await ensureDemoConsumer(store, master, cfg.environment) }
            : null;
          return (ready) => (demoKey ? demoText(ready.url, demoKey.key) : '');
        },
        banner: (ready) => {
          const { environment, realm } = resolveGatewayConfig(options);
          return serveBanner({ ...ready, environment, realm });
        },
        stopped: stoppedLine,
      });
    }
    const gw = await startGateway(options);
    const stop = shutdownSignal();
    await firstStartCredentials(io, gw.store, resolveGatewayConfig(options).dataDir);
    if (values.demo) {
      const cfg = resolveGatewayConfig(options);
      const master = await loadMasterKey({ env: io.env, dataDir: cfg.dataDir, create: false });
      const key = await ensureDemoConsumer(gw.store, master, gw.environment);
      io.stderr(demoText(gw.url, key));
    }
    io.stderr(
      serveBanner({
        url: gw.url,
        adminUrl: gw.adminUrl,
        internalUrl: gw.internalUrl,
        environment: gw.environment,
        realm: gw.realm,
      }),
    );
    const sig = await stop;
    io.stderr(`\n${sig}: finishing in-flight requests…\n`);
    await gw.close();
    io.stderr(stoppedLine(sig));
    return EXIT.ok;
  },
};

/** The admin credential on a store that has none, handed over without a log stream (first start). */
async function firstStartCredentials(io: CliIo, store: Store, dataDir: string): Promise<void> {
  const admin = await ensureAdmin(store);
  if (admin)
    io.stderr(
      deliverAdminPassword(admin, {
        terminal: io.terminal && ((text) => io.terminal?.(text)),
        dataDir,
      }),
    );
}

function demoText(url: string, key: string | null): string {
  return (
    demoWalkthrough(url, key) +
    (key ? '' : `(To get a new key: pipegate consumers add-key ${DEMO_CONSUMER})\n`)
  );
}

/**
 * One worker of `serve --workers N`: the same gateway as a single process (its own caches, store
 * pool, usage and monitoring queues), without the first-start work the primary did. It tells the
 * primary where it listens, serves /metrics aggregated over all workers, and on the primary's
 * shutdown message (or SIGTERM) drains: in-flight requests, then every queued record, then the store.
 */
async function runWorker(options: GatewayOptions): Promise<number> {
  // Answers the primary's metrics requests from the start (with nothing until the gateway runs), so
  // a worker still starting never holds up /metrics.
  AggregatorRegistry.setRegistries([]);
  new AggregatorRegistry();
  let gw;
  try {
    gw = await startGateway({ ...options, clusterMetrics: clusterMetricsFromPrimary() });
  } catch (err) {
    // The IPC channel would keep this process alive after main() prints the error.
    if (process.connected) process.disconnect();
    throw err;
  }
  AggregatorRegistry.setRegistries([gw.metrics.registry]);
  const stop = workerStopSignal();
  process.send!({
    type: 'pipegate:ready',
    url: gw.url,
    adminUrl: gw.adminUrl,
    internalUrl: gw.internalUrl,
  } satisfies ClusterMessage);
  await stop;
  await gw.close();
  if (process.connected) process.disconnect();
  return EXIT.ok;
}
