// `pipegate schema`: prints the pipeline JSON Schema assembled from the connector descriptors.
import { pipelineSchema } from '../../core/loader/index.js';
import { defaultRegistry } from '../../connectors/index.js';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'Print the JSON Schema of pipeline files (for editors and CI)',
  usage: 'pipegate schema',
  options: {},
  examples: ['pipegate schema > pipegate.schema.json'],
  async run(_argv, io) {
    io.stdout(`${JSON.stringify(pipelineSchema(defaultRegistry), null, 2)}\n`);
    return EXIT.ok;
  },
};
