// The audit log and the console's aggregations in SQL: one statement per page element, grouped in the database.
import type { JsonObject } from '../../core/json.js';
import { DURATION_BOUNDS_MS } from '../console-records.js';
import type {
  AuditEntry,
  AuditQuery,
  ExecutionBucket,
  NewAuditEntry,
  OverviewCounters,
  PipelineTotals,
  SeriesQuery,
  TokenSummaryQuery,
  TokenUsageTotals,
} from '../console-records.js';
import type { AuditRepository, ConsoleStatsRepository } from '../store.js';
import type { BulkPart, Row, SqlExecutor, SqlParam } from './driver.js';
import { json, num, numOrNull, str, strOrNull, toJson, Where } from './sql-context.js';
import type { SqlContext } from './sql-context.js';

const AUDIT_COLUMNS =
  'id, environment, at, actor, action, target, client_ip, outcome, status, details';

function toAudit(row: Row): AuditEntry {
  return {
    id: num(row, 'id'),
    environment: str(row, 'environment'),
    at: num(row, 'at'),
    actor: str(row, 'actor'),
    action: str(row, 'action'),
    target: strOrNull(row, 'target'),
    clientIp: strOrNull(row, 'client_ip'),
    outcome: str(row, 'outcome') as AuditEntry['outcome'],
    status: numOrNull(row, 'status'),
    details: json<JsonObject>(row, 'details'),
  };
}

export class SqlAuditRepository implements AuditRepository {
  constructor(private readonly ctx: SqlContext) {}

  async append(env: string, e: NewAuditEntry): Promise<AuditEntry> {
    const rows = await this.ctx.ex.all(
      `INSERT INTO audit_log (environment, at, actor, action, target, client_ip, outcome, status, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${AUDIT_COLUMNS}`,
      [env, e.at, e.actor, e.action, e.target, e.clientIp, e.outcome, e.status, toJson(e.details)],
    );
    return toAudit(rows[0]!);
  }

  async list(env: string, q: AuditQuery = {}): Promise<AuditEntry[]> {
    const w = new Where(env)
      .add('id < ?', q.beforeId)
      .add('actor = ?', q.actor)
      .add('action = ?', q.action)
      .add('at >= ?', q.from)
      .add('at < ?', q.to);
    const limit = Math.max(1, Math.min(1000, Math.floor(q.limit ?? 100)));
    w.params.push(limit);
    const sql = `SELECT ${AUDIT_COLUMNS} FROM audit_log ${w} ORDER BY id DESC LIMIT ?`;
    return (await this.ctx.ex.all(sql, w.params)).map(toAudit);
  }

  purge(before: number): Promise<number> {
    return this.ctx.ex.run('DELETE FROM audit_log WHERE at < ?', [before]);
  }
}

/** `CASE WHEN duration_ms < 1 THEN 0 … ELSE n END`: the duration class of DURATION_BOUNDS_MS. */
const DURATION_CLASS = `CASE ${DURATION_BOUNDS_MS.map((b, i) => `WHEN duration_ms < ${b} THEN ${i}`).join(' ')} ELSE ${DURATION_BOUNDS_MS.length} END`;

const FAILED = "CASE WHEN status = 'success' THEN 0 ELSE 1 END";

/** The widths of execution_rollups buckets (migration 005): 5 minutes and 1 hour. */
export const ROLLUP_GRANULARITIES = [300_000, 3_600_000] as const;
const CLASSES = DURATION_BOUNDS_MS.length + 1;
const H_COLUMNS = Array.from({ length: CLASSES }, (_, i) => `h${i}`);
const ROLLUP_KEY = [
  'environment',
  'granularity',
  'bucket_start',
  'pipeline',
  'version_major',
  'version_minor',
];
const ROLLUP_COLUMNS = [
  ...ROLLUP_KEY,
  'total',
  'failed',
  'sum_ms',
  'max_ms',
  'request_bytes',
  'response_bytes',
  ...H_COLUMNS,
];
const ROLLUP_UPSERT_TAIL = ` ON CONFLICT (${ROLLUP_KEY.join(', ')}) DO UPDATE SET ${[
  'total',
  'failed',
  'sum_ms',
  'request_bytes',
  'response_bytes',
  ...H_COLUMNS,
]
  .map((c) => `${c} = execution_rollups.${c} + excluded.${c}`)
  .join(
    ', ',
  )}, max_ms = CASE WHEN excluded.max_ms > execution_rollups.max_ms THEN excluded.max_ms ELSE execution_rollups.max_ms END`;

