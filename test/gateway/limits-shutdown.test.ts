// Rate limits (429 and RateLimit-* headers) and a graceful shutdown that loses no request and no usage event.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addApiKey } from '../../src/consumers/consumer-admin.js';
import { startGateway } from '../../src/gateway/index.js';
import { consumer, echoPipeline, eventually, sleepProbe, startHarness } from './harness.js';
import type { Harness } from './harness.js';

describe('rate limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      'per-consumer.json': echoPipeline('per-consumer', {
        auth: { apiKey: true },
        rateLimit: { limits: [{ interval: 'month', limit: 2 }] },
      }),
      'per-key.json': echoPipeline('per-key', {
        auth: { apiKey: true },
        rateLimit: { aggregateBy: 'credential', limits: [{ interval: 'month', limit: 1 }] },
      }),
      'anonymous.json': echoPipeline('anonymous', {
        rateLimit: {
          limits: [
            { interval: 'month', limit: 1 },
            { interval: 'day', limit: 5 },
          ],
        },
      }),
    });
  });
  afterAll(async () => h?.close());

  it('answers 429 with Retry-After and RateLimit-* once a consumer used its quota', async () => {
    const a = await consumer(h, 'a');
    const a2 = (await addApiKey(h.consumers, 'a')).apiKey;
    const b = await consumer(h, 'b');
    const first = await h.fetch('/pipeline/local/v1/per-consumer', { headers: { apikey: a } });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    expect(
      (await h.fetch('/pipeline/local/v1/per-consumer', { headers: { apikey: a2 } })).status,
    ).toBe(200);
    const third = await h.fetch('/pipeline/local/v1/per-consumer', { headers: { apikey: a } });
    expect(third.status).toBe(429);
    expect(await third.json()).toEqual({ message: 'Too Many Requests' });
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(third.headers.get('ratelimit-limit')).toBe('2');
    expect(third.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(third.headers.get('ratelimit-reset'))).toBe(
      Number(third.headers.get('retry-after')),
    );
    expect(third.headers.get('x-pipegate-execution-key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      (await h.fetch('/pipeline/local/v1/per-consumer', { headers: { apikey: b } })).status,
    ).toBe(200);
  });

  it('counts per credential when aggregateBy is credential', async () => {
    await consumer(h, 'c');
    const k1 = (await addApiKey(h.consumers, 'c')).apiKey;
    const k2 = (await addApiKey(h.consumers, 'c')).apiKey;
    expect((await h.fetch('/pipeline/local/v1/per-key', { headers: { apikey: k1 } })).status).toBe(
      200,
    );
    expect((await h.fetch('/pipeline/local/v1/per-key', { headers: { apikey: k2 } })).status).toBe(
      200,
    );
    expect((await h.fetch('/pipeline/local/v1/per-key', { headers: { apikey: k1 } })).status).toBe(
      429,
    );
  });

  it('limits unauthenticated pipelines per client address, tightest limit first', async () => {
    const ok = await h.fetch('/pipeline/local/v1/anonymous');
    expect(ok.headers.get('ratelimit-limit')).toBe('1');
    expect(ok.headers.get('ratelimit-remaining')).toBe('0');
    expect((await h.fetch('/pipeline/local/v1/anonymous')).status).toBe(429);
  });

  it('records rate-limited requests as denied usage events', async () => {
    await h.gw.usage.flush();
    const denied = await h.gw.store.usage.query(h.gw.environment, { outcome: 'denied' });
    expect(denied.some((e) => e.reason === 'rate_limited' && e.status === 429)).toBe(true);
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight requests and writes every usage event before closing', async () => {
    const h = await startHarness({
      'slow.json': JSON.stringify({
        name: 'slow',
        version: '1.0',
        trigger: { type: 'rest', auth: { apiKey: true } },
        steps: [{ type: 'test-sleep', ms: 300 }],
      }),
    });
    const key = await consumer(h, 'patient');
    const before = sleepProbe.started;
    const pending = Array.from({ length: 5 }, () =>
      h.fetch('/pipeline/local/v1/slow', { method: 'POST', headers: { apikey: key } }),
    );
    await eventually(async () => expect(sleepProbe.started - before).toBe(5));
    const closing = h.gw.close();
    const statuses = await Promise.all(pending.map(async (p) => (await p).status));
    await closing;
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    await expect(fetch(`${h.gw.url}/healthz`)).rejects.toThrow();
    // Reopen the same store: every decision was flushed on close.
    const again = await startGateway({
      port: 0,
      dataDir: join(h.root, 'data'),
      env: {},
      logger: false,
    });
    try {
      const events = await again.store.usage.query(again.environment, { pipeline: 'slow' });
      expect(events.filter((e) => e.outcome === 'allowed' && e.status === 200)).toHaveLength(5);
    } finally {
      await again.close();
    }
  });
});
