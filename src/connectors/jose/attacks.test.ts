// Attack cases of issue 5: each is rejected with its code, and nothing touches the network.
import { createHmac, createPublicKey } from 'node:crypto';
import { CompactEncrypt, CompactSign, importJWK } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JsonObject } from '../../core/json.js';
import { fakeContext, prepareStep, runError, runStep } from '../../../test/support/jose-fake-context.js';
import { octJwk, testKeys } from '../../../test/support/jose-keys.js';

const k = testKeys();
const b64 = (v: string | Buffer): string => Buffer.from(v).toString('base64url');
const hs256 = (header: JsonObject, payload: JsonObject, secret: Buffer): string => {
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};
const secretJwk = octJwk(32);
const secret = Buffer.from(secretJwk.k as string, 'base64url');
const verifyHs = (token: string, extra: JsonObject = {}): JsonObject => ({
  operation: 'verify-jws', requireExp: false, algorithms: ['HS256'], key: { jwk: secretJwk }, token, ...extra,
});

let fetchSpy: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  fetchSpy = vi.spyOn(globalThis, 'fetch');
});
afterEach(() => {
  expect(fetchSpy).not.toHaveBeenCalled();
  fetchSpy.mockRestore();
});

describe('jose attacks: algorithm', () => {
  it.each(['none', 'NONE', 'None'])('alg %s is refused', async (alg) => {
    const token = `${b64(JSON.stringify({ alg }))}.${b64('{"a":1}')}.`;
    expect((await runError(verifyHs(token))).code).toBe('ERR_JOSE_ALG_NONE');
  });

  it('an alg outside the allow-list is refused', async () => {
    const token = hs256({ alg: 'HS384' }, {}, secret);
    expect((await runError(verifyHs(token))).code).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
  });

  it('HS/RS key confusion: an HS256 token MACed with the RSA public key is refused', async () => {
    const pem = createPublicKey({ key: k.rsa.publicJwk as never, format: 'jwk' }).export({ format: 'pem', type: 'spki' }) as string;
    const token = hs256({ alg: 'HS256' }, { admin: true }, Buffer.from(pem));
    const err = await runError({ operation: 'verify-jws', requireExp: false, algorithms: ['RS256', 'HS256'], key: { jwk: k.rsa.publicJwk }, token });
    expect(err.code).toBe('ERR_JOSE_KEY_MISMATCH');
    const viaAccount = await runError(
      { operation: 'verify-jws', requireExp: false, algorithms: ['RS256', 'HS256'], key: { account: 'partner' }, token },
      fakeContext({ accounts: { partner: { type: 'public-key', pem } } }),
    );
    expect(viaAccount.code).toBe('ERR_JOSE_KEY_MISMATCH');
  });

  it('wrong key type for the algorithm: curve, size and kind', async () => {
    const es = (await runStep({ operation: 'generate-jws', algorithm: 'ES256', key: { jwk: k.p256.privateJwk } })) as JsonObject;
    const curve = await runError({ operation: 'verify-jws', requireExp: false, algorithms: ['ES256'], key: { jwk: k.p384.publicJwk }, token: es.jws as string });
    expect(curve.code).toBe('ERR_JOSE_KEY_MISMATCH');
    const short = await runError({ operation: 'verify-jws', requireExp: false, algorithms: ['HS256'], key: { jwk: octJwk(16) }, token: hs256({ alg: 'HS256' }, {}, secret) });
    expect(short.code).toBe('ERR_JOSE_KEY_WEAK');
    const load = prepareStep({ operation: 'generate-jws', algorithm: 'RS256', key: { jwk: octJwk(32) } });
    expect(load.codes).toEqual(['ERR_JOSE_KEY_MISMATCH']);
    const pub = prepareStep({ operation: 'generate-jws', algorithm: 'ES256', key: { jwk: k.p256.publicJwk } });
    expect(pub.codes).toEqual(['ERR_JOSE_KEY_MISMATCH']);
  });

  it('node:crypto signatures (ES256K, Ed448) accept only their fixed-length encoding', async () => {
    const { sign } = await import('node:crypto');
    for (const [alg, priv, pub] of [['ES256K', k.k256.privateJwk, k.k256.publicJwk], ['EdDSA', k.ed448.privateJwk, k.ed448.publicJwk]] as const) {
      const good = ((await runStep({ operation: 'generate-jws', algorithm: alg, key: { jwk: priv }, payload: 'x' })) as JsonObject).jws as string;
      const [h, p, s] = good.split('.') as [string, string, string];
      const params = { operation: 'verify-jws', requireExp: false, algorithms: [alg], key: { jwk: pub } };
      expect(await runStep({ ...params, token: good })).toMatchObject({ verified: true, payload: 'x' });
      expect((await runError({ ...params, token: `${h}.${p}.${Buffer.from(s, 'base64url').subarray(0, -3).toString('base64url')}` })).code).toBe('ERR_JOSE_SIGNATURE_INVALID');
      if (alg === 'ES256K') {
        const { createPrivateKey } = await import('node:crypto');
        const der = sign('sha256', Buffer.from(`${h}.${p}`), { key: createPrivateKey({ key: priv as never, format: 'jwk' }), dsaEncoding: 'der' });
        expect((await runError({ ...params, token: `${h}.${p}.${der.toString('base64url')}` })).code).toBe('ERR_JOSE_SIGNATURE_INVALID');
      }
    }
  });

  it('RSA1_5 and PBES2 are disabled unless allowed', () => {
    expect(prepareStep({ operation: 'decode-jwe', algorithms: ['RSA1_5'], key: { jwk: k.rsa.privateJwk }, token: 'x' }).codes).toEqual(['ERR_JOSE_ALG_DISABLED']);
    expect(prepareStep({ operation: 'generate-jwe', algorithm: 'RSA1_5', key: { jwk: k.rsa.publicJwk } }).codes).toEqual(['ERR_JOSE_ALG_DISABLED']);
    expect(prepareStep({ operation: 'generate-jwe', algorithm: 'PBES2-HS256+A128KW', key: { jwk: octJwk(8) } }).codes).toEqual(['ERR_JOSE_ALG_DISABLED']);
  });

  it('RSA1_5: a broken padding and a broken tag fail the same way (implicit rejection)', async () => {
    const params = { operation: 'decode-jwe', algorithms: ['RSA1_5'], allowRsa1_5: true, key: { jwk: k.rsa.privateJwk } };
    const good = (await runStep({ operation: 'generate-jwe', algorithm: 'RSA1_5', allowRsa1_5: true, encryption: 'A128GCM', key: { jwk: k.rsa.publicJwk }, payload: 'p' })) as JsonObject;
    const parts = (good.jwe as string).split('.');
    const badKey = [parts[0], b64(Buffer.alloc(256, 7)), ...parts.slice(2)].join('.');
    const tag = Buffer.from(parts[4] as string, 'base64url');
    tag[0] = (tag[0] as number) ^ 1;
    const badTag = [...parts.slice(0, 4), tag.toString('base64url')].join('.');
    const e1 = await runError({ ...params, token: badKey });
    const e2 = await runError({ ...params, token: badTag });
    expect([e1.code, e1.message]).toEqual([e2.code, e2.message]);
    expect(e1.code).toBe('ERR_JOSE_DECRYPTION_FAILED');
  });

  it('verify operations need an allow-list at load', () => {
    expect(prepareStep({ operation: 'verify-jws', requireExp: false, key: { jwk: secretJwk } }).codes).toEqual(['ERR_JOSE_ALGORITHMS_REQUIRED']);
    expect(prepareStep({ operation: 'decode-jwe', algorithms: [], key: { jwk: secretJwk } }).codes).toEqual(['ERR_JOSE_ALGORITHMS_REQUIRED']);
  });
});

