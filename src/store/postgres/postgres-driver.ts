// PostgreSQL driver: a `pg` pool behind the driver port; BIGINT → number, JSON kept as text.
import pg from 'pg';
import { PlatformError, isPlatformError } from '../../errors/index.js';
import {
  storableText,
  type Dialect,
  type Row,
  type SqlDriver,
  type SqlExecutor,
  type SqlParam,
} from '../sql/driver.js';
import { CircuitBreaker } from '../sql/circuit-breaker.js';
import type { BreakerOptions } from '../sql/circuit-breaker.js';
import { toStoreError } from '../sql/store-error.js';
import { listenChannel } from './change-listener.js';
import type { ChannelListener } from './change-listener.js';
import { MIGRATION_LOCK_KEY, postgresDialect, toPgPlaceholders } from './postgres-dialect.js';

const INT8_OID = 20;
const JSON_OID = 114;
const JSONB_OID = 3802;

/**
 * Per-pool type parsers (not the global pg.types): epoch-ms BIGINTs fit in a double, and JSON stays
 * text so the shared SQL core parses it the same way on both dialects.
 */
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === INT8_OID) return (v: string) => Number(v);
    if (oid === JSON_OID || oid === JSONB_OID) return (v: string) => v;
    return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
} as unknown as pg.CustomTypesConfig;

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

class PostgresExecutor implements SqlExecutor {
  /** Set when its transaction ended: the pooled client may already serve someone else. */
  finished = false;

  constructor(
    private readonly owner: PostgresDriver,
    private readonly target: Queryable,
    readonly inTransaction: boolean,
  ) {}

  #target(): Queryable {
    if (this.finished)
      throw new TypeError('store used through a transaction that has already ended');
    return this.target;
  }

  async all(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    return (await this.owner.query(this.#target(), toPgPlaceholders(sql), params)).rows;
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    return (await this.owner.query(this.#target(), toPgPlaceholders(sql), params)).rowCount ?? 0;
  }

  async exec(script: string): Promise<void> {
    await this.owner.query(this.#target(), script, []);
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.#target();
    if (this.inTransaction) return fn(this);
    return this.owner.beginTransaction(fn);
  }
}

/** The PostgreSQL driver. Use `openPostgresDriver(url)`. */
export class PostgresDriver implements SqlDriver {
  readonly dialect: Dialect = postgresDialect;
  readonly inTransaction = false;
  readonly #pool: pg.Pool;
  readonly #root: PostgresExecutor;
  readonly #breaker: CircuitBreaker;
  readonly #listeners = new Set<ChannelListener>();
  readonly #url: string | null;
  #closed = false;

  constructor(pool: pg.Pool, breaker: BreakerOptions = {}, url: string | null = null) {
    this.#pool = pool;
    this.#url = url;
    this.#breaker = new CircuitBreaker('postgres', breaker);
    this.#root = new PostgresExecutor(this, pool, false);
    // An idle client losing its connection must not crash the process; the next query reports it.
    pool.on('error', () => {});
  }

  async query(
    target: Queryable,
    sql: string,
    params: readonly SqlParam[],
  ): Promise<pg.QueryResult<Row>> {
    if (this.#closed) throw new PlatformError('ERR_STORE_CLOSED');
    this.#breaker.enter();
    try {
      const result = await target.query<Row>(
        sql,
        params.map((p) => (typeof p === 'string' ? storableText(p) : p)),
      );
      this.#breaker.succeeded();
      return result;
    } catch (err) {
      this.#observe(err);
      throw toStoreError(this.dialect, err);
    }
  }

  /** Counts a failure for the breaker when the database was not reached (or did not answer). */
  #observe(err: unknown): void {
    if (this.dialect.classify(err).kind === 'unavailable') this.#breaker.failed();
    else this.#breaker.succeeded();
  }

  /** The breaker's state (readiness, tests). */
  get breakerState(): 'closed' | 'open' | 'half-open' {
    return this.#breaker.state;
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

  async beginTransaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (this.#closed) throw new PlatformError('ERR_STORE_CLOSED');
    let client: pg.PoolClient;
    this.#breaker.enter();
    try {
      client = await this.#pool.connect();
      this.#breaker.succeeded();
    } catch (err) {
      this.#observe(err);
      throw toStoreError(this.dialect, err);
    }
    // A checked-out client has no pool listener: a connection cut mid-transaction would emit an
    // unhandled 'error' and crash the process. The failing query reports it instead.
    const onError = (): void => undefined;
    client.on('error', onError);
    const tx = new PostgresExecutor(this, client, true);
    let broken: Error | undefined;
    try {
      await tx.exec('BEGIN');
      const result = await fn(tx);
      await tx.exec('COMMIT');
      return result;
    } catch (err) {
      if (isPlatformError(err) && err.code === 'ERR_STORE_UNAVAILABLE') {
        // Timed out or cut off: a ROLLBACK would wait as long again; destroying the connection
        // makes the server roll back.
        broken = err;
        throw err;
      }
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        broken = rollbackErr as Error; // the connection is unusable: destroy it on release
      }
      throw err;
    } finally {
      tx.finished = true;
      client.off('error', onError);
      client.release(broken);
    }
  }

  async migrationLock(tx: SqlExecutor): Promise<void> {
    await tx.all(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
  }

  listen(
    channel: string,
    handlers: { onNotify(payload: string): void; onConnected(): void },
  ): ChannelListener {
    if (this.#closed) throw new PlatformError('ERR_STORE_CLOSED');
    if (this.#url === null) throw new TypeError('this PostgreSQL driver was opened without a URL');
    const l = listenChannel({ connectionString: this.#url, channel, ...handlers });
    this.#listeners.add(l);
    return {
      close: async () => {
        this.#listeners.delete(l);
        await l.close();
      },
      get connected() {
        return l.connected;
      },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#listeners].map((l) => l.close()));
    this.#listeners.clear();
    await this.#pool.end();
  }
}

/** Pool options (docs/operations.md "A stalled database"). */
export interface PostgresDriverOptions {
  poolSize?: number;
  /**
   * Longest statement (server-side `statement_timeout`) and longest wait for any answer (client-side,
   * plus one second, for a network that stalls without closing); default 5000 ms.
   */
  queryTimeoutMs?: number;
  /** Longest wait for a new connection (default 2000 ms). */
  connectTimeoutMs?: number;
  breaker?: BreakerOptions;
}

/** Opens a pool for a `postgres://` URL (nothing connects until the first query). */
export function openPostgresDriver(url: string, opts: PostgresDriverOptions = {}): PostgresDriver {
  const queryTimeoutMs = opts.queryTimeoutMs ?? 5000;
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 2000,
    idleTimeoutMillis: 30_000,
    statement_timeout: queryTimeoutMs,
    query_timeout: queryTimeoutMs + 1000,
    keepAlive: true,
    types: typeParsers,
    application_name: 'pipegate',
  });
  return new PostgresDriver(pool, opts.breaker, url);
}
