// Shared rate limits and replay caches against the real Redis on 127.0.0.1:6379, outages through a real TCP proxy.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startTcpProxy } from '../../../test/support/tcp-proxy.js';
import { REDIS, sharedStateHarness } from '../../../test/support/shared-state-harness.js';
import type { RateLimitPolicy } from '../../deployments/trigger-config.js';
import { MemoryReplayCache } from './replay-cache.js';
import type { ReplayCache } from './replay-cache.js';

const tenPerMinute: RateLimitPolicy = {
  aggregateBy: 'consumer',
  limits: [{ interval: 'minute', limit: 10 }],
};

const { open, proxies } = sharedStateHarness();

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const prefix = (): string => `pipegate-scale-test:${randomUUID()}:`;

describe('SharedRateLimiter on Redis', () => {
  it('holds a 10/min quota across two independent connections (two nodes)', async () => {
    const p = prefix();
    const a = (await open(REDIS, p)).state;
    const b = (await open(REDIS, p)).state;
    const decisions = [];
    for (let i = 0; i < 16; i++)
      decisions.push(await (i % 2 ? a : b).limiter.check(tenPerMinute, 'orders@1|consumer:acme'));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    expect(decisions.slice(0, 10).every((d) => d.allowed)).toBe(true);
    expect(decisions[10]!.headers).toMatchObject({
      'RateLimit-Remaining': '0',
      'RateLimit-Limit': '10',
    });
    expect(Number(decisions[10]!.headers['Retry-After'])).toBeGreaterThan(0);
    expect(decisions[9]!.headers['RateLimit-Remaining']).toBe('0');
    // Another subject has its own window.
    expect((await a.limiter.check(tenPerMinute, 'orders@1|consumer:other')).allowed).toBe(true);
  });

  it('is atomic under concurrent checks from both connections', async () => {
    const p = prefix();
    const a = (await open(REDIS, p)).state;
    const b = (await open(REDIS, p)).state;
    const all = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).limiter.check(tenPerMinute, 's')),
    );
    expect(all.filter((d) => d.allowed)).toHaveLength(10);
  });

  it('fails open to per-process limits during an outage, with a metric and one warn line, and recovers', async () => {
    const proxy = await startTcpProxy(6379);
    proxies.push(proxy);
    const p = prefix();
    const { state, logs, registry } = await open(`redis://127.0.0.1:${proxy.port}`, p);
    await until(async () => (await state.limiter.check(tenPerMinute, 'warm')).allowed);
    for (let i = 0; i < 3; i++)
      expect((await state.limiter.check(tenPerMinute, 'x')).allowed).toBe(true);
    await proxy.cut();
    // The local window starts empty: 10 more are admitted by this process, then it refuses.
    const during = [];
    for (let i = 0; i < 12; i++) during.push(await state.limiter.check(tenPerMinute, 'x'));
    expect(during.filter((d) => d.allowed)).toHaveLength(10);
    expect(during.some((d) => d.unavailable)).toBe(false);
    expect(logs.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(logs[0]!.msg).toContain('fall back');
    expect(logs[0]!.details.policy).toBe('open');
    const text = await registry.metrics();
    expect(text).toMatch(/^pipegate_redis_up 0$/m);
    expect(text).toMatch(/pipegate_redis_failures_total\{policy="open"\} 12/);
    await proxy.restore();
    // Recovery without restart: the next successful check counts in Redis again (3 used before).
    await until(async () => {
      const d = await state.limiter.check(tenPerMinute, 'y');
      return d.allowed && /^pipegate_redis_up 1$/m.test(await registry.metrics());
    });
    const shared = await state.limiter.check(tenPerMinute, 'x');
    expect(shared).toMatchObject({ allowed: true, headers: { 'RateLimit-Remaining': '6' } });
    expect(logs.some((l) => l.level === 'info' && l.msg.includes('reachable again'))).toBe(true);
  });

  it('fails closed with the unavailable decision when configured, and recovers', async () => {
    const proxy = await startTcpProxy(6379);
    proxies.push(proxy);
    const { state, registry } = await open(`redis://127.0.0.1:${proxy.port}`, prefix(), 'closed');
    await until(async () => (await state.limiter.check(tenPerMinute, 'warm')).allowed);
    await proxy.cut();
    const d = await state.limiter.check(tenPerMinute, 'x');
    expect(d).toMatchObject({ allowed: false, unavailable: true, headers: { 'Retry-After': '1' } });
    expect(await registry.metrics()).toMatch(/pipegate_redis_failures_total\{policy="closed"\} 1/);
    await proxy.restore();
    await until(async () => (await state.limiter.check(tenPerMinute, 'x')).allowed);
  });

  it('starts failing (open) when Redis is not there at all, and shares once it is', async () => {
    // A closed port first, then a live Redis behind it: the same connection recovers.
    const proxy = await startTcpProxy(6379);
    proxies.push(proxy);
    await proxy.cut();
    const { state } = await open(`redis://127.0.0.1:${proxy.port}`, prefix());
    expect((await state.limiter.check(tenPerMinute, 'x')).allowed).toBe(true);
    await proxy.restore();
    await until(async () => {
      const d = await state.limiter.check(tenPerMinute, 'z');
      return d.allowed && d.headers['RateLimit-Remaining'] === '9';
    });
  });
});

