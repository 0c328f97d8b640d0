// RefusalAggregator: one row per subject and reason per window, with a count; bounded subjects per window.
import { describe, expect, it } from 'vitest';
import { RefusalAggregator } from './refusal-aggregator.js';
import type { NewTokenUsageEvent } from '../store/records.js';

const refusal = (time: number, over: Partial<NewTokenUsageEvent> = {}): NewTokenUsageEvent => ({
  time,
  kind: 'auth',
  outcome: 'denied',
  reason: 'unknown_user',
  pipeline: 'login',
  status: 401,
  clientIp: '10.0.0.1',
  credentialKind: 'basic',
  credentialId: 'guessed-user',
  ...over,
});

describe('RefusalAggregator', () => {
  it('folds repeats of one subject and reason into a counted row per window', () => {
    const a = new RefusalAggregator({ windowMs: 1000 });
    for (let t = 0; t < 10; t++) a.add(refusal(100 + t, { credentialId: `user-${t}` }));
    a.add(refusal(150, { reason: 'wrong_password', consumer: 'acme', credentialId: 'ana' }));
    a.add(refusal(1200));
    expect(a.drain(1000)).toEqual([
      expect.objectContaining({
        reason: 'unknown_user',
        count: 10,
        time: 100,
        lastTime: 109,
        credentialId: null,
      }),
      // A genuine credential (its consumer is known) stays attributed.
      expect.objectContaining({
        reason: 'wrong_password',
        count: 1,
        consumer: 'acme',
        credentialId: 'ana',
      }),
    ]);
    expect(a.drain(1500)).toEqual([]);
    expect(a.drain(2000)).toEqual([expect.objectContaining({ time: 1200, count: 1 })]);
  });

  it('keeps at most maxSubjects subjects per window, then one overflow row per reason', () => {
    const a = new RefusalAggregator({ windowMs: 60_000, maxSubjects: 100 });
    for (let i = 0; i < 100_000; i++)
      a.add(refusal(i % 50_000, { clientIp: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` }));
    expect(a.size).toBe(101);
    const rows = a.drain(0, true);
    expect(rows).toHaveLength(101);
    expect(rows.reduce((n, r) => n + (r.count ?? 1), 0)).toBe(100_000);
    expect(rows.find((r) => r.clientIp === undefined || r.clientIp === null)).toMatchObject({
      reason: 'unknown_user',
    });
  });
});