/** The duration class of DURATION_BOUNDS_MS (the last class is open). */
export function durationClass(ms: number): number {
  for (let i = 0; i < DURATION_BOUNDS_MS.length; i++) if (ms < DURATION_BOUNDS_MS[i]!) return i;
  return DURATION_BOUNDS_MS.length;
}

/** What a rollup needs of an execution record. */
export interface RollupInput {
  pipeline: string;
  versionMajor: number;
  versionMinor: number;
  status: string;
  startedAt: number;
  durationMs: number;
  requestBytes?: number | null;
  responseBytes?: number | null;
}

/**
 * The execution_rollups upsert rows (both granularities) of a batch of executions: grouped here
 * first, one row per bucket and pipeline version, in a fixed order so concurrent writers on
 * PostgreSQL lock rows in the same order. Written in the transaction that inserts the executions
 * (on SQLite by the writer thread: no statement of its own on the event loop).
 */
export function rollupPart(env: string, records: readonly RollupInput[]): BulkPart | null {
  if (records.length === 0) return null;
  const groups = new Map<string, SqlParam[]>();
  // A batch's executions mostly fall in the buckets of the one before (same pipeline version, same
  // 5-minute and hour buckets): those reuse its rows without building the group keys again.
  let prev: RollupInput | undefined;
  const prevStarts: number[] = [];
  const prevRows: SqlParam[][] = [];
  for (const r of records) {
    const failed = r.status === 'success' ? 0 : 1;
    const cls = durationClass(r.durationMs);
    const same =
      prev !== undefined &&
      r.pipeline === prev.pipeline &&
      r.versionMajor === prev.versionMajor &&
      r.versionMinor === prev.versionMinor;
    for (let k = 0; k < ROLLUP_GRANULARITIES.length; k++) {
      const g = ROLLUP_GRANULARITIES[k]!;
      const start = Math.floor(r.startedAt / g) * g;
      let row = same && prevStarts[k] === start ? prevRows[k] : undefined;
      if (!row) {
        const key = `${g}\u0000${start}\u0000${r.pipeline}\u0000${r.versionMajor}\u0000${r.versionMinor}`;
        row = groups.get(key);
        if (!row) {
          row = [
            env,
            g,
            start,
            r.pipeline,
            r.versionMajor,
            r.versionMinor,
            0,
            0,
            0,
            0,
            0,
            0,
            ...new Array<number>(CLASSES).fill(0),
          ];
          groups.set(key, row);
        }
        prevStarts[k] = start;
        prevRows[k] = row;
      }
      row[6] = (row[6] as number) + 1;
      row[7] = (row[7] as number) + failed;
      row[8] = (row[8] as number) + r.durationMs;
      row[9] = Math.max(row[9] as number, r.durationMs);
      row[10] = (row[10] as number) + (r.requestBytes ?? 0);
      row[11] = (row[11] as number) + (r.responseBytes ?? 0);
      row[12 + cls] = (row[12 + cls] as number) + 1;
    }
    prev = r;
  }
  const rows = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
  return {
    table: 'execution_rollups',
    columns: ROLLUP_COLUMNS,
    rows,
    onConflict: ROLLUP_UPSERT_TAIL,
  };
}

/** Deletes rollup buckets that ended before `before` (the executions retention). */
export function purgeRollups(ex: SqlExecutor, env: string, before: number): Promise<number> {
  return ex.run(
    'DELETE FROM execution_rollups WHERE environment = ? AND bucket_start + granularity <= ?',
    [env, before],
  );
}

/**
 * The rollup granularity that answers [from, to) in buckets of `bucketMs` exactly, or null for raw
 * executions: hours from two days up, 5 minutes from two hours up; `from` (and the bucket width)
 * must be aligned to it. Shorter periods hold few executions and read the executions table.
 */
