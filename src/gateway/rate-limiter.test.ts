// Fixed-window rate limits with a frozen clock: counting, refusal headers, window reset, bounded memory.
import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('admits up to the limit, then refuses until the window ends', () => {
    let now = 60_000 * 10 + 15_000;
    const rl = new RateLimiter({ now: () => now });
    const policy = {
      aggregateBy: 'consumer' as const,
      limits: [{ interval: 'minute' as const, limit: 2 }],
    };
    expect(rl.check(policy, 's').headers).toEqual({
      'RateLimit-Limit': '2',
      'RateLimit-Remaining': '1',
      'RateLimit-Reset': '45',
    });
    expect(rl.check(policy, 's').allowed).toBe(true);
    const refused = rl.check(policy, 's');
    expect(refused).toEqual({
      allowed: false,
      headers: {
        'Retry-After': '45',
        'RateLimit-Limit': '2',
        'RateLimit-Remaining': '0',
        'RateLimit-Reset': '45',
      },
    });
    expect(rl.check(policy, 'other').allowed).toBe(true);
    now += 45_000;
    expect(rl.check(policy, 's').allowed).toBe(true);
  });

  it('does not count refused requests against the other limits', () => {
    let now = 0;
    const rl = new RateLimiter({ now: () => now });
    const policy = {
      aggregateBy: 'consumer' as const,
      limits: [
        { interval: 'second' as const, limit: 1 },
        { interval: 'hour' as const, limit: 3 },
      ],
    };
    expect(rl.check(policy, 's').allowed).toBe(true);
    for (let i = 0; i < 5; i++) expect(rl.check(policy, 's').allowed).toBe(false);
    now = 1000;
    expect(rl.check(policy, 's').allowed).toBe(true);
    now = 2000;
    expect(rl.check(policy, 's').allowed).toBe(true);
    now = 3000;
    expect(rl.check(policy, 's')).toMatchObject({
      allowed: false,
      headers: { 'RateLimit-Limit': '3' },
    });
  });

  it('reports the longest wait when several limits refuse', () => {
    const rl = new RateLimiter({ now: () => 0 });
    const policy = {
      aggregateBy: 'consumer' as const,
      limits: [
        { interval: 'second' as const, limit: 1 },
        { interval: 'day' as const, limit: 1 },
      ],
    };
    rl.check(policy, 's');
    expect(rl.check(policy, 's').headers['Retry-After']).toBe('86400');
  });

  it('stays within its memory bound', () => {
    const rl = new RateLimiter({ now: () => 0, maxEntries: 10 });
    const policy = {
      aggregateBy: 'consumer' as const,
      limits: [{ interval: 'hour' as const, limit: 1 }],
    };
    for (let i = 0; i < 100; i++) rl.check(policy, `s${i}`);
    expect(rl.size).toBeLessThanOrEqual(10);
  });
});
