// The credential and password caches are fast paths only: with the change-feed clearing the gateway does, they answer as the store and scrypt do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialCache } from '../../src/gateway/auth/credential-cache.js';
import {
  ApiKeyHasher,
  PasswordVerifier,
  hashPassword,
  parseMasterKey,
} from '../../src/security/index.js';
import { openStore, type Store } from '../../src/store/index.js';

const ENV = 'test';
const master = parseMasterKey(Buffer.alloc(32, 3).toString('base64url'), 'test');
const COST = { ln: 10, r: 8, p: 1 };

let dir: string;
let store: Store;
let now: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-cred-cache-'));
  store = await openStore(`sqlite:${join(dir, 'pipegate.db')}`);
  now = 1_000_000;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CredentialCache: cached and uncached lookups on the same inputs', () => {
  it('agree before and after every credential and consumer change, once the change feed clears the cache', async () => {
    const cached = new CredentialCache(store, ENV, { now: () => now });
    const uncached = new CredentialCache(store, ENV, { ttlMs: 0, now: () => now });
    const hasher = new ApiKeyHasher(master);
    const alice = await store.consumers.create(ENV, { name: 'alice' });
    const key = await store.apiKeys.add(ENV, {
      consumerId: alice.id,
      prefix: 'pk_a',
      keyHash: hasher.hash('key-a'),
    });
    await store.basicCredentials.add(ENV, {
      consumerId: alice.id,
      username: 'alice',
      passwordHash: await hashPassword('pw', COST),
    });

    const ask = async (c: CredentialCache): Promise<unknown[]> => [
      await c.apiKeyByHash(hasher.hash('key-a')),
      await c.apiKeyByHash(hasher.hash('key-b')),
      await c.basicByUsername('alice'),
      await c.basicByUsername('bob'),
      await c.consumerById(alice.id),
      await c.consumerByName('alice'),
      await c.consumerByName('bob'),
    ];
    const compare = async (): Promise<void> => {
      const slow = await ask(uncached);
      expect(await ask(cached)).toEqual(slow);
      // The second time from the cache.
      expect(await ask(cached)).toEqual(slow);
    };
    await compare();

    // Each change is followed by what the gateway does on the change feed: clear.
    const bob = await store.consumers.create(ENV, { name: 'bob' });
    await store.apiKeys.add(ENV, {
      consumerId: bob.id,
      prefix: 'pk_b',
      keyHash: hasher.hash('key-b'),
    });
    await store.basicCredentials.add(ENV, {
      consumerId: bob.id,
      username: 'bob',
      passwordHash: await hashPassword('pw', COST),
    });
    cached.clear();
    await compare();
    await store.apiKeys.revoke(ENV, key.id);
    await store.consumers.update(ENV, alice.id, { enabled: false });
    cached.clear();
    await compare();
    await store.consumers.delete(ENV, bob.id);
    cached.clear();
    await compare();

    // Past the TTL, entries expire even without a change event.
    await store.consumers.update(ENV, alice.id, { enabled: true });
    now += 5_000;
    await compare();
  });
});

describe('PasswordVerifier: a cached success and a fresh scrypt check on the same inputs', () => {
  it('agree for right, wrong, changed and look-alike credentials', async () => {
    const cached = new PasswordVerifier(master, { now: () => now });
    const uncached = new PasswordVerifier(master, { ttlMs: 0, now: () => now });
    const h1 = await hashPassword('secret', COST);
    const h2 = await hashPassword('other', COST);
    const cases: [string, string, string][] = [
      ['alice', 'secret', h1],
      ['alice', 'wrong', h1],
      // The password changed: the old one, cached as a success against h1, must fail against h2.
      ['alice', 'secret', h2],
      ['alice', 'other', h2],
      // Username/password boundaries cannot be shifted to reuse a cached success.
      ['alic', 'esecret', h1],
      ['alice:', 'secret', h1],
      ['', '', h1],
    ];
    for (const [user, password, hash] of cases) {
      const slow = await uncached.verify(user, password, hash);
      expect(await cached.verify(user, password, hash), `${user}/${password}`).toBe(slow);
      expect(await cached.verify(user, password, hash), `${user}/${password} cached`).toBe(slow);
    }
    cached.invalidate('alice');
    expect(await cached.verify('alice', 'secret', h1)).toBe(
      await uncached.verify('alice', 'secret', h1),
    );
  });
});

describe('CredentialCache while the store fails', () => {
  it('answers consumers from expired entries for staleOnErrorMs, never credentials', async () => {
    const own = await openStore(`sqlite:${join(dir, 'failing.db')}`);
    const cache = new CredentialCache(own, ENV, { ttlMs: 5_000, now: () => now });
    const hasher = new ApiKeyHasher(master);
    const carol = await own.consumers.create(ENV, { name: 'carol' });
    await own.apiKeys.add(ENV, {
      consumerId: carol.id,
      prefix: 'pk_c',
      keyHash: hasher.hash('key-c'),
    });
    const byName = await cache.consumerByName('carol');
    const byId = await cache.consumerById(carol.id);
    expect(byName?.id).toBe(carol.id);
    expect(await cache.apiKeyByHash(hasher.hash('key-c'))).not.toBeNull();
    await own.close(); // every lookup that reaches the store fails from here on

    now += 5_001; // expired, within the 30 s after expiry
    expect(await cache.consumerByName('carol')).toEqual(byName);
    expect(await cache.consumerById(carol.id)).toEqual(byId);
    await expect(cache.apiKeyByHash(hasher.hash('key-c'))).rejects.toMatchObject({
      code: 'ERR_STORE_CLOSED',
    });
    await expect(cache.consumerByName('dave')).rejects.toMatchObject({ code: 'ERR_STORE_CLOSED' });

    now += 30_000; // past the stale bound
    await expect(cache.consumerByName('carol')).rejects.toMatchObject({ code: 'ERR_STORE_CLOSED' });
  });
});
