// `pipegate serve [DIR…]`: validates and deploys the folders' pipelines, then serves them until SIGTERM/SIGINT.
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { AggregatorRegistry } from 'prom-client';
import { startGateway } from '../../gateway/index.js';
import type { GatewayOptions } from '../../gateway/index.js';
import { configFlagOptions, configFlagUsage, gatewayOptionsFrom } from '../../config/index.js';
import { CONFIG_OPTION, readCliConfig } from '../cli-config.js';
import {
  DEMO_CONSUMER,
  DEMO_KEY_FILE,
  deliverAdminPassword,
  demoWalkthrough,
  ensureAdmin,
  ensureDemoConsumer,
  writePrivateSecret,
} from '../../gateway/first-start.js';
import { loadMasterKey } from '../../security/index.js';
import { resolveGatewayConfig } from '../../gateway/gateway-config.js';
import { anomalyInputFromFlags, mergeAnomalySettings } from '../../monitoring/anomalies/index.js';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { serveHelp } from './serve-help.js';
import { serveBanner } from './serve-banner.js';
import { serveOutput } from '../serve-output.js';
import type { ServeOutput } from '../serve-output.js';
import {
  clusterMetricsFromPrimary,
  resolveWorkers,
  runClusterPrimary,
  workerStopSignal,
} from './serve-cluster.js';
import type { ClusterMessage, ClusterReady } from './serve-cluster.js';
import type { CliIo } from '../command.js';
import type { Store } from '../../store/store.js';

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
    // One stream, one format: the gateway's records and serve's own (JSON lines; human lines on a
    // terminal). Secrets shown once go to the terminal (stderr when it is one) or a 0600 file.
    const out = serveOutput(io.stdout, io.stdoutIsTerminal === true);
    const config = await readCliConfig(io, flags, (w) =>
      out.log('warn', 'configuration warning', {
        code: w.code,
        file: w.file,
        line: w.line,
        column: w.column,
        path: w.path,
        detail: w.message,
      }),
    );
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
    options.logger =
      options.logger === false ? false : { ...(options.logger ?? {}), stream: out.stream };
    const workers = resolveWorkers(options.workers);
    if (cluster.isWorker && io.env.PIPEGATE_CLUSTER_WORKER === '1') return runWorker(options);
    const bannerOf = (ready: ClusterReady): void => {
      const { environment, realm } = resolveGatewayConfig(options);
      for (const r of serveBanner({ ...ready, environment, realm }))
        out.log('info', r.msg, r.fields);
    };
    if (workers > 1) {
      return runClusterPrimary(options, workers, out, {
        firstStart: async ({ store, master, cfg }) => {
          await firstStartAdmin(io, out, store, cfg.dataDir);
          const key = values.demo ? await ensureDemoConsumer(store, master, cfg.environment) : null;
          return (ready) => {
            if (values.demo) deliverDemoKey(io, out, key, ready.url, cfg.dataDir);
          };
        },
        banner: bannerOf,
      });
    }
    const gw = await startGateway(options);
    const stop = shutdownSignal();
    const dataDir = resolveGatewayConfig(options).dataDir;
    await firstStartAdmin(io, out, gw.store, dataDir);
    if (values.demo) {
      const master = await loadMasterKey({ env: io.env, dataDir, create: false });
      const key = await ensureDemoConsumer(gw.store, master, gw.environment);
      deliverDemoKey(io, out, key, gw.url, dataDir);
    }
    bannerOf({ url: gw.url, adminUrl: gw.adminUrl, internalUrl: gw.internalUrl });
    const sig = await stop;
    out.log('info', 'stopping', { signal: sig, detail: 'finishing in-flight requests' });
    await gw.close();
    out.log('info', 'stopped', { signal: sig });
    return EXIT.ok;
  },
};

/** The admin credential on a store that has none: on the terminal only, else a 0600 file (first start). */
async function firstStartAdmin(
  io: CliIo,
  out: Pick<ServeOutput, 'log'>,
  store: Store,
  dataDir: string,
): Promise<void> {
  const admin = await ensureAdmin(store);
  if (!admin) return;
  const r = deliverAdminPassword(admin, {
    terminal: io.terminal && ((text) => io.terminal?.(text)),
    dataDir,
  });
  out.log(r.level, r.msg, r.fields);
}

/** The `--demo` consumer's key (null: it existed already): on the terminal only, else a 0600 file. */
function deliverDemoKey(
  io: CliIo,
  out: Pick<ServeOutput, 'log'>,
  key: string | null,
  url: string,
  dataDir: string,
): void {
  if (!key)
    out.log('info', 'demo consumer already exists', {
      consumer: DEMO_CONSUMER,
      hint: `its key was printed on the first start; a new one: pipegate consumers add-key ${DEMO_CONSUMER}`,
    });
  else if (io.terminal) {
    io.terminal(demoWalkthrough(url, key));
    out.log('info', 'demo consumer created', {
      consumer: DEMO_CONSUMER,
      apiKey: 'shown on the terminal only',
    });
  } else {
    const file = writePrivateSecret(dataDir, DEMO_KEY_FILE, key);
    out.log('info', 'demo consumer created', {
      consumer: DEMO_CONSUMER,
      apiKeyFile: file,
      walkthrough: 'docs/gateway.md "Quick start"',
    });
  }
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
