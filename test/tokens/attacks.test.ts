// Hostile and foreign tokens: alg none, HS256 keyed with the public key, unknown kid, wrong typ/aud; key rotation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CompactSign, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { openPrivateJwk, createSealedSigningKey } from '../../src/security/index.js';
import { issueReq, ISSUER, makeFixture, type Fixture } from './support.js';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => {
  await f.close();
});

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
let aliceId = '';
beforeEach(async () => {
  aliceId = (await f.store.consumers.getByName('test', 'alice'))!.id;
});

function validClaims(over: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = Math.floor(f.clock.now() / 1000);
  return {
    iss: ISSUER,
    sub: 'alice',
    aud: 'local:test',
    client_id: 'alice',
    consumer_id: aliceId,
    iat,
    exp: iat + 600,
    jti: 'j-1',
    scopes: [],
    ...over,
  };
}

async function platformKey(): Promise<{ kid: string; jwk: JWK }> {
  const rec = (await f.store.signingKeys.getActive('test', 'local'))!;
  return { kid: rec.kid, jwk: openPrivateJwk(f.box, rec) };
}

async function signWithPlatformKey(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
): Promise<string> {
  const { kid, jwk } = await platformKey();
  const key = await importJWK(jwk, 'ES256');
  return new CompactSign(Buffer.from(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt', ...header })
    .sign(key);
}

describe('hostile tokens', () => {
  it('a correctly signed token with the platform key verifies (control case)', async () => {
    expect((await f.tokens.verify(await signWithPlatformKey({}, validClaims()))).ok).toBe(true);
  });

  it('alg none is refused', async () => {
    const { kid } = await platformKey();
    const token = `${b64({ alg: 'none', kid, typ: 'at+jwt' })}.${b64(validClaims())}.`;
    expect(await f.tokens.verify(token)).toEqual({ ok: false, reason: 'malformed' });
    expect(
      await f.tokens.verify(
        `${b64({ alg: 'none', kid, typ: 'at+jwt' })}.${b64(validClaims())}.AAAA`,
      ),
    ).toEqual({ ok: false, reason: 'alg_not_allowed' });
  });

  it('HS256 signed with the public key as secret is refused', async () => {
    const { kid } = await platformKey();
    const pub = (await f.tokens.jwks()).keys[0]!;
    const secret = Buffer.from(JSON.stringify(pub));
    const token = await new CompactSign(Buffer.from(JSON.stringify(validClaims())))
      .setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' })
      .sign(secret);
    expect(await f.tokens.verify(token)).toEqual({ ok: false, reason: 'alg_not_allowed' });
  });

  it('unknown kid, missing kid, foreign key', async () => {
    expect(
      await f.tokens.verify(await signWithPlatformKey({ kid: 'nope' }, validClaims())),
    ).toEqual({ ok: false, reason: 'unknown_kid' });
    expect(
      await f.tokens.verify(await signWithPlatformKey({ kid: undefined }, validClaims())),
    ).toEqual({ ok: false, reason: 'unknown_kid' });
    const { kid } = await platformKey();
    const foreign = await generateKeyPair('ES256');
    const token = await new CompactSign(Buffer.from(JSON.stringify(validClaims())))
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .sign(foreign.privateKey);
    expect(await f.tokens.verify(token)).toEqual({ ok: false, reason: 'bad_signature' });
    void exportJWK;
  });

  it('wrong typ, issuer, audience, missing exp', async () => {
    expect(await f.tokens.verify(await signWithPlatformKey({ typ: 'JWT' }, validClaims()))).toEqual(
      { ok: false, reason: 'wrong_typ' },
    );
    expect(
      await f.tokens.verify(await signWithPlatformKey({ typ: undefined }, validClaims())),
    ).toEqual({ ok: false, reason: 'wrong_typ' });
    expect(
      (
        await f.tokens.verify(
          await signWithPlatformKey({ typ: 'application/at+jwt' }, validClaims()),
        )
      ).ok,
    ).toBe(true);
    // A genuine token refused after its signature check names its jti and consumer.
    expect(await f.tokens.verify(await signWithPlatformKey({}, validClaims({ iss: 'x' })))).toEqual(
      {
        ok: false,
        reason: 'wrong_issuer',
        jti: 'j-1',
        consumer: 'alice',
      },
    );
    expect(
      await f.tokens.verify(await signWithPlatformKey({}, validClaims({ aud: 'local:prod' }))),
    ).toMatchObject({ ok: false, reason: 'wrong_audience' });
    expect(
      (
        await f.tokens.verify(
          await signWithPlatformKey({}, validClaims({ aud: ['x', 'local:test'] })),
        )
      ).ok,
    ).toBe(true);
    expect(
      await f.tokens.verify(await signWithPlatformKey({}, validClaims({ exp: undefined }))),
    ).toMatchObject({ ok: false, reason: 'malformed' });
    expect(
      await f.tokens.verify(
        await signWithPlatformKey({}, validClaims({ nbf: Math.floor(f.clock.now() / 1000) + 31 })),
      ),
    ).toMatchObject({ ok: false, reason: 'not_yet_valid' });
  });
});

describe('rotation', () => {
  it('earlier tokens stay valid until their key retires; new tokens use the new key', async () => {
    const before = await f.tokens.issue(issueReq());
    const oldKid = (await f.store.signingKeys.getActive('test', 'local'))!.kid;
    const retireAfter = f.clock.now() + 86_400_000;
    await f.store.signingKeys.rotate('test', await createSealedSigningKey(f.box, 'test', 'local'), {
      retireAfter,
    });
    await f.tokens.refresh();
    const after = await f.tokens.issue(issueReq());
    expect(
      JSON.parse(Buffer.from(after.token.split('.')[0]!, 'base64url').toString()).kid,
    ).not.toBe(oldKid);
    expect((await f.tokens.verify(before.token)).ok).toBe(true);
    expect((await f.tokens.jwks()).keys.map((k) => k.kid)).toContain(oldKid);
    f.clock.set(retireAfter);
    await f.tokens.refresh();
    expect(await f.tokens.verify(before.token)).toEqual({ ok: false, reason: 'unknown_kid' });
    expect((await f.tokens.jwks()).keys.map((k) => k.kid)).not.toContain(oldKid);
    expect((await f.store.signingKeys.get('test', oldKid))!.state).toBe('retired');
  });

  it('an HS256 realm signs and verifies; the secret is never published', async () => {
    await f.store.signingKeys.rotate(
      'test',
      await createSealedSigningKey(f.box, 'test', 'local', 'HS256'),
      { retireAfter: f.clock.now() },
    );
    await f.tokens.refresh();
    const t = await f.tokens.issue(issueReq());
    expect(JSON.parse(Buffer.from(t.token.split('.')[0]!, 'base64url').toString()).alg).toBe(
      'HS256',
    );
    expect((await f.tokens.verify(t.token)).ok).toBe(true);
    f.clock.advance(1);
    await f.tokens.refresh();
    expect((await f.tokens.jwks()).keys).toEqual([]);
  });
});
