// `pipegate serve [DIR…]`: validates and deploys the folders' pipelines, then serves them until SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { startGateway } from '../../gateway/index.js';
import {
  DEMO_CONSUMER,
  deliverAdminPassword,
  demoWalkthrough,
  ensureAdmin,
  ensureDemoConsumer,
} from '../../gateway/first-start.js';
import { loadMasterKey } from '../../security/index.js';
import { resolveGatewayConfig } from '../../gateway/gateway-config.js';
import { anomalyInputFromFlags } from '../../monitoring/anomalies/index.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

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
  name: 'serve',
  summary:
    'Run the gateway: deploy the pipelines of the given folders and serve them (embedded store in ./.pipegate)',
  usage:
    'pipegate serve [DIR…] [--port N] [--host ADDR] [--internal-port N] [--admin-port N] [--admin-host ADDR] [--environment NAME] [--realm NAME] [--data-dir DIR] [--store URL] [--public-url URL] [--allow-egress HOST|CIDR]… [--retention-days N] [--no-record] [--durable-usage] [--demo] [--alert-webhook URL [--alert-secret S]] [--anomaly-threshold RULE.PARAM=VALUE]… [--anomaly-response RULE=revoke-token|disable-consumer]… [--anomaly-detection on|off]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        'internal-port': { type: 'string' },
        'admin-port': { type: 'string' },
        'admin-host': { type: 'string' },
        host: { type: 'string' },
        environment: { type: 'string' },
        realm: { type: 'string' },
        'data-dir': { type: 'string' },
        store: { type: 'string' },
        'public-url': { type: 'string' },
        'allow-egress': { type: 'string', multiple: true },
        'retention-days': { type: 'string' },
        'no-record': { type: 'boolean', default: false },
        demo: { type: 'boolean', default: false },
        'alert-webhook': { type: 'string' },
        'alert-secret': { type: 'string' },
        'anomaly-threshold': { type: 'string', multiple: true },
        'anomaly-response': { type: 'string', multiple: true },
        'anomaly-detection': { type: 'string' },
        'durable-usage': { type: 'boolean', default: false },
      },
    });
    if (values.port !== undefined && !/^\d+$/.test(values.port))
      throw usageError('--port takes a number');
    if (values['admin-port'] !== undefined && !/^\d+$/.test(values['admin-port']))
      throw usageError('--admin-port takes a number (0 disables the admin API)');
    const options = {
      dirs: positionals,
      port: values.port === undefined ? undefined : Number(values.port),
      internalPort:
        values['internal-port'] === undefined ? undefined : Number(values['internal-port']),
      host: values.host,
      adminPort: values['admin-port'] === undefined ? undefined : Number(values['admin-port']),
      adminHost: values['admin-host'],
      environment: values.environment,
      realm: values.realm,
      dataDir: values['data-dir'],
      store: values.store,
      publicUrl: values['public-url'],
      anomalies: anomalyInputFromFlags(
        {
          thresholds: values['anomaly-threshold'],
          responses: values['anomaly-response'],
          detection: values['anomaly-detection'],
          webhook: values['alert-webhook'],
          secret: values['alert-secret'],
        },
        io.env,
      ),
      allowEgress: values['allow-egress'],
      monitoring: {
        retentionDays:
          values['retention-days'] === undefined ? undefined : Number(values['retention-days']),
        record: values['no-record'] ? false : undefined,
      },
      // Only an explicit flag overrides PIPEGATE_DURABLE_USAGE.
      faults: values['durable-usage'] ? { durableUsage: true } : {},
      env: io.env,
      cwd: io.cwd,
    };
    const gw = await startGateway(options);
    const stop = shutdownSignal();
    const admin = await ensureAdmin(gw.store);
    if (admin)
      io.stderr(
        deliverAdminPassword(admin, {
          terminal: io.terminal && ((text) => io.terminal?.(text)),
          dataDir: resolveGatewayConfig(options).dataDir,
        }),
      );
    if (values.demo) {
      const cfg = resolveGatewayConfig(options);
      const master = await loadMasterKey({ env: io.env, dataDir: cfg.dataDir, create: false });
      const key = await ensureDemoConsumer(gw.store, master, gw.environment);
      io.stderr(demoWalkthrough(gw.url, key));
      if (!key) io.stderr(`(To get a new key: pipegate consumers add-key ${DEMO_CONSUMER})\n`);
    }
    io.stderr(
      gw.adminUrl
        ? `\nAdmin API (/admin, CLI --server): ${gw.adminUrl}\n`
        : '\nAdmin API disabled (--admin-port 0)\n',
    );
    if (gw.internalUrl)
      io.stderr(`\nInternal listener (internalApi pipelines): ${gw.internalUrl}\n`);
    io.stderr(
      `\nPipegate is serving on ${gw.url} (environment ${gw.environment}, realm ${gw.realm}). Ctrl-C stops it.\n`,
    );
    const sig = await stop;
    io.stderr(`\n${sig}: finishing in-flight requests…\n`);
    await gw.close();
    return EXIT.ok;
  },
};
