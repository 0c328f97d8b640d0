// ConsumerCache: a store failure is answered from an expired entry within the stale bound, never past it.
import { describe, expect, it } from 'vitest';
import { ConsumerCache } from './consumer-cache.js';
import type { ConsumerStatus } from './consumer-cache.js';

describe('ConsumerCache when the store fails', () => {
  it('serves the last known status for staleOnErrorMs past the TTL, then reports the failure', async () => {
    let t = 0;
    let down = false;
    const lookup = async (): Promise<ConsumerStatus> => {
      if (down) throw new Error('store down');
      return { id: 'c-1', enabled: true, scopes: null };
    };
    const cache = new ConsumerCache(lookup, () => t, 10_000, 100, 30_000);
    expect(await cache.get('acme')).toEqual({ id: 'c-1', enabled: true, scopes: null });
    down = true;
    t = 25_000; // past the 10 s TTL, within 10 s + 30 s
    expect(await cache.get('acme')).toEqual({ id: 'c-1', enabled: true, scopes: null });
    await expect(Promise.resolve(cache.get('unknown'))).rejects.toThrow('store down');
    t = 40_001;
    await expect(Promise.resolve(cache.get('acme'))).rejects.toThrow('store down');
  });

  it('does not serve a stale entry after clear() (a consumer changed)', async () => {
    let down = false;
    const cache = new ConsumerCache(
      async () => {
        if (down) throw new Error('store down');
        return { id: 'c-1', enabled: true, scopes: null };
      },
      () => 0,
      0,
    );
    await cache.get('acme');
    cache.clear();
    down = true;
    await expect(Promise.resolve(cache.get('acme'))).rejects.toThrow('store down');
  });
});