export function rollupFor(from: number, to: number, bucketMs?: number): number | null {
  const span = to - from;
  for (const [g, minSpan] of [
    [3_600_000, 48 * 3_600_000],
    [300_000, 2 * 3_600_000],
  ] as const) {
    if (span >= minSpan && from % g === 0 && (bucketMs === undefined || bucketMs % g === 0))
      return g;
  }
  return null;
}

/** Adds one usage row to a running total. */
function addUsage(t: TokenUsageTotals, row: Row): void {
  const n = num(row, 'n');
  t.total += n;
  const outcome = str(row, 'outcome');
  const kind = str(row, 'kind');
  t.outcomes[outcome] = (t.outcomes[outcome] ?? 0) + n;
  t.kinds[kind] = (t.kinds[kind] ?? 0) + n;
  t.firstSeen = Math.min(t.firstSeen, num(row, 'first_at'));
  t.lastSeen = Math.max(t.lastSeen, num(row, 'last_at'));
}

function emptyTotals(consumer: string | null, jti: string | null): TokenUsageTotals {
  return {
    consumer,
    jti,
    total: 0,
    outcomes: {},
    kinds: {},
    clientIps: [],
    firstSeen: Number.POSITIVE_INFINITY,
    lastSeen: 0,
  };
}

const MAX_IPS = 20;
/** Usage rows read per step while collecting the most recent distinct tokens. */
const TOKEN_SCAN = 2000;
const IN_CHUNK = 200;

export class SqlConsoleStatsRepository implements ConsoleStatsRepository {
  constructor(private readonly ctx: SqlContext) {}

  async counters(env: string, dayStart: number): Promise<OverviewCounters> {
    const rows = await this.ctx.ex.all(
      `SELECT
        (SELECT COUNT(DISTINCT name) FROM deployments WHERE environment = ? AND active = ?) AS pipelines,
        (SELECT COUNT(*) FROM consumers WHERE environment = ? AND deleted_at IS NULL) AS consumers,
        (SELECT COUNT(*) FROM accounts WHERE environment = ?) AS accounts,
        (SELECT COALESCE(SUM(count), 0) FROM token_usage WHERE environment = ? AND occurred_at >= ? AND kind = 'issued') AS issued,
        (SELECT COUNT(*) FROM anomalies WHERE environment = ? AND status = 'open') AS open_anomalies`,
      [env, true, env, env, env, dayStart, env],
    );
    const r = rows[0]!;
    return {
      pipelines: num(r, 'pipelines'),
      consumers: num(r, 'consumers'),
      accounts: num(r, 'accounts'),
      tokensIssuedToday: num(r, 'issued'),
      openAnomalies: num(r, 'open_anomalies'),
    };
  }

  async topPipelines(
    env: string,
    from: number,
    to: number,
    limit: number,
  ): Promise<PipelineTotals[]> {
    const g = rollupFor(from, to);
    const rows = await this.ctx.ex.all(
      g !== null
        ? `SELECT pipeline, version_major, MAX(version_minor) AS version_minor, SUM(total) AS total,
              SUM(failed) AS failed, SUM(sum_ms) / SUM(total) AS avg_ms
             FROM execution_rollups
            WHERE environment = ? AND granularity = ? AND bucket_start >= ? AND bucket_start < ?
            GROUP BY pipeline, version_major
            ORDER BY total DESC, pipeline, version_major
            LIMIT ?`
        : `SELECT pipeline, version_major, MAX(version_minor) AS version_minor, COUNT(*) AS total,
              SUM(${FAILED}) AS failed, AVG(duration_ms) AS avg_ms
         FROM executions
        WHERE environment = ? AND started_at >= ? AND started_at < ?
        GROUP BY pipeline, version_major
        ORDER BY total DESC, pipeline, version_major
        LIMIT ?`,
      g !== null ? [env, g, from, to, limit] : [env, from, to, limit],
    );
    return rows.map((r) => ({
      pipeline: str(r, 'pipeline'),
      versionMajor: num(r, 'version_major'),
      versionMinor: num(r, 'version_minor'),
      total: num(r, 'total'),
      failed: num(r, 'failed'),
      avgMs: num(r, 'avg_ms'),
    }));
  }

