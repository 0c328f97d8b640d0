// RecordQueue: writes in batches off the caller's path, drops the oldest beyond its bounds with a count, flushes on close.
import { describe, expect, it } from 'vitest';
import { RecordQueue } from './record-queue.js';

describe('RecordQueue', () => {
  it('never writes inside push(); close() writes everything in order', async () => {
    const written: number[][] = [];
    const q = new RecordQueue<number>({ write: async (b) => void written.push(b), batchSize: 3 });
    for (let i = 0; i < 7; i++) q.push(i);
    expect(written).toEqual([]);
    await q.close();
    expect(written.flat()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Math.max(...written.map((b) => b.length))).toBe(3);
  });

  it('keeps records while the store fails, drops the oldest beyond maxRecords and counts them', async () => {
    let failing = true;
    const written: number[] = [];
    const drops: number[] = [];
    const errors: unknown[] = [];
    const q = new RecordQueue<number>({
      write: async (b) => {
        if (failing) throw new Error('store down');
        written.push(...b);
      },
      maxRecords: 5,
      flushIntervalMs: 10_000,
      onDrop: (n) => drops.push(n),
      onError: (e) => errors.push(e),
    });
    for (let i = 0; i < 8; i++) q.push(i);
    await expect(q.flush()).rejects.toThrow('store down');
    expect(q.dropped).toBe(3);
    expect(drops.reduce((a, b) => a + b, 0)).toBe(3);
    expect(q.pending).toBe(5);
    failing = false;
    await q.close();
    expect(written).toEqual([3, 4, 5, 6, 7]);
  });

  it('bounds the bytes held as well as the count', async () => {
    const q = new RecordQueue<string>({
      write: async () => undefined,
      sizeOf: (s) => s.length,
      maxBytes: 100,
      flushIntervalMs: 10_000,
    });
    for (let i = 0; i < 5; i++) q.push('x'.repeat(40));
    expect(q.pending).toBe(2);
    expect(q.dropped).toBe(3);
    await q.close();
  });
});
