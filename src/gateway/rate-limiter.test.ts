// Fixed-window rate limits with a frozen clock: counting, refusal headers, window reset, bounded memory.
import { describe, expect, it } from 'vitest';
import { RateLimiter, clientKey } from './rate-limiter.js';

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

describe('RateLimiter under many subjects (issue 10 item 3)', () => {
  const policy = {
    aggregateBy: 'consumer' as const,
    limits: [{ interval: 'hour' as const, limit: 2 }],
  };

  it('keeps an active client counted while new subjects flood a full table', () => {
    const rl = new RateLimiter({ now: () => 0, maxEntries: 1_000, sweepIntervalMs: 0 });
    rl.check(policy, 'active');
    rl.check(policy, 'active');
    for (let i = 0; i < 5_000; i++) {
      rl.check(policy, `flood-${i}`);
      // The active client keeps sending and keeps being refused: its window is never evicted.
      if (i % 100 === 0) expect(rl.check(policy, 'active').allowed).toBe(false);
    }
    expect(rl.size).toBeLessThanOrEqual(1_000);
  });

  it('admits 150,000 new subjects past the bound without scanning the table each time', () => {
    const rl = new RateLimiter({ now: () => 0, maxEntries: 100_000, sweepIntervalMs: 0 });
    const t0 = performance.now();
    for (let i = 0; i < 150_000; i++) rl.check(policy, `ip:${i}`);
    // Generous bound: the old full scan cost ~21 ms per new subject past 100,000 (over an hour here).
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(rl.size).toBe(100_000);
  });

  it('expires windows on the sweep, from the front, without touching live ones', () => {
    let now = 0;
    const rl = new RateLimiter({ now: () => now, sweepIntervalMs: 0 });
    rl.check(policy, 'old');
    now = 3_600_000 - 1;
    rl.check(policy, 'recent');
    now = 3_600_000;
    rl.check(policy, 'new');
    rl.sweep();
    expect(rl.size).toBe(1);
  });
});

describe('clientKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s → %s', (ip, key) => expect(clientKey(ip)).toBe(key));
});
