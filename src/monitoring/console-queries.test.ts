// Percentiles from duration histograms and period windows of the console's queries.
import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../errors/index.js';
import { DURATION_BOUNDS_MS } from '../store/console-records.js';
import { periodWindow, quantileMs } from './console-queries.js';

/** A histogram with `counts` in the classes given by index. */
function hist(counts: Record<number, number>, maxMs: number) {
  const histogram = new Array<number>(DURATION_BOUNDS_MS.length + 1).fill(0);
  for (const [i, n] of Object.entries(counts)) histogram[Number(i)] = n;
  return { histogram, total: histogram.reduce((a, b) => a + b, 0), maxMs };
}

describe('quantileMs', () => {
  it('is null for an empty bucket', () => {
    expect(quantileMs(hist({}, 0), 0.95)).toBeNull();
  });

  it('interpolates inside the class holding the rank', () => {
    // 100 durations in [10, 20), the largest 19.9: rank 95 of 100 → 10 + (19.9 − 10) × 95/100.
    expect(quantileMs(hist({ 4: 100 }, 19.9), 0.95)).toBe(19.41);
    expect(quantileMs(hist({ 4: 100 }, 19.9), 0.5)).toBe(14.95);
    // 90 fast ones in [1, 2), 10 slow ones in [100, 200) up to 180: p50 among the fast, p95 and p99
    // among the slow ones (ranks 5 and 9 of 10 in [100, 180]).
    const b = hist({ 1: 90, 7: 10 }, 180);
    expect(quantileMs(b, 0.5)).toBeCloseTo(1 + 50 / 90, 2);
    expect(quantileMs(b, 0.95)).toBe(140);
    expect(quantileMs(b, 0.99)).toBe(172);
  });

  it('never exceeds the largest duration and handles the open last class', () => {
    expect(quantileMs(hist({ 15: 3 }, 70_000), 0.99)).toBe(70_000);
    expect(quantileMs(hist({ 0: 1 }, 0.4), 0.99)).toBe(0.4);
  });
});

describe('periodWindow', () => {
  const now = Date.UTC(2026, 11, 2, 10, 7, 31);

  it('aligns the start to the bucket and ends now', () => {
    const w = periodWindow('24h', now);
    expect(w).toMatchObject({ period: '24h', bucketMs: 900_000, to: now + 1 });
    expect(w.from % 900_000).toBe(0);
    expect(now - w.from).toBeGreaterThanOrEqual(86_400_000);
    expect(now - w.from).toBeLessThan(86_400_000 + 900_000);
    expect(periodWindow(undefined, now, '1h').bucketMs).toBe(60_000);
  });

  it('refuses an unknown period with ERR_CONSOLE_REQUEST', () => {
    for (const p of ['2h', 'toString', '__proto__']) {
      let err: unknown = null;
      try {
        periodWindow(p, now);
      } catch (e) {
        err = e;
      }
      expect(isPlatformError(err) && err.code).toBe('ERR_CONSOLE_REQUEST');
    }
  });
});
