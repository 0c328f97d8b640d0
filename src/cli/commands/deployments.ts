// `pipegate deployments list`: the active deployments (or the whole history with --all).
import { parseArgs } from 'node:util';
import { STORE_OPTIONS, STORE_USAGE, openCliTarget, printJson } from '../cli-target.js';
import { compileRecord } from '../../deployments/compile-deployment.js';
import { adminRequest } from '../admin-client.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

export const deploymentsCommand: Command = {
  name: 'deployments',
  summary: 'List deployments: active versions and their URLs, or the history with --all',
  usage: `pipegate deployments [list] [--all] [--name NAME] ${STORE_USAGE} | --server URL`,
  options: {
    '--all': 'the whole history, inactive versions included',
    '--name NAME': 'only this pipeline',
  },
  examples: ['pipegate deployments', 'pipegate deployments list --all --name orders --json'],
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...STORE_OPTIONS,
        all: { type: 'boolean', default: false },
        name: { type: 'string' },
        server: { type: 'string' },
      },
    });
    // `pipegate deployments` alone lists, as `deployments list` does.
    if (positionals.length > 1 || (positionals.length === 1 && positionals[0] !== 'list'))
      throw usageError('usage: pipegate deployments [list]');
    if (values.server) {
      const r = await adminRequest({ server: values.server, env: io.env }, 'GET', '/deployments');
      printJson(io, { server: values.server, deployments: r.deployments });
      return EXIT.ok;
    }
    const target = await openCliTarget(values, io);
    try {
      const records = values.all
        ? await target.store.deployments.list(
            target.environment,
            values.name ? { name: values.name } : {},
          )
        : (await target.store.deployments.listActive(target.environment)).filter(
            (d) => !values.name || d.name === values.name,
          );
      const rows = records.map((d) => {
        let paths: string[] = [];
        try {
          paths = compileRecord(d, target).trigger.paths;
        } catch {
          // A stored definition that no longer compiles is still listed, without paths.
        }
        return {
          name: d.name,
          version: `${d.major}.${d.minor}`,
          active: d.active,
          deployedAt: new Date(d.deployedAt).toISOString(),
          id: d.id,
          paths,
        };
      });
      if (values.json) printJson(io, { environment: target.environment, deployments: rows });
      else if (rows.length === 0) io.stdout(`no deployments in ${target.environment}\n`);
      else
        for (const r of rows)
          io.stdout(
            `${r.name} ${r.version}${r.active ? '' : ' (inactive)'} ${r.deployedAt} ${r.paths.join(' ')}\n`,
          );
      return EXIT.ok;
    } finally {
      await target.close();
    }
  },
};
