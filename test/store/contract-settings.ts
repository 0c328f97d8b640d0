// Store contract: accounts, globals, global sessions, admins, meta, the change feed and transactions.
import { expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import type { StoreTarget } from './harness.js';
import { freshEnv } from './harness.js';

export function settingsContract(t: () => StoreTarget): void {
  it('remembers a one-time id once until it expires, per environment (DPoP replay across nodes)', async () => {
    const { store, clock } = t();
    const env = freshEnv();
    const exp = clock.now() + 60_000;
    expect(await store.replay.remember(env, 'a', exp)).toBe(true);
    expect(await store.replay.remember(env, 'a', exp)).toBe(false);
    expect(await store.replay.remember(freshEnv(), 'a', exp)).toBe(true);
    const both = await Promise.all([
      store.replay.remember(env, 'b', exp),
      store.replay.remember(env, 'b', exp),
    ]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect(await store.replay.purge(env, 100)).toBe(0);
    clock.advance(60_000);
    // Expired: taken over on reuse without a purge, and purged otherwise.
    expect(await store.replay.remember(env, 'a', clock.now() + 1000)).toBe(true);
    expect(await store.replay.purge(env, 100)).toBe(1);
    expect(await store.replay.remember(env, 'b', clock.now() + 1000)).toBe(true);
  });

  it('puts, replaces, lists and removes accounts without listing their secret', async () => {
    const { store, clock } = t();
    const env = freshEnv();
    const a = await store.accounts.put(env, {
      label: 'partner',
      type: 'secret-key',
      encrypted: 'v1.blob1',
    });
    expect(a).toEqual({
      environment: env,
      label: 'partner',
      type: 'secret-key',
      description: null,
      encrypted: 'v1.blob1',
      createdAt: clock.t,
      updatedAt: clock.t,
    });
    const created = clock.t;
    clock.advance(50);
    const b = await store.accounts.put(env, {
      label: 'partner',
      type: 'jwk',
      description: 'rotated',
      encrypted: 'v1.blob2',
    });
    expect(b).toMatchObject({
      type: 'jwk',
      description: 'rotated',
      encrypted: 'v1.blob2',
      createdAt: created,
      updatedAt: clock.t,
    });
    expect(await store.accounts.get(env, 'partner')).toEqual(b);
    await store.accounts.put(env, { label: 'alpha', type: 'basic', encrypted: 'v1.blob3' });
    const list = await store.accounts.list(env);
    expect(list.map((x) => x.label)).toEqual(['alpha', 'partner']);
    expect(JSON.stringify(list)).not.toContain('blob');
    expect(await store.accounts.get(freshEnv(), 'partner')).toBeNull();
    expect(await store.accounts.remove(env, 'partner')).toBe(true);
    expect(await store.accounts.remove(env, 'partner')).toBe(false);
  });

  it('keeps globals and expiring global sessions per environment', async () => {
    const { store, clock } = t();
    const env = freshEnv();
    await store.globals.put(env, 'b', '2');
    await store.globals.put(env, 'a', '1');
    await store.globals.put(env, 'a', 'one');
    expect((await store.globals.list(env)).map((g) => [g.name, g.value])).toEqual([
      ['a', 'one'],
      ['b', '2'],
    ]);
    expect((await store.globals.get(env, 'a'))?.value).toBe('one');
    expect((await store.globals.get(env, 'a'))?.type).toBe('text');
    await store.globals.put(env, 'b', '{"n":2}', 'json');
    expect(await store.globals.get(env, 'b')).toMatchObject({ value: '{"n":2}', type: 'json' });
    await store.globals.put(env, 'b', '2');
    expect((await store.globals.get(env, 'b'))?.type).toBe('text');
    expect(await store.globals.get(freshEnv(), 'a')).toBeNull();
    expect(await store.globals.remove(env, 'a')).toBe(true);
    const s = await store.globalSessions.put(
      env,
      'tok-1',
      { user: 'u1', n: [1, 2] },
      clock.t + 100,
    );
    expect(await store.globalSessions.get(env, 'tok-1')).toEqual(s);
    expect(await store.globalSessions.get(env, 'tok-1', clock.t + 100)).toBeNull();
    await store.globalSessions.put(env, 'tok-1', { user: 'u2' }, clock.t + 200);
    expect((await store.globalSessions.get(env, 'tok-1'))?.data).toEqual({ user: 'u2' });
    await store.globalSessions.put(env, 'tok-2', {}, clock.t + 10);
    expect(await store.globalSessions.purgeExpired(clock.t + 10)).toBeGreaterThanOrEqual(1);
    expect(await store.globalSessions.get(env, 'tok-2', 0)).toBeNull();
    expect(await store.globalSessions.delete(env, 'tok-1')).toBe(true);
    expect(await store.globalSessions.delete(env, 'tok-1')).toBe(false);
  });

  it('keeps admins and meta values (putIfAbsent is first-writer-wins)', async () => {
    const { store } = t();
    await store.admins.put('root', 'H1');
    await store.admins.put('root', 'H2');
    expect(await store.admins.get('root')).toMatchObject({ username: 'root', passwordHash: 'H2' });
    expect((await store.admins.list()).map((a) => a.username)).toContain('root');
    expect(await store.admins.remove('root')).toBe(true);
    expect(await store.admins.get('root')).toBeNull();
    expect(await store.meta.putIfAbsent('contract_k', 'first')).toBe('first');
    expect(await store.meta.putIfAbsent('contract_k', 'second')).toBe('first');
    await store.meta.put('contract_k', 'third');
    expect(await store.meta.get('contract_k')).toBe('third');
    expect(await store.meta.remove('contract_k')).toBe(true);
    expect(await store.meta.get('contract_k')).toBeNull();
  });

  it('feeds every configuration change, filterable by environment and topic', async () => {
    const { store } = t();
    const env = freshEnv();
    const start = await store.changes.latest();
    const c = await store.consumers.create(env, { name: 'feed' });
    await store.apiKeys.add(env, { id: 'kf', consumerId: c.id, prefix: 'p', keyHash: 'hf' });
    await store.globals.put(env, 'g', 'v');
    await store.accounts.put(env, { label: 'l', type: 'api-key', encrypted: 'e' });
    await store.consumers.delete(env, c.id);
    await store.globals.put(freshEnv(), 'g', 'v');
    const mine = await store.changes.since(start, { environment: env });
    expect(mine.map((e) => `${e.topic}/${e.action}/${e.ref}`)).toEqual([
      `consumers/create/${c.id}`,
      'apiKeys/add/kf',
      'globals/put/g',
      'accounts/put/l',
      `consumers/delete/${c.id}`,
      'apiKeys/revoke/kf',
    ]);
    expect((await store.changes.since(start, { topics: ['globals'] })).length).toBe(2);
    expect(await store.changes.since(start, { topics: [] })).toEqual([]);
    expect((await store.changes.since(start, { environment: env, limit: 2 })).length).toBe(2);
  });

  it('commits or rolls back a transaction as a whole', async () => {
    const { store } = t();
    const env = freshEnv();
    await expect(
      store.transaction(async (tx) => {
        const c = await tx.consumers.create(env, { name: 'tx-1' });
        await tx.apiKeys.add(env, { consumerId: c.id, prefix: 'p', keyHash: 'tx-hash' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.consumers.getByName(env, 'tx-1')).toBeNull();
    expect(await store.apiKeys.findByHash(env, 'tx-hash')).toBeNull();
    const id = await store.transaction(async (tx) => {
      const c = await tx.consumers.create(env, { name: 'tx-2' });
      // Nested transactions join the outer one.
      await tx.transaction((inner) =>
        inner.apiKeys.add(env, { consumerId: c.id, prefix: 'p', keyHash: 'tx-hash-2' }),
      );
      return c.id;
    });
    expect((await store.apiKeys.findByHash(env, 'tx-hash-2'))?.consumerId).toBe(id);
    // A transaction handle kept past its end is refused (it would run outside the transaction).
    let leaked: Store | undefined;
    await store.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked?.globals.get(env, 'x')).rejects.toBeInstanceOf(TypeError);
  });

  it('migrates idempotently and reopens with the data in place', async () => {
    const { store, url } = t();
    const env = freshEnv();
    await store.globals.put(env, 'persist', 'yes');
    await store.migrate();
    const again = await openStore(url);
    try {
      expect((await again.globals.get(env, 'persist'))?.value).toBe('yes');
    } finally {
      await again.close();
    }
  });
}
