// The token service's change-feed position moves only after the changes are applied (issue 10 item 15).
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

/** The fixture's store whose revocation reload fails while `down.on` (the change feed still answers). */
function failingRevocationReads(store: Store): { store: Store; down: { on: boolean } } {
  const down = { on: false };
  const revocations: Store['revocations'] = Object.create(store.revocations) as Store['revocations'];
  revocations.list = async (...a) => {
    if (down.on) throw new PlatformError('ERR_STORE_UNAVAILABLE', {});
    return store.revocations.list(...a);
  };
  return { store: Object.assign(Object.create(store) as Store, { revocations }), down };
}

describe('token service change feed', () => {
  it('a revocation read during a failed refresh is applied by the next refresh', async () => {
    const { store, down } = failingRevocationReads(f.store);
    const node = await createTokenService({
      store,
      box: f.box,
      realm: 'local',
      environment: 'test',
      issuer: ISSUER,
      usage: f.usage,
      now: f.clock.now,
      refreshIntervalMs: 0,
    });
    try {
      const t = await node.issue(issueReq());
      expect((await node.verify(t.token)).ok).toBe(true);
      // Another node revokes the token: this node learns it from the change feed.
      await f.tokens.revoke({ jti: t.jti });
      down.on = true;
      await expect(node.refresh()).rejects.toThrow();
      down.on = false;
      await node.refresh();
      expect(await node.verify(t.token)).toMatchObject({ ok: false, reason: 'revoked' });
    } finally {
      await node.close();
    }
  });
});
