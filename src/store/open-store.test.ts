// Store URLs: parsing, redaction, the embedded default, and coded failures.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { defaultStoreUrl, openStore, parseStoreUrl, redactStoreUrl } from './open-store.js';
import { postgresDialect, toPgPlaceholders } from './postgres/postgres-dialect.js';
import { toStoreError } from './sql/store-error.js';
import { sqliteDialect } from './sqlite/sqlite-dialect.js';

describe('parseStoreUrl', () => {
  it.each([
    ['sqlite:./data/p.db', { dialect: 'sqlite', path: './data/p.db' }],
    ['sqlite:///var/lib/p.db', { dialect: 'sqlite', path: '/var/lib/p.db' }],
    ['sqlite::memory:', { dialect: 'sqlite', path: ':memory:' }],
    ['/tmp/p.db', { dialect: 'sqlite', path: '/tmp/p.db' }],
    ['p.db', { dialect: 'sqlite', path: 'p.db' }],
    [
      'postgres://u:pw@db:5432/pipegate',
      { dialect: 'postgres', url: 'postgres://u:pw@db:5432/pipegate' },
    ],
    ['postgresql://db/pipegate', { dialect: 'postgres', url: 'postgresql://db/pipegate' }],
  ])('%s', (url, expected) => {
    expect(parseStoreUrl(url)).toEqual(expected);
  });

  it.each(['', '   ', 'sqlite:', 'mysql://db/x', 'postgres://[bad'])(
    'refuses %j with ERR_STORE_URL',
    (url) => {
      expect(() => parseStoreUrl(url)).toThrow(
        expect.objectContaining({ code: 'ERR_STORE_URL', status: 400 }),
      );
    },
  );

  it('redacts passwords for logs', () => {
    expect(redactStoreUrl('postgres://u:hunter2@db/p')).toBe('postgres://u:***@db/p');
    expect(redactStoreUrl('sqlite:x.db')).toBe('sqlite:x.db');
    expect(redactStoreUrl('mysql://u:hunter2@db')).not.toContain('hunter2');
  });

  it('defaults to .pipegate/pipegate.db', () => {
    expect(defaultStoreUrl()).toBe('sqlite:.pipegate/pipegate.db');
    expect(defaultStoreUrl('/srv/data')).toBe('sqlite:/srv/data/pipegate.db');
  });
});

describe('openStore', () => {
  it('creates the SQLite file and its directory, in WAL mode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipegate-open-'));
    try {
      const store = await openStore(`sqlite:${join(dir, 'nested', 'p.db')}`);
      await store.globals.put('test', 'a', 'b');
      expect((await stat(join(dir, 'nested', 'p.db'))).isFile()).toBe(true);
      expect((await stat(join(dir, 'nested', 'p.db-wal'))).isFile()).toBe(true);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('opens an in-memory SQLite store for tools', async () => {
    const store = await openStore('sqlite::memory:');
    await store.globals.put('test', 'a', 'b');
    expect((await store.globals.get('test', 'a'))?.value).toBe('b');
    await store.close();
  });

  it('refuses a database migrated by a newer Pipegate with ERR_STORE_SCHEMA_TOO_NEW', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipegate-open-'));
    const file = join(dir, 'p.db');
    try {
      await (await openStore(`sqlite:${file}`)).close();
      const db = new Database(file);
      db.prepare(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)",
      ).run();
      db.close();
      await expect(openStore(`sqlite:${file}`)).rejects.toMatchObject({
        code: 'ERR_STORE_SCHEMA_TOO_NEW',
        details: { found: 999, supported: expect.any(Number) },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lets two stores on one SQLite file (a CLI next to a server) write in turns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipegate-open-'));
    const url = `sqlite:${join(dir, 'p.db')}`;
    const [a, b] = [await openStore(url), await openStore(url)];
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).transaction(async (tx) => {
            await tx.globals.put('test', `g${i}`, String(i));
          }),
        ),
      );
      expect((await a.globals.list('test')).length).toBe(20);
      expect((await b.changes.since(0)).length).toBe(20);
    } finally {
      await a.close();
      await b.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails with ERR_STORE_UNAVAILABLE when PostgreSQL cannot be reached, without the password', async () => {
    const err = await openStore('postgres://u:hunter2@127.0.0.1:1/none').catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      status: 503,
      details: { dialect: 'postgres' },
    });
    expect(JSON.stringify(err) + String((err as Error).message)).not.toContain('hunter2');
  });
});

describe('driver error mapping', () => {
  it('maps unique violations to ERR_STORE_CONFLICT without values', () => {
    const pgErr = Object.assign(
      new Error('duplicate key value violates unique constraint "consumers_live_name"'),
      {
        code: '23505',
        table: 'consumers',
        detail: 'Key (environment, name)=(test, secret-name) already exists.',
      },
    );
    const mapped = toStoreError(postgresDialect, pgErr);
    expect(mapped).toMatchObject({
      code: 'ERR_STORE_CONFLICT',
      details: { entity: 'consumer', field: 'name' },
    });
    expect(JSON.stringify(mapped) + mapped.message).not.toContain('secret-name');
    const liteErr = Object.assign(
      new Error(
        'UNIQUE constraint failed: basic_credentials.environment, basic_credentials.username',
      ),
      {
        code: 'SQLITE_CONSTRAINT_UNIQUE',
      },
    );
    expect(toStoreError(sqliteDialect, liteErr)).toMatchObject({
      code: 'ERR_STORE_CONFLICT',
      details: { field: 'username' },
    });
  });

  it('hides SQL text of other errors and keeps only the driver code as cause', () => {
    const err = Object.assign(new Error('syntax error at or near "SELECT password FROM"'), {
      code: '42601',
    });
    const mapped = toStoreError(postgresDialect, err);
    expect(mapped).toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      details: { reason: 'database error 42601' },
    });
    expect(mapped.message).not.toContain('SELECT');
    expect(String((mapped.cause as Error).message)).toBe('postgres error 42601');
    expect(
      toStoreError(
        sqliteDialect,
        Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
      ),
    ).toMatchObject({
      details: { reason: 'the database is locked by another process' },
    });
  });

  it('rewrites placeholders outside quotes only', () => {
    expect(toPgPlaceholders("SELECT * FROM t WHERE a = ? AND b = '?' AND c = ?")).toBe(
      "SELECT * FROM t WHERE a = $1 AND b = '?' AND c = $2",
    );
  });
});
