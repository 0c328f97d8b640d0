// `pipegate docs [--out DIR] [--check]`: writes (or checks) the generated connector pages and errors.md.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { builtInConnectors } from '../../connectors/index.js';
import { generatedDocs } from '../../docs/generate-docs.js';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';

export const docsCommand: Command = {
  name: 'docs',
  summary: 'Generate the connector reference pages and docs/errors.md',
  usage: 'pipegate docs [--out DIR] [--check]',
  options: {
    '--out DIR': 'folder to write into (default docs/)',
    '--check': 'write nothing; fail when the pages differ from the generated ones',
  },
  examples: ['pipegate docs', 'pipegate docs --check'],
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { out: { type: 'string', default: 'docs' }, check: { type: 'boolean', default: false } } });
    const stale: string[] = [];
    for (const [rel, content] of generatedDocs(builtInConnectors)) {
      const file = join(io.cwd, values.out, rel);
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
