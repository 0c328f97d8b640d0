// scrypt password hashes: format, verification, malformed input, and the cached verifier.
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { MasterKey } from './master-key.js';
import { PasswordVerifier } from './password-verifier.js';
import * as passwords from './passwords.js';

vi.mock('./passwords.js', async (importOriginal) => {
  const real = await importOriginal<typeof passwords>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});

const { hashPassword, isPasswordHash, verifyPassword } = passwords;
// Low cost keeps the suite fast; the format carries the parameters, so this exercises the same code.
const cost = { ln: 10, r: 8, p: 1 };

describe('hashPassword / verifyPassword', () => {
  it('hashes with a random salt into a versioned format that verifies', async () => {
    const a = await hashPassword('correct horse', cost);
    const b = await hashPassword('correct horse', cost);
    expect(a).toMatch(/^\$scrypt\$v=1\$ln=10,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
    expect(isPasswordHash(a)).toBe(true);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsf', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('uses the default cost (ln=15) when none is given', async () => {
    const h = await hashPassword('pw');
    expect(h).toContain('$ln=15,r=8,p=1$');
    expect(await verifyPassword('pw', h)).toBe(true);
  });

  it('treats malformed or out-of-range hashes as a failed verification', async () => {
    expect(await verifyPassword('x', 'plain-text-password')).toBe(false);
    expect(
      await verifyPassword(
        'x',
        '$scrypt$v=1$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ),
    ).toBe(false);
    expect(await verifyPassword('x', '$scrypt$v=1$ln=10,r=8,p=1$AAAA$AAAA')).toBe(false);
    await expect(hashPassword('x', { ln: 4, r: 8, p: 1 })).rejects.toBeInstanceOf(RangeError);
  });
});

describe('PasswordVerifier', () => {
  const master = new MasterKey(randomBytes(32));
  const spy = vi.mocked(verifyPassword);

  function setup(opts: { ttlMs?: number; maxEntries?: number } = {}) {
    let now = 1000;
    const clock = { advance: (ms: number) => (now += ms) };
    const v = new PasswordVerifier(master, { ...opts, now: () => now });
    spy.mockClear();
    return { v, clock };
  }

  it('caches a success for the TTL so the slow hash runs once', async () => {
    const { v, clock } = setup({ ttlMs: 60_000 });
    const h = await hashPassword('s3cret', cost);
    expect(await v.verify('alice', 's3cret', h)).toBe(true);
    expect(await v.verify('alice', 's3cret', h)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
    clock.advance(59_999);
    expect(await v.verify('alice', 's3cret', h)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
    clock.advance(1);
    expect(await v.verify('alice', 's3cret', h)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('never caches failures and misses when the stored hash changed', async () => {
    const { v } = setup();
    const h1 = await hashPassword('one', cost);
    const h2 = await hashPassword('two', cost);
    expect(await v.verify('bob', 'wrong', h1)).toBe(false);
    expect(await v.verify('bob', 'wrong', h1)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(await v.verify('bob', 'one', h1)).toBe(true);
    // Password changed in the store: the old success must not authenticate against the new hash.
    expect(await v.verify('bob', 'one', h2)).toBe(false);
    expect(await v.verify('bob', 'two', h2)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(5);
  });

  it('drops a user on invalidate and stays within maxEntries', async () => {
    const { v } = setup({ maxEntries: 2 });
    const h = await hashPassword('pw', cost);
    await v.verify('u1', 'pw', h);
    await v.verify('u2', 'pw', h);
    expect(v.size).toBe(2);
    v.invalidate('u1');
    expect(v.size).toBe(1);
    await v.verify('u1', 'pw', h);
    expect(spy).toHaveBeenCalledTimes(3);
    await v.verify('u3', 'pw', h);
    expect(v.size).toBe(2);
    // u2 was the oldest entry and got evicted.
    await v.verify('u2', 'pw', h);
    expect(spy).toHaveBeenCalledTimes(5);
    v.clear();
    expect(v.size).toBe(0);
  });
});
