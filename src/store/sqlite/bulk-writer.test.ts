// The SQLite writer thread inserts exactly the rows it was given (column encoding with shared values).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlParam } from '../sql/driver.js';
import { insertInTransaction } from '../sql/sql-context.js';
import { encodeColumns } from './bulk-writer.js';
import { openSqliteDriver, type SqliteDriver } from './sqlite-driver.js';

const dir = mkdtempSync(join(tmpdir(), 'pg-bulk-'));
let driver: SqliteDriver;

beforeAll(async () => {
  driver = openSqliteDriver(join(dir, 'bulk.db'));
  await driver.exec('CREATE TABLE t (batch INTEGER, n INTEGER, a, b, c)');
  await driver.exec('CREATE TABLE u (k TEXT PRIMARY KEY, total INTEGER)');
  for (const t of ['fast', 'slow'])
    await driver.exec(
      `CREATE TABLE ${t} (id INTEGER PRIMARY KEY AUTOINCREMENT, batch INTEGER, a, b, c, d, e);
       CREATE TABLE ${t}_sums (k TEXT PRIMARY KEY, n INTEGER NOT NULL, total REAL NOT NULL)`,
    );
});
afterAll(async () => {
  await driver.close();
  rmSync(dir, { recursive: true, force: true });
});

const value: fc.Arbitrary<SqlParam> = fc.oneof(
  fc.constantFrom<SqlParam>(null, 'same', 0, 1, true, false, 'a\u0000b'),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
/** ±0 as one value: SQLite may give either back for a REAL zero (not what this test is about). */
const zero = (v: unknown): unknown => (v === 0 ? 0 : v);
/** What SQLite gives back for a bound value. */
const stored = (v: SqlParam): unknown =>
  typeof v === 'boolean'
    ? v
      ? 1
      : 0
    : typeof v === 'string'
      ? v.replaceAll('\u0000', '\uFFFD')
      : Object.is(v, -0)
        ? 0
        : v;

describe('SQLite bulk writer', () => {
  it('stores every row as given, shared columns or not (generated batches)', async () => {
    let batch = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(value, value, value), { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        async (rows, sameA) => {
          batch++;
          const full = rows.map(
            ([a, b, c], n) => [batch, n, sameA ? 'shared' : a, b, c] as SqlParam[],
          );
          await driver.bulkInsert([
            { table: 't', columns: ['batch', 'n', 'a', 'b', 'c'], rows: full },
          ]);
          const back = await driver.all(
            'SELECT batch, n, a, b, c FROM t WHERE batch = ? ORDER BY n',
            [batch],
          );
          expect(back.map((r) => [r.batch, r.n, r.a, r.b, r.c].map(zero))).toEqual(
            full.map((r) => r.map((v) => zero(stored(v)))),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('writes what the general path writes: row order, ids, upserts (generated batches up to 300 rows)', async () => {
    // The writer thread splits a part into multi-row statements (32, 8, 2, 1 rows) with shared
    // columns bound once; insertInTransaction (PostgreSQL, and SQLite inside a transaction) writes
    // plain multi-row VALUES on the event loop's connection. Both must leave the same tables. Five
    // columns shared or not: more patterns than the thread gives statements of their own.
    let batch = 0;
    const key = fc.constantFrom('k1', 'k2', 'k3');
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        fc.array(fc.array(value, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.tuple(key, fc.integer({ min: -5, max: 5 })), { minLength: 1, maxLength: 8 }),
        async (count, same, pool, sums) => {
          batch++;
          // Columns a-e: one value for every row, or values from the pool (cycled: repeats).
          const rows = Array.from({ length: count }, (_, i) => {
            const p = pool[i % pool.length]!;
            return [batch, ...p.map((v, j) => (same[j] ? pool[0]![j]! : v))] as SqlParam[];
          });
          const parts = (t: string) => [
            { table: t, columns: ['batch', 'a', 'b', 'c', 'd', 'e'], rows },
            {
              table: `${t}_sums`,
              columns: ['k', 'n', 'total'],
              rows: sums.map(([k, v]) => [k, 1, v] as SqlParam[]),
              onConflict: ` ON CONFLICT (k) DO UPDATE SET n = ${t}_sums.n + excluded.n, total = ${t}_sums.total + excluded.total`,
            },
          ];
          await driver.bulkInsert(parts('fast'));
          await driver.transaction((tx) => insertInTransaction(tx, parts('slow')));
          for (const q of [
            'SELECT id, batch, a, b, c, d, e FROM %t ORDER BY id',
            'SELECT k, n, total FROM %t_sums ORDER BY k',
          ]) {
            const fast = await driver.all(q.replace('%t', 'fast'));
            const slow = await driver.all(q.replace('%t', 'slow'));
            expect(fast.map((r) => Object.values(r).map(zero))).toEqual(
              slow.map((r) => Object.values(r).map(zero)),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('writes nothing of a batch when one of its rows fails', async () => {
    await driver.exec("CREATE TABLE v (k TEXT PRIMARY KEY); INSERT INTO v VALUES ('taken')");
    const rows = Array.from({ length: 100 }, (_, i) => [i === 70 ? 'taken' : `k${i}`]);
    await expect(
      driver.bulkInsert([
        { table: 't', columns: ['batch', 'n'], rows: [[-1, 0]] },
        { table: 'v', columns: ['k'], rows },
      ]),
    ).rejects.toMatchObject({ code: 'ERR_STORE_CONFLICT' });
    expect(await driver.all('SELECT COUNT(*) AS n FROM v')).toEqual([{ n: 1 }]);
    expect(await driver.all('SELECT COUNT(*) AS n FROM t WHERE batch = -1')).toEqual([{ n: 0 }]);
  });

  it('applies a part`s ON CONFLICT clause to each row', async () => {
    const part = {
      table: 'u',
      columns: ['k', 'total'],
      onConflict: ' ON CONFLICT (k) DO UPDATE SET total = u.total + excluded.total',
    };
    await driver.bulkInsert([
      {
        ...part,
        rows: [
          ['x', 1],
          ['y', 2],
        ],
      },
    ]);
    await driver.bulkInsert([{ ...part, rows: [['x', 5]] }]);
    expect(await driver.all('SELECT k, total FROM u ORDER BY k')).toEqual([
      { k: 'x', total: 6 },
      { k: 'y', total: 2 },
    ]);
  });

  it('sends a column once when every row holds the same value', () => {
    const e = encodeColumns(
      {
        table: 't',
        columns: ['a', 'b'],
        rows: [
          ['env', 1],
          ['env', 2],
        ],
      },
      (v) => v,
    );
    expect(e.shared).toEqual([true, false]);
    expect(e.values).toEqual(['env', [1, 2]]);
  });
});
