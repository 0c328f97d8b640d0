// `pipegate tokens revoke|usage`: revocations and the token usage log, on the store directly.
import { parseArgs } from 'node:util';
import { PlatformError } from '../../errors/index.js';
import { STORE_OPTIONS, STORE_USAGE, openCliTarget, printJson } from '../cli-target.js';
import type { CliTarget } from '../cli-target.js';
import { revokeTokens } from '../../security/tokens/revoke-target.js';
import type { RevokeTarget } from '../../security/tokens/revoke-target.js';
import type { TokenUsageEvent } from '../../store/records.js';
import type { CliIo, Command } from '../command.js';
import { EXIT, usageError } from '../command.js';
import { textTable } from '../text-table.js';

/**
 * A point in time: ISO 8601, or epoch digits — 10 digits or fewer are seconds (as in JWTs), more are
 * milliseconds. Null when it is neither.
 */
export function parseInstant(text: string): number | null {
  const t = text.trim();
  if (/^\d+$/.test(t)) return t.length <= 10 ? Number(t) * 1000 : Number(t);
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return null;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : null;
}

/** `--since`: an instant, or a duration back from now (`30s`, `15m`, `2h`, `7d`). */
export function parseSince(text: string, now: number): number | null {
  const m = /^(\d+)([smhd])$/.exec(text.trim());
  if (m)
    return (
      now -
      Number(m[1]) *
        { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd']
    );
  return parseInstant(text);
}

type RevokeValues = { jti?: string; consumer?: string; before?: string; json?: boolean };

async function revoke(t: CliTarget, io: CliIo, v: RevokeValues): Promise<number> {
  const given = [v.jti, v.consumer, v.before].filter((x) => x !== undefined);
  if (given.length !== 1 || given[0] === '')
    throw new PlatformError('ERR_JWT_REVOKE_TARGET', { reason: `${given.length} given` });
  let target: RevokeTarget;
  if (v.jti !== undefined) target = { jti: v.jti };
  else if (v.consumer !== undefined) target = { consumer: v.consumer };
  else {
    const before = parseInstant(v.before!);
    if (before === null)
      throw new PlatformError('ERR_JWT_REVOKE_TARGET', {
        reason: `--before "${v.before}" is not ISO 8601 or epoch time`,
      });
    target = { before };
  }
  const stored = await revokeTokens(t.store, t.environment, target);
  const what =
    stored.kind === 'jti'
      ? `token ${stored.value}`
      : stored.kind === 'consumer'
        ? `every token of ${stored.value} issued before now`
        : `every token issued before ${new Date(stored.issuedBefore!).toISOString()}`;
  if (v.json)
    printJson(io, {
      environment: t.environment,
      revoked: {
        kind: stored.kind,
        value: stored.value,
        issuedBefore: stored.issuedBefore,
        expiresAt: stored.expiresAt,
      },
    });
  else
    io.stdout(
      `revoked ${what} in ${t.environment}; running servers apply it within their refresh interval (1 s by default)\n`,
    );
  return EXIT.ok;
}

const USAGE_HEADERS = [
  'TIME',
  'KIND',
  'OUTCOME',
  'REASON',
  'CONSUMER',
  'PIPELINE',
  'CLIENT IP',
  'STATUS',
  'JTI',
  'EXECUTION',
];

/** One row of the `tokens usage` table: who, what, from where, with which outcome. */
function usageRow(e: TokenUsageEvent): string[] {
  return [
    new Date(e.time).toISOString(),
    e.kind,
    e.outcome,
    e.reason ?? '-',
    e.consumer ?? '-',
    e.pipeline ?? '-',
    e.clientIp ?? '-',
    e.status === null ? '-' : String(e.status),
    e.jti ?? '-',
    e.executionKey ?? '-',
  ];
}

type UsageValues = {
  jti?: string;
  consumer?: string;
  pipeline?: string;
  since?: string;
  limit?: string;
  json?: boolean;
};

async function usage(t: CliTarget, io: CliIo, v: UsageValues): Promise<number> {
  const since = v.since === undefined ? undefined : parseSince(v.since, Date.now());
  if (since === null)
    throw usageError(`--since "${v.since}" is not ISO 8601, epoch time or a duration like 15m`);
  const limit = v.limit === undefined ? 100 : Number(v.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw usageError('--limit takes 1 to 10000');
  const events = await t.store.usage.query(t.environment, {
    jti: v.jti,
    consumer: v.consumer,
    pipeline: v.pipeline,
    since,
    limit,
  });
  if (v.json) printJson(io, { environment: t.environment, events });
  else if (events.length === 0) io.stdout('no token usage events match\n');
  else io.stdout(textTable(USAGE_HEADERS, events.map(usageRow)));
  return EXIT.ok;
}

export const tokensCommand: Command = {
  name: 'tokens',
  summary: 'Revoke platform tokens and query the token usage log',
  usage: `pipegate tokens revoke --jti ID | --consumer NAME | --before ISO|EPOCH  |  tokens usage [--jti ID] [--consumer NAME] [--pipeline NAME] [--since ISO|EPOCH|15m] [--limit N]  ${STORE_USAGE}`,
  options: {
    '--jti ID': 'revoke: this token; usage: events of this token',
    '--consumer NAME': 'revoke: every token of the consumer issued until now; usage: its events',
    '--before ISO|EPOCH': 'revoke: every token issued before that time',
    '--pipeline NAME': 'usage: only events of this pipeline',
    '--since ISO|EPOCH|15m': 'usage: only events from then on, or from that long ago',
    '--limit N': 'usage: at most N events, newest first (default 100)',
  },
  examples: ['pipegate tokens usage --since 15m', 'pipegate tokens revoke --jti 6f1c…'],
  subcommands: {
    revoke: {
      summary: 'Revoke one token, every token of a consumer, or every token issued before a time',
      usage: `pipegate tokens revoke --jti ID | --consumer NAME | --before ISO|EPOCH ${STORE_USAGE}`,
      options: {
        '--jti ID': 'the token with this jti (kept until the token would have expired)',
        '--consumer NAME': 'every token of the consumer issued until now',
        '--before ISO|EPOCH':
          'every token issued before that time (ISO 8601, or epoch seconds or milliseconds)',
      },
      examples: [
        'pipegate tokens revoke --consumer acme',
        'pipegate tokens revoke --before 2026-01-01T00:00:00Z',
      ],
    },
    usage: {
      summary:
        'Query the token usage log: who got or presented which token, when, from where, and the outcome',
      usage: `pipegate tokens usage [--jti ID] [--consumer NAME] [--pipeline NAME] [--since ISO|EPOCH|15m] [--limit N] ${STORE_USAGE}`,
      options: {
        '--jti ID': 'only events of this token',
        '--consumer NAME': 'only events of this consumer',
        '--pipeline NAME': 'only events of this pipeline',
        '--since ISO|EPOCH|15m':
          'only events from that time on, or from that long ago (30s, 15m, 2h, 7d)',
        '--limit N': 'at most N events, newest first (1 to 10000, default 100)',
      },
      examples: [
        'pipegate tokens usage --consumer acme --since 2h',
        'pipegate tokens usage --jti 6f1c… --json',
      ],
    },
  },
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...STORE_OPTIONS,
        jti: { type: 'string' },
        consumer: { type: 'string' },
        before: { type: 'string' },
        pipeline: { type: 'string' },
        since: { type: 'string' },
        limit: { type: 'string' },
      },
    });
    const [sub, ...rest] = positionals;
    if ((sub !== 'revoke' && sub !== 'usage') || rest.length > 0)
      throw usageError(`tokens takes revoke or usage: ${this.usage}`);
    const t = await openCliTarget(values, io);
    try {
      return sub === 'revoke' ? await revoke(t, io, values) : await usage(t, io, values);
    } finally {
      await t.close();
    }
  },
};
