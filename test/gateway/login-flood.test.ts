// Issue 10 item 1, measured without timings: during a flood of wrong Basic passwords, an API-key
// login never queues behind password hashes on libuv's pool (bench/login-flood.md has the latencies).
import { createHook } from 'node:async_hooks';
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMaxConcurrentHashes, libuvPoolSize } from '../../src/gateway/auth/login-guard.js';
import { consumer, echoPipeline, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const login = JSON.stringify({
  name: 'login',
  version: '1.0',
  trigger: { type: 'rest', methods: ['POST'], auth: { apiKey: true } },
  steps: [
    { type: 'json-generator', json: {} },
    { type: 'jwt', operation: 'generate', tokenIn: 'both' },
  ],
});

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('the default hash cap leaves a pool thread free', () => {
  it('is half the cores, below the pool size, at least one', () => {
    expect(defaultMaxConcurrentHashes(2, 4)).toBe(1);
    expect(defaultMaxConcurrentHashes(4, 4)).toBe(2);
    // Half of 8 or 16 cores would be the whole default pool of 4 threads.
    expect(defaultMaxConcurrentHashes(8, 4)).toBe(3);
    expect(defaultMaxConcurrentHashes(16, 4)).toBe(3);
    expect(defaultMaxConcurrentHashes(16, 16)).toBe(8);
    expect(defaultMaxConcurrentHashes(1, 4)).toBe(1);
    expect(defaultMaxConcurrentHashes(8, 1)).toBe(1);
  });

  it('reads UV_THREADPOOL_SIZE like libuv does', () => {
    expect(libuvPoolSize({})).toBe(4);
    expect(libuvPoolSize({ UV_THREADPOOL_SIZE: '12' })).toBe(12);
    expect(libuvPoolSize({ UV_THREADPOOL_SIZE: 'x' })).toBe(4);
    expect(libuvPoolSize({ UV_THREADPOOL_SIZE: '0' })).toBe(4);
  });
});

describe('API-key logins during a Basic Auth flood (item 1)', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await startHarness(
      {
        'basic.json': echoPipeline('basic', { auth: { basicAuth: true } }),
        'login.json': login,
      },
      // The default hash cap. Every request comes from 127.0.0.1 here: no per-address limit, so the
      // flood reaches the cap (the worst case) instead of being locked out first; a short queue
      // keeps the test short (each queued hash takes a scrypt's time).
      { logins: { maxFailuresPerIp: 1_000_000, maxQueuedHashes: 2 } },
    );
    key = await consumer(h, 'acme', { scopes: null });
  });
  afterAll(async () => h?.close());

  it('runs at most the cap of hashes at once, and every signature finds a pool thread free of hashes', async () => {
    const scrypts = new Set<number>();
    let maxScrypts = 0;
    const hashesAtSign: number[] = [];
    const hook = createHook({
      init(id, type) {
        if (type === 'SCRYPTREQUEST') {
          scrypts.add(id);
          maxScrypts = Math.max(maxScrypts, scrypts.size);
        } else if (type === 'SIGNREQUEST') hashesAtSign.push(scrypts.size);
      },
      // The callback of a pool request runs once its thread has finished the work.
      before(id) {
        scrypts.delete(id);
      },
    });
    // Warm-up outside the window: the signing key is loaded, the first login signed.
    expect(
      (await h.fetch('/pipeline/local/v1/login', { method: 'POST', headers: { apikey: key } }))
        .status,
    ).toBe(200);
    hook.enable();
    try {
      const flood = Array.from({ length: 30 }, (_, i) =>
        h
          .fetch('/pipeline/local/v1/basic', {
            headers: { authorization: basic(`nobody-${i}`, 'x') },
          })
          .then(async (r) => (await r.arrayBuffer(), r.status)),
      );
      const logins = Array.from({ length: 10 }, () =>
        h
          .fetch('/pipeline/local/v1/login', { method: 'POST', headers: { apikey: key } })
          .then(async (r) => (await r.arrayBuffer(), r.status)),
      );
      const [floodStatuses, loginStatuses] = await Promise.all([
        Promise.all(flood),
        Promise.all(logins),
      ]);
      expect(loginStatuses).toEqual(Array(10).fill(200));
      // The cap was reached (some refused at once), some were hashed and refused as wrong.
      expect(floodStatuses).toContain(503);
      expect(floodStatuses).toContain(401);
      expect(floodStatuses.every((s) => s === 401 || s === 503)).toBe(true);
    } finally {
      hook.disable();
    }
    const cap = defaultMaxConcurrentHashes(availableParallelism(), libuvPoolSize());
    expect(maxScrypts).toBeGreaterThanOrEqual(1);
    expect(maxScrypts).toBeLessThanOrEqual(cap);
    expect(hashesAtSign.length).toBeGreaterThanOrEqual(10);
    for (const busy of hashesAtSign) expect(busy).toBeLessThan(libuvPoolSize());
  }, 120_000);
});
