// Round trips through prepare/run for every algorithm of SPEC §5.2, and the output shapes.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json.js';
import { fakeContext, runError, runStep } from '../../../test/support/jose-fake-context.js';
import { octJwk, testKeys } from '../../../test/support/jose-keys.js';

const now = Date.UTC(2026, 0, 1);
const k = testKeys();

const jwsCases: Array<[string, JsonObject, JsonObject]> = [
  ['HS256', octJwk(32), {}],
  ['HS384', octJwk(48), {}],
  ['HS512', octJwk(64), {}],
  ['RS256', k.rsa.privateJwk, k.rsa.publicJwk],
  ['RS384', k.rsa.privateJwk, k.rsa.publicJwk],
  ['RS512', k.rsa.privateJwk, k.rsa.publicJwk],
  ['PS256', k.rsa.privateJwk, k.rsa.publicJwk],
  ['PS384', k.rsa.privateJwk, k.rsa.publicJwk],
  ['PS512', k.rsa.privateJwk, k.rsa.publicJwk],
  ['ES256', k.p256.privateJwk, k.p256.publicJwk],
  ['ES384', k.p384.privateJwk, k.p384.publicJwk],
  ['ES512', k.p521.privateJwk, k.p521.publicJwk],
  ['ES256K', k.k256.privateJwk, k.k256.publicJwk],
  ['EdDSA', k.ed25519.privateJwk, k.ed25519.publicJwk],
  ['EdDSA', k.ed448.privateJwk, k.ed448.publicJwk],
];

describe('jose connector: JWS round trips', () => {
  it.each(jwsCases)('%s signs and verifies', async (alg, signKey, verifyKey) => {
    const pub = Object.keys(verifyKey).length ? verifyKey : signKey;
    const gen = (await runStep({
      operation: 'generate-jws', algorithm: alg, key: { jwk: signKey },
      payload: { userID: 7 }, issuer: 'me', audience: ['a', 'b'], expirationMs: now + 60_000, issuedAtMs: now, typ: 'JWT',
    }, fakeContext({ now }))) as JsonObject;
    expect(gen.success).toBe(true);
    expect(typeof gen.jws).toBe('string');
    const out = (await runStep({
      operation: 'verify-jws', requireExp: false, algorithms: [alg], key: { jwk: pub }, token: gen.jws as string, issuer: 'me', audience: 'b', typ: 'jwt',
    }, fakeContext({ now }))) as JsonObject;
    expect(out).toEqual({
      success: true, verified: true,
      claims: { userID: 7, iss: 'me', aud: ['a', 'b'], exp: Math.floor(now / 1000) + 60, iat: Math.floor(now / 1000) },
      header: { alg, typ: 'JWT' },
    });
  });
});

const jweCases: Array<[string, string, JsonObject, JsonObject, JsonObject?]> = [
  ['RSA-OAEP', 'A256GCM', k.rsa.publicJwk, k.rsa.privateJwk],
  ['RSA-OAEP-256', 'A128CBC-HS256', k.rsa.publicJwk, k.rsa.privateJwk],
  ['RSA1_5', 'A128GCM', k.rsa.publicJwk, k.rsa.privateJwk, { allowRsa1_5: true }],
  ['RSA1_5', 'A192GCM', k.rsa.publicJwk, k.rsa.privateJwk, { allowRsa1_5: true }],
  ['RSA1_5', 'A256GCM', k.rsa.publicJwk, k.rsa.privateJwk, { allowRsa1_5: true }],
  ['RSA1_5', 'A128CBC-HS256', k.rsa.publicJwk, k.rsa.privateJwk, { allowRsa1_5: true }],
  ['RSA1_5', 'A192CBC-HS384', k.rsa.publicJwk, k.rsa.privateJwk, { allowRsa1_5: true }],
  ['RSA1_5', 'A256CBC-HS512', k.rsa.publicJwk, k.rsa.privateJwk, { allowRsa1_5: true }],
  ['A128KW', 'A128GCM', octJwk(16), {}],
  ['A192KW', 'A192GCM', octJwk(24), {}],
  ['A256KW', 'A256CBC-HS512', octJwk(32), {}],
  ['A128GCMKW', 'A192CBC-HS384', octJwk(16), {}],
  ['A192GCMKW', 'A256GCM', octJwk(24), {}],
  ['A256GCMKW', 'A128GCM', octJwk(32), {}],
  ['dir', 'A256GCM', octJwk(32), {}],
  ['dir', 'A128CBC-HS256', octJwk(32), {}],
  ['ECDH-ES', 'A256GCM', k.p256.publicJwk, k.p256.privateJwk],
  ['ECDH-ES+A128KW', 'A128GCM', k.p384.publicJwk, k.p384.privateJwk],
  ['ECDH-ES+A192KW', 'A192GCM', k.p521.publicJwk, k.p521.privateJwk],
  ['ECDH-ES+A256KW', 'A256GCM', k.x25519.publicJwk, k.x25519.privateJwk],
  ['PBES2-HS256+A128KW', 'A128GCM', { kty: 'oct', k: Buffer.from('correct horse').toString('base64url') }, {}, { allowPbes2: true }],
  ['PBES2-HS384+A192KW', 'A192GCM', { kty: 'oct', k: Buffer.from('battery staple').toString('base64url') }, {}, { allowPbes2: true }],
  ['PBES2-HS512+A256KW', 'A256GCM', { kty: 'oct', k: Buffer.from('tr0ub4dor').toString('base64url') }, {}, { allowPbes2: true }],
];

