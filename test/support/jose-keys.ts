// Test keys for the jose connector, generated once per test file (JWK form, private and public halves).
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { JsonObject } from '../../src/core/json.js';

/** A key pair as JWKs. */
export interface JwkPair {
  privateJwk: JsonObject;
  publicJwk: JsonObject;
  privatePem: string;
  publicPem: string;
}

function pair(keys: { privateKey: KeyObject; publicKey: KeyObject }): JwkPair {
  return {
    privateJwk: keys.privateKey.export({ format: 'jwk' }) as JsonObject,
    publicJwk: keys.publicKey.export({ format: 'jwk' }) as JsonObject,
    privatePem: keys.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    publicPem: keys.publicKey.export({ format: 'pem', type: 'spki' }) as string,
  };
}

let cache: ReturnType<typeof build> | undefined;

function build() {
  return {
    rsa: pair(generateKeyPairSync('rsa', { modulusLength: 2048 })),
    p256: pair(generateKeyPairSync('ec', { namedCurve: 'prime256v1' })),
    p384: pair(generateKeyPairSync('ec', { namedCurve: 'secp384r1' })),
    p521: pair(generateKeyPairSync('ec', { namedCurve: 'secp521r1' })),
    k256: pair(generateKeyPairSync('ec', { namedCurve: 'secp256k1' })),
    ed25519: pair(generateKeyPairSync('ed25519')),
    ed448: pair(generateKeyPairSync('ed448')),
    x25519: pair(generateKeyPairSync('x25519')),
  };
}

/** The shared asymmetric test keys. */
export function testKeys(): ReturnType<typeof build> {
  cache ??= build();
  return cache;
}

/** An `oct` JWK of `bytes` random bytes. */
export function octJwk(bytes: number, extra: JsonObject = {}): JsonObject {
  return { kty: 'oct', k: randomBytes(bytes).toString('base64url'), ...extra };
}
