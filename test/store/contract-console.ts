// Store contract: the audit log and the console's aggregations (counters, top pipelines, series, token summary).
import { expect, it } from 'vitest';
import { DURATION_BOUNDS_MS } from '../../src/store/console-records.js';
import type { ExecutionRecord } from '../../src/store/records.js';
import type { StoreTarget } from './harness.js';
import { freshEnv } from './harness.js';

function run(
  key: string,
  over: Partial<ExecutionRecord> = {},
): Omit<ExecutionRecord, 'environment'> {
  return {
    executionKey: key,
    pipeline: 'svc',
    versionMajor: 1,
    versionMinor: 0,
    status: 'success',
    errorCode: null,
    startedAt: 1000,
    durationMs: 3,
    request: null,
    response: null,
    requestBytes: 10,
    responseBytes: 20,
    ...over,
  };
}

export function consoleContract(t: () => StoreTarget): void {
  it('appends audit entries and pages them newest first by id, filtered by actor, action and time', async () => {
    const { store } = t();
    const env = freshEnv();
    const base = {
      actor: 'admin:admin',
      target: 'orders/1',
      clientIp: '127.0.0.1',
      outcome: 'success' as const,
      status: 200,
      details: null,
    };
    const a = await store.audit.append(env, { ...base, at: 100, action: 'deployment.rollback' });
    const b = await store.audit.append(env, {
      ...base,
      at: 200,
      action: 'consumer.create',
      outcome: 'failure',
      status: 409,
      details: { code: 'ERR_STORE_CONFLICT' },
    });
    await store.audit.append(freshEnv(), { ...base, at: 150, action: 'other.env' });
    expect(b.id).toBeGreaterThan(a.id);
    expect(b).toEqual({ ...base, id: b.id, environment: env, at: 200, action: 'consumer.create', outcome: 'failure', status: 409, details: { code: 'ERR_STORE_CONFLICT' } });
    expect((await store.audit.list(env)).map((e) => e.action)).toEqual(['consumer.create', 'deployment.rollback']);
    expect((await store.audit.list(env, { limit: 1 })).map((e) => e.id)).toEqual([b.id]);
    expect((await store.audit.list(env, { beforeId: b.id })).map((e) => e.id)).toEqual([a.id]);
    expect((await store.audit.list(env, { action: 'deployment.rollback' })).map((e) => e.id)).toEqual([a.id]);
    expect(await store.audit.list(env, { actor: 'admin:other' })).toEqual([]);
    expect((await store.audit.list(env, { from: 150, to: 250 })).map((e) => e.id)).toEqual([b.id]);
    expect(await store.audit.purge(150)).toBeGreaterThanOrEqual(1);
    expect((await store.audit.list(env)).map((e) => e.id)).toEqual([b.id]);
  });

  it('aggregates executions per pipeline and per time bucket with a duration histogram', async () => {
    const { store } = t();
    const env = freshEnv();
    await store.executions.insertBatch(env, [
      run('a1', { startedAt: 1000, durationMs: 0.5 }),
      run('a2', { startedAt: 1500, durationMs: 7, status: 'error' }),
      run('a3', { startedAt: 2100, durationMs: 150, versionMinor: 3 }),
      run('b1', { startedAt: 2200, pipeline: 'other', durationMs: 70_000, status: 'timeout' }),
      run('b2', { startedAt: 2300, pipeline: 'other', versionMajor: 2 }),
      run('late', { startedAt: 9000 }),
    ]);
    const top = await store.consoleStats.topPipelines(env, 1000, 3000, 10);
    expect(top).toEqual([
      { pipeline: 'svc', versionMajor: 1, versionMinor: 3, total: 3, failed: 1, avgMs: (0.5 + 7 + 150) / 3 },
      { pipeline: 'other', versionMajor: 1, versionMinor: 0, total: 1, failed: 1, avgMs: 70_000 },
      { pipeline: 'other', versionMajor: 2, versionMinor: 0, total: 1, failed: 0, avgMs: 3 },
    ]);
    expect(await store.consoleStats.topPipelines(env, 1000, 3000, 1)).toHaveLength(1);

    const series = await store.consoleStats.executionSeries(env, { from: 1000, to: 3000, bucketMs: 1000 });
    expect(series.map((b) => [b.t, b.total, b.failed])).toEqual([
      [1000, 2, 1],
      [2000, 3, 1],
    ]);
    const first = series[0]!;
    expect(first.sumMs).toBeCloseTo(7.5);
    expect(first.maxMs).toBe(7);
    expect(first.requestBytes).toBe(20);
    expect(first.responseBytes).toBe(40);
    const cls = (ms: number): number => {
      const i = DURATION_BOUNDS_MS.findIndex((b) => ms < b);
      return i === -1 ? DURATION_BOUNDS_MS.length : i;
    };
    expect(first.histogram[cls(0.5)]).toBe(1);
    expect(first.histogram[cls(7)]).toBe(1);
    expect(series[1]!.histogram[DURATION_BOUNDS_MS.length]).toBe(1);
    expect(series[1]!.histogram.reduce((x, y) => x + y, 0)).toBe(3);

    const one = await store.consoleStats.executionSeries(env, { from: 0, to: 10_000, bucketMs: 5000, pipeline: 'other' });
    expect(one.map((b) => [b.t, b.total])).toEqual([[0, 2]]);
  });

  it('answers long periods from rollups written with each batch, equal to the raw aggregation', async () => {
    const { store } = t();
    const env = freshEnv();
    const day = 86_400_000;
    const from = Date.UTC(2026, 0, 1);
    const records = Array.from({ length: 400 }, (_, i) =>
      run(`r${i}`, {
        startedAt: from + Math.floor((i * 3 * day) / 400) + (i % 7) * 1000,
        durationMs: [0.4, 3, 12, 80, 450, 2500, 75_000][i % 7]!,
        status: i % 9 === 0 ? 'error' : 'success',
        pipeline: i % 3 === 0 ? 'other' : 'svc',
        versionMinor: i % 2,
        requestBytes: i,
      }),
    );
    // In several batches, some sharing buckets: the upserts add up.
    for (let i = 0; i < records.length; i += 90) await store.executions.insertBatch(env, records.slice(i, i + 90));
    const to = from + 3 * day;
    const bucketMs = 6 * 3_600_000;
    const rolled = await store.consoleStats.executionSeries(env, { from, to, bucketMs });
    const expected = new Map<number, { total: number; failed: number; sumMs: number; maxMs: number; requestBytes: number; histogram: number[] }>();
    for (const r of records) {
      const k = from + Math.floor((r.startedAt - from) / bucketMs) * bucketMs;
      const e = expected.get(k) ?? { total: 0, failed: 0, sumMs: 0, maxMs: 0, requestBytes: 0, histogram: new Array<number>(DURATION_BOUNDS_MS.length + 1).fill(0) };
      e.total++;
      e.failed += r.status === 'success' ? 0 : 1;
      e.sumMs += r.durationMs;
      e.maxMs = Math.max(e.maxMs, r.durationMs);
      e.requestBytes += r.requestBytes!;
      const i = DURATION_BOUNDS_MS.findIndex((b) => r.durationMs < b);
      e.histogram[i === -1 ? DURATION_BOUNDS_MS.length : i]!++;
      expected.set(k, e);
    }
    expect(rolled.map((b) => b.t)).toEqual([...expected.keys()].sort((a, b) => a - b));
    for (const b of rolled) {
      const e = expected.get(b.t)!;
      expect({ total: b.total, failed: b.failed, maxMs: b.maxMs, requestBytes: b.requestBytes, histogram: b.histogram }).toEqual({
        total: e.total,
        failed: e.failed,
        maxMs: e.maxMs,
        requestBytes: e.requestBytes,
        histogram: e.histogram,
      });
      expect(b.sumMs).toBeCloseTo(e.sumMs, 6);
    }
    const top = await store.consoleStats.topPipelines(env, from, to, 10);
    expect(top.map((p) => [p.pipeline, p.total, p.versionMinor])).toEqual([
      ['svc', records.filter((r) => r.pipeline === 'svc').length, 1],
      ['other', records.filter((r) => r.pipeline === 'other').length, 1],
    ]);
    const svc = await store.consoleStats.executionSeries(env, { from, to, bucketMs: 3_600_000 * 12, pipeline: 'other' });
    expect(svc.reduce((n, b) => n + b.total, 0)).toBe(records.filter((r) => r.pipeline === 'other').length);
    // Retention removes the rollups of purged executions.
    await store.executions.purge(env, from + day);
    const after = await store.consoleStats.executionSeries(env, { from, to, bucketMs });
    expect(after[0]!.t).toBeGreaterThanOrEqual(from + day);
    expect(after.reduce((n, b) => n + b.total, 0)).toBe(records.filter((r) => r.startedAt >= from + day).length);
  });

  it('counts the overview counters of one environment', async () => {
    const { store } = t();
    const env = freshEnv();
    expect(await store.consoleStats.counters(env, 0)).toEqual({
      pipelines: 0,
      consumers: 0,
      accounts: 0,
      tokensIssuedToday: 0,
      openAnomalies: 0,
    });
    await store.deployments.deploy(env, { name: 'p', major: 1, minor: 0, definition: 'd', format: 'yaml' });
    await store.deployments.deploy(env, { name: 'p', major: 2, minor: 0, definition: 'd', format: 'yaml' });
    await store.deployments.deploy(env, { name: 'q', major: 1, minor: 0, definition: 'd', format: 'yaml' });
    await store.consumers.create(env, { name: 'acme', pipelines: ['*'], scopes: null, enabled: true });
    await store.usage.insertBatch(env, [
      { time: 50, kind: 'issued', outcome: 'allowed', consumer: 'acme', jti: 'old' },
      { time: 150, kind: 'issued', outcome: 'allowed', consumer: 'acme', jti: 'j1' },
      { time: 160, kind: 'auth', outcome: 'allowed', consumer: 'acme', jti: 'j1' },
    ]);
    const { anomaly } = await store.anomalies.raise(env, {
      rule: 'forged_token',
      subject: 'ip:127.0.0.9',
      severity: 'high',
      realm: 'local',
      consumer: null,
      jti: null,
      clientIps: ['127.0.0.9'],
      sampleExecutionKeys: [],
      firstSeen: 1,
      lastSeen: 2,
      windowCount: 1,
      newEvents: 1,
    });
    expect(await store.consoleStats.counters(env, 100)).toEqual({
      pipelines: 2,
      consumers: 1,
      accounts: 0,
      tokensIssuedToday: 1,
      openAnomalies: 1,
    });
    await store.anomalies.setStatus(env, anomaly.id, 'acknowledged', 'me');
    expect((await store.consoleStats.counters(env, 100)).openAnomalies).toBe(0);
  });

  it('summarises token usage per consumer and per token with outcomes and client IPs', async () => {
    const { store } = t();
    const env = freshEnv();
    await store.usage.insertBatch(env, [
      { time: 100, kind: 'issued', outcome: 'allowed', consumer: 'acme', jti: 'j1', clientIp: '10.0.0.1' },
      { time: 200, kind: 'auth', outcome: 'allowed', consumer: 'acme', jti: 'j1', clientIp: '10.0.0.2', count: 3, lastTime: 260 },
      { time: 300, kind: 'auth', outcome: 'denied', reason: 'revoked', consumer: 'acme', jti: 'j2', clientIp: '10.0.0.1' },
      { time: 310, kind: 'auth', outcome: 'denied', reason: 'bad_signature', clientIp: '10.0.0.9' },
      { time: 400, kind: 'issued', outcome: 'allowed', consumer: 'beta', jti: 'j3' },
      { time: 5000, kind: 'issued', outcome: 'allowed', consumer: 'acme', jti: 'later' },
    ]);
    const s = await store.consoleStats.tokenSummary(env, { from: 0, to: 1000 });
    expect(s.consumers.map((c) => [c.consumer, c.total])).toEqual([
      [null, 1],
      ['acme', 5],
      ['beta', 1],
    ]);
    const acme = s.consumers.find((c) => c.consumer === 'acme')!;
    expect(acme).toMatchObject({
      outcomes: { allowed: 4, denied: 1 },
      kinds: { issued: 1, auth: 4 },
      firstSeen: 100,
      lastSeen: 300,
    });
    expect(acme.clientIps).toEqual(['10.0.0.2', '10.0.0.1']);
    expect(s.tokens.map((x) => x.jti)).toEqual(['j3', 'j2', 'j1']);
    expect(s.tokens.find((x) => x.jti === 'j1')).toMatchObject({
      consumer: 'acme',
      total: 4,
      firstSeen: 100,
      lastSeen: 260,
      clientIps: ['10.0.0.2', '10.0.0.1'],
    });
    const only = await store.consoleStats.tokenSummary(env, { from: 0, to: 1000, consumer: 'beta', tokenLimit: 5 });
    expect(only.consumers.map((c) => c.consumer)).toEqual(['beta']);
    expect(only.tokens.map((x) => x.jti)).toEqual(['j3']);
  });
}
