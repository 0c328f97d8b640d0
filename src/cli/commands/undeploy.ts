// `pipegate undeploy NAME --major N`: stops serving one major version of a pipeline.
import { parseArgs } from 'node:util';
import { undeploy } from '../../deployments/deploy-pipeline.js';
import { STORE_OPTIONS, STORE_USAGE, openCliTarget, printJson } from '../cli-target.js';
import { adminRequest } from '../admin-client.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

/** Parses `--major N`. */
export function majorOf(text: string | undefined): number {
  const n = Number(text);
  if (text === undefined || !Number.isInteger(n) || n < 0)
    throw usageError('--major N is required (the pipeline major version, e.g. 1)');
  return n;
}

export const undeployCommand: Command = {
  name: 'undeploy',
  summary: 'Stop serving a major version of a pipeline (running servers follow within ~1 s)',
  usage: `pipegate undeploy NAME --major N ${STORE_USAGE} | --server URL`,
  options: { '--major N': 'the major version to stop serving' },
  examples: ['pipegate undeploy orders --major 1'],
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...STORE_OPTIONS, major: { type: 'string' }, server: { type: 'string' } },
    });
    if (positionals.length !== 1) throw usageError('undeploy takes one pipeline name');
    const major = majorOf(values.major);
    if (values.server) {
      const r = await adminRequest(
        { server: values.server, env: io.env },
        'DELETE',
        `/deployments/${encodeURIComponent(positionals[0]!)}/${major}`,
      );
      if (values.json) printJson(io, { server: values.server, undeployed: r.undeployed });
      else io.stdout(`undeploy done on ${values.server}: ${JSON.stringify(r.undeployed)}\n`);
      return EXIT.ok;
    }
    const target = await openCliTarget(values, io);
    try {
      const d = await undeploy(target, positionals[0]!, major);
      if (values.json)
        printJson(io, {
          environment: target.environment,
          undeployed: { name: d.name, version: `${d.major}.${d.minor}`, id: d.id },
        });
      else io.stdout(`undeployed ${d.name} ${d.major}.${d.minor} from ${target.environment}\n`);
      return EXIT.ok;
    } finally {
      await target.close();
    }
  },
};
