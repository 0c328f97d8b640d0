// What every SQL repository shares: the executor, the clock, change-feed writes and row decoding helpers.
import type { JsonValue } from '../../core/json.js';
import type { ChangeTopic } from '../records.js';
import type { BulkPart, Dialect, Row, SqlExecutor, SqlParam } from './driver.js';

/** The executor (connection or transaction), its dialect and the clock. */
export interface SqlContext {
  readonly ex: SqlExecutor;
  readonly dialect: Dialect;
  readonly now: () => number;
}

/** Appends a change-feed row inside the running transaction. */
export type RecordChange = (
  environment: string,
  topic: ChangeTopic,
  ref: string,
  action: string,
) => Promise<void>;

/**
 * Runs a mutation of shared configuration in a transaction that also appends its change-feed rows.
 * On PostgreSQL the change lock is taken first, so seq order equals commit order (docs/store.md).
 */
export function mutate<T>(
  ctx: SqlContext,
  fn: (ex: SqlExecutor, record: RecordChange) => Promise<T>,
): Promise<T> {
  return ctx.ex.transaction(async (ex) => {
    if (ctx.dialect.changeLock) await ex.all(ctx.dialect.changeLock);
    const record: RecordChange = async (environment, topic, ref, action) => {
      await ex.run(
        'INSERT INTO changes (environment, topic, ref, action, at) VALUES (?, ?, ?, ?, ?)',
        [environment, topic, ref, action, ctx.now()],
      );
    };
    return fn(ex, record);
  });
}

/** First row or null. */
export async function one(
  ex: SqlExecutor,
  sql: string,
  params: readonly SqlParam[],
): Promise<Row | null> {
  const rows = await ex.all(sql, params);
  return rows[0] ?? null;
}

/** A text column. */
export function str(row: Row, col: string): string {
  return String(row[col]);
}

/** A nullable text column. */
export function strOrNull(row: Row, col: string): string | null {
  const v = row[col];
  return v === null || v === undefined ? null : String(v);
}

/** A numeric column (BIGINTs arrive as numbers on both dialects). */
export function num(row: Row, col: string): number {
  return Number(row[col]);
}

export function numOrNull(row: Row, col: string): number | null {
  const v = row[col];
  return v === null || v === undefined ? null : Number(v);
}

/** A boolean column (0/1 on SQLite, boolean on PostgreSQL). */
export function bool(row: Row, col: string): boolean {
  const v = row[col];
  return v === true || v === 1 || v === '1' || v === 't';
}

/** A JSON column (text on both dialects); null stays null. */
export function json<T = JsonValue>(row: Row, col: string): T | null {
  const v = row[col];
  if (v === null || v === undefined) return null;
  return JSON.parse(String(v)) as T;
}

/** A value for a JSON column. `undefined` and `null` become SQL NULL. */
export function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** Rows per multi-row INSERT: few distinct statement texts, few round trips, far below bind limits. */
const INSERT_CHUNK = 100;

/**
 * Inserts many rows with multi-row `INSERT … VALUES (…), (…)` statements in one transaction: one
 * round trip per 100 rows on PostgreSQL instead of one per row (monitoring writers batch thousands).
 */
export async function insertRows(
  ex: SqlExecutor,
  table: string,
  columns: readonly string[],
  rows: readonly SqlParam[][],
): Promise<void> {
  return insertParts(ex, [{ table, columns, rows }]);
}

/** Rows of several tables in one transaction (an execution batch and its log lines). */
export async function insertParts(ex: SqlExecutor, parts: readonly BulkPart[]): Promise<void> {
  const nonEmpty = parts.filter((p) => p.rows.length > 0);
  if (nonEmpty.length === 0) return;
  if (ex.bulkInsert) return ex.bulkInsert(nonEmpty);
  return insertInTransaction(ex, nonEmpty);
}

/** Multi-row INSERT statements of INSERT_CHUNK rows, every part in one transaction on `ex`. */
export async function insertInTransaction(
  ex: SqlExecutor,
  parts: readonly BulkPart[],
): Promise<void> {
  await ex.transaction(async (tx) => {
    for (const { table, columns, rows, onConflict = '' } of parts) {
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK);
        await tx.run(head + chunk.map(() => tuple).join(', ') + onConflict, chunk.flat());
      }
    }
  });
}

/** Clamps a page size: default 100, at most 10000. */
export function pageLimit(limit: number | undefined, fallback = 100): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.max(1, Math.min(10_000, Math.floor(limit)));
}

/** Builds `WHERE a = ? AND b >= ?` from optional filters (undefined ones are skipped). */
export class Where {
  readonly clauses: string[] = [];
  readonly params: SqlParam[] = [];

  constructor(environment: string) {
    this.add('environment = ?', environment);
  }

  add(clause: string, value: SqlParam | undefined): this {
    if (value !== undefined) {
      this.clauses.push(clause);
      this.params.push(value);
    }
    return this;
  }

  toString(): string {
    return `WHERE ${this.clauses.join(' AND ')}`;
  }
}
