// authenticate's catch: a store outage is a 503, a programming error is the bare 500 (never a 503).
import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../src/errors/index.js';
import { isStoreUnavailable } from '../../src/gateway/auth/authenticate.js';
import { consumer, echoPipeline, startHarness } from './harness.js';

describe('authentication failures that are not the caller’s', () => {
  it('classifies only store and key-material errors as unavailable', () => {
    expect(
      isStoreUnavailable(
        new PlatformError('ERR_STORE_UNAVAILABLE', { dialect: 'sqlite', reason: 'x' }),
      ),
    ).toBe(true);
    expect(isStoreUnavailable(new PlatformError('ERR_STORE_CLOSED'))).toBe(true);
    expect(isStoreUnavailable(new PlatformError('ERR_SECRET_DECRYPT', { what: 'k' }))).toBe(true);
    expect(isStoreUnavailable(new TypeError('x is not a function'))).toBe(false);
    expect(
      isStoreUnavailable(new PlatformError('ERR_STORE_CONFLICT', { entity: 'a', field: 'b' })),
    ).toBe(false);
  });

  it('answers 503 when the store is unavailable and a bare 500 for a programming error', async () => {
    const h = await startHarness({
      'keyed.json': echoPipeline('keyed', { auth: { apiKey: true } }),
    });
    try {
      const apiKeys = h.gw.store.apiKeys;
      const original = apiKeys.findByHash.bind(apiKeys);
      const unknownKey = () =>
        'pg_aaaaaaaaaaaa_' + Math.random().toString(36).slice(2).padEnd(43, 'B');
      apiKeys.findByHash = () =>
        Promise.reject(
          new PlatformError('ERR_STORE_UNAVAILABLE', { dialect: 'sqlite', reason: 'test' }),
        );
      const outage = await h.fetch('/pipeline/local/v1/keyed', {
        headers: { apikey: unknownKey() },
      });
      expect(outage.status).toBe(503);
      expect(await outage.json()).toEqual({ message: 'Service Unavailable' });

      apiKeys.findByHash = () => Promise.reject(new TypeError('record.consumerId is undefined'));
      const bug = await h.fetch('/pipeline/local/v1/keyed', { headers: { apikey: unknownKey() } });
      expect(bug.status).toBe(500);
      expect(await bug.json()).toEqual({ message: 'Internal Server Error' });
      // Logged as an error with the stack's message, for the operator (never sent to the caller).
      const line = h.logs
        .map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message?: string } })
        .find((l) => l.level >= 50 && l.err?.message === 'record.consumerId is undefined');
      expect(line).toBeDefined();

      apiKeys.findByHash = original;
      const key = await consumer(h, 'acme');
      expect((await h.fetch('/pipeline/local/v1/keyed', { headers: { apikey: key } })).status).toBe(
        200,
      );
    } finally {
      await h.close();
    }
  });
});
