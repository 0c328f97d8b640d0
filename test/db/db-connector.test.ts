// The db connector against the machine's PostgreSQL and MariaDB: one suite run on both, in a random database each.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbConnector, DatabasePools } from '../../src/connectors/db/index.js';
import { bindNamed } from '../../src/connectors/db/named-params.js';
import type { AccountValue } from '../../src/core/account-types.js';
import { runPipeline } from '../../src/core/engine/index.js';
import type { JsonObject, JsonValue } from '../../src/core/json.js';
import { loadPipelineText, PipelineInvalidError } from '../../src/core/loader/index.js';
import { createRegistry } from '../../src/core/registry.js';
import { PlatformError } from '../../src/errors/index.js';

const registry = createRegistry([dbConnector]);

interface Target {
  name: string;
  account: Extract<AccountValue, { type: 'database' }>;
  /** DDL for the test table in this dialect. */
  ddl: string;
  sleep: string;
  drop(): Promise<void>;
}

async function postgres(): Promise<Target> {
  const db = `pipegate_db_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  return {
    name: 'PostgreSQL',
    account: { type: 'database', driver: 'postgres', host: '127.0.0.1', database: db, username: 'postgres', maxConnections: 3 },
    ddl: 'CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, total NUMERIC(10,2), meta JSONB, created TIMESTAMPTZ)',
    sleep: 'SELECT pg_sleep(5)',
    async drop() {
      const c = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'postgres' });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function mariadb(): Promise<Target> {
  const db = `pipegate_db_${randomBytes(5).toString('hex')}`;
  const admin = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  return {
    name: 'MariaDB',
    account: { type: 'database', driver: 'mysql', host: '127.0.0.1', database: db, username: 'root', maxConnections: 3 },
    ddl: 'CREATE TABLE orders (id INTEGER PRIMARY KEY, customer VARCHAR(100) NOT NULL, total DECIMAL(10,2), meta JSON, created TIMESTAMP NULL)',
    sleep: 'SELECT SLEEP(5)',
    async drop() {
      const c = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
      await c.query(`DROP DATABASE IF EXISTS ${db}`);
      await c.end();
    },
  };
}

describe('bindNamed', () => {
  it('rewrites :names outside quotes, comments and casts', () => {
    const sql = "SELECT :a, ':b', \"x:c\", $$:d$$, '::e' -- :f\n, :a::text /* :g */ FROM t WHERE y = :h";
    expect(bindNamed(sql, 'postgres')).toEqual({ text: "SELECT $1, ':b', \"x:c\", $$:d$$, '::e' -- :f\n, $1::text /* :g */ FROM t WHERE y = $2", names: ['a', 'h'] });
    expect(bindNamed("SELECT :a, 'it''s :b', `c:d`, :a", 'mysql')).toEqual({ text: "SELECT ?, 'it''s :b', `c:d`, ?", names: ['a', 'a'] });
  });
});

describe.each([['PostgreSQL', postgres], ['MariaDB', mariadb]])('db connector on %s', (_name, make) => {
  let target: Target;
  let pools: DatabasePools;
  const accounts: Record<string, AccountValue> = {};
  const host = () => ({
    databases: pools,
    accounts: {
      async resolve(label: string) {
        const v = accounts[label];
        if (!v) throw new PlatformError('ERR_STORE_ACCOUNT_NOT_FOUND', { label, environment: 'test' });
        return v;
      },
    },
  });
  const run = async (step: JsonObject, message: JsonValue = {}) => {
    const pipeline = loadPipelineText('d.yaml', JSON.stringify({ name: 'd', version: '1.0', steps: [{ type: 'db', account: 'orders-db', failOnError: true, ...step }] }), { registry });
    return runPipeline(pipeline, { message, host: host() });
  };

  beforeAll(async () => {
    target = await make();
    pools = new DatabasePools();
    accounts['orders-db'] = target.account;
    accounts['wrong-password'] = { ...target.account, username: 'pipegate_nobody', password: 'not-the-password' };
    const r = await run({ operation: 'execute', statement: target.ddl });
    expect(r.status, JSON.stringify(r.output)).toBe('success');
  });
  afterAll(async () => {
    await pools.close();
    await target.drop();
  });

  it('execute inserts with bound named parameters (a quote in a value stays data)', async () => {
    const r = await run(
      { operation: 'execute', statement: 'INSERT INTO orders (id, customer, total, meta) VALUES (:id, :customer, :total, :meta)', params: { id: '{{ message.id }}', customer: '{{ message.who }}', total: 12.5, meta: { vip: true } } },
      { id: 1, who: "O'Brien'); DROP TABLE orders; --" },
    );
    expect(r.output).toEqual({ rows: [], rowCount: 1 });
    const q = await run({ statement: 'SELECT id, customer FROM orders WHERE customer = :c', params: { c: "O'Brien'); DROP TABLE orders; --" } });
    expect(q.output).toEqual({ rows: [{ id: 1, customer: "O'Brien'); DROP TABLE orders; --" }], rowCount: 1 });
  });

  it('batch runs once per item in one transaction, all or nothing', async () => {
    const items = [2, 3, 4].map((id) => ({ id, customer: `c${id}` }));
    const ok = await run({ operation: 'batch', statement: 'INSERT INTO orders (id, customer) VALUES (:id, :customer)', batchParams: '{{ message.items }}' }, { items });
    expect(ok.output).toEqual({ rows: [], rowCount: 3 });
    const dup = await run({ operation: 'batch', statement: 'INSERT INTO orders (id, customer) VALUES (:id, :customer)', batchParams: [{ id: 5, customer: 'c5' }, { id: 2, customer: 'again' }] });
    expect(dup.error?.code).toBe('ERR_DB_QUERY');
    const count = await run({ statement: 'SELECT COUNT(*) AS n FROM orders WHERE id = :id', params: { id: 5 } });
    expect(Number(((count.output as JsonObject).rows as JsonObject[])[0]!.n)).toBe(0);
  });

  it('query returns rows as JSON (decimals as text) and update reports affected rows', async () => {
    const up = await run({ operation: 'execute', statement: 'UPDATE orders SET total = :t WHERE id >= :min', params: { t: '9.90', min: 2 } });
    expect((up.output as JsonObject).rowCount).toBe(3);
    const q = await run({ statement: 'SELECT id, total FROM orders WHERE id BETWEEN :a AND :b ORDER BY id', params: { a: 2, b: 3 } });
    expect(q.output).toEqual({ rows: [{ id: 2, total: '9.90' }, { id: 3, total: '9.90' }], rowCount: 2 });
  });

  it('caps the rows of a query', async () => {
    const r = await run({ statement: 'SELECT id FROM orders', maxRows: 2 });
    expect(r.error?.code).toBe('ERR_DB_TOO_MANY_ROWS');
  });

  it('stops a statement at timeoutMs with ERR_DB_TIMEOUT, and the pool still works', async () => {
    const r = await run({ statement: target.sleep, timeoutMs: 300 });
    expect(r.error?.code).toBe('ERR_DB_TIMEOUT');
    const after = await run({ statement: 'SELECT id FROM orders WHERE id = :id', params: { id: 1 } });
    expect(after.output).toEqual({ rows: [{ id: 1 }], rowCount: 1 });
  });

  it('reports a missing parameter at load time, SQL errors and bad credentials with codes, never the password', async () => {
    expect(() => loadPipelineText('d.yaml', JSON.stringify({ name: 'd', version: '1.0', steps: [{ type: 'db', account: 'orders-db', statement: 'SELECT :a', params: { b: 1 } }] }), { registry })).toThrow(PipelineInvalidError);
    const bad = await run({ statement: 'SELEKT 1' });
    expect(bad.error?.code).toBe('ERR_DB_QUERY');
    const pipeline = loadPipelineText('d.yaml', JSON.stringify({ name: 'd', version: '1.0', steps: [{ type: 'db', account: 'wrong-password', failOnError: true, statement: 'SELECT 1' }] }), { registry });
    const denied = await runPipeline(pipeline, { message: {}, host: host() });
    expect(denied.error?.code).toBe('ERR_DB_CONNECT');
    expect(JSON.stringify(denied.output)).not.toContain('not-the-password');
  });
});
