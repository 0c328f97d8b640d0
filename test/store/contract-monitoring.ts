// Store contract: executions, log lines, token usage events and revocations.
import { expect, it } from 'vitest';
import type { ExecutionRecord } from '../../src/store/records.js';
import type { StoreTarget } from './harness.js';
import { freshEnv } from './harness.js';

function execution(
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
    durationMs: 1.5,
    request: { body: { z: 1, a: 'é ✓', nested: [1, null, { k: true }] } },
    response: null,
    ...over,
  };
}

export function monitoringContract(t: () => StoreTarget): void {
  it('stores executions with JSON intact and queries them by every filter', async () => {
    const { store } = t();
    const env = freshEnv();
    await store.executions.insert(env, execution('e1'));
    await store.executions.insertBatch(env, [
      execution('e2', {
        startedAt: 2000,
        status: 'error',
        errorCode: 'ERR_X',
        versionMinor: 2,
        response: { error: 'x', code: 500 },
      }),
      execution('e3', { startedAt: 3000, pipeline: 'other' }),
    ]);
    const e1 = await store.executions.get(env, 'e1');
    expect(e1).toEqual({ ...execution('e1'), environment: env });
    // Key order of stored messages is preserved (PostgreSQL json, not jsonb).
    expect(Object.keys((e1?.request as { body: object }).body)).toEqual(['z', 'a', 'nested']);
    expect(await store.executions.get(freshEnv(), 'e1')).toBeNull();
    // JSON keeps U+0000 exactly (escaped by JSON.stringify; PostgreSQL json, unlike jsonb, accepts it).
    await store.executions.insert(
      env,
      execution('e0', { startedAt: 1, request: { s: 'a\u0000b' } }),
    );
    expect((await store.executions.get(env, 'e0'))?.request).toEqual({ s: 'a\u0000b' });
    await store.executions.purge(env, 2);
    const keys = async (q: Parameters<typeof store.executions.query>[1]) =>
      (await store.executions.query(env, q)).map((e) => e.executionKey);
    expect(await keys({})).toEqual(['e3', 'e2', 'e1']);
    expect(await keys({ pipeline: 'svc' })).toEqual(['e2', 'e1']);
    expect(await keys({ status: 'error' })).toEqual(['e2']);
    expect(await keys({ errorCode: 'ERR_X' })).toEqual(['e2']);
    expect(await keys({ versionMajor: 1, versionMinor: 2 })).toEqual(['e2']);
    expect(await keys({ from: 2000, to: 3000 })).toEqual(['e2']);
    expect(await keys({ limit: 1, offset: 1 })).toEqual(['e2']);
    await expect(store.executions.insert(env, execution('e1'))).rejects.toMatchObject({
      code: 'ERR_STORE_CONFLICT',
    });
    expect(await store.executions.purge(env, 2500)).toBe(2);
    expect(await keys({})).toEqual(['e3']);
  });

  it('stores log lines and reads one execution top to bottom', async () => {
    const { store } = t();
    const env = freshEnv();
    await store.logs.insertBatch(env, [
      {
        executionKey: 'x1',
        pipeline: 'p',
        level: 'INFO',
        message: 'first',
        timestamp: 10,
        step: 'log-1',
      },
      {
        executionKey: 'x1',
        pipeline: 'p',
        level: 'WARN',
        message: 'second',
        timestamp: 11,
        step: null,
      },
      {
        executionKey: 'x2',
        pipeline: 'q',
        level: 'ERROR',
        message: 'other',
        timestamp: 12,
        step: null,
      },
    ]);
    expect((await store.logs.query(env, { executionKey: 'x1' })).map((l) => l.message)).toEqual([
      'first',
      'second',
    ]);
    expect(await store.logs.query(env, { level: 'ERROR' })).toEqual([
      {
        environment: env,
        executionKey: 'x2',
        pipeline: 'q',
        level: 'ERROR',
        message: 'other',
        timestamp: 12,
        step: null,
      },
    ]);
    expect((await store.logs.query(env, { limit: 2 })).map((l) => l.message)).toEqual([
      'second',
      'other',
    ]);
    expect((await store.logs.query(env, { from: 11, to: 12 })).map((l) => l.message)).toEqual([
      'second',
    ]);
    expect(await store.logs.query(freshEnv())).toEqual([]);
    // U+0000 cannot be stored in PostgreSQL text: both dialects store U+FFFD instead of failing.
    await store.logs.insertBatch(env, [
      {
        executionKey: 'x3',
        pipeline: 'p',
        level: 'INFO',
        message: 'a\u0000b',
        timestamp: 13,
        step: null,
      },
    ]);
    expect((await store.logs.query(env, { executionKey: 'x3' }))[0]?.message).toBe('a\uFFFDb');
    expect(await store.logs.purge(env, 12)).toBe(2);
  });

  it('stores token usage events and queries them by jti, consumer, pipeline and time', async () => {
    const { store } = t();
    const env = freshEnv();
    const stored = await store.usage.insertBatch(env, [
      {
        time: 100,
        kind: 'issued',
        outcome: 'allowed',
        consumer: 'acme',
        jti: 'j1',
        scopes: ['read'],
        exp: 1900,
        executionKey: 'k1',
      },
      {
        time: 200,
        kind: 'auth',
        outcome: 'denied',
        reason: 'token_expired',
        jti: 'j1',
        pipeline: 'svc',
        status: 401,
        latencyMs: 0.25,
      },
      {
        time: 300,
        kind: 'auth',
        outcome: 'allowed',
        consumer: 'beta',
        credentialKind: 'apiKey',
        credentialId: 'abc',
        pipeline: 'svc',
      },
    ]);
    expect(stored[0]).toMatchObject({
      id: expect.any(String),
      environment: env,
      route: null,
      clientIp: null,
    });
    expect((await store.usage.query(env, { jti: 'j1' })).map((e) => e.time)).toEqual([200, 100]);
    expect((await store.usage.query(env, { consumer: 'acme' }))[0]).toEqual(stored[0]);
    expect((await store.usage.query(env, { pipeline: 'svc', outcome: 'denied' }))[0]).toMatchObject(
      { reason: 'token_expired', latencyMs: 0.25 },
    );
    expect((await store.usage.query(env, { since: 200 })).map((e) => e.time)).toEqual([300, 200]);
    expect((await store.usage.query(env, { kind: 'issued' })).map((e) => e.jti)).toEqual(['j1']);
    expect(await store.usage.query(freshEnv(), {})).toEqual([]);
    expect(await store.usage.insertBatch(env, [])).toEqual([]);
    // Batches larger than one multi-row INSERT chunk keep every event.
    const many = Array.from({ length: 250 }, (_, i) => ({
      time: 1000 + i,
      kind: 'auth' as const,
      outcome: 'allowed' as const,
      jti: `m${i}`,
    }));
    await store.usage.insertBatch(env, many);
    const back = await store.usage.query(env, { since: 1000, limit: 1000 });
    expect(back.map((e) => e.jti)).toEqual(many.map((e) => e.jti).reverse());
    expect(await store.usage.purge(env, 1000)).toBe(3);
  });

  it('revokes by jti, by consumer and before a time', async () => {
    const { store, clock } = t();
    const env = freshEnv();
    const start = await store.changes.latest();
    const now = clock.t;
    await store.revocations.add(env, { kind: 'jti', value: 'j1', expiresAt: now + 1000 });
    await store.revocations.add(env, { kind: 'consumer', value: 'acme' });
    expect(await store.revocations.isRevoked(env, { jti: 'j1', issuedAt: now + 5 })).toMatchObject({
      kind: 'jti',
    });
    expect(
      await store.revocations.isRevoked(env, { jti: 'j2', consumer: 'acme', issuedAt: now - 1 }),
    ).toMatchObject({ kind: 'consumer' });
    // Tokens issued after the consumer revocation are fine.
    expect(
      await store.revocations.isRevoked(env, { jti: 'j2', consumer: 'acme', issuedAt: now }),
    ).toBeNull();
    expect(await store.revocations.isRevoked(freshEnv(), { jti: 'j1', issuedAt: 0 })).toBeNull();
    await store.revocations.add(env, { kind: 'before', value: String(now - 100) });
    expect(await store.revocations.isRevoked(env, { issuedAt: now - 101 })).toMatchObject({
      kind: 'before',
    });
    expect(await store.revocations.isRevoked(env, { issuedAt: now - 100 })).toBeNull();
    // A second add is idempotent and keeps the later bound.
    clock.advance(500);
    const again = await store.revocations.add(env, { kind: 'consumer', value: 'acme' });
    expect(again.issuedBefore).toBe(clock.t);
    expect(again.createdAt).toBe(now);
    // Same createdAt here: ties are ordered by kind, then value.
    expect((await store.revocations.list(env)).map((r) => `${r.kind}:${r.value}`)).toEqual([
      `before:${now - 100}`,
      'consumer:acme',
      'jti:j1',
    ]);
    expect((await store.revocations.list(env, { kind: 'jti' })).length).toBe(1);
    expect((await store.revocations.list(env, { now: now + 1000 })).map((r) => r.kind)).toEqual([
      'before',
      'consumer',
    ]);
    expect(await store.revocations.purgeExpired(env, now + 1000)).toBe(1);
    const changes = await store.revocations.changesSince(env, start);
    expect(changes.map((c) => c.ref)).toEqual([
      'jti:j1',
      'consumer:acme',
      `before:${now - 100}`,
      'consumer:acme',
    ]);
  });

  it('a consumer_jti revocation applies only to that consumer\'s token with that jti', async () => {
    const { store, clock } = t();
    const env = freshEnv();
    const now = clock.t;
    const rec = await store.revocations.add(env, {
      kind: 'consumer_jti',
      value: 'acme:j9',
      issuedBefore: now,
      expiresAt: now + 1000,
    });
    expect(rec).toMatchObject({ kind: 'consumer_jti', value: 'acme:j9', issuedBefore: null });
    expect(
      await store.revocations.isRevoked(env, { jti: 'j9', consumer: 'acme', issuedAt: now + 5 }),
    ).toMatchObject({ kind: 'consumer_jti' });
    expect(
      await store.revocations.isRevoked(env, { jti: 'j9', consumer: 'other', issuedAt: now }),
    ).toBeNull();
    expect(await store.revocations.isRevoked(env, { jti: 'j9', issuedAt: now })).toBeNull();
    expect((await store.revocations.list(env)).map((r) => `${r.kind}:${r.value}`)).toEqual([
      'consumer_jti:acme:j9',
    ]);
  });
}
