// `pipegate docs [--out DIR] [--check]`: writes (or checks) the generated connector pages and errors.md.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { builtInConnectors } from '../../connectors/index.js';
import { loadConnectorModules } from '../../connectors/custom/load-connectors.js';
import { connectorPage } from '../../docs/connector-page.js';
import { generatedDocs } from '../../docs/generate-docs.js';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';

export const docsCommand: Command = {
  name: 'docs',
  summary: 'Generate the connector reference pages and docs/errors.md',
  usage:
    'pipegate docs [--out DIR] [--check] [--connectors FILE…] (custom connectors: only their pages)',
  options: {
    '--out DIR': 'folder to write into (default docs/)',
    '--check': 'write nothing; fail when the pages differ from the generated ones',
    '--connectors FILE': 'modules of custom connectors: write only their pages (repeatable)',
  },
  examples: ['pipegate docs', 'pipegate docs --check'],
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string', default: 'docs' },
        check: { type: 'boolean', default: false },
        connectors: { type: 'string', multiple: true },
      },
    });
    const custom = values.connectors ?? [];
    // With custom connectors, only their reference pages (the built-in ones belong to Pipegate's docs).
    const pages =
      custom.length > 0
        ? new Map(
            (await loadConnectorModules(custom, io.cwd)).map((c) => [
              `connectors/${c.type}.md`,
              connectorPage(c),
            ]),
          )
        : generatedDocs(builtInConnectors);
    const stale: string[] = [];
    for (const [rel, content] of pages) {
      const file = resolve(io.cwd, values.out, rel);
      const current = await readFile(file, 'utf8').catch(() => null);
      if (current === content) continue;
      stale.push(rel);
      if (!values.check) {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, content);
      }
    }
    if (values.check && stale.length > 0) {
      io.stderr(`Generated docs are out of date: ${stale.join(', ')}. Run "pipegate docs".\n`);
      return EXIT.failed;
    }
    io.stdout(stale.length === 0 ? 'docs up to date\n' : `wrote ${stale.join(', ')}\n`);
    return EXIT.ok;
  },
};
