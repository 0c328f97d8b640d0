// `pipegate logs [--follow]` and `pipegate logs export --execution KEY`: pipeline log lines from the store.
import { parseArgs } from 'node:util';
import { STORE_OPTIONS, STORE_USAGE, openCliTarget, printJson } from '../cli-target.js';
import type { CliTarget } from '../cli-target.js';
import { logQuery } from '../../monitoring/monitoring-filters.js';
import { listLogs, logView, logsCsv } from '../../monitoring/monitoring-reader.js';
import type { LogView } from '../../monitoring/monitoring-reader.js';
import type { CliIo, Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

const FILTERS = [
  'execution',
  'pipeline',
  'level',
  'since',
  'until',
  'search',
  'limit',
  'cursor',
] as const;
/** How often `--follow` polls the store. */
const FOLLOW_INTERVAL_MS = 500;

function line(l: LogView): string {
  return `${l.timestamp}  ${l.level.padEnd(5)}  ${l.pipeline}@${l.version ?? '?'}  ${l.executionKey}  ${l.message}\n`;
}

function print(io: CliIo, json: boolean, lines: LogView[]): void {
  // --follow --json prints one JSON object per line (NDJSON) so that it can be piped.
  for (const l of lines) io.stdout(json ? `${JSON.stringify(l)}\n` : line(l));
}

/** Resolves on SIGINT/SIGTERM (follow mode ends cleanly, the store is closed). */
function stopSignal(): { promise: Promise<void>; dispose(): void } {
  let dispose = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    const on = (): void => resolve();
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
    dispose = () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    };
  });
  return { promise, dispose };
}

async function follow(
  t: CliTarget,
  io: CliIo,
  filters: Record<string, string | undefined>,
  json: boolean,
): Promise<void> {
  const first = await listLogs(t.store, t.environment, filters);
  print(io, json, first.logs);
  let afterId = first.logs.reduce((m, l) => Math.max(m, l.id ?? 0), 0);
  if (first.logs.length === 0) {
    // Start after the newest line that exists now.
    const [newest] = await t.store.logs.query(t.environment, { limit: 1 });
    afterId = newest?.id ?? 0;
  }
  const q = logQuery({ ...filters, since: undefined, cursor: undefined }, Date.now());
  const stop = stopSignal();
  let stopped = false;
  void stop.promise.then(() => (stopped = true));
  try {
    while (!stopped) {
      await Promise.race([stop.promise, new Promise((r) => setTimeout(r, FOLLOW_INTERVAL_MS))]);
      if (stopped) break;
      const rows = await t.store.logs.query(t.environment, { ...q, afterId, limit: 1000 });
      print(io, json, rows.map(logView));
      for (const r of rows) afterId = Math.max(afterId, r.id ?? afterId);
    }
  } finally {
    stop.dispose();
  }
}

export const logsCommand: Command = {
  name: 'logs',
  summary:
    'Pipeline log lines (log steps and platform warnings); --follow streams new ones; export writes CSV',
  usage: `pipegate logs [--execution KEY] [--pipeline NAME] [--level INFO|WARN|ERROR] [--since 15m|ISO] [--until …] [--search TEXT] [--limit N] [--follow]  |  logs export --execution KEY  ${STORE_USAGE}`,
  options: {
    '--execution KEY':
      'only the lines of this execution (with export: the execution to export as CSV)',
    '--pipeline NAME': 'only lines of this pipeline',
    '--level INFO|WARN|ERROR': 'only lines of this level',
    '--search TEXT': 'only lines containing TEXT',
    '--follow': 'keep printing new lines as they are written (Ctrl-C stops)',
  },
  examples: ['pipegate logs --pipeline login --level WARN --since 15m', 'pipegate logs --follow'],
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...STORE_OPTIONS,
        follow: { type: 'boolean', default: false },
        ...Object.fromEntries(FILTERS.map((f) => [f, { type: 'string' as const }])),
      },
    });
    const v = values as Record<string, string | boolean | undefined>;
    const filters = Object.fromEntries(FILTERS.map((f) => [f, v[f] as string | undefined]));
    const [sub, ...rest] = positionals;
    if (rest.length > 0 || (sub !== undefined && sub !== 'export'))
      throw usageError(`logs takes filters, or export --execution KEY: ${this.usage}`);
    if (sub === 'export' && !filters.execution)
      throw usageError('logs export needs --execution KEY (one execution per file)');
    const t = await openCliTarget(values, io);
    try {
      if (sub === 'export') {
        const lines = await t.store.logs.query(t.environment, {
          executionKey: filters.execution,
          limit: 10_000,
        });
        io.stdout(logsCsv(lines, t.realm));
      } else if (values.follow) {
        await follow(t, io, filters, values.json === true);
      } else {
        const page = await listLogs(t.store, t.environment, filters);
        if (values.json) printJson(io, { environment: t.environment, ...page });
        else if (page.logs.length === 0) io.stdout('no log lines match\n');
        else {
          print(io, false, page.logs);
          if (page.nextCursor) io.stdout(`older: --cursor ${page.nextCursor}\n`);
        }
      }
      return EXIT.ok;
    } finally {
      await t.close();
    }
  },
};