describe('jose connector: JWE round trips', () => {
  it.each(jweCases)('%s with %s encrypts and decrypts', async (alg, enc, encKey, decKey, extra = {}) => {
    const priv = Object.keys(decKey).length ? decKey : encKey;
    const gen = (await runStep({ operation: 'generate-jwe', algorithm: alg, encryption: enc, key: { jwk: encKey }, payload: 'hello wörld', ...extra })) as JsonObject;
    expect(gen.success).toBe(true);
    const out = (await runStep({ operation: 'decode-jwe', algorithms: [alg], key: { jwk: priv }, token: gen.jwe as string, ...extra })) as JsonObject;
    expect(out).toMatchObject({ success: true, payload: 'hello wörld', header: { alg, enc } });
  });

  it('parses JSON payloads into payloadJson', async () => {
    const key = octJwk(32);
    const gen = (await runStep({ operation: 'generate-jwe', algorithm: 'A256KW', key: { jwk: key }, payload: { a: [1, 2] } })) as JsonObject;
    const out = (await runStep({ operation: 'decode-jwe', algorithms: ['A256KW'], key: { jwk: key }, token: gen.jwe as string })) as JsonObject;
    expect(out).toEqual({ success: true, payload: '{"a":[1,2]}', payloadJson: { a: [1, 2] }, header: { alg: 'A256KW', enc: 'A256GCM' } });
  });
});

describe('jose connector: nested and decode', () => {
  it('generate-nested then verify-nested', async () => {
    const gen = (await runStep({
      operation: 'generate-nested', algorithm: 'ES256', jweAlgorithm: 'RSA-OAEP-256', encryption: 'A256GCM',
      key: { jwk: k.p256.privateJwk }, encryptionKey: { jwk: k.rsa.publicJwk }, subject: 'alice', expirationMs: now + 1000,
    }, fakeContext({ now }))) as JsonObject;
    const out = (await runStep({
      operation: 'verify-nested', requireExp: false, algorithms: ['ES256'], jweAlgorithms: ['RSA-OAEP-256'],
      key: { jwk: k.p256.publicJwk }, encryptionKey: { jwk: k.rsa.privateJwk }, token: gen.jwe as string, subject: 'alice',
    }, fakeContext({ now }))) as JsonObject;
    expect(out).toMatchObject({
      success: true, verified: true, claims: { sub: 'alice' }, header: { alg: 'ES256' },
      jweHeader: { alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' },
    });
  });

  it('decode reads without verifying and says so', async () => {
    const gen = (await runStep({ operation: 'generate-jws', algorithm: 'HS256', key: { jwk: octJwk(32) }, payload: { x: 1 } })) as JsonObject;
    expect(await runStep({ operation: 'decode', token: gen.jws as string })).toEqual({
      success: true, verified: false, header: { alg: 'HS256' }, claims: { x: 1 },
    });
    const jwe = (await runStep({ operation: 'generate-jwe', algorithm: 'dir', key: { jwk: octJwk(32) }, payload: 'x' })) as JsonObject;
    expect(await runStep({ operation: 'decode', token: jwe.jwe as string })).toEqual({
      success: true, verified: false, header: { alg: 'dir', enc: 'A256GCM' }, encrypted: true,
    });
  });

  it('verify-jws returns non-JSON payloads as text', async () => {
    const key = octJwk(32);
    const gen = (await runStep({ operation: 'generate-jws', algorithm: 'HS256', key: { jwk: key }, payload: 'plain text' })) as JsonObject;
    expect(await runStep({ operation: 'verify-jws', requireExp: false, algorithms: ['HS256'], key: { jwk: key }, token: gen.jws as string })).toEqual({
      success: true, verified: true, claims: null, payload: 'plain text', header: { alg: 'HS256' },
    });
  });

  it('never mangles a binary payload into text', async () => {
    const { CompactEncrypt, CompactSign } = await import('jose');
    const bytes = new Uint8Array([0xff, 0xfe, 0x00, 0x80]);
    const key = octJwk(32);
    const raw = Buffer.from(key.k as string, 'base64url');
    const jwe = await new CompactEncrypt(bytes).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(raw);
    expect(await runStep({ operation: 'decode-jwe', algorithms: ['dir'], key: { jwk: key }, token: jwe })).toEqual({
      success: true, payload: null, payloadBase64: '__4AgA', header: { alg: 'dir', enc: 'A256GCM' },
    });
    const jws = await new CompactSign(bytes).setProtectedHeader({ alg: 'HS256' }).sign(raw);
    expect(await runStep({ operation: 'verify-jws', requireExp: false, algorithms: ['HS256'], key: { jwk: key }, token: jws })).toEqual({
      success: true, verified: true, claims: null, payload: null, payloadBase64: '__4AgA', header: { alg: 'HS256' },
    });
    expect(await runStep({ operation: 'decode', token: jws })).toMatchObject({ verified: false, payload: null, payloadBase64: '__4AgA' });
  });

  it('puts the JWK kid into generated headers', async () => {
    const key = octJwk(32, { kid: 'k1' });
    const gen = (await runStep({ operation: 'generate-jws', algorithm: 'HS256', key: { jwk: key } })) as JsonObject;
    const out = (await runStep({ operation: 'decode', token: gen.jws as string })) as JsonObject;
    expect(out.header).toEqual({ alg: 'HS256', kid: 'k1' });
  });

  it('reports a claim given twice', async () => {
    const err = await runError({ operation: 'generate-jws', algorithm: 'HS256', key: { jwk: octJwk(32) }, payload: { iss: 'x' }, issuer: 'y' });
    expect(err.code).toBe('ERR_JOSE_CLAIM_CONFLICT');
  });
});
