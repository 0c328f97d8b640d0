// `pipegate deploy FILE…`: validates and activates pipeline versions in the store; running servers follow.
import { parseArgs } from 'node:util';
import { deployFile } from '../../gateway/deployments/deploy-pipeline.js';
import { STORE_OPTIONS, STORE_USAGE, openCliTarget, printJson } from '../../gateway/cli-target.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

export const deployCommand: Command = {
  name: 'deploy',
  summary:
    'Deploy pipeline files (a new minor replaces the active one of its major; running servers follow within ~1 s)',
  usage: `pipegate deploy FILE… ${STORE_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: STORE_OPTIONS,
    });
    if (positionals.length === 0) throw usageError('deploy takes at least one pipeline file');
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