  async executionSeries(env: string, q: SeriesQuery): Promise<ExecutionBucket[]> {
    const g = rollupFor(q.from, q.to, q.bucketMs);
    if (g !== null) return this.#rollupSeries(env, q, g);
    const params: SqlParam[] = [q.from, q.bucketMs, env];
    let where = 'environment = ?';
    if (q.pipeline !== undefined) {
      where += ' AND pipeline = ?';
      params.push(q.pipeline);
    }
    where += ' AND started_at >= ? AND started_at < ?';
    params.push(q.from, q.to);
    const rows = await this.ctx.ex.all(
      `SELECT (started_at - ?) / ? AS bucket, ${DURATION_CLASS} AS class, COUNT(*) AS n,
              SUM(${FAILED}) AS failed, SUM(duration_ms) AS sum_ms, MAX(duration_ms) AS max_ms,
              SUM(COALESCE(request_bytes, 0)) AS req_bytes, SUM(COALESCE(response_bytes, 0)) AS resp_bytes
         FROM executions
        WHERE ${where}
        GROUP BY 1, 2`,
      params,
    );
    const buckets = new Map<number, ExecutionBucket>();
    for (const r of rows) {
      const k = Math.floor(num(r, 'bucket'));
      let b = buckets.get(k);
      if (!b) {
        b = {
          t: q.from + k * q.bucketMs,
          total: 0,
          failed: 0,
          sumMs: 0,
          maxMs: 0,
          requestBytes: 0,
          responseBytes: 0,
          histogram: new Array<number>(DURATION_BOUNDS_MS.length + 1).fill(0),
        };
        buckets.set(k, b);
      }
      const n = num(r, 'n');
      b.total += n;
      b.failed += num(r, 'failed');
      b.sumMs += num(r, 'sum_ms');
      b.maxMs = Math.max(b.maxMs, num(r, 'max_ms'));
      b.requestBytes += num(r, 'req_bytes');
      b.responseBytes += num(r, 'resp_bytes');
      b.histogram[num(r, 'class')]! += n;
    }
    return [...buckets.values()].sort((a, b) => a.t - b.t);
  }

