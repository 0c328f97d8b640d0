// `pipegate config show`: the effective configuration and where each value came from.
import { parseArgs } from 'node:util';
import { configFlagOptions, describeSource } from '../../config/index.js';
import type { ConfigEntry } from '../../config/index.js';
import type { JsonValue } from '../../core/json.js';
import { CONFIG_OPTION, readCliConfig } from '../cli-config.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

function shown(e: ConfigEntry): JsonValue {
  if (e.value === null) return null;
  return e.row.secret ? '***' : e.value;
}

function text(e: ConfigEntry): string {
  const v = shown(e);
  const value = v === null ? '(unset)' : typeof v === 'string' ? v : JSON.stringify(v);
  const pending = e.row.pending ? `  [not wired yet: ${e.row.pending}]` : '';
  return `${e.row.key.padEnd(32)} ${value.padEnd(28)} ${describeSource(e.source)}${pending}\n`;
}

export const configCommand: Command = {
  name: 'config',
  summary:
    'Show the effective configuration (pipegate.yaml < PIPEGATE_* < flags) and where each value came from',
  usage: 'pipegate config show [--config FILE] [--json] [any serve flag, e.g. --port N]',
  options: {
    '--port N': 'or any other serve flag: the configuration as `serve` with that flag would use it',
  },
  examples: ['pipegate config show', 'pipegate config show --config deploy/pipegate.yaml --json'],
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...configFlagOptions(),
        ...CONFIG_OPTION,
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals[0] !== 'show' || positionals.length > 1)
      throw usageError('config takes "show"');
    const cfg = await readCliConfig(io, values);
    if (values.json) {
      const doc: Record<string, unknown> = {};
      for (const e of cfg.entries)
        doc[e.row.key] = {
          value: shown(e),
          source: describeSource(e.source),
          ...(e.row.pending ? { pending: e.row.pending } : {}),
        };
      io.stdout(`${JSON.stringify({ file: cfg.file, values: doc }, null, 2)}\n`);
      return EXIT.ok;
    }
    io.stdout(
      `Configuration file: ${cfg.file ?? '(none: defaults, PIPEGATE_* variables and flags only)'}\n\n`,
    );
    for (const e of cfg.entries) io.stdout(text(e));
    return EXIT.ok;
  },
};
