// Store contract harness: opens a fresh SQLite file or a fresh PostgreSQL database per suite, with a frozen clock.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

/** Admin URL of the test PostgreSQL server (CI starts it; see docs/store.md "Tests"). */
export const PG_ADMIN_URL =
  process.env['PIPEGATE_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A settable clock shared by the store under test. */
export class TestClock {
  t = Date.UTC(2026, 0, 1);
  readonly now = (): number => this.t;
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
}

/** One store under test and how to dispose of it. */
export interface StoreTarget {
  store: Store;
  clock: TestClock;
  /** The URL it was opened with (to reopen it). */
  url: string;
  dispose(): Promise<void>;
}

export type TargetFactory = () => Promise<StoreTarget>;

export const sqliteTarget: TargetFactory = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pipegate-store-'));
  const url = `sqlite:${join(dir, 'pipegate.db')}`;
  const clock = new TestClock();
  const store = await openStore(url, { now: clock.now });
  return {
    store,
    clock,
    url,
    async dispose() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

/** Creates `pipegate_test_<random>` on the server and drops it afterwards. Fails if PostgreSQL is down. */
export const postgresTarget: TargetFactory = async () => {
  const name = `pipegate_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  const clock = new TestClock();
  const store = await openStore(url, { now: clock.now, poolSize: 4 });
  return {
    store,
    clock,
    url,
    async dispose() {
      await store.close();
      const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
};

let envCounter = 0;
/** A fresh environment name, so tests sharing one database never see each other's rows. */
export function freshEnv(): string {
  envCounter += 1;
  return `env${envCounter}`;
}
