// The tiny driver port the SQL core is written against, and what a dialect must supply.
import type { DialectName } from '../store.js';

/** Values a statement may bind. Booleans are stored as 0/1 on SQLite, BOOLEAN on PostgreSQL. */
export type SqlParam = string | number | boolean | null;

/**
 * Text as both dialects can store it: PostgreSQL rejects U+0000 in text, so every driver replaces it
 * with U+FFFD (the same on SQLite, so the contract holds on both). JSON columns are unaffected:
 * JSON.stringify already escapes it as `\u0000`.
 */
export function storableText(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}

/** A result row: column name → value. BIGINTs arrive as numbers, JSON columns as text, on both dialects. */
export type Row = Record<string, unknown>;

/** Runs statements on a connection or inside a transaction. SQL uses `?` placeholders. */
export interface SqlExecutor {
  /** Rows of a query (or of `… RETURNING …`). */
  all(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /** Executes a statement; resolves to the number of affected rows. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /**
   * Runs `fn` in a transaction. On an executor that is already a transaction, `fn` joins it (no
   * savepoint). Never call the outer (non-transaction) executor from inside `fn`: on SQLite it waits
   * for the transaction to end.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** True when this executor is bound to an open transaction. */
  readonly inTransaction: boolean;
  /**
   * Inserts the rows of every part in one transaction, where the driver can off the request thread (SQLite: a
   * worker thread with its own connection). Optional: insertRows falls back to plain statements.
   */
  bulkInsert?(parts: readonly BulkPart[]): Promise<void>;
}

/** Rows for one table in a bulk insert. */
export interface BulkPart {
  table: string;
  columns: readonly string[];
  rows: readonly SqlParam[][];
  /** Appended to each INSERT statement (an upsert's `ON CONFLICT …`); its rows' conflict keys must differ. */
  onConflict?: string;
}

/** What differs between SQL dialects; everything else is shared SQL. */
export interface Dialect {
  readonly name: DialectName;
  /**
   * A statement that serialises change-feed writers until commit, so `changes.seq` values become
   * visible in increasing order (PostgreSQL: a transaction-level advisory lock). Null when the
   * database already has a single writer (SQLite).
   */
  readonly changeLock: string | null;
  /** Ordered migrations of this dialect (same numbers on every dialect). */
  readonly migrations: readonly Migration[];
  /** Driver error → what it means for callers; `constraint` names the violated unique index. */
  classify(err: unknown): ClassifiedError;
}

/** One numbered schema migration. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export type ClassifiedError =
  | { kind: 'unique'; constraint: string | null }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'other'; reason: string };

/** A connection (pool) to one database. */
export interface SqlDriver extends SqlExecutor {
  readonly dialect: Dialect;
  /** Takes a dialect-specific lock for the migration run, so that concurrent starts migrate once. */
  migrationLock(tx: SqlExecutor): Promise<void>;
  close(): Promise<void>;
  /** PostgreSQL: LISTEN on a channel with its own reconnecting connection (change-feed wake-ups). */
  listen?(
    channel: string,
    handlers: { onNotify(payload: string): void; onConnected(): void },
  ): { close(): Promise<void>; readonly connected: boolean };
}
