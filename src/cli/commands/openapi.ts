// `pipegate openapi`: prints the OpenAPI 3.1 document of the active deployments of an environment.
import { parseArgs } from 'node:util';
import { STORE_OPTIONS, STORE_USAGE, openCliTarget, printJson } from '../cli-target.js';
import { compileRecord } from '../../deployments/compile-deployment.js';
import type { ServedPipeline } from '../../deployments/compile-deployment.js';
import { openApiDocument } from '../../gateway/openapi/openapi-document.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

export const openapiCommand: Command = {
  name: 'openapi',
  summary: 'Print the OpenAPI 3.1 document of what is deployed (same as GET /openapi.json)',
  usage: `pipegate openapi [--public-url URL] ${STORE_USAGE}`,
  options: {
    '--public-url URL':
      "base URL written in the document's servers (default PIPEGATE_PUBLIC_URL, else http://127.0.0.1:8080)",
  },
  examples: ['pipegate openapi --environment prod > openapi.json'],
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...STORE_OPTIONS, 'public-url': { type: 'string' } },
    });
    if (positionals.length > 0) throw usageError('usage: pipegate openapi [--environment NAME]');
    const target = await openCliTarget(values, io);
    try {
      const served: ServedPipeline[] = [];
      for (const record of await target.store.deployments.listActive(target.environment)) {
        try {
          served.push(compileRecord(record, target));
        } catch {
          // A stored definition that no longer compiles is not served, so it is not documented.
          io.stderr(
            `warning: deployment ${record.name}@${record.major} does not compile; left out\n`,
          );
        }
      }
      const baseUrl = values['public-url'] ?? io.env.PIPEGATE_PUBLIC_URL ?? null;
      printJson(
        io,
        openApiDocument(served, {
          realm: target.realm,
          environment: target.environment,
          baseUrl: baseUrl || null,
        }),
      );
      return EXIT.ok;
    } finally {
      await target.close();
    }
  },
};
