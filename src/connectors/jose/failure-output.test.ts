// Fail On Error shapes (SPEC §3 via errorOutput) and the promise that key material never reaches errors or logs.
import { describe, expect, it } from 'vitest';
import type { AccountValue } from '../../core/account-types.js';
import type { JsonObject } from '../../core/json.js';
import { PlatformError } from '../../errors/index.js';
import { fakeContext, runError, runStep } from '../../../test/support/jose-fake-context.js';
import { octJwk, testKeys } from '../../../test/support/jose-keys.js';
import { joseConnector } from './jose-connector.js';

const k = testKeys();
const secretText = 'S3cr3t-account-value-that-must-never-leak!!';
const passphrase = 'pass-phrase-that-must-never-leak';
const accounts: Record<string, AccountValue> = {
  hmac: { type: 'secret-key', value: secretText, encoding: 'raw' },
  rsa: { type: 'private-key', pem: k.rsa.privatePem },
  badPem: { type: 'private-key', pem: k.rsa.privatePem.replace('MII', 'MIX'), passphrase },
  basic: { type: 'basic', username: 'user', password: secretText },
  jwk: { type: 'jwk', jwk: { ...k.p256.privateJwk, kid: 'e' } },
};

/** Every string that would betray key material. */
const secrets = [
  secretText,
  passphrase,
  Buffer.from(secretText).toString('base64url'),
  ...k.rsa.privatePem.split('\n').filter((line) => line.length > 40),
  String(k.rsa.privateJwk.d),
  String(k.rsa.privateJwk.p),
  String(k.p256.privateJwk.d),
];

/** Everything a failure exposes: message, details, output for failOnError false, and the cause chain. */
function exposed(err: PlatformError): string {
  const parts: string[] = [err.message, JSON.stringify(err.details), JSON.stringify(joseConnector.errorOutput!(err))];
  let cause: unknown = err.cause;
  while (cause instanceof Error) {
    parts.push(cause.message, String(cause.stack));
    cause = cause.cause;
  }
  return parts.join('\n');
}

describe('jose failure output', () => {
  it('is { success: false, message, error, code } with the operation named', async () => {
    const err = await runError({ operation: 'verify-jws', algorithms: ['HS256'], key: { jwk: octJwk(32) }, token: 'a.b.c' });
    expect(joseConnector.errorOutput!(err)).toEqual({
      success: false,
      message: 'jose verify-jws failed',
      error: err.message,
      code: 'ERR_JOSE_TOKEN_FORMAT',
    });
    expect(joseConnector.failOnErrorDefault).toBe(false);
  });

  it('keeps the jose package error as the cause', async () => {
    const good = (await runStep({ operation: 'generate-jws', algorithm: 'HS256', key: { jwk: octJwk(32) } })) as JsonObject;
    const err = await runError({ operation: 'verify-jws', algorithms: ['HS256'], key: { jwk: octJwk(32) }, token: good.jws as string });
    expect(err.code).toBe('ERR_JOSE_SIGNATURE_INVALID');
    expect((err.cause as Error).name).toBe('JWSSignatureVerificationFailed');
    const dir = (await runStep({ operation: 'generate-jwe', algorithm: 'dir', key: { jwk: octJwk(32) }, payload: 'x' })) as JsonObject;
    const dec = await runError({ operation: 'decode-jwe', algorithms: ['dir'], key: { jwk: octJwk(32) }, token: dir.jwe as string });
    expect(dec.code).toBe('ERR_JOSE_DECRYPTION_FAILED');
    expect((dec.cause as Error).name).toBe('JWEDecryptionFailed');
  });
});

describe('jose failures never expose key material', () => {
  const ctx = () => fakeContext({ accounts });
  const failing: Array<[string, JsonObject]> = [
    ['wrong signature with an account secret', { operation: 'verify-jws', algorithms: ['HS256'], key: { account: 'hmac' }, token: 'eyJhbGciOiJIUzI1NiJ9.e30.AAAA' }],
    ['account secret used for RS256', { operation: 'generate-jws', algorithm: 'RS256', key: { account: 'hmac' } }],
    ['private key used for HS256', { operation: 'generate-jws', algorithm: 'HS256', key: { account: 'rsa' } }],
    ['corrupted PEM with passphrase', { operation: 'generate-jws', algorithm: 'RS256', key: { account: 'badPem' } }],
    ['basic account', { operation: 'generate-jws', algorithm: 'HS256', key: { account: 'basic' } }],
    ['JWK account on the wrong curve', { operation: 'generate-jws', algorithm: 'ES384', key: { account: 'jwk' } }],
    ['private RSA JWK restricted by alg', { operation: 'generate-jws', algorithm: 'RS256', key: { jwk: { ...k.rsa.privateJwk, alg: 'PS256' } } }],
    ['decrypt with a private JWK', { operation: 'decode-jwe', algorithms: ['RSA-OAEP'], key: { jwk: k.rsa.privateJwk }, token: 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA' }],
  ];

  it.each(failing)('%s', async (_name, params) => {
    const c = ctx();
    let err: PlatformError;
    try {
      err = await runError(params, c);
    } catch (loadError) {
      if (!(loadError instanceof PlatformError)) throw loadError;
      err = loadError;
    }
    expect(err.code).toMatch(/^ERR_JOSE_/);
    const text = exposed(err);
    for (const secret of secrets) expect(text.includes(secret), `leaked ${secret.slice(0, 6)}…`).toBe(false);
    expect(c.logs).toEqual([]);
  });

  it('the scan itself detects a leak (the test can fail)', () => {
    const leaky = new PlatformError('ERR_JOSE_OPERATION_FAILED', { operation: 'x', reason: secretText });
    expect(secrets.some((s) => exposed(leaky).includes(s))).toBe(true);
  });
});
