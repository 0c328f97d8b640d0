// Connection pools per database account (pg for PostgreSQL, mysql2 for MySQL/MariaDB) and statement execution.
import { createHash } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { AccountValue } from '../../core/account-types.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import { PlatformError } from '../../errors/index.js';
import { bindNamed } from './named-params.js';

type DatabaseAccount = Extract<AccountValue, { type: 'database' }>;

/** One statement to run, with one list of named values per execution (batch: several). */
export interface DbRequest {
  operation: 'query' | 'execute' | 'batch';
  statement: string;
  values: Record<string, JsonValue>[];
  timeoutMs: number;
  maxRows: number;
}

/** `{ rows, rowCount }`: rows of a query (or RETURNING), rowCount = rows or affected rows. */
export interface DbResult {
  rows: JsonObject[];
  rowCount: number;
}

interface Driver {
  run(label: string, req: DbRequest): Promise<DbResult>;
  close(): Promise<void>;
}

/** JSON values as driver parameters: objects and arrays as JSON text. */
function param(v: JsonValue | undefined): unknown {
  if (v === undefined || v === null) return null;
  return typeof v === 'object' ? JSON.stringify(v) : v;
}

/** Driver values as JSON: dates ISO, bytes Base64, bigints as text. */
function jsonValue(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(jsonValue);
  if (typeof v === 'object') {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: jsonValue(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v as JsonValue;
}

function rowsOf(label: string, raw: unknown[], maxRows: number): JsonObject[] {
  if (raw.length > maxRows) throw new PlatformError('ERR_DB_TOO_MANY_ROWS', { label, maxRows });
  return raw.map((r) => jsonValue(r) as JsonObject);
}

function valuesFor(names: string[], values: Record<string, JsonValue>): unknown[] {
  return names.map((name) => {
    if (!Object.prototype.hasOwnProperty.call(values, name)) throw new PlatformError('ERR_DB_PARAM_MISSING', { name });
    return param(values[name]);
  });
}

function errCode(err: unknown): string {
  const e = err as { code?: unknown; errno?: unknown };
  return typeof e?.code === 'string' ? e.code : typeof e?.errno === 'number' ? String(e.errno) : 'unknown';
}

function connectError(label: string, err: unknown): PlatformError {
  const code = errCode(err);
  const reason = code === '28P01' || code === 'ER_ACCESS_DENIED_ERROR' ? 'authentication failed' : code === '3D000' || code === 'ER_BAD_DB_ERROR' ? 'the database does not exist' : code;
  return new PlatformError('ERR_DB_CONNECT', { label, reason }, { cause: err });
}

class PostgresDriver implements Driver {
  private readonly pool: pg.Pool;
  private readonly timeouts = new WeakMap<pg.PoolClient, number>();

  constructor(a: DatabaseAccount) {
    this.pool = new pg.Pool({
      host: a.host,
      port: a.port ?? 5432,
      database: a.database,
      user: a.username,
      password: a.password,
      ssl: a.ssl === 'require' ? { rejectUnauthorized: false } : a.ssl === 'verify' ? { rejectUnauthorized: true } : undefined,
      max: a.maxConnections ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    // An idle connection dropped by the server must not crash the process; the next checkout reconnects.
    this.pool.on('error', () => undefined);
  }

  async run(label: string, req: DbRequest): Promise<DbResult> {
    const { text, names } = bindNamed(req.statement, 'postgres');
    const params = req.values.map((v) => valuesFor(names, v));
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw connectError(label, err);
    }
    let broken = false;
    try {
      if (this.timeouts.get(client) !== req.timeoutMs) {
        await client.query(`SET statement_timeout = ${Math.trunc(req.timeoutMs)}`);
        this.timeouts.set(client, req.timeoutMs);
      }
      if (req.operation !== 'batch') {
        const res = await client.query({ text, values: params[0] ?? [] });
        const rows = rowsOf(label, res.rows, req.maxRows);
        return { rows, rowCount: req.operation === 'query' ? rows.length : (res.rowCount ?? rows.length) };
      }
      let count = 0;
      await client.query('BEGIN');
      try {
        for (const values of params) count += (await client.query({ text, values })).rowCount ?? 0;
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      return { rows: [], rowCount: count };
    } catch (err) {
      if (err instanceof PlatformError) throw err;
      const code = errCode(err);
      if (code === '57014') throw new PlatformError('ERR_DB_TIMEOUT', { label, timeoutMs: req.timeoutMs }, { cause: err });
      broken = !/^[0-9A-Z]{5}$/.test(code);
      throw new PlatformError('ERR_DB_QUERY', { label, code, reason: (err as Error).message }, { cause: err });
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

class MysqlDriver implements Driver {
  private readonly pool: mysql.Pool;
  private readonly sessions = new WeakMap<object, { mariadb: boolean; timeoutMs?: number }>();

  constructor(a: DatabaseAccount) {
    this.pool = mysql.createPool({
      host: a.host,
      port: a.port ?? 3306,
      database: a.database,
      user: a.username,
      password: a.password,
      ssl: a.ssl === 'require' ? { rejectUnauthorized: false } : a.ssl === 'verify' ? { rejectUnauthorized: true } : undefined,
      connectionLimit: a.maxConnections ?? 10,
      maxIdle: 2,
      idleTimeout: 10_000,
      connectTimeout: 5_000,
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
  }

  /** Sets the session's statement timeout when it differs (MariaDB: any statement, MySQL: SELECT only). */
  private async prepareSession(conn: mysql.PoolConnection, timeoutMs: number): Promise<void> {
    let s = this.sessions.get(conn.connection);
    if (!s) {
      const [rows] = await conn.query('SELECT VERSION() AS v');
      s = { mariadb: /mariadb/i.test(String((rows as { v: string }[])[0]?.v)) };
      this.sessions.set(conn.connection, s);
    }
    if (s.timeoutMs === timeoutMs) return;
    if (s.mariadb) await conn.query(`SET SESSION max_statement_time = ${(timeoutMs / 1000).toFixed(3)}`);
    else await conn.query(`SET SESSION max_execution_time = ${Math.trunc(timeoutMs)}`);
    s.timeoutMs = timeoutMs;
  }

  async run(label: string, req: DbRequest): Promise<DbResult> {
    const { text, names } = bindNamed(req.statement, 'mysql');
    const params = req.values.map((v) => valuesFor(names, v));
    let conn: mysql.PoolConnection;
    try {
      conn = await this.pool.getConnection();
    } catch (err) {
      throw connectError(label, err);
    }
    let broken = false;
    try {
      await this.prepareSession(conn, req.timeoutMs);
      // execute(): a server-side prepared statement, values bound, never spliced into the text.
      const exec = async (values: unknown[]) => (await conn.execute({ sql: text, timeout: req.timeoutMs + 5_000 }, values as mysql.ExecuteValues[]))[0];
      if (req.operation !== 'batch') {
        const result = await exec(params[0] ?? []);
        if (Array.isArray(result)) {
          const rows = rowsOf(label, result, req.maxRows);
          return { rows, rowCount: rows.length };
        }
        return { rows: [], rowCount: (result as mysql.ResultSetHeader).affectedRows };
      }
      let count = 0;
      await conn.beginTransaction();
      try {
        for (const values of params) count += ((await exec(values)) as mysql.ResultSetHeader).affectedRows ?? 0;
        await conn.commit();
      } catch (err) {
        await conn.rollback().catch(() => undefined);
        throw err;
      }
      return { rows: [], rowCount: count };
    } catch (err) {
      if (err instanceof PlatformError) throw err;
      const code = errCode(err);
      if (code === 'ER_STATEMENT_TIMEOUT' || code === 'ER_QUERY_TIMEOUT' || code === 'PROTOCOL_SEQUENCE_TIMEOUT' || /max_statement_time|maximum statement execution time/i.test((err as Error).message)) {
        broken = code === 'PROTOCOL_SEQUENCE_TIMEOUT';
        throw new PlatformError('ERR_DB_TIMEOUT', { label, timeoutMs: req.timeoutMs }, { cause: err });
      }
      broken = !code.startsWith('ER_');
      throw new PlatformError('ERR_DB_QUERY', { label, code, reason: (err as Error).message }, { cause: err });
    } finally {
      if (broken) conn.destroy();
      else conn.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/**
 * The pools of one process, one per account label and settings (an edited account gets a new pool;
 * the old one is closed). Created by the host (gateway, CLI) and closed at shutdown.
 */
export class DatabasePools {
  private readonly drivers = new Map<string, { id: string; driver: Driver }>();

  async run(label: string, account: DatabaseAccount, req: DbRequest): Promise<DbResult> {
    const id = createHash('sha256').update(JSON.stringify(account)).digest('base64url');
    let entry = this.drivers.get(label);
    if (!entry || entry.id !== id) {
      if (entry) void entry.driver.close().catch(() => undefined);
      entry = { id, driver: account.driver === 'postgres' ? new PostgresDriver(account) : new MysqlDriver(account) };
      this.drivers.set(label, entry);
    }
    return entry.driver.run(label, req);
  }

  async close(): Promise<void> {
    const all = [...this.drivers.values()];
    this.drivers.clear();
    await Promise.all(all.map((e) => e.driver.close().catch(() => undefined)));
  }
}
