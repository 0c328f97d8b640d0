// `pipegate validate FILE…`: reports every problem of every file with its location and code.
import { parseArgs } from 'node:util';
import { PipelineInvalidError, formatIssue, loadPipelineFile } from '../../core/loader/index.js';
import type { ValidationIssue } from '../../core/loader/index.js';
import { gatewayOptionsFrom } from '../../config/index.js';
import { registryWithConnectors } from '../../connectors/custom/load-connectors.js';
import type { GatewayOptions } from '../../gateway/gateway-config.js';
import { CONFIG_OPTION, readCliConfig } from '../cli-config.js';
import { isPlatformError } from '../../errors/index.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Validate pipeline files (schema, expressions, aliases) without running them',
  usage: 'pipegate validate FILE… [--deploy] [--json] [--connectors FILE…] [--config FILE]',
  options: {
    '--deploy': 'also require what deploying needs (a trigger)',
    '--json': 'print { valid, issues } as JSON',
    '--connectors FILE': 'modules of custom connectors whose step types are accepted (repeatable)',
    '--config FILE': 'pipegate.yaml to read (default ./pipegate.yaml)',
  },
  examples: ['pipegate validate pipelines/*.yaml', 'pipegate validate login.yaml --deploy --json'],
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        deploy: { type: 'boolean', default: false },
        connectors: { type: 'string', multiple: true },
        ...CONFIG_OPTION,
      },
    });
    // Custom connectors from pipegate.yaml `connectors:` or --connectors are known step types too.
    const options = gatewayOptionsFrom(await readCliConfig(io, values)) as GatewayOptions;
    const registry = await registryWithConnectors(options.connectors ?? [], io.cwd);
    if (positionals.length === 0) throw usageError('validate takes at least one pipeline file');
    const issues: ValidationIssue[] = [];
    const valid: string[] = [];
    for (const file of positionals) {
      try {
        await loadPipelineFile(file, { registry, requireTrigger: values.deploy });
        valid.push(file);
      } catch (err) {
        if (err instanceof PipelineInvalidError) issues.push(...err.issues);
        else if (isPlatformError(err))
          issues.push({ file, path: '', code: err.code, message: err.message });
        else throw err;
      }
    }
    if (values.json) io.stdout(`${JSON.stringify({ valid, issues }, null, 2)}\n`);
    else {
      for (const f of valid) io.stdout(`${f}: ok\n`);
      for (const i of issues) io.stderr(`${formatIssue(i)}\n`);
      if (issues.length > 0) io.stderr(`${issues.length} problem(s) found\n`);
    }
    return issues.length > 0 ? EXIT.usage : EXIT.ok;
  },
};
