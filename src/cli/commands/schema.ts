// `pipegate schema [--config]`: prints the pipeline JSON Schema (from the connector descriptors) or pipegate.yaml's.
import { parseArgs } from 'node:util';
import { pipelineSchema } from '../../core/loader/index.js';
import { configSchema } from '../../config/index.js';
import { defaultRegistry } from '../../connectors/index.js';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';

export const schemaCommand: Command = {
  name: 'schema',
  summary:
    'Print the JSON Schema of pipeline files, or of pipegate.yaml with --config (for editors and CI)',
  usage: 'pipegate schema [--config]',
  options: { '--config': 'print the schema of pipegate.yaml instead' },
  examples: [
    'pipegate schema > pipegate.schema.json',
    'pipegate schema --config > pipegate-config.schema.json',
  ],
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'boolean', default: false } },
    });
    const schema = values.config ? configSchema() : pipelineSchema(defaultRegistry);
    io.stdout(`${JSON.stringify(schema, null, 2)}\n`);
    return EXIT.ok;
  },
};
