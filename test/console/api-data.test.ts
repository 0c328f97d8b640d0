// The console's data routes over real HTTP on SQLite and PostgreSQL: overview, metrics, history, consumers, tokens, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../src/gateway/first-start.js';
import { generateMasterKeyText } from '../../src/security/index.js';
import { startHarness } from '../gateway/harness.js';
import type { Harness } from '../gateway/harness.js';
import { postgresTarget } from '../store/harness.js';
import type { StoreTarget } from '../store/harness.js';

const files = {
  'orders.json': JSON.stringify({
    name: 'orders',
    version: '1.0',
    trigger: { type: 'rest', methods: ['POST'], auth: { apiKey: true } },
    steps: [{ type: 'transformer-jsonata', expression: '{"item": body.item}' }],
  }),
  'fail.json': JSON.stringify({
    name: 'fail',
    version: '1.0',
    trigger: { type: 'rest' },
    steps: [{ type: 'throw-error', errorMessage: 'nope', httpStatusCode: 409 }],
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
    steps: [{ type: 'transformer-jsonata', expression: '{"ok": true}' }],
  }),
};

const JSON_TYPE = { 'content-type': 'application/json' };

describe.each(['sqlite', 'postgres'] as const)('console data routes on %s', (dialect) => {
  let h: Harness;
  let pg: StoreTarget | undefined;
  let cookie: string;
  let csrf: string;
  const env = { PIPEGATE_MASTER_KEY: generateMasterKeyText() };
  /** Console-style calls: the session cookie, and the CSRF token on writes. */
  const api = async (
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<Response> =>
    h.adminFetch(path, {
      method: init.method ?? 'GET',
      headers: {
        cookie,
        ...(init.method && init.method !== 'GET' ? { ...JSON_TYPE, 'x-csrf-token': csrf } : {}),
      },
      ...(init.body !== undefined
        ? { body: JSON.stringify(init.body) }
        : init.method && init.method !== 'GET'
          ? { body: '{}' }
          : {}),
    });
  const call = (
    path: string,
    headers: Record<string, string>,
    body: unknown = { item: 'book' },
  ): Promise<Response> =>
    h.fetch(path, {
      method: 'POST',
      headers: { ...JSON_TYPE, ...headers },
      body: JSON.stringify(body),
    });
  const flush = async (): Promise<void> => {
    await h.gw.monitor.flush();
    await h.gw.usage.flush();
    // Anomalies are raised by the detector's periodic step: settle it, so that the counters read
    // next do not race a step still writing (the second call waits out one already in flight).
    await h.gw.anomalies?.tick();
    await h.gw.anomalies?.tick();
  };

  beforeAll(async () => {
    if (dialect === 'postgres') pg = await postgresTarget();
    h = await startHarness(files, pg ? { store: pg.url, env } : {});
    const { password } = (await ensureAdmin(h.gw.store))!;
    const r = await h.adminFetch('/console/api/session', {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify({ username: 'admin', password }),
    });
    cookie = r.headers.get('set-cookie')!.split(';')[0]!;
    csrf = ((await r.json()) as { csrfToken: string }).csrfToken;
  });
  afterAll(async () => {
    await h?.close();
    await pg?.dispose();
  });

  it('creates a consumer whose key (shown once) calls a pipeline; disables, rotates and revokes keys', async () => {
    const created = await api('/admin/consumers', {
      method: 'POST',
      body: { name: 'webapp', pipelines: ['orders', 'login'], scopes: ['read'] },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const c = (await created.json()) as {
      consumer: Record<string, unknown>;
      apiKey: string;
      keyId: string;
    };
    expect(c.consumer).toMatchObject({
      name: 'webapp',
      enabled: true,
      pipelines: ['orders', 'login'],
      scopes: ['read'],
    });
    expect(c.apiKey).toMatch(/^pg_/);
    expect((await call('/pipeline/local/v1/orders', { apikey: c.apiKey })).status).toBe(200);
    // Shown once: never in a later read, nor in the audit log.
    expect(JSON.stringify(await (await api('/admin/consumers/webapp')).json())).not.toContain(
      c.apiKey,
    );
    const [audit] = await h.gw.store.audit.list(h.gw.environment, { action: 'consumer.create' });
    expect(audit).toMatchObject({
      actor: 'admin:admin',
      target: 'webapp',
      outcome: 'success',
      status: 201,
      details: { keyId: c.keyId },
    });
    expect(JSON.stringify(audit)).not.toContain(c.apiKey);
    expect(
      (await api('/admin/consumers', { method: 'POST', body: { name: 'webapp' } })).status,
    ).toBe(409);
    const badName = await api('/admin/consumers', { method: 'POST', body: { name: 'bad name' } });
    expect(badName.status).toBe(400);
    expect(await badName.json()).toMatchObject({ code: 'ERR_CONSUMER_INVALID_NAME' });

    const off = await api('/admin/consumers/webapp', { method: 'PATCH', body: { enabled: false } });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ consumer: { enabled: false } });
    expect(
      (await call('/pipeline/local/v1/orders', { apikey: c.apiKey })).status,
    ).toBeGreaterThanOrEqual(401);
    await api('/admin/consumers/webapp', {
      method: 'PATCH',
      body: { enabled: true, pipelines: '*' },
    });
    expect((await call('/pipeline/local/v1/orders', { apikey: c.apiKey })).status).toBe(200);

    const added = await api('/admin/consumers/webapp/keys', { method: 'POST' });
    expect(added.status).toBe(201);
    const k = (await added.json()) as { keyId: string; apiKey: string };
    const revoked = await api(`/admin/consumers/webapp/keys/${c.keyId}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect((await call('/pipeline/local/v1/orders', { apikey: c.apiKey })).status).toBe(401);
    expect((await call('/pipeline/local/v1/orders', { apikey: k.apiKey })).status).toBe(200);
    expect(
      (await api(`/admin/consumers/webapp/keys/${c.keyId}`, { method: 'DELETE' })).status,
    ).toBe(404);
    const actions = (await h.gw.store.audit.list(h.gw.environment)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['consumer.update', 'consumer.key.add', 'consumer.key.revoke']),
    );
  });

  it('revokes a token by jti and the next request with it is refused 401; summarises token usage', async () => {
    const created = (await (
      await api('/admin/consumers', { method: 'POST', body: { name: 'tok', scopes: ['read'] } })
    ).json()) as { apiKey: string };
    const login = async (): Promise<string> =>
      (await call('/pipeline/local/v1/login', { apikey: created.apiKey }, {})).headers
        .get('authorization')!
        .slice(7);
    const token = await login();
    const other = await login();
    const jti = (
      JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { jti: string }
    ).jti;
    expect(
      (await call('/pipeline/local/v1/service', { authorization: `Bearer ${token}` })).status,
    ).toBe(200);
    const r = await api('/admin/tokens/revoke', { method: 'POST', body: { jti } });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ revoked: { kind: 'jti', value: jti } });
    expect(
      (await call('/pipeline/local/v1/service', { authorization: `Bearer ${token}` })).status,
    ).toBe(401);
    expect(
      (await call('/pipeline/local/v1/service', { authorization: `Bearer ${other}` })).status,
    ).toBe(200);
    // Every token of the consumer.
    expect(
      (await api('/admin/tokens/revoke', { method: 'POST', body: { consumer: 'tok' } })).status,
    ).toBe(200);
    expect(
      (await call('/pipeline/local/v1/service', { authorization: `Bearer ${other}` })).status,
    ).toBe(401);
    const bad = await api('/admin/tokens/revoke', {
      method: 'POST',
      body: { jti, before: '2026-01-01T00:00:00Z' },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'ERR_JWT_REVOKE_TARGET' });
    expect(
      (await api('/admin/tokens/revoke', { method: 'POST', body: { before: 'yesterday' } })).status,
    ).toBe(400);
    const [entry] = await h.gw.store.audit.list(h.gw.environment, { action: 'token.revoke' });
    expect(entry).toMatchObject({ outcome: 'failure', status: 400 });
    expect(
      (await h.gw.store.audit.list(h.gw.environment, { action: 'token.revoke' })).some(
        (e) => e.target === jti && e.outcome === 'success',
      ),
    ).toBe(true);

    await flush();
    const s = await api('/admin/tokens/summary?period=1h&consumer=tok');
    expect(s.status).toBe(200);
    const summary = (await s.json()) as {
      consumers: {
        consumer: string;
        total: number;
        outcomes: Record<string, number>;
        kinds: Record<string, number>;
        clientIps: string[];
      }[];
      tokens: {
        jti: string;
        consumer: string;
        total: number;
        outcomes: Record<string, number>;
        firstSeen: string;
        lastSeen: string;
      }[];
    };
    expect(summary.consumers).toHaveLength(1);
    expect(summary.consumers[0]).toMatchObject({ consumer: 'tok', kinds: { issued: 2 } });
    expect(summary.consumers[0]!.outcomes.denied).toBeGreaterThanOrEqual(2);
    expect(summary.consumers[0]!.clientIps).toEqual(['127.0.0.1']);
    const t = summary.tokens.find((x) => x.jti === jti)!;
    expect(t).toMatchObject({ consumer: 'tok' });
    expect(t.outcomes.denied).toBeGreaterThanOrEqual(1);
    expect(Date.parse(t.lastSeen)).toBeGreaterThanOrEqual(Date.parse(t.firstSeen));
  });

  it('answers the overview: counters, top pipelines and a filled series per bucket', async () => {
    const created = (await (
      await api('/admin/consumers', { method: 'POST', body: { name: 'ov' } })
    ).json()) as { apiKey: string };
    for (let i = 0; i < 3; i++)
      expect((await call('/pipeline/local/v1/orders', { apikey: created.apiKey })).status).toBe(
        200,
      );
    for (let i = 0; i < 2; i++) expect((await h.fetch('/pipeline/local/v1/fail')).status).toBe(409);
    await flush();
    const r = await api('/admin/overview?period=1h');
    expect(r.status).toBe(200);
    const o = (await r.json()) as {
      environment: string;
      counters: Record<string, number>;
      topPipelines: {
        pipeline: string;
        version: string;
        total: number;
        failed: number;
        avgMs: number;
      }[];
      bucketSeconds: number;
      series: {
        t: string;
        success: number;
        failed: number;
        avgMs: number | null;
        p95Ms: number | null;
      }[];
    };
    expect(o.environment).toBe(h.gw.environment);
    // The revoked token's refusals above opened anomalies: the counter is the store's open ones.
    const open = (await h.gw.store.anomalies.list(h.gw.environment, { status: 'open' })).anomalies
      .length;
    const consumers = (await h.gw.store.consumers.list(h.gw.environment)).length;
    expect(o.counters).toEqual({
      pipelines: 4,
      consumers,
      accounts: 0,
      tokensIssuedToday: 2,
      openAnomalies: open,
    });
    const fail = o.topPipelines.find((p) => p.pipeline === 'fail')!;
    expect(fail).toMatchObject({ version: '1.0', failed: 2, total: 2 });
    const orders = o.topPipelines.find((p) => p.pipeline === 'orders')!;
    expect(orders.total).toBeGreaterThanOrEqual(3);
    expect(orders.failed).toBe(0);
    expect(orders.avgMs).toBeGreaterThan(0);
    expect(o.bucketSeconds).toBe(60);
    expect(o.series.length).toBeGreaterThanOrEqual(60);
    expect(o.series.length).toBeLessThanOrEqual(62);
    const total = o.series.reduce((n, b) => n + b.success + b.failed, 0);
    expect(total).toBe(o.topPipelines.reduce((n, p) => n + p.total, 0));
    const busy = o.series.filter((b) => b.success + b.failed > 0);
    expect(busy.length).toBeGreaterThan(0);
    for (const b of busy) {
      expect(b.avgMs).toBeGreaterThan(0);
      expect(b.p95Ms).toBeGreaterThan(0);
    }
    expect(o.series.some((b) => b.avgMs === null)).toBe(true);

    const m = await api('/admin/pipelines/orders/metrics?period=15m');
    expect(m.status).toBe(200);
    const metrics = (await m.json()) as {
      bucketSeconds: number;
      inFlight: number;
      series: Record<string, number | null>[];
    };
    expect(metrics.bucketSeconds).toBe(30);
    expect(metrics.inFlight).toBe(0);
    const rows = metrics.series.filter((b) => (b.requests as number) > 0);
    expect(rows.reduce((n, b) => n + (b.requests as number), 0)).toBe(orders.total);
    for (const b of rows) {
      expect(b.errorRate).toBe(0);
      expect(b.p50Ms! <= b.p95Ms! && b.p95Ms! <= b.p99Ms!).toBe(true);
      expect(b.avgRequestBytes).toBeGreaterThan(0);
      expect(b.rps).toBeGreaterThan(0);
    }
    for (const path of [
      '/admin/overview?period=2h',
      '/admin/overview?env=other',
      '/admin/pipelines/orders/metrics?period=x',
    ]) {
      const refused = await api(path);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ code: 'ERR_CONSOLE_REQUEST' });
    }
    // The execution list gains a version filter.
    const v = (await (await api('/admin/executions?pipeline=orders&version=1.0')).json()) as {
      executions: unknown[];
    };
    expect(v.executions.length).toBe(orders.total);
    expect(
      (
        (await (await api('/admin/executions?pipeline=orders&version=2')).json()) as {
          executions: unknown[];
        }
      ).executions,
    ).toEqual([]);
    expect((await api('/admin/executions?version=x')).status).toBe(400);
  });

  it('lists deployment history with active and past versions; rollback is audited', async () => {
    const v = (minor: number): string =>
      JSON.stringify({
        name: 'hist',
        version: `1.${minor}`,
        trigger: { type: 'rest' },
        steps: [{ type: 'json-generator', json: { minor } }],
      });
    for (const minor of [0, 1]) {
      const r = await h.adminFetch('/admin/deployments?file=hist.json', {
        method: 'POST',
        headers: { ...JSON_TYPE, cookie, 'x-csrf-token': csrf },
        body: v(minor),
      });
      expect(r.status).toBe(201);
    }
    const hist = (await (await api('/admin/deployments/history?pipeline=hist')).json()) as {
      deployments: {
        name: string;
        version: string;
        active: boolean;
        deployedAt: string;
        previousId: string | null;
      }[];
    };
    expect(hist.deployments.map((d) => [d.version, d.active])).toEqual([
      ['1.1', true],
      ['1.0', false],
    ]);
    expect(hist.deployments[0]!.previousId).not.toBeNull();
    expect((await api('/admin/deployments/hist/1/rollback', { method: 'POST' })).status).toBe(200);
    const [deploy] = await h.gw.store.audit.list(h.gw.environment, { action: 'deployment.deploy' });
    expect(deploy).toMatchObject({
      target: 'hist/1',
      details: { version: '1.1', file: 'hist.json' },
      outcome: 'success',
    });
    const [rollback] = await h.gw.store.audit.list(h.gw.environment, {
      action: 'deployment.rollback',
    });
    expect(rollback).toMatchObject({ actor: 'admin:admin', target: 'hist/1', status: 200 });
    const all = (await (await api('/admin/deployments/history')).json()) as {
      deployments: { name: string }[];
    };
    expect(new Set(all.deployments.map((d) => d.name))).toEqual(
      new Set(['orders', 'fail', 'login', 'service', 'hist']),
    );
  });

  it('pages the audit log newest first with a cursor', async () => {
    const first = (await (await api('/admin/audit?limit=2')).json()) as {
      entries: {
        id: number;
        at: string;
        actor: string;
        action: string;
        target: string | null;
        outcome: string;
      }[];
      nextCursor: string | null;
    };
    expect(first.entries).toHaveLength(2);
    expect(first.entries[0]!.id).toBeGreaterThan(first.entries[1]!.id);
    expect(Number.isNaN(Date.parse(first.entries[0]!.at))).toBe(false);
    expect(first.nextCursor).not.toBeNull();
    const next = (await (await api(`/admin/audit?limit=2&cursor=${first.nextCursor}`)).json()) as {
      entries: { id: number }[];
    };
    expect(next.entries[0]!.id).toBeLessThan(first.entries[1]!.id);
    const filtered = (await (await api('/admin/audit?action=console.sign-in')).json()) as {
      entries: { action: string }[];
    };
    expect(filtered.entries.length).toBeGreaterThan(0);
    expect(filtered.entries.every((e) => e.action === 'console.sign-in')).toBe(true);
    expect((await api('/admin/audit?cursor=abc')).status).toBe(400);
    // Reads are not audited.
    expect(
      (await h.gw.store.audit.list(h.gw.environment)).some((e) => e.action.startsWith('GET')),
    ).toBe(false);
  });
});
