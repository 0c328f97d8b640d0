// Executions, pipeline logs, token usage and metrics end to end on SQLite and PostgreSQL: recorded, masked, capped, read back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ensureAdmin } from '../../src/gateway/first-start.js';
import { TRUNCATION_MARKER } from '../../src/monitoring/execution-record.js';
import { generateMasterKeyText } from '../../src/security/index.js';
import { consumer, startHarness } from '../gateway/harness.js';
import type { Harness } from '../gateway/harness.js';
import { postgresTarget } from '../store/harness.js';
import type { StoreTarget } from '../store/harness.js';

const PASSWORD = 'correct-horse-battery-staple';

const files = {
  'orders.json': JSON.stringify({
    name: 'orders',
    version: '2.3',
    trigger: { type: 'rest', methods: ['POST'], auth: { apiKey: true } },
    steps: [
      {
        type: 'log',
        level: 'INFO',
        message: 'order {{ message.body.item }} by {{ message.body.password }}',
      },
      {
        type: 'transformer-jsonata',
        expression: '{"item": body.item, "echo": body.password, "size": $length(body.pad)}',
      },
    ],
  }),
  'echo.json': JSON.stringify({
    name: 'echo',
    version: '1.0',
    trigger: { type: 'rest', methods: ['POST'] },
    steps: [{ type: 'transformer-jsonata', expression: 'body' }],
  }),
  'fail.json': JSON.stringify({
    name: 'fail',
    version: '1.0',
    trigger: { type: 'rest' },
    steps: [
      { type: 'log', level: 'WARN', message: 'about to fail' },
      { type: 'throw-error', errorMessage: 'nope', httpStatusCode: 409 },
    ],
  }),
  'login.json': JSON.stringify({
    name: 'login',
    version: '1.0',
    trigger: { type: 'rest', methods: ['POST'], auth: { apiKey: true } },
    steps: [
      { type: 'json-generator', json: { userID: 'u-1' } },
      { type: 'jwt', scopes: 'read' },
    ],
  }),
  'service.json': JSON.stringify({
    name: 'service',
    version: '1.0',
    trigger: { type: 'rest', methods: ['POST'], auth: { jwt: true } },
    steps: [{ type: 'transformer-jsonata', expression: '{"copy": body.note, "ok": true}' }],
  }),
};