describe('jose attacks: headers', () => {
  const attackerJwk = octJwk(32);
  it.each([
    ['jku', { jku: 'https://attacker.example/jwks.json' }],
    ['x5u', { x5u: 'https://attacker.example/cert.pem' }],
    ['jwk', { jwk: { kty: 'oct', k: attackerJwk.k } }],
    ['x5c', { x5c: ['MIIB'] }],
  ])('%s header injection is refused and never followed', async (name, extra) => {
    const forged = hs256({ alg: 'HS256', ...(extra as JsonObject) }, { admin: true }, Buffer.from(attackerJwk.k as string, 'base64url'));
    const err = await runError(verifyHs(forged));
    expect(err.code).toBe('ERR_JOSE_KEY_REFERENCE_HEADER');
    expect(err.details.header).toBe(name);
    const ignored = await runError(verifyHs(forged, { allowKeyReferenceHeaders: true }));
    expect(ignored.code).toBe('ERR_JOSE_SIGNATURE_INVALID');
  });

  it('an unknown crit is refused, even with a valid signature', async () => {
    const token = hs256({ alg: 'HS256', crit: ['exp'], exp: 1 }, {}, secret);
    expect((await runError(verifyHs(token))).code).toBe('ERR_JOSE_CRIT_UNSUPPORTED');
    const b64false = hs256({ alg: 'HS256', b64: false, crit: ['b64'] }, {}, secret);
    expect((await runError(verifyHs(b64false))).code).toBe('ERR_JOSE_CRIT_UNSUPPORTED');
  });

  it('an oversized token is refused before parsing', async () => {
    const token = hs256({ alg: 'HS256' }, { pad: 'x'.repeat(500) }, secret);
    expect((await runError(verifyHs(token, { maxTokenBytes: 200 }))).code).toBe('ERR_JOSE_TOKEN_TOO_LARGE');
    expect((await runStep(verifyHs(token))) as JsonObject).toMatchObject({ verified: true });
  });

  it('JSON serializations and malformed base64url are refused', async () => {
    const token = hs256({ alg: 'HS256' }, {}, secret);
    const [h, p, s] = token.split('.');
    const json = JSON.stringify({ protected: h, payload: p, signature: s });
    expect((await runError(verifyHs(json))).code).toBe('ERR_JOSE_TOKEN_FORMAT');
    expect((await runError(verifyHs(`${h}.${p}=.${s}`))).code).toBe('ERR_JOSE_TOKEN_FORMAT');
    expect((await runError(verifyHs(`${h}.${p}`))).code).toBe('ERR_JOSE_TOKEN_FORMAT');
  });
});

