// The failed-login guard's counters on the real Redis (127.0.0.1:6379): two guards sharing them behave
// as one guard with its own counters (generated operation sequences), and an outage (a real TCP proxy
// cut and restored) applies the policy: open → this process's counters, closed → busy (503).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startTcpProxy } from '../../../test/support/tcp-proxy.js';
import { REDIS, sharedStateHarness } from '../../../test/support/shared-state-harness.js';
import type { SharedState } from './shared-state.js';
import { LoginGuard } from '../auth/login-guard.js';
import type { LoginGuardOptions, LoginRefusal } from '../auth/login-guard.js';

// Locks long enough that none expires while a sequence runs; small limits so that many are reached.
const LIMITS: LoginGuardOptions = {
  maxFailuresPerIp: 4,
  maxFailuresPerUser: 2,
  windowMs: 60_000,
  baseBackoffMs: 30_000,
  maxBackoffMs: 120_000,
};

const { open: shared, proxies } = sharedStateHarness();

/** A guard counting in `state`'s shared counters. */
function sharedGuard(state: SharedState, opts: LoginGuardOptions = LIMITS): LoginGuard {
  const g = new LoginGuard(opts);
  g.share(state.loginCounters);
  return g;
}

/** Deterministic pseudo-random numbers (a generated case can be replayed from its seed). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const same = (a: LoginRefusal | null, b: LoginRefusal | null): boolean =>
  a === null || b === null
    ? a === b
    : a.kind === b.kind &&
      (a.kind !== 'throttled' ||
        b.kind !== 'throttled' ||
        Math.abs(a.retryAfterSec - b.retryAfterSec) <= 1);

describe('failed-login counters on Redis', () => {
  it('two guards sharing Redis decide like one guard counting in memory (generated sequences)', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const { state } = await shared(REDIS, `pipegate-login-test:${randomUUID()}:`);
      const nodes = [sharedGuard(state), sharedGuard(state)];
      const reference = new LoginGuard(LIMITS);
      const r = rng(seed);
      const ips = ['10.0.0.1', '10.0.0.2', '2001:db8::1'];
      const users = ['alice', 'bob', 'carol', 'dave'];
      const scopes = ['basic', 'admin'];
      for (let step = 0; step < 60; step++) {
        const node = nodes[Math.floor(r() * nodes.length)]!;
        const scope = scopes[Math.floor(r() * scopes.length)]!;
        const ip = ips[Math.floor(r() * ips.length)]!;
        const user = users[Math.floor(r() * users.length)]!;
        const op = r();
        const what = `seed ${seed} step ${step}: ${scope} ${ip} ${user}`;
        if (op < 0.55) {
          await node.failed(scope, ip, user);
          await reference.failed(scope, ip, user);
        } else if (op < 0.65) {
          await node.succeeded(scope, user);
          await reference.succeeded(scope, user);
        }
        // After every step, every node answers what the reference answers, for this subject.
        const want = await reference.admit(scope, ip, user);
        for (const n of nodes) {
          const got = await n.admit(scope, ip, user);
          expect(
            same(got, want),
            `${what}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`,
          ).toBe(true);
        }
      }
      await state.close();
    }
  });

  it('counts failures on one guard toward the lock-out on another, and a success on either clears the username', async () => {
    const prefix = `pipegate-login-test:${randomUUID()}:`;
    const { state: s1 } = await shared(REDIS, prefix);
    const { state: s2 } = await shared(REDIS, prefix);
    const g1 = sharedGuard(s1);
    const g2 = sharedGuard(s2);
    await g1.failed('basic', '10.0.0.9', 'erin');
    expect(await g2.admit('basic', '10.0.0.9', 'erin')).toBeNull();
    await g2.failed('basic', '10.0.0.9', 'erin');
    // Two failures for the username (limit 2) on two connections: locked for the base backoff.
    expect(await g1.admit('basic', '10.0.0.9', 'erin')).toEqual({
      kind: 'throttled',
      retryAfterSec: 30,
    });
    expect(await g2.admit('basic', '10.0.0.10', 'erin')).toEqual({
      kind: 'throttled',
      retryAfterSec: 30,
    });
    // A success answered from the password cache clears only this process's counters…
    await g1.succeeded('basic', 'erin', true);
    expect((await g2.admit('basic', '10.0.0.10', 'erin'))?.kind).toBe('throttled');
    // …a hash-checked success clears the shared ones.
    await g1.succeeded('basic', 'erin');
    expect(await g2.admit('basic', '10.0.0.10', 'erin')).toBeNull();
    // The address's failures stay (two of four).
    await g2.failed('basic', '10.0.0.9', 'frank');
    await g1.failed('basic', '10.0.0.9', 'gina');
    expect((await g1.admit('basic', '10.0.0.9', 'harry'))?.kind).toBe('throttled');
    expect(await g1.admit('basic', '10.0.0.11', 'harry')).toBeNull();
  });

  it('keeps neither usernames nor addresses in Redis keys, and every key expires', async () => {
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS);
    try {
      const prefix = `pipegate-login-test:${randomUUID()}:`;
      const { state } = await shared(REDIS, prefix);
      const g = sharedGuard(state);
      for (let i = 0; i < 4; i++) await g.failed('basic', '192.0.2.7', 'secret-looking-name');
      const keys = await redis.keys(`${prefix}*`);
      expect(keys.length).toBe(4); // count and lock, for the address and the username
      for (const k of keys) {
        expect(k).not.toMatch(/192\.0\.2\.7|secret-looking-name|basic/);
        expect(await redis.pttl(k)).toBeGreaterThan(0);
      }
    } finally {
      redis.disconnect();
    }
  });

  it('fails closed through an outage: busy (503), counted and logged, shared again once Redis is back', async () => {
    const proxy = await startTcpProxy(6379);
    proxies.push(proxy);
    const { state, logs, registry } = await shared(
      `redis://127.0.0.1:${proxy.port}`,
      `pipegate-login-test:${randomUUID()}:`,
      'closed',
    );
    const g = sharedGuard(state);
    await g.failed('admin', '10.0.0.1', 'root');
    expect(await g.admit('admin', '10.0.0.1', 'root')).toBeNull();
    await proxy.cut();
    expect(await g.admit('admin', '10.0.0.1', 'root')).toEqual({ kind: 'busy' });
    const text = await registry.metrics();
    expect(text).toMatch(/^pipegate_redis_up 0$/m);
    expect(text).toMatch(/pipegate_redis_failures_total\{policy="closed"\} 1/);
    expect(
      logs.filter((l) => l.msg === 'Redis unreachable: password checks answer 503'),
    ).toHaveLength(1);
    await proxy.restore();
    const end = Date.now() + 10_000;
    while ((await g.admit('admin', '10.0.0.1', 'root'))?.kind === 'busy') {
      if (Date.now() > end) throw new Error('Redis not back');
      await new Promise((r) => setTimeout(r, 50));
    }
    // The failure counted before the outage is still there: one more locks the username.
    await g.failed('admin', '10.0.0.1', 'root');
    expect((await g.admit('admin', '10.0.0.1', 'root'))?.kind).toBe('throttled');
    expect(await registry.metrics()).toMatch(/^pipegate_redis_up 1$/m);
    expect(
      logs.some((l) => l.msg === 'Redis reachable again: failed-login counters are shared'),
    ).toBe(true);
  });

  it('fails open through an outage: this process counts, with the same limits', async () => {
    const proxy = await startTcpProxy(6379);
    proxies.push(proxy);
    const { state, logs, registry } = await shared(
      `redis://127.0.0.1:${proxy.port}`,
      `pipegate-login-test:${randomUUID()}:`,
      'open',
    );
    const g = sharedGuard(state);
    await proxy.cut();
    await g.failed('basic', '10.0.0.1', 'ivy');
    expect(await g.admit('basic', '10.0.0.1', 'ivy')).toBeNull();
    await g.failed('basic', '10.0.0.1', 'ivy');
    expect(await g.admit('basic', '10.0.0.1', 'ivy')).toEqual({
      kind: 'throttled',
      retryAfterSec: 30,
    });
    expect(await registry.metrics()).toMatch(/pipegate_redis_failures_total\{policy="open"\} 4/);
    expect(
      logs.filter(
        (l) => l.msg === 'Redis unreachable: failed-login counters fall back to this process',
      ),
    ).toHaveLength(1);
  });
});