describe.each(['sqlite', 'postgres'] as const)('monitoring on %s', (dialect) => {
  let h: Harness;
  let pg: StoreTarget | undefined;
  let apiKey: string;
  let token: string;
  let adminAuth: string;
  const env = { PIPEGATE_MASTER_KEY: generateMasterKeyText() };
  const storeArgs = (): string[] => (pg ? ['--store', pg.url] : ['--data-dir', h.dataDir]);
  const cli = async (...args: string[]): Promise<{ code: number; out: string }> => {
    const out: string[] = [];
    const code = await main([...args, ...storeArgs()], {
      stdout: (t) => void out.push(t),
      stderr: (t) => void out.push(t),
      env: pg ? env : {},
      cwd: h.root,
    });
    return { code, out: out.join('') };
  };
  const admin = (path: string): Promise<Response> =>
    h.adminFetch(path, { headers: { authorization: adminAuth } });
  const flush = async (): Promise<void> => {
    await h.gw.monitor.flush();
    await h.gw.usage.flush();
  };

  beforeAll(async () => {
    if (dialect === 'postgres') pg = await postgresTarget();
    h = await startHarness(files, pg ? { store: pg.url, env } : {});
    apiKey = await consumer(h, 'acme', { scopes: ['read'] });
    const cred = await ensureAdmin(h.gw.store);
    adminAuth = `Basic ${Buffer.from(`${cred!.username}:${cred!.password}`).toString('base64')}`;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      h.fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    expect(
      (
        await post(
          '/pipeline/local/v2/orders',
          { item: 'book', password: PASSWORD, pad: 'x' },
          { apikey: apiKey },
        )
      ).status,
    ).toBe(200);
    expect((await h.fetch('/pipeline/local/v1/fail')).status).toBe(409);
    const login = await post('/pipeline/local/v1/login', {}, { apikey: apiKey });
    token = login.headers.get('authorization')!.slice(7);
    // The client sends its token again in the body, under a name that is not sensitive.
    expect(
      (
        await post(
          '/pipeline/local/v1/service',
          { note: `Bearer ${token}` },
          { authorization: `Bearer ${token}` },
        )
      ).status,
    ).toBe(200);
    // Refused before a pipeline ran: usage events, not executions.
    for (let i = 0; i < 30; i++)
      expect(
        (await post('/pipeline/local/v2/orders', { item: 'x' }, { apikey: `pg_wrong${i}` })).status,
      ).toBe(401);
    // Message caps: 40 KB is cut, 400 KB becomes the marker.
    expect((await post('/pipeline/local/v1/echo', { pad: 'a'.repeat(40_000) })).status).toBe(200);
    expect((await post('/pipeline/local/v1/echo', { pad: 'b'.repeat(400_000) })).status).toBe(200);
    await flush();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await pg?.dispose();
  });

  it('records every field of an execution, masked, and not the refused requests', async () => {
    const list = await cli('executions', 'list', '--pipeline', 'orders', '--json');
    expect(list.code).toBe(0);
    const { executions } = JSON.parse(list.out) as { executions: { executionKey: string }[] };
    expect(executions).toHaveLength(1);
    const shown = await cli('executions', 'show', executions[0]!.executionKey, '--json');
    const { execution, logs } = JSON.parse(shown.out) as {
      execution: Record<string, unknown> & {
        request: { body: Record<string, unknown>; headers: Record<string, string> };
      };
      logs: { level: string; message: string; version: string }[];
    };
    expect(execution).toMatchObject({
      realm: 'local',
      environment: 'test',
      pipeline: 'orders',
      version: '2.3',
      trigger: { method: 'POST', route: '/pipeline/local/v2/orders' },
      consumer: 'acme',
      jti: null,
      clientIp: '127.0.0.1',
      outcome: 'response',
      httpStatus: 200,
      errorCode: null,
      response: { item: 'book', echo: '***', size: 1 },
    });
    expect(execution.request.body).toEqual({ item: 'book', password: '***', pad: 'x' });
    expect(Date.parse(execution.endedAt as string)).toBeGreaterThanOrEqual(
      Date.parse(execution.startedAt as string),
    );
    expect(execution.durationMs).toBeGreaterThan(0);
    expect(logs).toEqual([
      expect.objectContaining({ level: 'INFO', message: 'order book by ***', version: '2.3' }),
    ]);
    // The 30 refusals are token usage rows, not executions.
    const all = JSON.parse((await cli('executions', 'list', '--limit', '1000', '--json')).out) as {
      executions: { pipeline: string }[];
    };
    expect(all.executions.filter((e) => e.pipeline === 'orders')).toHaveLength(1);
  });

  it('records errors, token executions and platform fields; filters by status, consumer, key and search', async () => {
    const errors = JSON.parse(
      (await cli('executions', 'list', '--status', 'error', '--json')).out,
    ) as {
      executions: Record<string, unknown>[];
    };
    expect(errors.executions).toEqual([
      expect.objectContaining({
        pipeline: 'fail',
        outcome: 'error',
        httpStatus: 409,
        errorCode: 'ERR_THROWN',
      }),
    ]);
    const svc = JSON.parse(
      (await cli('executions', 'list', '--pipeline', 'service', '--json')).out,
    ) as {
      executions: { jti: string | null; consumer: string; executionKey: string }[];
    };
    expect(svc.executions[0]!.jti).toMatch(/.+/);
    expect(svc.executions[0]!.consumer).toBe('acme');
    const byKey = JSON.parse(
      (await cli('executions', 'list', '--key', svc.executions[0]!.executionKey, '--json')).out,
    ) as { executions: unknown[] };
    expect(byKey.executions).toHaveLength(1);
    const bySearch = JSON.parse(
      (await cli('executions', 'list', '--search', 'BOOK', '--json')).out,
    ) as { executions: { pipeline: string }[] };
    expect(bySearch.executions.map((e) => e.pipeline)).toEqual(['orders']);
    expect((await cli('executions', 'list', '--since', 'yesterday')).out).toContain(
      'ERR_MONITORING_FILTER',
    );
    expect((await cli('executions', 'show', 'no-such-key')).out).toContain(
      'ERR_MONITORING_EXECUTION_NOT_FOUND',
    );
  });

  it('caps messages: under 32 KB whole, up to 320 KB cut, above that the marker', async () => {
    const { executions } = JSON.parse(
      (await cli('executions', 'list', '--pipeline', 'echo', '--json')).out,
    ) as {
      executions: { executionKey: string; requestBytes: number }[];
    };
    expect(executions).toHaveLength(2);
    const [big, cut] = executions; // newest first
    const show = async (key: string) =>
      (
        JSON.parse((await cli('executions', 'show', key, '--json')).out) as {
          execution: { request: unknown; response: unknown; requestBytes: number };
        }
      ).execution;
    const b = await show(big!.executionKey);
    expect(b.request).toBe(TRUNCATION_MARKER);
    expect(b.response).toBe(TRUNCATION_MARKER);
    expect(b.requestBytes).toBeGreaterThan(320 * 1024);
    const c = await show(cut!.executionKey);
    expect(typeof c.request).toBe('string');
    expect(Buffer.byteLength(c.request as string)).toBeLessThanOrEqual(32 * 1024 + 3);
    expect(c.request as string).toMatch(/^\{.*a{1000}.*…$/s);
    expect(c.requestBytes).toBeGreaterThan(40_000);
  });

  it('lists logs, filters by level and exports the CSV of one execution', async () => {
    const warn = await cli('logs', '--level', 'WARN', '--json');
    const { logs } = JSON.parse(warn.out) as {
      logs: { message: string; pipeline: string; executionKey: string }[];
    };
    // The log step's WARN line, then the platform's WARN for the step that failed (issue 18 item 3).
    expect(logs).toEqual([
      expect.objectContaining({ message: 'about to fail', pipeline: 'fail' }),
      expect.objectContaining({
        message: expect.stringMatching(/failed with ERR_THROWN/),
        pipeline: 'fail',
      }),
    ]);
    const csv = await cli('logs', 'export', '--execution', logs[0]!.executionKey);
    expect(csv.code).toBe(0);
    const lines = csv.out.trimEnd().split('\r\n');
    expect(lines[0]).toBe('timestamp;realm;pipelineKey;pipelineName;logLevel;logMessage');
    expect(lines[1]).toMatch(
      new RegExp(`^\\d{4}-.*Z;local;${logs[0]!.executionKey};fail;WARN;about to fail$`),
    );
    expect((await cli('logs', 'export')).out).toContain('ERR_CLI_USAGE');
  });

  it('aggregates refused requests into one usage row per subject, reason and window', async () => {
    const denied = await h.gw.store.usage.query(h.gw.environment, {
      outcome: 'denied',
      pipeline: 'orders',
    });
    // Windows are aligned to the minute: the burst may straddle one boundary, never more.
    expect(denied.length === 1 || denied.length === 2).toBe(true);
    expect(denied.reduce((n, e) => n + (e.count ?? 1), 0)).toBe(30);
    for (const e of denied) {
      expect(e).toMatchObject({ reason: 'unknown_key', clientIp: '127.0.0.1', credentialId: null });
      expect(Math.floor(e.lastTime! / 60_000)).toBe(Math.floor(e.time / 60_000));
    }
  });

  it('serves the admin API with the same filters and cursor pagination, behind the admin credential', async () => {
    expect((await h.adminFetch('/admin/executions')).status).toBe(401);
    expect((await h.adminFetch('/metrics')).status).toBe(401);
    const first = (await (await admin('/admin/executions?limit=2')).json()) as {
      executions: { executionKey: string }[];
      nextCursor: string;
    };
    expect(first.executions).toHaveLength(2);
    const keys = first.executions.map((e) => e.executionKey);
    let cursor: string | null = first.nextCursor;
    while (cursor) {
      const page = (await (await admin(`/admin/executions?limit=2&cursor=${cursor}`)).json()) as {
        executions: { executionKey: string }[];
        nextCursor: string | null;
      };
      keys.push(...page.executions.map((e) => e.executionKey));
      cursor = page.nextCursor;
    }
    expect(keys).toHaveLength(6);
    expect(new Set(keys).size).toBe(6);
    const one = (await (await admin(`/admin/executions/${keys[0]}`)).json()) as {
      execution: { executionKey: string; request: unknown };
    };
    expect(one.execution.executionKey).toBe(keys[0]);
    expect((await admin('/admin/executions/nope')).status).toBe(404);
    expect(
      ((await (await admin('/admin/executions?status=bogus')).json()) as { code: string }).code,
    ).toBe('ERR_MONITORING_FILTER');
    expect(
      ((await (await admin('/admin/executions?cursor=zzz')).json()) as { code: string }).code,
    ).toBe('ERR_MONITORING_CURSOR');
    const logs = (await (await admin('/admin/logs?pipeline=orders')).json()) as {
      logs: { message: string }[];
    };
    expect(logs.logs.map((l) => l.message)).toEqual(['order book by ***']);
    const usage = (await (await admin('/admin/tokens/usage?kind=issued')).json()) as {
      events: { consumer: string }[];
    };
    expect(usage.events).toEqual([expect.objectContaining({ consumer: 'acme' })]);
  });

  it('exposes bounded Prometheus metrics at /metrics', async () => {
    const res = await admin('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('pipegate_executions_total{pipeline="orders",outcome="response"} 1');
    expect(text).toContain('pipegate_executions_total{pipeline="fail",outcome="error"} 1');
    expect(text).toContain('pipegate_http_requests_total{pipeline="orders",status_class="4xx"} 30');
    expect(text).toContain('pipegate_auth_denials_total{reason="unknown_key"} 30');
    expect(text).toContain('pipegate_tokens_issued_total 1');
    expect(text).toMatch(
      /pipegate_http_request_duration_seconds_bucket\{le="0.005",pipeline="orders"\}/,
    );
    expect(text).toContain('# TYPE pipegate_anomalies_total counter');
    expect(text).toContain('# TYPE pipegate_monitoring_records_dropped_total counter');
    expect(text).toContain('# TYPE pipegate_store_errors_total counter');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toContain('process_cpu_user_seconds_total');
    // Label values are pipeline names and fixed sets: no execution keys, paths of requests or client addresses.
    const { executions } = JSON.parse((await cli('executions', 'list', '--json')).out) as {
      executions: { executionKey: string }[];
    };
    for (const e of executions) expect(text).not.toContain(e.executionKey);
    expect(text).not.toContain('127.0.0.1');
  });

  it('never stores a secret in execution records, logs or usage, nor prints one', async () => {
    const outputs: string[] = [];
    const { executions } = JSON.parse(
      (await cli('executions', 'list', '--limit', '1000', '--json')).out,
    ) as { executions: { executionKey: string }[] };
    for (const e of executions)
      outputs.push((await cli('executions', 'show', e.executionKey, '--json')).out);
    outputs.push((await cli('logs', '--limit', '1000', '--json')).out);
    outputs.push((await cli('tokens', 'usage', '--limit', '1000', '--json')).out);
    outputs.push(
      JSON.stringify(await h.gw.store.executions.query(h.gw.environment, { limit: 1000 })),
    );
    outputs.push(JSON.stringify(await h.gw.store.logs.query(h.gw.environment, { limit: 1000 })));
    outputs.push(JSON.stringify(await h.gw.store.usage.query(h.gw.environment, { limit: 1000 })));
    outputs.push(await (await admin('/admin/logs?limit=1000')).text());
    outputs.push(h.logs.join(''));
    const all = outputs.join('\n');
    expect(all).toContain('order book by ***');
    for (const secret of [PASSWORD, apiKey, token, token.split('.')[2]!])
      expect(all).not.toContain(secret);
    // The service echoed its bearer token under a non-sensitive name: masked as a known secret.
    expect(all).toContain('"copy": "Bearer ***"');
  });

  it('purges executions, logs and usage events older than the retention period', async () => {
    const env = h.gw.environment;
    const old = Date.now() - 4 * 86_400_000;
    await h.gw.store.executions.insert(env, {
      executionKey: 'ancient',
      pipeline: 'orders',
      versionMajor: 2,
      versionMinor: 3,
      status: 'success',
      errorCode: null,
      startedAt: old,
      durationMs: 1,
      request: null,
      response: null,
    });
    await h.gw.store.logs.insertBatch(env, [
      {
        executionKey: 'ancient',
        pipeline: 'orders',
        level: 'INFO',
        message: 'old',
        timestamp: old,
        step: null,
      },
    ]);
    await h.gw.store.usage.insertBatch(env, [
      { time: old, kind: 'auth', outcome: 'allowed', jti: 'old' },
    ]);
    expect(h.gw.retention.days).toBe(3);
    const deleted = await h.gw.retention.runOnce();
    expect(deleted).toMatchObject({ executions: 1, logs: 1, usage: 1 });
    expect(await h.gw.store.executions.get(env, 'ancient')).toBeNull();
    expect((await h.gw.store.executions.query(env, { limit: 1000 })).length).toBe(6);
  });
});