function replayContract(name: string, make: () => ReplayCache | Promise<ReplayCache>): void {
  describe(`${name} replay cache`, () => {
    it('answers true once per id, false for a replay, true for an expired id', async () => {
      const c = await make();
      const exp = Date.now() + 60_000;
      expect(await c.checkAndRemember('jti-1', exp)).toBe(true);
      expect(await c.checkAndRemember('jti-1', exp)).toBe(false);
      expect(await c.checkAndRemember('jti-2', exp)).toBe(true);
      expect(await c.checkAndRemember('old', Date.now() - 1)).toBe(true);
    });

    it('lets exactly one of many concurrent checks of one id through', async () => {
      const c = await make();
      const r = await Promise.all(
        Array.from({ length: 20 }, () => c.checkAndRemember('same', Date.now() + 60_000)),
      );
      expect(r.filter(Boolean)).toHaveLength(1);
    });

    it('forgets an id after its expiry', async () => {
      const c = await make();
      expect(await c.checkAndRemember('short', Date.now() + 150)).toBe(true);
      expect(await c.checkAndRemember('short', Date.now() + 150)).toBe(false);
      await new Promise((r) => setTimeout(r, 300));
      expect(await c.checkAndRemember('short', Date.now() + 150)).toBe(true);
    });
  });
}

replayContract('in-memory', () => {
  const c = new MemoryReplayCache();
  return c;
});
replayContract('Redis', async () => (await open(REDIS, prefix())).state.replayCache('dpop'));

describe('Redis replay cache across nodes', () => {
  it('refuses on one node an id first seen on another', async () => {
    const p = prefix();
    const a = (await open(REDIS, p)).state.replayCache('dpop');
    const b = (await open(REDIS, p)).state.replayCache('dpop');
    expect(await a.checkAndRemember('proof-1', Date.now() + 60_000)).toBe(true);
    expect(await b.checkAndRemember('proof-1', Date.now() + 60_000)).toBe(false);
  });

  it('throws ERR_GATEWAY_REPLAY_CACHE_UNAVAILABLE when Redis cannot be reached', async () => {
    const proxy = await startTcpProxy(6379);
    proxies.push(proxy);
    await proxy.cut();
    const c = (await open(`redis://127.0.0.1:${proxy.port}`, prefix())).state.replayCache('dpop');
    await expect(c.checkAndRemember('x', Date.now() + 1000)).rejects.toMatchObject({
      code: 'ERR_GATEWAY_REPLAY_CACHE_UNAVAILABLE',
    });
  });
});
