// Usage recorder: batching off the request path, close() flushes all, retry while the store fails, counted drops.
import { describe, expect, it } from 'vitest';
import type { NewTokenUsageEvent } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { createUsageRecorder } from './usage-recorder.js';

function fakeStore(): {
  store: Store;
  rows: NewTokenUsageEvent[];
  batches: number[];
  failing: { on: boolean };
} {
  const rows: NewTokenUsageEvent[] = [];
  const batches: number[] = [];
  const failing = { on: false };
  const store = {
    usage: {
      async insertBatch(_env: string, events: NewTokenUsageEvent[]) {
        if (failing.on) throw new Error('store down');
        batches.push(events.length);
        rows.push(...events);
        return [];
      },
    },
  } as unknown as Store;
  return { store, rows, batches, failing };
}

const ev = (i: number): NewTokenUsageEvent => ({
  time: i,
  kind: 'auth',
  outcome: 'allowed',
  jti: `j${i}`,
});

describe('createUsageRecorder', () => {
  it('record() never writes synchronously; close() flushes everything in order, in batches', async () => {
    const f = fakeStore();
    const u = createUsageRecorder(f.store, 'test', { batchSize: 10, flushIntervalMs: 60_000 });
    for (let i = 0; i < 25; i++) u.record(ev(i));
    expect(f.rows).toHaveLength(0);
    await u.close();
    expect(f.rows.map((r) => r.time)).toEqual([...Array(25).keys()]);
    expect(f.batches.every((b) => b <= 10)).toBe(true);
  });

  it('keeps events while the store fails and writes them once it is back', async () => {
    const f = fakeStore();
    const errors: unknown[] = [];
    const u = createUsageRecorder(f.store, 'test', {
      flushIntervalMs: 60_000,
      onError: (e) => errors.push(e),
    });
    f.failing.on = true;
    u.record(ev(1));
    await expect(u.flush()).rejects.toThrow('store down');
    expect(u.pending).toBe(1);
    f.failing.on = false;
    u.record(ev(2));
    await u.close();
    expect(f.rows.map((r) => r.time)).toEqual([1, 2]);
    expect(u.dropped).toBe(0);
  });

  it('drops the oldest beyond maxQueue and counts them', async () => {
    const f = fakeStore();
    f.failing.on = true;
    const u = createUsageRecorder(f.store, 'test', {
      flushIntervalMs: 60_000,
      maxQueue: 5,
      batchSize: 1000,
    });
    for (let i = 0; i < 8; i++) u.record(ev(i));
    expect(u.dropped).toBe(3);
    f.failing.on = false;
    await u.close();
    expect(f.rows.map((r) => r.time)).toEqual([3, 4, 5, 6, 7]);
  });

  it('a full batch is flushed on the next turn of the event loop', async () => {
    const f = fakeStore();
    const u = createUsageRecorder(f.store, 'test', { batchSize: 3, flushIntervalMs: 60_000 });
    for (let i = 0; i < 3; i++) u.record(ev(i));
    await new Promise((r) => setImmediate(r));
    await u.flush();
    expect(f.rows).toHaveLength(3);
    await u.close();
  });
});
