// The SQLite writer thread inserts exactly the rows it was given (column encoding with shared values).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlParam } from '../sql/driver.js';
import { encodeColumns } from './bulk-writer.js';
import { openSqliteDriver, type SqliteDriver } from './sqlite-driver.js';

const dir = mkdtempSync(join(tmpdir(), 'pg-bulk-'));
let driver: SqliteDriver;

beforeAll(async () => {
  driver = openSqliteDriver(join(dir, 'bulk.db'));
  await driver.exec('CREATE TABLE t (batch INTEGER, n INTEGER, a, b, c)');
  await driver.exec('CREATE TABLE u (k TEXT PRIMARY KEY, total INTEGER)');
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
