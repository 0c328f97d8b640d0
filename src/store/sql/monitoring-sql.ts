// Executions, log lines and token usage events in SQL: batch inserts, filtered newest-first queries, purge.
import { uuidv7 } from '../../core/time-ordered-id.js';
import type {
  ExecutionRecord,
  LogRecord,
  NewExecutionRecord,
  NewTokenUsageEvent,
  TokenUsageEvent,
} from '../records.js';
import type {
  ExecutionQuery,
  ExecutionRepository,
  LogQuery,
  LogRepository,
  TokenUsageRepository,
  UsageQuery,
} from '../store.js';
import type { Row, SqlParam } from './driver.js';
import {
  insertParts,
  insertRows,
  json,
  num,
  numOrNull,
  pageLimit,
  str,
  strOrNull,
  toJson,
  Where,
  type SqlContext,
} from './sql-context.js';
import { purgeRollups, rollupPart } from './console-sql.js';

const EXEC_COLUMNS =
  'environment, execution_key, pipeline, version_major, version_minor, status, error_code, started_at, duration_ms, request, response, realm, outcome, http_status, method, route, consumer, jti, client_ip, ended_at, request_bytes, response_bytes';

const EXEC_COLUMN_LIST = EXEC_COLUMNS.split(', ');

function toExecution(row: Row): ExecutionRecord {
  return {
    executionKey: str(row, 'execution_key'),
    environment: str(row, 'environment'),
    pipeline: str(row, 'pipeline'),
    versionMajor: num(row, 'version_major'),
    versionMinor: num(row, 'version_minor'),
    status: str(row, 'status'),
    errorCode: strOrNull(row, 'error_code'),
    startedAt: num(row, 'started_at'),
    durationMs: num(row, 'duration_ms'),
    request: json(row, 'request'),
    response: json(row, 'response'),
    realm: strOrNull(row, 'realm'),
    outcome: strOrNull(row, 'outcome') as ExecutionRecord['outcome'],
    httpStatus: numOrNull(row, 'http_status'),
    method: strOrNull(row, 'method'),
    route: strOrNull(row, 'route'),
    consumer: strOrNull(row, 'consumer'),
    jti: strOrNull(row, 'jti'),
    clientIp: strOrNull(row, 'client_ip'),
    endedAt: numOrNull(row, 'ended_at'),
    requestBytes: numOrNull(row, 'request_bytes'),
    responseBytes: numOrNull(row, 'response_bytes'),
  };
}

/** `%text%` for LIKE … ESCAPE '\\', lower case (the column side is lowered too: same on both dialects). */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Deletes at most `limit` rows per statement (short locks; the caller loops and yields). */
function chunkedPurge(table: string, key: string, time: string) {
  return `DELETE FROM ${table} WHERE environment = ? AND ${key} IN (SELECT ${key} FROM ${table} WHERE environment = ? AND ${time} < ? LIMIT ?)`;
}

/** ` LIMIT ? OFFSET ?` with its values appended to the filter's parameters (bound, not inlined, so
 * the statement text — and the prepared-statement caches — do not vary with the page). */
function paging(w: Where, q: { limit?: number; offset?: number }): string {
  const offset = q.offset !== undefined && q.offset > 0 ? Math.floor(q.offset) : 0;
  w.params.push(pageLimit(q.limit), offset);
  return ' LIMIT ? OFFSET ?';
}

export class SqlExecutionRepository implements ExecutionRepository {
  constructor(private readonly ctx: SqlContext) {}

  insert(env: string, record: Omit<ExecutionRecord, 'environment'>): Promise<void> {
    return this.insertBatch(env, [record]);
  }

  async insertBatch(
    env: string,
    records: NewExecutionRecord[],
    lines: Omit<LogRecord, 'environment' | 'id'>[] = [],
  ): Promise<void> {
    const rows = records.map((r) => [
      env,
      r.executionKey,
      r.pipeline,
      r.versionMajor,
      r.versionMinor,
      r.status,
      r.errorCode,
      r.startedAt,
      r.durationMs,
      r.requestText !== undefined ? r.requestText : toJson(r.request),
      r.responseText !== undefined ? r.responseText : toJson(r.response),
      r.realm ?? null,
      r.outcome ?? null,
      r.httpStatus ?? null,
      r.method ?? null,
      r.route ?? null,
      r.consumer ?? null,
      r.jti ?? null,
      r.clientIp ?? null,
      r.endedAt ?? null,
      r.requestBytes ?? null,
      r.responseBytes ?? null,
    ]);
    // One transaction for the executions, their log lines and the console's per-bucket rollups
    // (docs/console.md "Performance"): one message to the SQLite writer thread, no statement on the
    // event loop's connection.
    const rollups = rollupPart(env, records);
    await insertParts(this.ctx.ex, [
      { table: 'executions', columns: EXEC_COLUMN_LIST, rows },
      { table: 'logs', columns: LOG_COLUMN_LIST, rows: lines.map((l) => logRow(env, l)) },
      ...(rollups ? [rollups] : []),
    ]);
  }

