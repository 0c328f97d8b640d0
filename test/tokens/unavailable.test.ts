// When the store cannot be reached, verify answers `unavailable` (the gateway's 503), never a 401 reason.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlatformError } from '../../src/errors/index.js';
import type { Store } from '../../src/store/index.js';
import { createTokenService } from '../../src/security/tokens/token-service.js';
import { issueReq, ISSUER, makeFixture, type Fixture } from './support.js';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => {
  await f.close();
});

/** The fixture's store with a switch that makes the change feed and consumer lookups fail like a lost database. */
function flakyStore(store: Store): { store: Store; down: { on: boolean } } {
  const down = { on: false };
  const fail = (): never => {
    throw new PlatformError('ERR_STORE_UNAVAILABLE', {});
  };
  const changes: Store['changes'] = {
    since: async (...a) => (down.on ? fail() : store.changes.since(...a)),
    latest: () => store.changes.latest(),
    purge: (b) => store.changes.purge(b),
  };
  const consumers: Store['consumers'] = Object.create(store.consumers) as Store['consumers'];
  consumers.getByName = async (env, name) =>
    down.on ? fail() : store.consumers.getByName(env, name);
  return { store: Object.assign(Object.create(store) as Store, { changes, consumers }), down };
}

describe('store unavailable', () => {
  it('a failed consumer lookup is unavailable; stale revocation data is unavailable; recovery restores service', async () => {
    const { store, down } = flakyStore(f.store);
    const tokens = await createTokenService({
      store,
      box: f.box,
      realm: 'local',
      environment: 'test',
      issuer: ISSUER,
      usage: f.usage,
      now: f.clock.now,
      refreshIntervalMs: 0,
      staleAfterMs: 0,
    });
    const t = await tokens.issue(issueReq({ consumer: 'bob', scopes: [] }));
    down.on = true;
    // staleAfterMs 0: as soon as a refresh fails, revocations may be stale.
    await expect(tokens.refresh()).rejects.toThrow();
    expect(await tokens.verify(t.token)).toEqual({ ok: false, reason: 'unavailable' });
    down.on = false;
    await tokens.refresh();
    await tokens.close();
    const fresh = await createTokenService({
      store,
      box: f.box,
      realm: 'local',
      environment: 'test',
      issuer: ISSUER,
      usage: f.usage,
      now: f.clock.now,
      refreshIntervalMs: 0,
    });
    down.on = true;
    expect(await fresh.verify(t.token)).toEqual({ ok: false, reason: 'unavailable' });
    down.on = false;
    expect((await fresh.verify(t.token)).ok).toBe(true);
    await fresh.close();
  });

  it('issuing while the store is down fails with a 503 code, not a 4xx', async () => {
    const { store, down } = flakyStore(f.store);
    const tokens = await createTokenService({
      store,
      box: f.box,
      realm: 'local',
      environment: 'test',
      issuer: ISSUER,
      usage: f.usage,
      now: f.clock.now,
      refreshIntervalMs: 0,
    });
    down.on = true;
    await expect(tokens.issue(issueReq())).rejects.toMatchObject({
      code: 'ERR_JWT_SERVICE_UNAVAILABLE',
      status: 503,
    });
    await tokens.close();
  });
});
