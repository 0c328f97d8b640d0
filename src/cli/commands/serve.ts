// `pipegate serve [DIR…]`: validates and deploys the folders' pipelines, then serves them until SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { startGateway } from '../../gateway/index.js';
import {
  DEMO_CONSUMER,
  demoWalkthrough,
  ensureAdmin,
  ensureDemoConsumer,
} from '../../gateway/first-start.js';
import { loadMasterKey } from '../../security/index.js';
import { resolveGatewayConfig } from '../../gateway/gateway-config.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../command.js';
import { serveHelp } from './serve-help.js';
import { serveBanner, stoppedLine } from './serve-banner.js';

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
    'Run the gateway: deploy the pipelines of the given folders and serve them (embedded store in ./.pipegate)',
  usage:
    'pipegate serve [DIR…] [--port N] [--host ADDR] [--internal-port N] [--environment NAME] [--realm NAME] [--data-dir DIR] [--store URL] [--public-url URL] [--demo]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        'internal-port': { type: 'string' },
        host: { type: 'string' },
        environment: { type: 'string' },
        realm: { type: 'string' },
        'data-dir': { type: 'string' },
        store: { type: 'string' },
        'public-url': { type: 'string' },
        demo: { type: 'boolean', default: false },
      },
    });
    if (values.port !== undefined && !/^\d+$/.test(values.port))
      throw usageError('--port takes a number');
    const options = {
      dirs: positionals,
      port: values.port === undefined ? undefined : Number(values.port),
      internalPort:
        values['internal-port'] === undefined ? undefined : Number(values['internal-port']),
      host: values.host,
      environment: values.environment,
      realm: values.realm,
      dataDir: values['data-dir'],
      store: values.store,
      publicUrl: values['public-url'],
      env: io.env,
      cwd: io.cwd,
    };
    const gw = await startGateway(options);
    const stop = shutdownSignal();
    const admin = await ensureAdmin(gw.store);
    if (admin)
      io.stderr(
        `\nAdmin credential created (shown only now): ${admin.username} / ${admin.password}\n`,
      );
    if (values.demo) {
      const cfg = resolveGatewayConfig(options);
      const master = await loadMasterKey({ env: io.env, dataDir: cfg.dataDir, create: false });
      const key = await ensureDemoConsumer(gw.store, master, gw.environment);
      io.stderr(demoWalkthrough(gw.url, key));
      if (!key) io.stderr(`(To get a new key: pipegate consumers add-key ${DEMO_CONSUMER})\n`);
    }
    if (gw.internalUrl)
      io.stderr(`\nInternal listener (internalApi pipelines): ${gw.internalUrl}\n`);
    io.stderr(serveBanner({ url: gw.url, environment: gw.environment, realm: gw.realm }));
    const sig = await stop;
    io.stderr(`\n${sig}: finishing in-flight requests…\n`);
    await gw.close();
    io.stderr(stoppedLine(sig));
    return EXIT.ok;
  },
};
