// Key sources: every account type, PEM and passphrases, certificate chains, inline JWK text, JWK Sets.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccountValue } from '../../core/account-types.js';
import type { JsonObject } from '../../core/json.js';
import { fakeContext, prepareStep, runError, runStep } from '../../../test/support/jose-fake-context.js';
import { octJwk, testKeys } from '../../../test/support/jose-keys.js';

const k = testKeys();
const fixtures = resolve(import.meta.dirname, '../../../test/support/fixtures');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');

const accounts: Record<string, AccountValue> = {
  rawSecret: { type: 'secret-key', value: 'a raw secret of at least thirty-two bytes!', encoding: 'raw' },
  b64Secret: { type: 'secret-key', value: Buffer.alloc(48, 7).toString('base64'), encoding: 'base64' },
  rsaPrivate: { type: 'private-key', pem: k.rsa.privatePem },
  rsaPublic: { type: 'public-key', pem: k.rsa.publicPem },
  encrypted: { type: 'private-key', pem: fixture('jose-key-encrypted.pem'), passphrase: 'test-pass' },
  wrongPass: { type: 'private-key', pem: fixture('jose-key-encrypted.pem'), passphrase: 'nope' },
  chainWithKey: { type: 'certificate-chain', pem: fixture('jose-chain-with-key.pem') },
  chainCert: { type: 'certificate-chain', pem: fixture('jose-chain-cert-only.pem') },
  jwkSet: { type: 'jwk', jwk: { keys: [{ ...k.p256.publicJwk, kid: 'a' }, { ...k.p384.publicJwk, kid: 'b' }] } },
  basic: { type: 'basic', username: 'u', password: 'secret-password' },
};
const ctx = () => fakeContext({ accounts });

async function sign(key: JsonObject, algorithm: string): Promise<string> {
  const out = (await runStep({ operation: 'generate-jws', algorithm, key, payload: { v: 1 } }, ctx())) as JsonObject;
  return out.jws as string;
}
const verify = (key: JsonObject, algorithm: string, token: string) =>
  runStep({ operation: 'verify-jws', requireExp: false, algorithms: [algorithm], key, token }, ctx());

describe('jose key sources: accounts', () => {
  it.each([
    ['raw secret', { account: 'rawSecret' }, { account: 'rawSecret' }, 'HS256'],
    ['base64 secret', { account: 'b64Secret' }, { account: 'b64Secret' }, 'HS384'],
    ['PEM private / public', { account: 'rsaPrivate' }, { account: 'rsaPublic' }, 'PS256'],
    ['private key verifies through its public half', { account: 'rsaPrivate' }, { account: 'rsaPrivate' }, 'RS256'],
    ['passphrase-protected PEM / certificate', { account: 'encrypted' }, { account: 'chainCert' }, 'ES256'],
    ['certificate chain with key / certificate', { account: 'chainWithKey' }, { account: 'chainCert' }, 'ES256'],
  ])('%s', async (_name, signKey, verifyKey, alg) => {
    const token = await sign(signKey, alg);
    expect(await verify(verifyKey, alg, token)).toMatchObject({ verified: true, claims: { v: 1 } });
  });

  it('the base64 secret is decoded, not used as text', async () => {
    const token = await sign({ account: 'b64Secret' }, 'HS256');
    const asText = { kty: 'oct', k: Buffer.from(Buffer.alloc(48, 7).toString('base64')).toString('base64url') };
    expect((await runError({ operation: 'verify-jws', requireExp: false, algorithms: ['HS256'], key: { jwk: asText }, token })).code).toBe('ERR_JOSE_SIGNATURE_INVALID');
    const asBytes = { kty: 'oct', k: Buffer.alloc(48, 7).toString('base64url') };
    expect(await runStep({ operation: 'verify-jws', requireExp: false, algorithms: ['HS256'], key: { jwk: asBytes }, token })).toMatchObject({ verified: true });
  });

  it('a JWK Set account selects by kid', async () => {
    const token = await sign({ jwk: { ...k.p384.privateJwk, kid: 'b' } }, 'ES384');
    expect(await verify({ account: 'jwkSet' }, 'ES384', token)).toMatchObject({ verified: true, header: { kid: 'b' } });
    const unknown = await sign({ jwk: { ...k.p384.privateJwk, kid: 'c' } }, 'ES384');
    expect((await runError({ operation: 'verify-jws', requireExp: false, algorithms: ['ES384'], key: { account: 'jwkSet' }, token: unknown }, ctx())).code).toBe('ERR_JOSE_KEY_NOT_FOUND');
  });

  it('refuses accounts that hold no usable key', async () => {
    expect((await runError({ operation: 'generate-jws', algorithm: 'HS256', key: { account: 'basic' } }, ctx())).code).toBe('ERR_JOSE_ACCOUNT_TYPE');
    expect((await runError({ operation: 'generate-jws', algorithm: 'RS256', key: { account: 'rsaPublic' } }, ctx())).code).toBe('ERR_JOSE_KEY_MISMATCH');
    expect((await runError({ operation: 'generate-jws', algorithm: 'ES256', key: { account: 'chainCert' } }, ctx())).code).toBe('ERR_JOSE_KEY_MISMATCH');
    const wrong = await runError({ operation: 'generate-jws', algorithm: 'ES256', key: { account: 'wrongPass' } }, ctx());
    expect(wrong.code).toBe('ERR_JOSE_KEY_INVALID');
    expect(wrong.message).toContain('account "wrongPass"');
  });

  it('needs the accounts host service', async () => {
    const err = await runError({ operation: 'generate-jws', algorithm: 'HS256', key: { account: 'rawSecret' } }, fakeContext());
    expect(err.code).toBe('ERR_JOSE_ACCOUNTS_UNAVAILABLE');
  });
});

