// The anomaly repository on SQLite and PostgreSQL: one live anomaly per rule and subject under concurrency, status moves, alert claims, paging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPlatformError } from '../../src/errors/index.js';
import { openStore } from '../../src/store/index.js';
import { MAX_CLIENT_IPS } from '../../src/store/sql/anomalies-sql.js';
import type { AnomalyObservation, Store } from '../../src/store/store.js';
import { freshEnv, postgresTarget, sqliteTarget } from '../store/harness.js';
import type { StoreTarget, TargetFactory } from '../store/harness.js';

function observation(over: Partial<AnomalyObservation> = {}): AnomalyObservation {
  return {
    rule: 'forged_token',
    subject: 'ip:127.0.0.9',
    severity: 'high',
    realm: 'local',
    consumer: null,
    jti: null,
    clientIps: ['127.0.0.9'],
    sampleExecutionKeys: ['k1'],
    firstSeen: 1000,
    lastSeen: 2000,
    windowCount: 5,
    newEvents: 1,
    ...over,
  };
}

describe.each([
  ['SQLite', sqliteTarget],
  ['PostgreSQL', postgresTarget],
] as [string, TargetFactory][])('anomaly repository on %s', (_name, factory) => {
  let t: StoreTarget;
  let other: Store;
  beforeAll(async () => {
    t = await factory();
    other = await openStore(t.url, { now: t.clock.now });
  });
  afterAll(async () => {
    await other?.close();
    await t?.dispose();
  });

  // Enough racers that an optimistic retry with a small bound loses reports (it did on a loaded CI run).
  const RACERS = 40;
  it('opens one live anomaly per rule and subject however many reporters race', async () => {
    const env = freshEnv();
    const results = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        (i % 2 ? other : t.store).anomalies.raise(
          env,
          observation({ clientIps: [`127.0.${i >> 8}.${(i & 255) + 1}`] }),
        ),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const { anomalies } = await t.store.anomalies.list(env);
    expect(anomalies).toHaveLength(1);
    // Created with the window's count, then +1 per later report.
    expect(anomalies[0]!.count).toBe(5 + RACERS - 1);
    expect(anomalies[0]!.clientIps).toHaveLength(Math.min(RACERS, MAX_CLIENT_IPS));
  });

  it('moves open → acknowledged → resolved, and a new firing after resolution opens a new anomaly', async () => {
    const env = freshEnv();
    const { anomaly } = await t.store.anomalies.raise(env, observation());
    expect((await t.store.anomalies.setStatus(env, anomaly.id, 'acknowledged', 'me'))!.status).toBe(
      'acknowledged',
    );
    // An acknowledged anomaly still absorbs repeats.
    expect((await t.store.anomalies.raise(env, observation())).created).toBe(false);
    const resolved = await t.store.anomalies.setStatus(env, anomaly.id, 'resolved', 'me');
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'me', acknowledgedBy: 'me' });
    const err = await t.store.anomalies
      .setStatus(env, anomaly.id, 'acknowledged', 'me')
      .catch((e: unknown) => e);
    expect(isPlatformError(err) && err.code).toBe('ERR_ANOMALY_STATE');
    expect(await t.store.anomalies.setStatus(env, 'missing', 'resolved', null)).toBeNull();
    expect((await t.store.anomalies.raise(env, observation())).created).toBe(true);
  });

  it('hands each pending alert to exactly one of several claimers', async () => {
    const env = freshEnv();
    for (let i = 0; i < 5; i++)
      await t.store.anomalies.raise(env, observation({ subject: `ip:10.0.0.${i}` }));
    const [x, y] = await Promise.all([
      t.store.anomalies.claimAlerts(env, 0, 100),
      other.anomalies.claimAlerts(env, 0, 100),
    ]);
    expect([...x, ...y].map((c) => c.kind)).toEqual(Array(5).fill('opened'));
    expect(new Set([...x, ...y].map((c) => c.anomaly.id)).size).toBe(5);
    expect(await t.store.anomalies.claimAlerts(env, 0, 100)).toEqual([]);
    const first = x[0]?.anomaly ?? y[0]!.anomaly;
    await t.store.anomalies.setStatus(env, first.id, 'acknowledged', null);
    expect(await t.store.anomalies.claimAlerts(env, 0, 100)).toEqual([]);
    await t.store.anomalies.setStatus(env, first.id, 'resolved', null);
    const resolved = await other.anomalies.claimAlerts(env, 0, 100);
    expect(resolved.map((c) => [c.anomaly.id, c.kind])).toEqual([[first.id, 'resolved']]);
    expect(await t.store.anomalies.claimAlerts(env, 0, 100)).toEqual([]);
  });

  it('pages newest first with a cursor, filters, and purges resolved anomalies only', async () => {
    const env = freshEnv();
    for (let i = 0; i < 7; i++)
      await t.store.anomalies.raise(
        env,
        observation({ subject: `ip:10.1.0.${i}`, firstSeen: 1000 + i }),
      );
    const p1 = await t.store.anomalies.list(env, { limit: 3 });
    const p2 = await t.store.anomalies.list(env, { limit: 3, cursor: p1.nextCursor! });
    const p3 = await t.store.anomalies.list(env, { limit: 3, cursor: p2.nextCursor! });
    const seen = [...p1.anomalies, ...p2.anomalies, ...p3.anomalies].map((a) => a.firstSeen);
    expect(seen).toEqual([1006, 1005, 1004, 1003, 1002, 1001, 1000]);
    expect(p3.nextCursor).toBeNull();
    const one = p1.anomalies[0]!;
    await t.store.anomalies.setStatus(env, one.id, 'resolved', null);
    expect(
      (await t.store.anomalies.list(env, { status: 'resolved' })).anomalies.map((a) => a.id),
    ).toEqual([one.id]);
    expect(await t.store.anomalies.purge(env, t.clock.now() + 60_000)).toBe(1);
    expect((await t.store.anomalies.list(env)).anomalies).toHaveLength(6);
  });

  it('sums window counters written by several nodes and forgets old slices', async () => {
    const env = freshEnv();
    await t.store.anomalies.addCounts(env, [
      { rule: 'auth_failure_burst', subject: 'ip:a', bucket: 10_000, count: 7 },
    ]);
    await other.anomalies.addCounts(env, [
      { rule: 'auth_failure_burst', subject: 'ip:a', bucket: 10_000, count: 5 },
      { rule: 'auth_failure_burst', subject: 'ip:a', bucket: 20_000, count: 1 },
      { rule: 'auth_failure_burst', subject: 'ip:b', bucket: 20_000, count: 2 },
    ]);
    const sums = await t.store.anomalies.sumCounts(
      env,
      'auth_failure_burst',
      ['ip:a', 'ip:b', 'ip:c'],
      10_000,
      30_000,
    );
    expect([...sums.entries()].sort()).toEqual([
      ['ip:a', 13],
      ['ip:b', 2],
    ]);
    await t.store.anomalies.touchTokenIps(env, [
      { jti: 'j', clientIp: '127.0.0.2', seenAt: 10_000 },
      { jti: 'j', clientIp: '127.0.0.3', seenAt: 20_000 },
    ]);
    await other.anomalies.touchTokenIps(env, [{ jti: 'j', clientIp: '127.0.0.2', seenAt: 30_000 }]);
    expect((await t.store.anomalies.tokenIps(env, ['j'], 15_000)).get('j')).toEqual([
      '127.0.0.3',
      '127.0.0.2',
    ]);
    expect(await t.store.anomalies.purgeWindows(20_000)).toBeGreaterThanOrEqual(1);
    expect(
      (await t.store.anomalies.sumCounts(env, 'auth_failure_burst', ['ip:a'], 0, 30_000)).get(
        'ip:a',
      ),
    ).toBe(1);
  });
});