  async get(env: string, executionKey: string): Promise<ExecutionRecord | null> {
    const rows = await this.ctx.ex.all(
      `SELECT ${EXEC_COLUMNS} FROM executions WHERE environment = ? AND execution_key = ?`,
      [env, executionKey],
    );
    return rows[0] ? toExecution(rows[0]) : null;
  }

  async query(env: string, q: ExecutionQuery = {}): Promise<ExecutionRecord[]> {
    const w = new Where(env)
      .add('pipeline = ?', q.pipeline)
      .add('version_major = ?', q.versionMajor)
      .add('version_minor = ?', q.versionMinor)
      .add('status = ?', q.status)
      .add('consumer = ?', q.consumer)
      .add('execution_key = ?', q.executionKey)
      .add('error_code = ?', q.errorCode)
      .add('started_at >= ?', q.from)
      .add('started_at < ?', q.to);
    // The two outcomes as literals: the planners only use the partial index of failed executions
    // (migration 006) for a constant they can match against its WHERE.
    if (q.outcome === 'error' || q.outcome === 'response')
      w.clauses.push(`outcome = '${q.outcome}'`);
    else if (q.outcome !== undefined) w.add('outcome = ?', q.outcome);
    if (q.search !== undefined && q.search !== '') {
      const like = likePattern(q.search);
      w.clauses.push(
        "(LOWER(CAST(request AS TEXT)) LIKE ? ESCAPE '\\' OR LOWER(CAST(response AS TEXT)) LIKE ? ESCAPE '\\')",
      );
      w.params.push(like, like);
    }
    if (q.cursor) {
      // Keyset pagination: strictly after the cursor in (started_at DESC, execution_key DESC) order.
      // A row-value comparison: both dialects turn it into one range of the listing index.
      w.clauses.push('(started_at, execution_key) < (?, ?)');
      w.params.push(q.cursor.startedAt, q.cursor.executionKey);
    }
    const sql = `SELECT ${EXEC_COLUMNS} FROM executions ${w} ORDER BY started_at DESC, execution_key DESC${paging(w, q)}`;
    return (await this.ctx.ex.all(sql, w.params)).map(toExecution);
  }

  async purge(env: string, before: number, opts: { limit?: number } = {}): Promise<number> {
    await purgeRollups(this.ctx.ex, env, before);
    if (opts.limit !== undefined)
      return this.ctx.ex.run(chunkedPurge('executions', 'execution_key', 'started_at'), [
        env,
        env,
        before,
        opts.limit,
      ]);
    return this.ctx.ex.run('DELETE FROM executions WHERE environment = ? AND started_at < ?', [
      env,
      before,
    ]);
  }
}

const LOG_COLUMNS =
  'environment, execution_key, pipeline, level, message, logged_at, step, realm, version_major, version_minor';

const LOG_COLUMN_LIST = LOG_COLUMNS.split(', ');

function logRow(env: string, l: Omit<LogRecord, 'environment' | 'id'>): SqlParam[] {
  return [
    env,
    l.executionKey,
    l.pipeline,
    l.level,
    l.message,
    l.timestamp,
    l.step ?? null,
    l.realm ?? null,
    l.versionMajor ?? null,
    l.versionMinor ?? null,
  ];
}

function toLog(row: Row): LogRecord {
  return {
    environment: str(row, 'environment'),
    executionKey: str(row, 'execution_key'),
    pipeline: str(row, 'pipeline'),
    level: str(row, 'level'),
    message: str(row, 'message'),
    timestamp: num(row, 'logged_at'),
    step: strOrNull(row, 'step'),
    realm: strOrNull(row, 'realm'),
    versionMajor: numOrNull(row, 'version_major'),
    versionMinor: numOrNull(row, 'version_minor'),
    id: num(row, 'id'),
  };
}

export class SqlLogRepository implements LogRepository {
  constructor(private readonly ctx: SqlContext) {}

  async insertBatch(env: string, lines: Omit<LogRecord, 'environment'>[]): Promise<void> {
    await insertRows(
      this.ctx.ex,
      'logs',
      LOG_COLUMN_LIST,
      lines.map((l) => logRow(env, l)),
    );
  }

  async query(env: string, q: LogQuery = {}): Promise<LogRecord[]> {
    const w = new Where(env)
      .add('execution_key = ?', q.executionKey)
      .add('pipeline = ?', q.pipeline)
      .add('level = ?', q.level)
      .add('logged_at >= ?', q.from)
      .add('logged_at < ?', q.to)
      .add('id < ?', q.beforeId)
      .add('id > ?', q.afterId);
    if (q.search !== undefined && q.search !== '') {
      w.clauses.push("LOWER(message) LIKE ? ESCAPE '\\'");
      w.params.push(likePattern(q.search));
    }
    // Newest page first, then shown oldest first within it; `afterId` (follow) reads forwards.
    const order = q.afterId !== undefined ? 'ASC' : 'DESC';
    const sql = `SELECT ${LOG_COLUMNS}, id FROM logs ${w} ORDER BY id ${order}${paging(w, q)}`;
    const rows = (await this.ctx.ex.all(sql, w.params)).map(toLog);
    return order === 'DESC' ? rows.reverse() : rows;
  }