describe('jose key sources: inline JWK and load-time checks', () => {
  it('a rendered jwk expression may be JSON text', async () => {
    const key = octJwk(32);
    const params = { operation: 'generate-jws', algorithm: 'HS256', key: { jwk: '{{ message.jwk }}' } };
    const out = (await runStep(params, fakeContext(), { ...params, key: { jwk: JSON.stringify(key) } })) as JsonObject;
    expect(await runStep({ operation: 'verify-jws', requireExp: false, algorithms: ['HS256'], key: { jwk: key }, token: out.jws as string })).toMatchObject({ verified: true });
  });

  it.each([
    [{ account: 'a', jwk: {} }, 'ERR_JOSE_KEY_SOURCE'],
    [{}, 'ERR_JOSE_KEY_SOURCE'],
    [{ account: '{{ message.label }}' }, 'ERR_JOSE_KEY_SOURCE'],
    [{ jwksUrl: 'http://example.com/jwks' }, 'ERR_JOSE_KEY_SOURCE'],
    [{ jwk: { kty: 'oct', k: 'AAAA', alg: 'ES521' } }, 'ERR_JOSE_KEY_INVALID'],
    [{ jwk: { keys: [octJwk(32, { kid: 'x' }), octJwk(32, { kid: 'x' })] } }, 'ERR_JOSE_KEY_SET_INVALID'],
    [{ jwk: { keys: [octJwk(32), k.p256.publicJwk] } }, 'ERR_JOSE_KEY_SET_INVALID'],
    [{ jwk: { ...k.p256.publicJwk, x: k.p384.publicJwk.x } }, 'ERR_JOSE_KEY_INVALID'],
  ])('key %j is refused at load', (key, code) => {
    expect(prepareStep({ operation: 'verify-jws', requireExp: false, algorithms: ['ES256', 'HS256'], key: key as JsonObject }).codes).toEqual([code]);
  });

  it('a JWKS URL cannot sign', () => {
    expect(prepareStep({ operation: 'generate-jws', algorithm: 'RS256', key: { jwksUrl: 'https://issuer.example/jwks' } }).codes).toEqual(['ERR_JOSE_KEY_SOURCE']);
  });

  it('JWK use, key_ops and alg restrict the key', () => {
    const base = { operation: 'verify-jws', requireExp: false, algorithms: ['ES256'] };
    expect(prepareStep({ ...base, key: { jwk: { ...k.p256.publicJwk, use: 'enc' } } }).codes).toEqual(['ERR_JOSE_KEY_MISMATCH']);
    expect(prepareStep({ ...base, key: { jwk: { ...k.p256.publicJwk, key_ops: ['encrypt'] } } }).codes).toEqual(['ERR_JOSE_KEY_MISMATCH']);
    expect(prepareStep({ ...base, key: { jwk: { ...k.p256.publicJwk, alg: 'ES384' } } }).codes).toEqual(['ERR_JOSE_KEY_MISMATCH']);
    expect(prepareStep({ ...base, key: { jwk: { ...k.p256.publicJwk, use: 'sig', key_ops: ['verify'], alg: 'ES256' } } }).codes).toEqual([]);
  });

  it('refuses RSA keys below 2048 bits', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }) as JsonObject;
    expect(prepareStep({ operation: 'verify-jws', requireExp: false, algorithms: ['RS256'], key: { jwk: small } }).codes).toEqual(['ERR_JOSE_KEY_WEAK']);
  });
});