  async #rollupSeries(env: string, q: SeriesQuery, g: number): Promise<ExecutionBucket[]> {
    const params: SqlParam[] = [env, g];
    let where = 'environment = ? AND granularity = ?';
    if (q.pipeline !== undefined) {
      where += ' AND pipeline = ?';
      params.push(q.pipeline);
    }
    where += ' AND bucket_start >= ? AND bucket_start < ?';
    params.push(q.from, q.to);
    const rows = await this.ctx.ex.all(
      `SELECT bucket_start, SUM(total) AS n, SUM(failed) AS failed, SUM(sum_ms) AS sum_ms, MAX(max_ms) AS max_ms,
              SUM(request_bytes) AS req_bytes, SUM(response_bytes) AS resp_bytes,
              ${H_COLUMNS.map((c) => `SUM(${c}) AS ${c}`).join(', ')}
         FROM execution_rollups WHERE ${where} GROUP BY bucket_start`,
      params,
    );
    const buckets = new Map<number, ExecutionBucket>();
    for (const r of rows) {
      const k = Math.floor((num(r, 'bucket_start') - q.from) / q.bucketMs);
      let b = buckets.get(k);
      if (!b) {
        b = {
          t: q.from + k * q.bucketMs,
          total: 0,
          failed: 0,
          sumMs: 0,
          maxMs: 0,
          requestBytes: 0,
          responseBytes: 0,
          histogram: new Array<number>(CLASSES).fill(0),
        };
        buckets.set(k, b);
      }
      b.total += num(r, 'n');
      b.failed += num(r, 'failed');
      b.sumMs += num(r, 'sum_ms');
      b.maxMs = Math.max(b.maxMs, num(r, 'max_ms'));
      b.requestBytes += num(r, 'req_bytes');
      b.responseBytes += num(r, 'resp_bytes');
      H_COLUMNS.forEach((c, i) => (b.histogram[i]! += num(r, c)));
    }
    return [...buckets.values()].sort((a, b) => a.t - b.t);
  }

  async tokenSummary(
    env: string,
    q: TokenSummaryQuery,
  ): Promise<{ consumers: TokenUsageTotals[]; tokens: TokenUsageTotals[] }> {
    const w = (): Where =>
      new Where(env)
        .add('occurred_at >= ?', q.from)
        .add('occurred_at < ?', q.to)
        .add('consumer = ?', q.consumer);
    // One pass over token_usage_console (migration 005) in index order: no sort, no table reads.
    const cw = w();
    const perConsumer = await this.ctx.ex.all(
      `SELECT consumer, client_ip, outcome, kind, SUM(count) AS n, MIN(occurred_at) AS first_at,
              MAX(COALESCE(last_at, occurred_at)) AS last_at
         FROM token_usage ${cw} GROUP BY consumer, client_ip, outcome, kind`,
      cw.params,
    );
    const consumers = new Map<string, TokenUsageTotals>();
    const consumerIps = new Map<string, Map<string, number>>();
    for (const r of perConsumer) {
      const c = strOrNull(r, 'consumer');
      const key = c ?? '';
      if (!consumers.has(key)) consumers.set(key, emptyTotals(c, null));
      addUsage(consumers.get(key)!, r);
      const ip = strOrNull(r, 'client_ip');
      if (ip !== null) {
        const ips = consumerIps.get(key) ?? new Map<string, number>();
        ips.set(ip, (ips.get(ip) ?? 0) + num(r, 'n'));
        consumerIps.set(key, ips);
      }
    }
    for (const [key, ips] of consumerIps) {
      consumers.get(key)!.clientIps = [...ips.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, MAX_IPS)
        .map(([ip]) => ip);
    }

    // The most recently seen tokens: newest rows first along the time index, distinct jtis kept in
    // order, so a busy period is never grouped by jti as a whole.
    const want = Math.max(1, Math.min(1000, q.tokenLimit ?? 100));
    const jtis: string[] = [];
    const seen = new Set<string>();
    let before: number | undefined;
    for (let round = 0; round < 20 && jtis.length < want; round++) {
      const tw = w().add('occurred_at < ?', before);
      tw.params.push(TOKEN_SCAN);
      const recent = await this.ctx.ex.all(
        `SELECT jti, occurred_at FROM token_usage ${tw} AND jti IS NOT NULL ORDER BY occurred_at DESC LIMIT ?`,
        tw.params,
      );
      for (const r of recent) {
        const j = str(r, 'jti');
        if (!seen.has(j) && jtis.length < want) {
          seen.add(j);
          jtis.push(j);
        }
      }
      if (recent.length < TOKEN_SCAN) break;
      before = num(recent[recent.length - 1]!, 'occurred_at');
    }
    const tokens = new Map<string, TokenUsageTotals>(jtis.map((j) => [j, emptyTotals(null, j)]));
    for (let i = 0; i < jtis.length; i += IN_CHUNK) {
      const chunk = jtis.slice(i, i + IN_CHUNK);
      const marks = chunk.map(() => '?').join(', ');
      const dw = w();
      dw.params.push(...chunk);
      const rows = await this.ctx.ex.all(
        `SELECT jti, consumer, outcome, kind, SUM(count) AS n, MIN(occurred_at) AS first_at,
                MAX(COALESCE(last_at, occurred_at)) AS last_at
           FROM token_usage ${dw} AND jti IN (${marks}) GROUP BY jti, consumer, outcome, kind`,
        dw.params,
      );
      for (const r of rows) {
        const t = tokens.get(str(r, 'jti'))!;
        t.consumer ??= strOrNull(r, 'consumer');
        addUsage(t, r);
      }
      const iw = w();
      iw.params.push(...chunk);
      const ips = await this.ctx.ex.all(
        `SELECT jti, client_ip, SUM(count) AS n FROM token_usage ${iw} AND jti IN (${marks}) AND client_ip IS NOT NULL
          GROUP BY jti, client_ip ORDER BY n DESC, client_ip`,
        iw.params,
      );
      for (const r of ips) {
        const t = tokens.get(str(r, 'jti'))!;
        if (t.clientIps.length < MAX_IPS) t.clientIps.push(str(r, 'client_ip'));
      }
    }
    const byName = (a: TokenUsageTotals, b: TokenUsageTotals): number =>
      (a.consumer ?? '').localeCompare(b.consumer ?? '');
    return { consumers: [...consumers.values()].sort(byName), tokens: [...tokens.values()] };
  }
}
