// The verified-token cache is a fast path only: a caching service answers every token as one without a cache does.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSealedSigningKey } from '../../src/security/index.js';
import { createTokenService } from '../../src/security/tokens/create-token-service.js';
import type { TokenService } from '../../src/security/tokens/token-service.js';
import { issueReq, ISSUER, makeFixture, type Fixture } from './support.js';

let f: Fixture;
let cached: TokenService;
let uncached: TokenService;

beforeEach(async () => {
  f = await makeFixture();
  cached = f.tokens;
  uncached = await createTokenService({
    store: f.store,
    box: f.box,
    realm: 'local',
    environment: 'test',
    issuer: ISSUER,
    now: f.clock.now,
    usage: f.usage,
    refreshIntervalMs: 0,
    cacheSize: 0,
  });
});
afterEach(async () => {
  await uncached.close();
  await f.close();
});

/** Verifies every token twice on each service (the second time from the cache) and compares. */
async function expectSameAnswers(tokens: string[]): Promise<unknown[]> {
  const answers: unknown[] = [];
  for (const token of tokens) {
    const slow = await uncached.verify(token);
    const first = await cached.verify(token);
    const hit = await cached.verify(token);
    expect(first, 'first verification').toEqual(slow);
    expect(hit, 'cached verification').toEqual(slow);
    answers.push(slow.ok ? 'ok' : slow.reason);
  }
  return answers;
}

async function refreshBoth(): Promise<void> {
  await cached.refresh();
  await uncached.refresh();
}

describe('verified-token cache: both paths on the same tokens', () => {
  it('agree through expiry, key retirement without a refresh, revocation, a disabled consumer and a clock moved back', async () => {
    const t1 = (await cached.issue(issueReq())).token;
    const t2 = (await cached.issue(issueReq({ consumer: 'bob', scopes: [], lifetimeMs: 60_000 })))
      .token;
    const t3 = (await cached.issue(issueReq())).token;
    expect(await expectSameAnswers([t1, t2, t3])).toEqual(['ok', 'ok', 'ok']);

    // The key rotates; the old one is accepted until retireAfter.
    const retireAfter = f.clock.now() + 120_000;
    await f.store.signingKeys.rotate('test', await createSealedSigningKey(f.box, 'test', 'local'), {
      retireAfter,
    });
    await refreshBoth();
    const t4 = (await cached.issue(issueReq({ consumer: 'bob', scopes: [] }))).token;
    f.clock.advance(61_000);
    expect(await expectSameAnswers([t1, t2, t3, t4])).toEqual(['ok', 'token_expired', 'ok', 'ok']);

    // retireAfter passes with no refresh in between: the old key is refused at once on both paths.
    f.clock.set(retireAfter);
    expect(await expectSameAnswers([t1, t2, t3, t4])).toEqual([
      'unknown_kid',
      'unknown_kid',
      'unknown_kid',
      'ok',
    ]);

    const t5 = (await cached.issue(issueReq())).token;
    const v5 = await cached.verify(t5);
    if (!v5.ok) throw new Error(`t5 refused: ${v5.reason}`);
    await cached.revoke({ jti: v5.jti });
    await refreshBoth();
    await f.store.consumers.update('test', (await f.store.consumers.getByName('test', 'bob'))!.id, {
      enabled: false,
    });
    await refreshBoth();
    expect(await expectSameAnswers([t4, t5])).toEqual(['consumer_disabled', 'revoked']);

    // A clock moved back before the tokens' iat (beyond the leeway).
    const t6 = (await cached.issue(issueReq())).token;
    expect(await expectSameAnswers([t6])).toEqual(['ok']);
    f.clock.advance(-120_000);
    expect(await expectSameAnswers([t6])).toEqual(['not_yet_valid']);
  });
});