describe('jose attacks: JWE limits', () => {
  const password = { kty: 'oct', k: b64('pw-for-tests') };
  it('a PBES2 count above the cap is refused', async () => {
    const gen = (await runStep({ operation: 'generate-jwe', algorithm: 'PBES2-HS256+A128KW', allowPbes2: true, maxPbes2Count: 20_000, key: { jwk: password }, payload: 'p' })) as JsonObject;
    const err = await runError({ operation: 'decode-jwe', algorithms: ['PBES2-HS256+A128KW'], allowPbes2: true, key: { jwk: password }, token: gen.jwe as string });
    expect(err.code).toBe('ERR_JOSE_PBES2_COUNT');
    const ok = await runStep({ operation: 'decode-jwe', algorithms: ['PBES2-HS256+A128KW'], allowPbes2: true, maxPbes2Count: 20_000, key: { jwk: password }, token: gen.jwe as string });
    expect(ok).toMatchObject({ payload: 'p' });
  });

  it('a compressed payload above the cap is refused; below it is inflated; 0 disables zip', async () => {
    const jwk = octJwk(32);
    const key = await importJWK(jwk, 'A256KW');
    const zipped = (text: string) => new CompactEncrypt(new TextEncoder().encode(text)).setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM', zip: 'DEF' }).encrypt(key);
    const bomb = await zipped('a'.repeat(1_000_000));
    expect(bomb.length).toBeLessThan(5_000);
    const params = { operation: 'decode-jwe', algorithms: ['A256KW'], key: { jwk } };
    expect((await runError({ ...params, token: bomb })).code).toBe('ERR_JOSE_COMPRESSION');
    const small = await zipped('hello');
    expect(await runStep({ ...params, token: small })).toMatchObject({ payload: 'hello' });
    expect((await runError({ ...params, token: small, maxDecompressedBytes: 0 })).code).toBe('ERR_JOSE_COMPRESSION');
  });

  it('zip cannot be requested through customHeaders', () => {
    expect(prepareStep({ operation: 'generate-jwe', algorithm: 'dir', key: { jwk: octJwk(32) }, customHeaders: { zip: 'DEF' } }).codes).toEqual(['ERR_JOSE_HEADER_RESERVED']);
  });
});

