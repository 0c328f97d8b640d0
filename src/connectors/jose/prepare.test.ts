// Load-time checks of jose steps: each static mistake is reported with its code and JSON path.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json.js';
import { prepareStep } from '../../../test/support/jose-fake-context.js';
import { octJwk, testKeys } from '../../../test/support/jose-keys.js';
import { joseAccountLabels } from './key-source.js';
import { joseConnector } from './jose-connector.js';

const k = testKeys();
const hmac = { jwk: octJwk(32) };

const cases: Array<[string, JsonObject, Array<[string, string]>]> = [
  ['a valid generate-jws', { operation: 'generate-jws', algorithm: 'HS256', key: hmac }, []],
  ['unknown operation', { operation: 'sign', key: hmac }, [['/operation', 'ERR_JOSE_PARAMETER']]],
  ['missing algorithm', { operation: 'generate-jws', key: hmac }, [['/algorithm', 'ERR_JOSE_ALG_UNSUPPORTED']]],
  ['JWE alg for a JWS', { operation: 'generate-jws', algorithm: 'A128KW', key: hmac }, [['/algorithm', 'ERR_JOSE_ALG_UNSUPPORTED']]],
  ['unknown enc', { operation: 'generate-jwe', algorithm: 'dir', encryption: 'A512GCM', key: hmac }, [['/encryption', 'ERR_JOSE_ALG_UNSUPPORTED']]],
  ['none in the allow-list', { operation: 'verify-jws', algorithms: ['none'], key: hmac }, [['/algorithms/0', 'ERR_JOSE_ALG_UNSUPPORTED']]],
  ['PBES2 in the allow-list', { operation: 'decode-jwe', algorithms: ['PBES2-HS256+A128KW'], key: hmac }, [['/algorithms/0', 'ERR_JOSE_ALG_DISABLED']]],
  ['nested without jweAlgorithm', { operation: 'generate-nested', algorithm: 'HS256', key: hmac, encryptionKey: { jwk: k.rsa.publicJwk } }, [['/jweAlgorithm', 'ERR_JOSE_ALG_UNSUPPORTED']]],
  ['verify-nested without encryptionKey', { operation: 'verify-nested', algorithms: ['HS256'], jweAlgorithms: ['dir'], key: hmac }, [['/encryptionKey', 'ERR_JOSE_KEY_SOURCE']]],
  ['dir key of the wrong size for the encryption', { operation: 'generate-jwe', algorithm: 'dir', encryption: 'A128GCM', key: { jwk: octJwk(32) } }, [['/key/jwk', 'ERR_JOSE_KEY_MISMATCH']]],
  ['an allow-list the key cannot serve', { operation: 'verify-jws', algorithms: ['RS256', 'PS256'], key: { jwk: k.p256.publicJwk } }, [['/key/jwk', 'ERR_JOSE_KEY_MISMATCH']]],
  ['reserved custom header', { operation: 'generate-jws', algorithm: 'HS256', key: hmac, customHeaders: { jku: 'https://x' } }, [['/customHeaders/jku', 'ERR_JOSE_HEADER_RESERVED']]],
  ['PBES2 cap below 1000', { operation: 'generate-jws', algorithm: 'HS256', key: hmac, maxPbes2Count: 10 }, [['/maxPbes2Count', 'ERR_JOSE_PARAMETER']]],
  ['decrypt with a JWKS URL', { operation: 'decode-jwe', algorithms: ['RSA-OAEP'], key: { jwksUrl: 'https://x.example/jwks' } }, [['/key/jwksUrl', 'ERR_JOSE_KEY_SOURCE']]],
  ['decode needs no key', { operation: 'decode' }, []],
  ['an expression jwk is checked at run time', { operation: 'verify-jws', algorithms: ['RS256'], key: { jwk: '{{ message.jwk }}' } }, []],
];

describe('jose prepare', () => {
  it.each(cases)('%s', (_name, params, expected) => {
    const { errors } = prepareStep(params);
    expect(errors.map((e) => [e.subPath, e.code])).toEqual(expected);
  });

  it('declares the accounts a step uses to the loader', () => {
    const used: string[] = [];
    joseConnector.prepare!(
      { operation: 'generate-nested', algorithm: 'RS256', jweAlgorithm: 'RSA-OAEP', key: { account: 'signer' }, encryptionKey: { account: 'recipient' } },
      { path: '/steps/0', report: () => undefined, useAccount: (label) => void used.push(label) },
    );
    expect(used).toEqual(['signer', 'recipient']);
  });

  it('names the accounts a step uses', () => {
    expect(joseAccountLabels({ key: { account: 'a' }, encryptionKey: { account: 'b' } })).toEqual(['a', 'b']);
    expect(joseAccountLabels({ key: { jwk: {} } })).toEqual([]);
  });

  it('marks the expression-enabled parameters and keeps literal the ones checked at load', () => {
    const rendered = Object.entries(joseConnector.parameters).filter(([, p]) => p.expression === 'render').map(([n]) => n).sort();
    expect(rendered).toEqual([
      'audience', 'customClaims', 'customHeaders', 'encryptionKey', 'expirationMs', 'issuedAtMs', 'issuer', 'jwtId', 'key',
      'notBeforeMs', 'payload', 'subject', 'token', 'typ',
    ]);
    for (const p of Object.values(joseConnector.parameters)) expect(p.description.length).toBeGreaterThan(20);
  });
});
