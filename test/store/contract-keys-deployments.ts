// Store contract: signing keys (rotation, retirement) and deployments (deploy, rollback, undeploy, feed).
import { expect, it } from 'vitest';
import type { NewSigningKey } from '../../src/store/records.js';
import type { StoreTarget } from './harness.js';
import { freshEnv } from './harness.js';

function key(kid: string, realm = 'local'): NewSigningKey {
  return {
    kid,
    realm,
    alg: 'ES256',
    publicJwk: { kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy', kid, alg: 'ES256', use: 'sig' },
    privateKeyEncrypted: `v1.blob.${kid}`,
  };
}

export function keysAndDeploymentsContract(t: () => StoreTarget): void {
  it('keeps one active key per realm and rotates atomically', async () => {
    const { store, clock } = t();
    const env = freshEnv();
    const k1 = await store.signingKeys.create(env, key('k1'));
    expect(k1).toMatchObject({
      state: 'active',
      environment: env,
      retiringSince: null,
      retireAfter: null,
    });
    expect(await store.signingKeys.get(env, 'k1')).toEqual(k1);
    await expect(store.signingKeys.create(env, key('k1b'))).rejects.toMatchObject({
      code: 'ERR_STORE_CONFLICT',
      details: { entity: 'active signing key' },
    });
    await expect(store.signingKeys.create(env, key('k1', 'other'))).rejects.toMatchObject({
      code: 'ERR_STORE_CONFLICT',
    });
    // Other realms and environments are independent.
    await store.signingKeys.create(env, key('r2', 'realm2'));
    await store.signingKeys.create(freshEnv(), key('k1'));
    clock.advance(1000);
    const { active, retiring } = await store.signingKeys.rotate(env, key('k2'), {
      retireAfter: clock.t + 60_000,
    });
    expect(active).toMatchObject({ kid: 'k2', state: 'active' });
    expect(retiring).toMatchObject({
      kid: 'k1',
      state: 'retiring',
      retiringSince: clock.t,
      retireAfter: clock.t + 60_000,
    });
    expect((await store.signingKeys.getActive(env, 'local'))?.kid).toBe('k2');
    expect((await store.signingKeys.list(env, 'local')).map((k) => [k.kid, k.state])).toEqual([
      ['k2', 'active'],
      ['k1', 'retiring'],
    ]);
    expect(
      (await store.signingKeys.list(env, 'local', { states: ['retiring'] })).map((k) => k.kid),
    ).toEqual(['k1']);
    expect(await store.signingKeys.retireDue(env, clock.t + 59_999)).toEqual([]);
    expect(await store.signingKeys.retireDue(env, clock.t + 60_000)).toEqual(['k1']);
    expect((await store.signingKeys.get(env, 'k1'))?.state).toBe('retired');
    expect((await store.signingKeys.get(env, 'k1'))?.publicJwk).toEqual(key('k1').publicJwk);
  });

  it('rotates a realm without keys and supports setState', async () => {
    const { store } = t();
    const env = freshEnv();
    const { active, retiring } = await store.signingKeys.rotate(
      env,
      { ...key('h1'), alg: 'HS256', publicJwk: null },
      { retireAfter: 0 },
    );
    expect(retiring).toBeNull();
    expect(active.publicJwk).toBeNull();
    expect((await store.signingKeys.get(env, 'h1'))?.publicJwk).toBeNull();
    const r = await store.signingKeys.setState(env, 'h1', 'retiring', { retireAfter: 5 });
    expect(r).toMatchObject({
      state: 'retiring',
      retireAfter: 5,
      retiringSince: expect.any(Number),
    });
    expect(await store.signingKeys.getActive(env, 'local')).toBeNull();
    expect(await store.signingKeys.setState(env, 'h1', 'active')).toMatchObject({
      state: 'active',
      retireAfter: null,
    });
    expect(await store.signingKeys.setState(env, 'nope', 'retired')).toBeNull();
    await store.signingKeys.rotate(env, key('h2'), { retireAfter: 0 });
    await expect(store.signingKeys.setState(env, 'h1', 'active')).rejects.toMatchObject({
      code: 'ERR_STORE_CONFLICT',
    });
    expect((await store.signingKeys.get(env, 'h1'))?.state).toBe('retiring');
  });

  it('deploys minors in place, majors side by side, and rolls back', async () => {
    const { store, clock } = t();
    const env = freshEnv();
    const d10 = await store.deployments.deploy(env, {
      name: 'svc',
      major: 1,
      minor: 0,
      definition: 'v: 1.0',
      format: 'yaml',
    });
    expect(d10.replaced).toBeNull();
    expect(d10.deployment).toMatchObject({ active: true, previousId: null, deployedAt: clock.t });
    clock.advance(1);
    const d11 = await store.deployments.deploy(env, {
      name: 'svc',
      major: 1,
      minor: 1,
      definition: 'v: 1.1',
      format: 'yaml',
    });
    expect(d11.replaced).toMatchObject({ id: d10.deployment.id, active: false });
    expect(d11.deployment.previousId).toBe(d10.deployment.id);
    clock.advance(1);
    await store.deployments.deploy(env, {
      name: 'svc',
      major: 2,
      minor: 0,
      definition: '{}',
      format: 'json',
    });
    await store.deployments.deploy(env, {
      name: 'aaa',
      major: 1,
      minor: 0,
      definition: 'x',
      format: 'yaml',
    });
    expect(
      (await store.deployments.listActive(env)).map((d) => `${d.name}@${d.major}.${d.minor}`),
    ).toEqual(['aaa@1.0', 'svc@1.1', 'svc@2.0']);
    expect(await store.deployments.listActive(freshEnv())).toEqual([]);
    const back = await store.deployments.rollback(env, 'svc', 1);
    expect(back).toMatchObject({
      id: d10.deployment.id,
      minor: 0,
      active: true,
      definition: 'v: 1.0',
    });
    expect((await store.deployments.getActive(env, 'svc', 1))?.minor).toBe(0);
    expect((await store.deployments.get(env, d11.deployment.id))?.active).toBe(false);
    await expect(store.deployments.rollback(env, 'svc', 1)).rejects.toMatchObject({
      code: 'ERR_STORE_NOTHING_TO_ROLLBACK',
      status: 409,
    });
    await expect(store.deployments.rollback(env, 'none', 1)).rejects.toMatchObject({
      code: 'ERR_STORE_NOTHING_TO_ROLLBACK',
    });
    expect(
      (await store.deployments.list(env, { name: 'svc' })).map((d) => `${d.major}.${d.minor}`),
    ).toEqual(['2.0', '1.1', '1.0']);
    expect(await store.deployments.undeploy(env, 'svc', 2)).toMatchObject({
      major: 2,
      active: false,
    });
    expect(await store.deployments.undeploy(env, 'svc', 2)).toBeNull();
    expect(await store.deployments.getActive(env, 'svc', 2)).toBeNull();
  });

  it('reports deployment changes in order through changesSince', async () => {
    const { store } = t();
    const env = freshEnv();
    const start = await store.changes.latest();
    await store.deployments.deploy(env, {
      name: 'p',
      major: 1,
      minor: 0,
      definition: 'a',
      format: 'yaml',
    });
    await store.deployments.deploy(env, {
      name: 'p',
      major: 1,
      minor: 1,
      definition: 'b',
      format: 'yaml',
    });
    await store.deployments.rollback(env, 'p', 1);
    await store.deployments.undeploy(env, 'p', 1);
    const events = await store.deployments.changesSince(env, start);
    expect(events.map((e) => [e.ref, e.action])).toEqual([
      ['p@1', 'deploy'],
      ['p@1', 'deploy'],
      ['p@1', 'rollback'],
      ['p@1', 'undeploy'],
    ]);
    expect(events.every((e, i) => i === 0 || e.seq > (events[i - 1]?.seq ?? 0))).toBe(true);
    const last = events.at(-1)?.seq ?? 0;
    expect(await store.deployments.changesSince(env, last)).toEqual([]);
    expect(await store.changes.latest()).toBeGreaterThanOrEqual(last);
    expect(await store.deployments.changesSince(freshEnv(), start)).toEqual([]);
  });
}