describe('jose attacks: claims', () => {
  const now = Date.UTC(2026, 5, 1);
  const s = Math.floor(now / 1000);
  const ctx = () => fakeContext({ now });
  it('a token without exp is refused by default (verify-jws and verify-nested); requireExp: false accepts it', async () => {
    const noExp = hs256({ alg: 'HS256' }, { sub: 'u', iat: s - 10 }, secret);
    const byDefault = { operation: 'verify-jws', algorithms: ['HS256'], key: { jwk: secretJwk }, token: noExp };
    const err = await runError(byDefault, ctx());
    expect(err.code).toBe('ERR_JOSE_EXP_MISSING');
    expect(err.message).toContain('requireExp: false');
    // A text payload has no exp either.
    const text = `${b64(JSON.stringify({ alg: 'HS256' }))}.${b64('hello')}`;
    const textToken = `${text}.${createHmac('sha256', secret).update(text).digest('base64url')}`;
    expect((await runError({ ...byDefault, token: textToken }, ctx())).code).toBe('ERR_JOSE_EXP_MISSING');
    expect(await runStep({ ...byDefault, requireExp: false }, ctx())).toMatchObject({ verified: true, claims: { sub: 'u' } });
    expect(await runStep({ ...byDefault, token: textToken, requireExp: false }, ctx())).toMatchObject({ verified: true, payload: 'hello' });
    const withExp = hs256({ alg: 'HS256' }, { sub: 'u', exp: s + 60 }, secret);
    expect(await runStep({ ...byDefault, token: withExp }, ctx())).toMatchObject({ verified: true });
    const nested = (await runStep({
      operation: 'generate-nested', algorithm: 'ES256', jweAlgorithm: 'RSA-OAEP-256', encryption: 'A256GCM',
      key: { jwk: k.p256.privateJwk }, encryptionKey: { jwk: k.rsa.publicJwk }, subject: 'u',
    }, ctx())) as JsonObject;
    const verifyNested = {
      operation: 'verify-nested', algorithms: ['ES256'], jweAlgorithms: ['RSA-OAEP-256'],
      key: { jwk: k.p256.publicJwk }, encryptionKey: { jwk: k.rsa.privateJwk }, token: nested.jwe as string,
    };
    expect((await runError(verifyNested, ctx())).code).toBe('ERR_JOSE_EXP_MISSING');
    expect(await runStep({ ...verifyNested, requireExp: false }, ctx())).toMatchObject({ verified: true, claims: { sub: 'u' } });
  });

  it('expired and not-yet-valid tokens are refused; tolerance applies', async () => {
    const expired = hs256({ alg: 'HS256' }, { exp: s - 10 }, secret);
    expect((await runError(verifyHs(expired), ctx())).code).toBe('ERR_JOSE_TOKEN_EXPIRED');
    expect(await runStep(verifyHs(expired, { clockToleranceSec: 30 }), ctx())).toMatchObject({ verified: true });
    const atExp = hs256({ alg: 'HS256' }, { exp: s }, secret);
    expect((await runError(verifyHs(atExp), ctx())).code).toBe('ERR_JOSE_TOKEN_EXPIRED');
    const early = hs256({ alg: 'HS256' }, { nbf: s + 10 }, secret);
    expect((await runError(verifyHs(early), ctx())).code).toBe('ERR_JOSE_TOKEN_NOT_YET_VALID');
    expect(await runStep(verifyHs(early, { clockToleranceSec: 10 }), ctx())).toMatchObject({ verified: true });
  });

  it('expectations: issuer, audience, subject, typ, required claims, max age', async () => {
    const token = hs256({ alg: 'HS256', typ: 'JWT' }, { iss: 'a', aud: ['x', 'y'], sub: 'u', iat: s - 100 }, secret);
    const run = (extra: JsonObject) => runError(verifyHs(token, extra), ctx());
    expect((await run({ issuer: 'b' })).code).toBe('ERR_JOSE_CLAIM_MISMATCH');
    expect((await run({ audience: 'z' })).code).toBe('ERR_JOSE_CLAIM_MISMATCH');
    expect((await run({ subject: 'v' })).code).toBe('ERR_JOSE_CLAIM_MISMATCH');
    expect((await run({ typ: 'at+jwt' })).code).toBe('ERR_JOSE_TYP_MISMATCH');
    expect((await run({ requiredClaims: ['exp'] })).code).toBe('ERR_JOSE_CLAIM_MISSING');
    expect((await run({ maxTokenAgeSec: 50 })).code).toBe('ERR_JOSE_TOKEN_TOO_OLD');
    const ok = await runStep(verifyHs(token, { issuer: ['a', 'b'], audience: 'y', subject: 'u', typ: 'application/jwt', requiredClaims: ['iat'], maxTokenAgeSec: 200 }), ctx());
    expect(ok).toMatchObject({ verified: true, claims: { iss: 'a' } });
    const bad = hs256({ alg: 'HS256' }, { exp: 'tomorrow' }, secret);
    expect((await runError(verifyHs(bad), ctx())).code).toBe('ERR_JOSE_CLAIM_INVALID');
  });

  it('a signature made with another key is refused', async () => {
    const other = await new CompactSign(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'HS256' }).sign(Buffer.from(octJwk(32).k as string, 'base64url'));
    expect((await runError(verifyHs(other))).code).toBe('ERR_JOSE_SIGNATURE_INVALID');
  });
});
