// `pipegate init [DIR]`: scaffolds a project (pipegate.yaml, login/protected/logout pipelines) that serve runs at once.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PlatformError } from '../../errors/index.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../command.js';
import { projectFiles } from '../scaffold/project-files.js';

export const initCommand: Command = {
  name: 'init',
  summary:
    'Create a project: pipegate.yaml and login, protected and logout pipelines that serve runs at once',
  usage: 'pipegate init [DIR]',
  options: {},
  examples: ['pipegate init my-api && cd my-api && pipegate serve'],
  async run(argv, io) {
    const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
    if (positionals.length > 1) throw usageError('init takes at most one folder');
    const dir = resolve(io.cwd, positionals[0] ?? '.');
    const files = projectFiles(basename(dir));
    // Nothing is written when any file exists: a half-overwritten project is worse than none.
    for (const rel of files.keys()) {
      if (existsSync(join(dir, rel)))
        throw new PlatformError('ERR_INIT_EXISTS', { file: join(dir, rel) });
    }
    for (const [rel, content] of files) {
      const file = join(dir, rel);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content, { flag: 'wx' });
    }
    io.stdout(`Created a Pipegate project in ${dir}:\n${[...files.keys()].map((f) => `  ${f}\n`).join('')}
Next:
  cd ${positionals[0] ?? '.'}
  pipegate serve                                   # deploys pipelines/ on 127.0.0.1:8080
  pipegate consumers create my-app --scopes read   # prints an API key for POST /auth
`);
    return EXIT.ok;
  },
};
