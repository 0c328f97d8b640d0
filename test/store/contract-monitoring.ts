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

/** What a record written without the gateway's fields reads back as. */
const UNSET_EXECUTION_FIELDS = {
  realm: null,
  outcome: null,
  httpStatus: null,
  method: null,
  route: null,
  consumer: null,
  jti: null,
  clientIp: null,
  endedAt: null,
  requestBytes: null,
  responseBytes: null,
};

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
    expect(e1).toEqual({ ...execution('e1'), ...UNSET_EXECUTION_FIELDS, environment: env });
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

  it('records gateway fields and pages executions by cursor, consumer, outcome, key and search', async () => {
    const { store } = t();
    const env = freshEnv();
    const gatewayFields = {
      realm: 'r1',
      outcome: 'response' as const,
      httpStatus: 200,
      method: 'POST',
      route: '/orders/:id',
      consumer: 'acme',
      jti: 'j-1',
      clientIp: '127.0.0.2',
      endedAt: 1010,
      requestBytes: 30,
      responseBytes: 12,
    };
    await store.executions.insertBatch(env, [
      execution('a', { ...gatewayFields, startedAt: 1000, request: { note: 'Hello 50%_off' } }),
      execution('b', { ...gatewayFields, startedAt: 1000, consumer: 'beta' }),
      execution('c', { ...gatewayFields, startedAt: 900, outcome: 'error', httpStatus: 500 }),
    ]);
    expect(await store.executions.get(env, 'a')).toEqual({
      ...execution('a', { ...gatewayFields, startedAt: 1000, request: { note: 'Hello 50%_off' } }),
      environment: env,
    });
    const keys = async (q: Parameters<typeof store.executions.query>[1]) =>
      (await store.executions.query(env, q)).map((e) => e.executionKey);
    // Newest first, ties broken by key descending; the cursor continues strictly after a row.
    expect(await keys({})).toEqual(['b', 'a', 'c']);
    expect(await keys({ limit: 1, cursor: { startedAt: 1000, executionKey: 'b' } })).toEqual(['a']);
    expect(await keys({ cursor: { startedAt: 1000, executionKey: 'a' } })).toEqual(['c']);
    expect(await keys({ consumer: 'beta' })).toEqual(['b']);
    expect(await keys({ outcome: 'error' })).toEqual(['c']);
    expect(await keys({ executionKey: 'c' })).toEqual(['c']);
    // Search is a case-insensitive substring; % and _ are literal.
    expect(await keys({ search: 'hello 50%_' })).toEqual(['a']);
    expect(await keys({ search: '50%x' })).toEqual([]);
    // Chunked purge deletes at most `limit` rows per call.
    expect(await store.executions.purge(env, 1001, { limit: 2 })).toBe(2);
    expect(await store.executions.purge(env, 1001, { limit: 2 })).toBe(1);
    expect(await keys({})).toEqual([]);
  });

  it('writes executions and their log lines in one batch; the outcome filters read the right rows', async () => {
    const { store } = t();
    const env = freshEnv();
    const line = (key: string, message: string) => ({
      executionKey: key,
      pipeline: 'svc',
      level: 'INFO',
      message,
      timestamp: 1000,
      step: 'log',
      realm: 'r1',
      versionMajor: 1,
      versionMinor: 0,
    });
    await store.executions.insertBatch(
      env,
      [
        // The writer passes the JSON text it already has: stored as given, read back as the value.
        {
          ...execution('k1', { outcome: 'response', startedAt: 1000 }),
          requestText: '{"b":2,"a":1}',
          responseText: null,
        },
        execution('k2', { outcome: 'error', startedAt: 1001, errorCode: 'ERR_X', status: 'error' }),
        execution('k3', { outcome: 'response', startedAt: 1002 }),
      ],
      [line('k1', 'first of k1'), line('k2', 'only of k2'), line('k1', 'second of k1')],
    );
    const k1 = await store.executions.get(env, 'k1');
    expect(k1?.request).toEqual({ b: 2, a: 1 });
    expect(k1?.response).toBeNull();
    expect((await store.logs.query(env, { executionKey: 'k1' })).map((l) => l.message)).toEqual([
      'first of k1',
      'second of k1',
    ]);
    expect((await store.logs.query(env, { executionKey: 'k2' })).map((l) => l.message)).toEqual([
      'only of k2',
    ]);
    const keys = async (q: Parameters<typeof store.executions.query>[1]) =>
      (await store.executions.query(env, q)).map((e) => e.executionKey);
    expect(await keys({ outcome: 'error' })).toEqual(['k2']);
    expect(await keys({ outcome: 'response' })).toEqual(['k3', 'k1']);
    expect(await keys({ outcome: 'error', pipeline: 'svc', limit: 1 })).toEqual(['k2']);
    expect(
      await keys({ outcome: 'response', cursor: { startedAt: 1002, executionKey: 'k3' } }),
    ).toEqual(['k1']);
    // A batch with no log lines, and log lines alone, still work.
    await store.executions.insertBatch(env, [execution('k4', { startedAt: 1003 })], []);
    expect(await keys({ limit: 1 })).toEqual(['k4']);
  });

  it('pages log lines backwards and follows them forwards by id', async () => {
    const { store } = t();
    const env = freshEnv();
    const line = (message: string, timestamp: number) => ({
      executionKey: 'k',
      pipeline: 'p',
      level: 'INFO',
      message,
      timestamp,
      step: null,
      realm: 'r1',
      versionMajor: 2,
      versionMinor: 1,
    });
    await store.logs.insertBatch(env, [line('one', 1), line('two', 2), line('Three', 3)]);
    const all = await store.logs.query(env, {});
    expect(all.map((l) => l.message)).toEqual(['one', 'two', 'Three']);
    expect(all[0]).toMatchObject({ realm: 'r1', versionMajor: 2, versionMinor: 1 });
    const ids = all.map((l) => l.id!);
    expect(ids[0]! < ids[1]! && ids[1]! < ids[2]!).toBe(true);
    expect(
      (await store.logs.query(env, { beforeId: ids[2]!, limit: 1 })).map((l) => l.message),
    ).toEqual(['two']);
    expect((await store.logs.query(env, { afterId: ids[0]! })).map((l) => l.message)).toEqual([
      'two',
      'Three',
    ]);
    expect((await store.logs.query(env, { search: 'three' })).map((l) => l.message)).toEqual([
      'Three',
    ]);
    expect(await store.logs.purge(env, 3, { limit: 1 })).toBe(1);
  });

  it('stores aggregated usage rows with their count and pages usage by cursor', async () => {
    const { store } = t();
    const env = freshEnv();
    const [agg] = await store.usage.insertBatch(env, [
      {
        time: 10,
        kind: 'auth',
        outcome: 'denied',
        reason: 'bad_signature',
        count: 42,
        lastTime: 70,
      },
    ]);
    await store.usage.insertBatch(env, [{ time: 20, kind: 'auth', outcome: 'allowed' }]);
    const back = await store.usage.query(env, {});
    expect(back.map((e) => [e.time, e.count, e.lastTime])).toEqual([
      [20, 1, null],
      [10, 42, 70],
    ]);
    expect(
      await store.usage.query(env, { cursor: { time: back[0]!.time, id: back[0]!.id } }),
    ).toEqual([agg]);
    expect(await store.usage.purge(env, 15, { limit: 10 })).toBe(1);
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
        realm: null,
        versionMajor: null,
        versionMinor: null,
        id: expect.any(Number),
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

  it("a consumer_jti revocation applies only to that consumer's token with that jti", async () => {
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
