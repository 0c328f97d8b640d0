// `pipegate executions list|show`: execution records, read from the store directly (works while serve runs).
import { parseArgs } from 'node:util';
import { STORE_OPTIONS, STORE_USAGE, openCliTarget, printJson } from '../cli-target.js';
import { listExecutions, showExecution } from '../../monitoring/monitoring-reader.js';
import type { ExecutionView, LogView } from '../../monitoring/monitoring-reader.js';
import type { CliIo, Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

const FILTERS = [
  'pipeline',
  'status',
  'consumer',
  'since',
  'until',
  'key',
  'search',
  'limit',
  'cursor',
] as const;

function row(e: ExecutionView): string {
  const cols = [
    e.startedAt,
    e.outcome.padEnd(8),
    String(e.httpStatus ?? '-'),
    `${e.pipeline}@${e.version}`,
    `${e.durationMs.toFixed(1)}ms`,
    e.executionKey,
    e.consumer ?? '-',
    e.errorCode ?? '',
  ];
  return `${cols.join('  ').trimEnd()}\n`;
}

function size(bytes: number | null, label: string): string {
  if (bytes === null) return '';
  return bytes > 32 * 1024
    ? ` (${label} ${bytes} bytes: cut, see docs/monitoring.md)`
    : ` (${bytes} bytes)`;
}

function logLine(l: LogView): string {
  return `${l.timestamp}  ${l.level.padEnd(5)}  ${l.step ? `[${l.step}] ` : ''}${l.message}\n`;
}

function printShow(io: CliIo, e: ExecutionView, logs: LogView[]): void {
  io.stdout(
    [
      `execution  ${e.executionKey}`,
      `pipeline   ${e.pipeline} ${e.version} (realm ${e.realm ?? '-'}, environment ${e.environment})`,
      `trigger    ${e.trigger.method ?? '-'} ${e.trigger.route ?? '-'}`,
      `consumer   ${e.consumer ?? '-'}${e.jti ? `  jti ${e.jti}` : ''}  client ${e.clientIp ?? '-'}`,
      `outcome    ${e.outcome}  HTTP ${e.httpStatus ?? '-'}${e.errorCode ? `  ${e.errorCode}` : ''}`,
      `timing     ${e.startedAt} → ${e.endedAt ?? '-'}  ${e.durationMs.toFixed(1)} ms`,
      '',
      `request${size(e.requestBytes, 'request')}:`,
      JSON.stringify(e.request, null, 2),
      '',
      `response${size(e.responseBytes, 'response')}:`,
      JSON.stringify(e.response, null, 2),
      '',
      `logs (${logs.length}):`,
      '',
    ].join('\n'),
  );
  for (const l of logs) io.stdout(logLine(l));
}

export const executionsCommand: Command = {
  name: 'executions',
  summary: 'List and inspect recorded executions (request, response, logs, timing)',
  usage: `pipegate executions list [--pipeline NAME] [--status response|error] [--consumer NAME] [--since 15m|ISO] [--until 15m|ISO] [--key KEY] [--search TEXT] [--limit N] [--cursor C]  |  executions show KEY  ${STORE_USAGE}`,
  options: {
    '--pipeline NAME': 'only executions of this pipeline',
    '--status response|error': 'only successful (response) or failed (error) executions',
    '--consumer NAME': 'only executions called by this consumer',
    '--key KEY': 'only the execution with this key',
    '--search TEXT': 'only executions whose request or response message contains TEXT',
  },
  examples: [
    'pipegate executions list --pipeline login --status error --since 1h',
    'pipegate executions show 01994295-6a06-48cb-8f2a-3fa2ea0d622d',
  ],
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...STORE_OPTIONS,
        ...Object.fromEntries(FILTERS.map((f) => [f, { type: 'string' as const }])),
      },
    });
    const [sub, ...rest] = positionals;
    if (!((sub === 'list' && rest.length === 0) || (sub === 'show' && rest.length === 1)))
      throw usageError(`executions takes list, or show KEY: ${this.usage}`);
    const v = values as Record<string, string | boolean | undefined>;
    const t = await openCliTarget(values, io);
    try {
      if (sub === 'show') {
        const { execution, logs } = await showExecution(t.store, t.environment, rest[0]!);
        if (values.json) printJson(io, { environment: t.environment, execution, logs });
        else printShow(io, execution, logs);
        return EXIT.ok;
      }
      const filters = Object.fromEntries(FILTERS.map((f) => [f, v[f] as string | undefined]));
      const page = await listExecutions(t.store, t.environment, filters);
      if (values.json) printJson(io, { environment: t.environment, ...page });
      else if (page.executions.length === 0) io.stdout('no executions match\n');
      else {
        for (const e of page.executions) io.stdout(row(e));
        if (page.nextCursor) io.stdout(`more: --cursor ${page.nextCursor}\n`);
      }
      return EXIT.ok;
    } finally {
      await t.close();
    }
  },
};
