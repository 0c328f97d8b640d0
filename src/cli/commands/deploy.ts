// `pipegate deploy FILE…`: validates and activates pipeline versions in the store; running servers follow.
import { parseArgs } from 'node:util';
import { deployFile } from '../../deployments/deploy-pipeline.js';
import { STORE_OPTIONS, STORE_USAGE, openCliTarget, printJson } from '../cli-target.js';
import { remoteDeploy } from '../admin-client.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

export const deployCommand: Command = {
  name: 'deploy',
  summary:
    'Deploy pipeline files (a new minor replaces the active one of its major; running servers follow within ~1 s)',
  usage: `pipegate deploy FILE… ${STORE_USAGE} | --server URL (admin API; PIPEGATE_ADMIN_PASSWORD)`,
  options: {
    '--server URL':
      "deploy through a running server's admin API (password in PIPEGATE_ADMIN_PASSWORD)",
  },
  examples: [
    'pipegate deploy pipelines/login.yaml pipelines/orders.yaml',
    'pipegate deploy login.yaml --environment prod --store postgres://127.0.0.1/pipegate',
  ],
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...STORE_OPTIONS, server: { type: 'string' } },
    });
    if (positionals.length === 0) throw usageError('deploy takes at least one pipeline file');
    if (values.server) {
      const deployed = [];
      for (const file of positionals) {
        const r = await remoteDeploy({ server: values.server, env: io.env }, file);
        deployed.push(r.deployed);
        if (!values.json) io.stdout(`deployed ${JSON.stringify(r.deployed)} on ${values.server}\n`);
      }
      if (values.json) printJson(io, { server: values.server, deployed });
      return EXIT.ok;
    }
    const target = await openCliTarget(values, io);
    try {
      const results = [];
      for (const file of positionals) {
        const { deployment: d, replaced, paths } = await deployFile(target, file);
        const entry = {
          name: d.name,
          version: `${d.major}.${d.minor}`,
          id: d.id,
          replaced: replaced ? `${replaced.major}.${replaced.minor}` : null,
          paths,
        };
        results.push(entry);
        if (!values.json) {
          io.stdout(
            `deployed ${entry.name} ${entry.version}${entry.replaced ? ` (replaces ${entry.replaced})` : ''} in ${target.environment}\n`,
          );
          for (const p of paths) io.stdout(`  ${p}\n`);
        }
      }
      if (values.json) printJson(io, { environment: target.environment, deployed: results });
      return EXIT.ok;
    } finally {
      await target.close();
    }
  },
};
