// Store contract: consumers, API keys and Basic credentials (run on every dialect).
import { expect, it } from 'vitest';
import type { StoreTarget } from './harness.js';
import { freshEnv } from './harness.js';

/** Registers the consumer/credential cases; `t()` yields the target of the running suite. */
export function consumerContract(t: () => StoreTarget): void {
  it('creates, reads, lists and updates consumers per environment', async () => {
    const { store, clock } = t();
    const env = freshEnv();
    const other = freshEnv();
    const c = await store.consumers.create(env, {
      name: 'acme',
      scopes: ['read'],
      pipelines: ['svc'],
    });
    expect(c).toMatchObject({
      environment: env,
      name: 'acme',
      enabled: true,
      pipelines: ['svc'],
      scopes: ['read'],
      deletedAt: null,
    });
    expect(c.createdAt).toBe(clock.t);
    expect(await store.consumers.get(env, c.id)).toEqual(c);
    expect(await store.consumers.getByName(env, 'acme')).toEqual(c);
    expect(await store.consumers.get(other, c.id)).toBeNull();
    expect(await store.consumers.getByName(other, 'acme')).toBeNull();
    const d = await store.consumers.create(env, { name: 'beta' });
    expect(d.pipelines).toEqual(['*']);
    expect(d.scopes).toBeNull();
    expect((await store.consumers.list(env)).map((x) => x.name)).toEqual(['acme', 'beta']);
    clock.advance(1000);
    const u = await store.consumers.update(env, c.id, {
      enabled: false,
      scopes: null,
      name: undefined,
    });
    expect(u).toMatchObject({
      name: 'acme',
      enabled: false,
      scopes: null,
      pipelines: ['svc'],
      updatedAt: clock.t,
    });
    expect(await store.consumers.get(env, c.id)).toEqual(u);
    expect(await store.consumers.update(env, 'nope', { enabled: true })).toBeNull();
  });

  it('refuses a duplicate live name with ERR_STORE_CONFLICT but allows it in another environment', async () => {
    const { store } = t();
    const env = freshEnv();
    await store.consumers.create(env, { name: 'dup' });
    const err = await store.consumers.create(env, { name: 'dup' }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'ERR_STORE_CONFLICT',
      status: 409,
      details: { entity: 'consumer', field: 'name' },
    });
    expect(String((err as Error).message)).not.toMatch(/INSERT|SELECT|consumers\(|dup/);
    await expect(store.consumers.create(freshEnv(), { name: 'dup' })).resolves.toMatchObject({
      name: 'dup',
    });
    const b = await store.consumers.create(env, { name: 'other' });
    await expect(store.consumers.update(env, b.id, { name: 'dup' })).rejects.toMatchObject({
      code: 'ERR_STORE_CONFLICT',
    });
  });

  it('soft-deletes a consumer, revoking its keys and removing its Basic credentials', async () => {
    const { store } = t();
    const env = freshEnv();
    const c = await store.consumers.create(env, { name: 'gone' });
    const key = await store.apiKeys.add(env, {
      consumerId: c.id,
      prefix: 'pg_x',
      keyHash: 'h-gone',
    });
    await store.basicCredentials.add(env, {
      consumerId: c.id,
      username: 'gone-user',
      passwordHash: '$scrypt$x',
    });
    expect(await store.consumers.delete(env, c.id)).toBe(true);
    expect(await store.consumers.delete(env, c.id)).toBe(false);
    expect(await store.consumers.get(env, c.id)).toBeNull();
    expect(await store.consumers.getByName(env, 'gone')).toBeNull();
    expect((await store.consumers.get(env, c.id, { includeDeleted: true }))?.deletedAt).toEqual(
      expect.any(Number),
    );
    expect(await store.consumers.list(env)).toEqual([]);
    expect(await store.consumers.list(env, { includeDeleted: true })).toHaveLength(1);
    expect((await store.apiKeys.get(env, key.id))?.revokedAt).toEqual(expect.any(Number));
    expect(await store.basicCredentials.findByUsername(env, 'gone-user')).toBeNull();
    // The name is free again.
    await expect(store.consumers.create(env, { name: 'gone' })).resolves.toMatchObject({
      name: 'gone',
    });
  });

  it('stores API keys as hashes, finds them by hash, lists and revokes them', async () => {
    const { store, clock } = t();
    const env = freshEnv();
    const c = await store.consumers.create(env, { name: 'k' });
    const a = await store.apiKeys.add(env, {
      id: 'abc123',
      consumerId: c.id,
      prefix: 'pg_abc123',
      keyHash: 'hash-a',
    });
    clock.advance(10);
    const b = await store.apiKeys.add(env, { consumerId: c.id, prefix: 'pg_b', keyHash: 'hash-b' });
    expect(a).toMatchObject({ id: 'abc123', consumerId: c.id, environment: env, revokedAt: null });
    expect(await store.apiKeys.findByHash(env, 'hash-a')).toEqual(a);
    expect(await store.apiKeys.findByHash(env, 'hash-zzz')).toBeNull();
    expect(await store.apiKeys.findByHash(freshEnv(), 'hash-a')).toBeNull();
    expect((await store.apiKeys.listForConsumer(env, c.id)).map((k) => k.id)).toEqual([
      'abc123',
      b.id,
    ]);
    expect(await store.apiKeys.revoke(env, 'abc123')).toBe(true);
    expect(await store.apiKeys.revoke(env, 'abc123')).toBe(false);
    expect((await store.apiKeys.findByHash(env, 'hash-a'))?.revokedAt).toBe(clock.t);
    await expect(
      store.apiKeys.add(env, { consumerId: c.id, prefix: 'p', keyHash: 'hash-b' }),
    ).rejects.toMatchObject({
      code: 'ERR_STORE_CONFLICT',
    });
    await expect(
      store.apiKeys.add(env, { consumerId: 'missing', prefix: 'p', keyHash: 'h' }),
    ).rejects.toMatchObject({
      code: 'ERR_STORE_CONSUMER_NOT_FOUND',
      status: 404,
    });
    // A consumer of another environment cannot receive keys here.
    await expect(
      store.apiKeys.add(freshEnv(), { consumerId: c.id, prefix: 'p', keyHash: 'h2' }),
    ).rejects.toMatchObject({
      code: 'ERR_STORE_CONSUMER_NOT_FOUND',
    });
  });

  it('keeps Basic usernames unique per environment', async () => {
    const { store } = t();
    const env = freshEnv();
    const c = await store.consumers.create(env, { name: 'b' });
    const cred = await store.basicCredentials.add(env, {
      consumerId: c.id,
      username: 'alice',
      passwordHash: 'H1',
    });
    expect(await store.basicCredentials.findByUsername(env, 'alice')).toEqual(cred);
    await expect(
      store.basicCredentials.add(env, { consumerId: c.id, username: 'alice', passwordHash: 'H2' }),
    ).rejects.toMatchObject({
      code: 'ERR_STORE_CONFLICT',
      details: { field: 'username' },
    });
    await store.basicCredentials.add(env, {
      consumerId: c.id,
      username: 'aaron',
      passwordHash: 'H3',
    });
    expect((await store.basicCredentials.list(env)).map((x) => x.username)).toEqual([
      'aaron',
      'alice',
    ]);
    expect(await store.basicCredentials.list(env, 'other-consumer')).toEqual([]);
    expect(await store.basicCredentials.remove(env, cred.id)).toBe(true);
    expect(await store.basicCredentials.remove(env, cred.id)).toBe(false);
    expect(await store.basicCredentials.findByUsername(env, 'alice')).toBeNull();
  });
}
