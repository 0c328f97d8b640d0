// `pipegate anomalies list|show|ack|resolve`: detected anomalies, on the store directly (works while the server runs).
import { parseArgs } from 'node:util';
import { PlatformError } from '../../errors/index.js';
import { STORE_OPTIONS, STORE_USAGE, openCliTarget, printJson } from '../cli-target.js';
import type { CliTarget } from '../cli-target.js';
import { anomalyJson, parseAnomalyFilters } from '../../monitoring/anomalies/index.js';
import type { Anomaly } from '../../store/anomaly-records.js';
import type { CliIo, Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

const iso = (t: number): string => new Date(t).toISOString();

function line(a: Anomaly): string {
  return `${[
    a.id,
    a.rule,
    a.severity,
    a.status,
    `count=${a.count}`,
    a.consumer ?? '-',
    a.jti ?? '-',
    a.clientIps.join(',') || '-',
    iso(a.firstSeen),
    iso(a.lastSeen),
  ].join('  ')}\n`;
}

function details(a: Anomaly): string {
  const rows: [string, string][] = [
    ['id', a.id],
    ['rule', a.rule],
    ['severity', a.severity],
    ['status', a.status],
    ['subject', a.subject],
    ['realm', a.realm],
    ['environment', a.environment],
    ['consumer', a.consumer ?? '-'],
    ['jti', a.jti ?? '-'],
    ['client IPs', a.clientIps.join(', ') || '-'],
    ['count', String(a.count)],
    ['first seen', iso(a.firstSeen)],
    ['last seen', iso(a.lastSeen)],
    ['sample executions', a.sampleExecutionKeys.join(', ') || '-'],
    ['response', a.response ?? '-'],
  ];
  if (a.acknowledgedAt !== null)
    rows.push(['acknowledged', `${iso(a.acknowledgedAt)} by ${a.acknowledgedBy ?? '-'}`]);
  if (a.resolvedAt !== null)
    rows.push(['resolved', `${iso(a.resolvedAt)} by ${a.resolvedBy ?? '-'}`]);
  return rows.map(([k, v]) => `${k.padEnd(18)}${v}\n`).join('');
}

type Values = Record<string, string | boolean | undefined>;

async function list(t: CliTarget, io: CliIo, v: Values): Promise<number> {
  const text = (k: string): string | undefined =>
    typeof v[k] === 'string' ? (v[k] as string) : undefined;
  const q = parseAnomalyFilters({
    status: text('status'),
    rule: text('rule'),
    consumer: text('consumer'),
    jti: text('jti'),
    since: text('since'),
    until: text('until'),
    limit: text('limit'),
    cursor: text('cursor'),
  });
  const { anomalies, nextCursor } = await t.store.anomalies.list(t.environment, q);
  if (v.json)
    printJson(io, {
      environment: t.environment,
      anomalies: anomalies.map(anomalyJson),
      nextCursor,
    });
  else if (anomalies.length === 0) io.stdout('no anomalies match\n');
  else {
    for (const a of anomalies) io.stdout(line(a));
    if (nextCursor) io.stdout(`more: --cursor ${nextCursor}\n`);
  }
  return EXIT.ok;
}

async function one(
  t: CliTarget,
  io: CliIo,
  sub: 'show' | 'ack' | 'resolve',
  id: string,
  json: boolean,
): Promise<number> {
  const by = `cli:${io.env.USER ?? io.env.USERNAME ?? 'unknown'}`;
  const a =
    sub === 'show'
      ? await t.store.anomalies.get(t.environment, id)
      : await t.store.anomalies.setStatus(
          t.environment,
          id,
          sub === 'ack' ? 'acknowledged' : 'resolved',
          by,
        );
  if (!a) throw new PlatformError('ERR_ANOMALY_NOT_FOUND', { id, environment: t.environment });
  if (json) printJson(io, { environment: t.environment, anomaly: anomalyJson(a) });
  else if (sub === 'show') io.stdout(details(a));
  else io.stdout(`anomaly ${a.id} (${a.rule}) is ${a.status}\n`);
  return EXIT.ok;
}

export const anomaliesCommand: Command = {
  name: 'anomalies',
  summary: 'List, inspect, acknowledge and resolve detected token-use anomalies',
  usage: `pipegate anomalies list [--status open|acknowledged|resolved] [--rule RULE] [--consumer NAME] [--jti ID] [--since 15m|ISO] [--until ISO] [--limit N] [--cursor C]  |  anomalies show|ack|resolve ID  ${STORE_USAGE}`,
  options: {
    '--status open|acknowledged|resolved': 'only anomalies in this state',
    '--rule RULE': 'only anomalies of this rule (e.g. token_multi_ip)',
    '--consumer NAME': 'only anomalies about this consumer',
    '--jti ID': 'only anomalies about this token',
  },
  examples: ['pipegate anomalies list --status open', 'pipegate anomalies ack 3'],
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...STORE_OPTIONS,
        status: { type: 'string' },
        rule: { type: 'string' },
        consumer: { type: 'string' },
        jti: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        limit: { type: 'string' },
        cursor: { type: 'string' },
      },
    });
    const [sub, ...rest] = positionals;
    const single = sub === 'show' || sub === 'ack' || sub === 'resolve';
    if (!(sub === 'list' && rest.length === 0) && !(single && rest.length === 1))
      throw usageError(`anomalies takes list, or show|ack|resolve with an id: ${this.usage}`);
    const t = await openCliTarget(values, io);
    try {
      return sub === 'list'
        ? await list(t, io, values)
        : await one(t, io, sub as 'show' | 'ack' | 'resolve', rest[0]!, values.json);
    } finally {
      await t.close();
    }
  },
};
