// Unexpected failures, an unreachable store, restarts that keep hot deploys, environments sharing one store.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConsumer } from '../../src/consumers/consumer-admin.js';
import { startGateway } from '../../src/gateway/index.js';
import { loadMasterKey } from '../../src/security/index.js';
import { consumer, echoPipeline, startHarness, testRegistry } from './harness.js';

function orders(version: string): string {
  return JSON.stringify({
    name: 'orders',
    version,
    trigger: { type: 'rest' },
    steps: [{ type: 'json-generator', json: { version } }],
  });
}

describe('resilience', () => {
  it('answers a bare 500 to an unexpected failure and logs it with the execution key', async () => {
    const h = await startHarness({
      'broken.json': JSON.stringify({
        name: 'broken',
        version: '1.0',
        trigger: { type: 'rest' },
        steps: [{ type: 'test-crash' }],
      }),
    });
    try {
      const res = await h.fetch('/pipeline/local/v1/broken', { method: 'POST' });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ message: 'Internal Server Error' });
      const key = res.headers.get('x-pipegate-execution-key')!;
      expect(key).toMatch(/^[0-9a-f-]{36}$/);
      const line = h.logs
        .map((l) => JSON.parse(l) as { level: number; executionKey?: string })
        .find((l) => l.level >= 50 && l.executionKey === key);
      expect(line).toBeDefined();
      expect(JSON.stringify(line)).toContain('internal detail');
    } finally {
      await h.close();
    }
  });

  it('answers 503, never 401, when the store cannot be reached', async () => {
    const h = await startHarness({
      'keyed.json': echoPipeline('keyed', { auth: { apiKey: true } }),
    });
    const key = await consumer(h, 'acme');
    expect((await h.fetch('/pipeline/local/v1/keyed', { headers: { apikey: key } })).status).toBe(
      200,
    );
    await h.gw.store.close();
    const res = await h.fetch('/pipeline/local/v1/keyed', {
      headers: { apikey: 'pg_aaaaaaaaaaaa_' + 'B'.repeat(43) },
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ message: 'Service Unavailable' });
    const ready = await h.fetch('/readyz');
    expect(ready.status).toBe(503);
    await h.close().catch(() => undefined);
  });

  it('keeps a hot-deployed newer minor across a restart with the older file in the folder', async () => {
    const h = await startHarness({ 'orders.json': orders('1.0') });
    const newer = join(h.root, 'orders-1.1.json');
    await writeFile(newer, orders('1.1'));
    await h.gw.deployFile(newer);
    await h.gw.close();
    const again = await startGateway({
      dirs: [h.dir],
      port: 0,
      dataDir: h.dataDir,
      env: {},
      logger: false,
      registry: testRegistry,
    });
    try {
      const res = await fetch(`${again.url}/pipeline/local/v1/orders`);
      expect(await res.json()).toEqual({ version: '1.1' });
    } finally {
      await again.close();
    }
  });

  it('rejects a token minted in test on a prod server sharing the store', async () => {
    const h = await startHarness({ 'token.json': echoPipeline('token', { auth: { jwt: true } }) });
    const prod = await startGateway({
      dirs: [h.dir],
      port: 0,
      dataDir: h.dataDir,
      env: {},
      logger: false,
      environment: 'prod',
    });
    try {
      const master = await loadMasterKey({ env: {}, dataDir: h.dataDir, create: false });
      await consumer(h, 'acme');
      await createConsumer({ store: prod.store, master, environment: 'prod' }, { name: 'acme' });
      const t = await h.gw.tokens.issue({
        consumer: 'acme',
        claims: {},
        scopes: [],
        pipeline: 'x',
        executionKey: 'x',
        sensitiveFields: [],
      });
      const headers = { authorization: `Bearer ${t.token}` };
      expect((await h.fetch('/pipeline/local/v1/token', { headers })).status).toBe(200);
      const res = await fetch(`${prod.url}/pipeline/local/v1/token`, { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ message: 'Unauthorized', error: 'invalid_token' });
    } finally {
      await prod.close();
      await h.close();
    }
  });
});

describe('client addresses', () => {
  it('uses X-Forwarded-For only when the proxy is trusted', async () => {
    const limited = {
      'ip.json': echoPipeline('ip', { rateLimit: { limits: [{ interval: 'month', limit: 1 }] } }),
    };
    for (const trustProxy of [false, true]) {
      const h = await startHarness(limited, { trustProxy });
      try {
        const first = await h.fetch('/pipeline/local/v1/ip', {
          headers: { 'x-forwarded-for': '203.0.113.1' },
        });
        expect(first.status).toBe(200);
        const second = await h.fetch('/pipeline/local/v1/ip', {
          headers: { 'x-forwarded-for': '203.0.113.2' },
        });
        // Trusted: two different clients; untrusted: both are the loopback peer.
        expect(second.status).toBe(trustProxy ? 200 : 429);
      } finally {
        await h.close();
      }
    }
  });
});

describe('external and internal listeners', () => {
  it('publishes each pipeline on the listeners its trigger names', async () => {
    const h = await startHarness(
      {
        'public.json': echoPipeline('public-api'),
        'private.json': echoPipeline('private-api', { externalApi: false, internalApi: true }),
        'both.json': echoPipeline('both-api', { internalApi: true }),
      },
      { internalPort: 0 },
    );
    try {
      const internal = h.gw.internalUrl!;
      expect(internal).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(internal).not.toBe(h.gw.url);
      const status = async (base: string, name: string): Promise<number> =>
        (await fetch(`${base}/pipeline/local/v1/${name}`)).status;
      expect([await status(h.gw.url, 'public-api'), await status(internal, 'public-api')]).toEqual([
        200, 404,
      ]);
      expect([
        await status(h.gw.url, 'private-api'),
        await status(internal, 'private-api'),
      ]).toEqual([404, 200]);
      expect([await status(h.gw.url, 'both-api'), await status(internal, 'both-api')]).toEqual([
        200, 200,
      ]);
    } finally {
      await h.close();
    }
  });
});