  purge(env: string, before: number, opts: { limit?: number } = {}): Promise<number> {
    if (opts.limit !== undefined)
      return this.ctx.ex.run(chunkedPurge('logs', 'id', 'logged_at'), [
        env,
        env,
        before,
        opts.limit,
      ]);
    return this.ctx.ex.run('DELETE FROM logs WHERE environment = ? AND logged_at < ?', [
      env,
      before,
    ]);
  }
}

const USAGE_COLUMNS =
  'id, environment, occurred_at, kind, pipeline, route, consumer, credential_kind, credential_id, jti, outcome, reason, status, latency_ms, client_ip, user_agent, execution_key, scopes, exp, count, last_at';

function toUsage(row: Row): TokenUsageEvent {
  return {
    id: str(row, 'id'),
    time: num(row, 'occurred_at'),
    environment: str(row, 'environment'),
    kind: str(row, 'kind') as TokenUsageEvent['kind'],
    pipeline: strOrNull(row, 'pipeline'),
    route: strOrNull(row, 'route'),
    consumer: strOrNull(row, 'consumer'),
    credentialKind: strOrNull(row, 'credential_kind') as TokenUsageEvent['credentialKind'],
    credentialId: strOrNull(row, 'credential_id'),
    jti: strOrNull(row, 'jti'),
    outcome: str(row, 'outcome') as TokenUsageEvent['outcome'],
    reason: strOrNull(row, 'reason'),
    status: numOrNull(row, 'status'),
    latencyMs: numOrNull(row, 'latency_ms'),
    clientIp: strOrNull(row, 'client_ip'),
    userAgent: strOrNull(row, 'user_agent'),
    executionKey: strOrNull(row, 'execution_key'),
    scopes: json<string[]>(row, 'scopes'),
    exp: numOrNull(row, 'exp'),
    count: num(row, 'count'),
    lastTime: numOrNull(row, 'last_at'),
  };
}

function completeEvent(env: string, e: NewTokenUsageEvent): TokenUsageEvent {
  return {
    // Time-ordered: the primary key index is appended to, not written at random pages.
    id: e.id ?? uuidv7(e.time),
    time: e.time,
    environment: env,
    kind: e.kind,
    pipeline: e.pipeline ?? null,
    route: e.route ?? null,
    consumer: e.consumer ?? null,
    credentialKind: e.credentialKind ?? null,
    credentialId: e.credentialId ?? null,
    jti: e.jti ?? null,
    outcome: e.outcome,
    reason: e.reason ?? null,
    status: e.status ?? null,
    latencyMs: e.latencyMs ?? null,
    clientIp: e.clientIp ?? null,
    userAgent: e.userAgent ?? null,
    executionKey: e.executionKey ?? null,
    scopes: e.scopes ? [...e.scopes] : null,
    exp: e.exp ?? null,
    count: e.count ?? 1,
    lastTime: e.lastTime ?? null,
  };
}

export class SqlTokenUsageRepository implements TokenUsageRepository {
  constructor(private readonly ctx: SqlContext) {}

  async insertBatch(env: string, events: NewTokenUsageEvent[]): Promise<TokenUsageEvent[]> {
    const stored = events.map((e) => completeEvent(env, e));
    const rows = stored.map((e) => [
      e.id,
      env,
      e.time,
      e.kind,
      e.pipeline,
      e.route,
      e.consumer,
      e.credentialKind,
      e.credentialId,
      e.jti,
      e.outcome,
      e.reason,
      e.status,
      e.latencyMs,
      e.clientIp,
      e.userAgent,
      e.executionKey,
      toJson(e.scopes),
      e.exp,
      e.count ?? 1,
      e.lastTime ?? null,
    ]);
    await insertRows(this.ctx.ex, 'token_usage', USAGE_COLUMNS.split(', '), rows);
    return stored;
  }

  async query(env: string, q: UsageQuery = {}): Promise<TokenUsageEvent[]> {
    const w = new Where(env)
      .add('jti = ?', q.jti)
      .add('consumer = ?', q.consumer)
      .add('pipeline = ?', q.pipeline)
      .add('kind = ?', q.kind)
      .add('outcome = ?', q.outcome)
      .add('occurred_at >= ?', q.since)
      .add('occurred_at < ?', q.until);
    if (q.cursor) {
      w.clauses.push('(occurred_at, id) < (?, ?)');
      w.params.push(q.cursor.time, q.cursor.id);
    }
    const sql = `SELECT ${USAGE_COLUMNS} FROM token_usage ${w} ORDER BY occurred_at DESC, id DESC${paging(w, q)}`;
    return (await this.ctx.ex.all(sql, w.params)).map(toUsage);
  }

  purge(env: string, before: number, opts: { limit?: number } = {}): Promise<number> {
    if (opts.limit !== undefined)
      return this.ctx.ex.run(chunkedPurge('token_usage', 'id', 'occurred_at'), [
        env,
        env,
        before,
        opts.limit,
      ]);
    return this.ctx.ex.run('DELETE FROM token_usage WHERE environment = ? AND occurred_at < ?', [
      env,
      before,
    ]);
  }
}
