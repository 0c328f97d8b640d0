// PostgreSQL LISTEN/NOTIFY on the change feed: any writer's commit wakes subscribers; the listener survives a lost connection.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { PG_ADMIN_URL, postgresTarget } from './harness.js';
import type { StoreTarget } from './harness.js';

function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (check()) resolve();
      else if (Date.now() > end) reject(new Error('not woken'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

describe('change feed notifications (PostgreSQL)', () => {
  let target: StoreTarget;
  let other: Store;
  beforeAll(async () => {
    target = await postgresTarget();
    other = await openStore(target.url, { poolSize: 2 });
  });
  afterAll(async () => {
    await other?.close();
    await target?.dispose();
  });

  it('wakes a subscriber of the environment when another connection commits a change, not for another environment', async () => {
    let wakes = 0;
    const sub = target.store.changes.subscribe!('prod', () => void wakes++);
    try {
      await waitFor(() => sub.connected && wakes === 1); // once on connect (catch-up)
      await other.revocations.add('test', { kind: 'jti', value: 'j-0', expiresAt: Date.now() + 60_000 });
      await other.revocations.add('prod', { kind: 'jti', value: 'j-1', expiresAt: Date.now() + 60_000 });
      await waitFor(() => wakes === 2);
      const seen = await target.store.changes.since(0, { environment: 'prod' });
      expect(seen.map((e) => e.topic)).toContain('revocations');
      await new Promise((r) => setTimeout(r, 200));
      expect(wakes).toBe(2); // the `test` environment's change did not wake a `prod` subscriber
    } finally {
      await sub.close();
    }
  });

  it('reconnects after its connection is killed, catching up once, and keeps receiving', async () => {
    let wakes = 0;
    const sub = target.store.changes.subscribe!('test', () => void wakes++);
    try {
      await waitFor(() => sub.connected && wakes === 1);
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      try {
        const killed = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pipegate-listen' AND datname = $1`,
          [new URL(target.url).pathname.slice(1)],
        );
        expect(killed.rowCount).toBeGreaterThanOrEqual(1);
      } finally {
        await admin.end();
      }
      await waitFor(() => wakes === 2 && sub.connected); // reconnected: one catch-up wake
      await other.revocations.add('test', { kind: 'jti', value: 'j-2', expiresAt: Date.now() + 60_000 });
      await waitFor(() => wakes === 3);
    } finally {
      await sub.close();
    }
  });

  it('is absent on SQLite (nodes poll)', async () => {
    const s = await openStore('sqlite::memory:');
    try {
      expect(s.changes.subscribe).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});
