// `pipegate rollback NAME --major N`: returns a major version to its previous minor.
import { parseArgs } from 'node:util';
import { rollback } from '../../deployments/deploy-pipeline.js';
import { STORE_OPTIONS, STORE_USAGE, openCliTarget, printJson } from '../cli-target.js';
import { adminRequest } from '../admin-client.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../command.js';
import { majorOf } from './undeploy.js';

export const rollbackCommand: Command = {
  name: 'rollback',
  summary:
    'Return a major version of a pipeline to its previous minor (running servers follow within ~1 s)',
  usage: `pipegate rollback NAME --major N ${STORE_USAGE} | --server URL`,
  options: { '--major N': 'the major version to roll back to its previous minor' },
  examples: ['pipegate rollback orders --major 1'],
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...STORE_OPTIONS, major: { type: 'string' }, server: { type: 'string' } },
    });
    if (positionals.length !== 1) throw usageError('rollback takes one pipeline name');
    const major = majorOf(values.major);
    if (values.server) {
      const r = await adminRequest(
        { server: values.server, env: io.env },
        'POST',
        `/deployments/${encodeURIComponent(positionals[0]!)}/${major}/rollback`,
      );
      if (values.json) printJson(io, { server: values.server, active: r.active });
      else io.stdout(`rollback done on ${values.server}: ${JSON.stringify(r.active)}\n`);
      return EXIT.ok;
    }
    const target = await openCliTarget(values, io);
    try {
      const d = await rollback(target, positionals[0]!, major);
      if (values.json)
        printJson(io, {
          environment: target.environment,
          active: { name: d.name, version: `${d.major}.${d.minor}`, id: d.id },
        });
      else io.stdout(`rolled back ${d.name} to ${d.major}.${d.minor} in ${target.environment}\n`);
      return EXIT.ok;
    } finally {
      await target.close();
    }
  },
};
