// SQLite driver: better-sqlite3 (synchronous) behind the async driver port, one connection, WAL mode.
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PlatformError } from '../../errors/index.js';
import {
  storableText,
  type BulkPart,
  type Dialect,
  type Row,
  type SqlDriver,
  type SqlExecutor,
  type SqlParam,
} from '../sql/driver.js';
import { insertInTransaction } from '../sql/sql-context.js';
import { toStoreError } from '../sql/store-error.js';
import { ensurePrivateDir, ensurePrivateFile } from '../private-files.js';
import { encodeColumns, SqliteBulkWriter } from './bulk-writer.js';
import { sqliteDialect } from './sqlite-dialect.js';

type Db = Database.Database;
type Statement = Database.Statement<unknown[], Row>;

/** Serialises access to the single connection: a transaction excludes every other caller until it ends. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #locked = false;

  get locked(): boolean {
    return this.#locked;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const prev = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((r) => (release = r));
    await prev;
    this.#locked = true;
    try {
      return await fn();
    } finally {
      this.#locked = false;
      release();
    }
  }
}

const MAX_CACHED_STATEMENTS = 1000;

/** How long to wait for another connection's write lock before ERR_STORE_UNAVAILABLE. */
const BUSY_WAIT_MS = 5000;

function isBusy(err: unknown): boolean {
  return String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY');
}

function bindOne(p: unknown): unknown {
  return typeof p === 'boolean' ? (p ? 1 : 0) : typeof p === 'string' ? storableText(p) : p;
}

function bind(params: readonly SqlParam[]): unknown[] {
  return params.map(bindOne);
}

/** Statement execution shared by the connection and its transactions. */
class SqliteExecutor implements SqlExecutor {
  /** Set when its transaction ended: a leaked transaction handle must not run outside the lock. */
  finished = false;

  constructor(
    private readonly owner: SqliteDriver,
    readonly inTransaction: boolean,
  ) {}

  #check(): void {
    if (this.finished)
      throw new TypeError('store used through a transaction that has already ended');
  }

  async all(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    this.#check();
    return this.owner.guard(this.inTransaction, () => {
      const stmt = this.owner.prepare(sql);
      if (stmt.reader) return stmt.all(...bind(params));
      stmt.run(...bind(params));
      return [];
    });
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    this.#check();
    return this.owner.guard(
      this.inTransaction,
      () => this.owner.prepare(sql).run(...bind(params)).changes,
    );
  }

  async exec(script: string): Promise<void> {
    this.#check();
    return this.owner.guard(this.inTransaction, () => void this.owner.db.exec(script));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.#check();
    if (this.inTransaction) return fn(this);
    return this.owner.beginTransaction(fn);
  }

  async bulkInsert(parts: readonly BulkPart[]): Promise<void> {
    this.#check();
    const writer = this.owner.bulkWriter;
    if (this.inTransaction || !writer) return insertInTransaction(this, parts);
    try {
      await writer.insert(
        parts.filter((p) => p.rows.length > 0).map((p) => encodeColumns(p, bindOne)),
      );
    } catch (err) {
      throw toStoreError(this.owner.dialect, err);
    }
  }
}

/** The SQLite driver. Use `openSqliteDriver(path)`. */
/** SQLite's default WAL auto-checkpoint threshold, in pages. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

export class SqliteDriver implements SqlDriver {
  readonly dialect: Dialect = sqliteDialect;
  readonly inTransaction = false;
  readonly db: Db;
  readonly #root: SqliteExecutor;
  readonly #mutex = new Mutex();
  readonly #statements = new Map<string, Statement>();
  #closed = false;

  /** Writes monitoring batches off the event loop (absent for ':memory:'). */
  readonly bulkWriter: SqliteBulkWriter | undefined;

  constructor(db: Db, path?: string) {
    this.db = db;
    this.#root = new SqliteExecutor(this, false);
    this.bulkWriter =
      path && path !== ':memory:'
        ? new SqliteBulkWriter(path, {
            // While the writer thread runs it checkpoints; back to SQLite's default once it is gone.
            started: () => void db.pragma('wal_autocheckpoint = 0'),
            stopped: () => {
              if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
            },
          })
        : undefined;
  }

  bulkInsert(parts: readonly BulkPart[]): Promise<void> {
    return this.#root.bulkInsert(parts);
  }

  all(sql: string, params?: readonly SqlParam[]): Promise<Row[]> {
    return this.#root.all(sql, params);
  }

  run(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.#root.run(sql, params);
  }

  exec(script: string): Promise<void> {
    return this.#root.exec(script);
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.beginTransaction(fn);
  }

  /** Cached prepared statement. */
  prepare(sql: string): Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare<unknown[], Row>(sql);
      // Statement texts are a small fixed set; the bound only guards against a future dynamic one.
      if (this.#statements.size >= MAX_CACHED_STATEMENTS) this.#statements.clear();
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  /**
   * Runs a synchronous operation, waiting for a running transaction unless it is part of it. When
   * another connection holds the write lock (SQLITE_BUSY), statements outside a transaction and
   * `BEGIN IMMEDIATE` are retried with a non-blocking backoff for up to BUSY_WAIT_MS: SQLite's own
   * busy_timeout would block the event loop — and deadlock two connections of one process.
   */
  async guard<T>(inTx: boolean, op: () => T, retryBusy = !inTx): Promise<T> {
    const deadline = Date.now() + BUSY_WAIT_MS;
    for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
      if (this.#closed) throw new PlatformError('ERR_STORE_CLOSED');
      try {
        if (inTx || !this.#mutex.locked) return op();
        return await this.#mutex.run(async () => op());
      } catch (err) {
        if (!(retryBusy && isBusy(err) && Date.now() < deadline))
          throw toStoreError(this.dialect, err);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  beginTransaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#mutex.run(async () => {
      if (this.#closed) throw new PlatformError('ERR_STORE_CLOSED');
      const tx = new SqliteExecutor(this, true);
      // IMMEDIATE takes the write lock now, so another process cannot make us fail at commit.
      await this.guard(true, () => this.db.exec('BEGIN IMMEDIATE'), true);
      try {
        const result = await fn(tx);
        await tx.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      } finally {
        tx.finished = true;
      }
    });
  }

  async migrationLock(): Promise<void> {
    // BEGIN IMMEDIATE already excludes other writers, including other processes.
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.bulkWriter?.close();
    await this.#mutex.run(async () => {
      this.#closed = true;
      this.#statements.clear();
      this.db.close();
    });
  }
}

/** Opens (creating if needed) a SQLite database file in WAL mode. ':memory:' is accepted for tools. */
export function openSqliteDriver(path: string): SqliteDriver {
  try {
    if (path !== ':memory:') {
      // The database holds hashed credentials and sealed keys: 0700 directory, 0600 file.
      ensurePrivateDir(dirname(path));
      ensurePrivateFile(path);
    }
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Lock waits are handled by SqliteDriver.guard without blocking the event loop.
    db.pragma('busy_timeout = 0');
    return new SqliteDriver(db, path);
  } catch (err) {
    throw toStoreError(sqliteDialect, err);
  }
}
