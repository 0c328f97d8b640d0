// Signing keys: generation per algorithm, sealed storage through the store, signing and verifying after reload.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, jwtVerify, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { SecretBox } from './envelope.js';
import { MasterKey } from './master-key.js';
import {
  createSealedSigningKey,
  generateSigningKey,
  openPrivateJwk,
  openSigningKey,
  openVerificationKey,
  SIGNING_ALGORITHMS,
} from './signing-keys.js';

const box = new SecretBox(new MasterKey(randomBytes(32)));
let dir: string;
let store: Store;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipegate-sk-'));
  store = await openStore(`sqlite:${join(dir, 'p.db')}`);
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('generateSigningKey', () => {
  it('defaults to ES256 with an RFC 7638 thumbprint kid and a public-only JWK', async () => {
    const k = await generateSigningKey();
    expect(k.alg).toBe('ES256');
    expect(k.publicJwk).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      kid: k.kid,
      alg: 'ES256',
      use: 'sig',
    });
    expect(k.publicJwk).not.toHaveProperty('d');
    const { kty, crv, x, y } = k.publicJwk as JWK;
    expect(k.kid).toBe(await calculateJwkThumbprint({ kty, crv, x, y } as JWK, 'sha256'));
    expect(k.privateJwk).toHaveProperty('d');
  });

  it('gives HS256 a random kid and no public JWK', async () => {
    const k = await generateSigningKey('HS256');
    expect(k.publicJwk).toBeNull();
    expect(k.kid).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(String(k.privateJwk.k), 'base64url')).toHaveLength(32);
  });

  it('rejects an unknown algorithm as a programmer error', async () => {
    await expect(generateSigningKey('none' as 'ES256')).rejects.toBeInstanceOf(TypeError);
  });
});

describe.each(SIGNING_ALGORITHMS)('%s key sealed in the store', (alg) => {
  it('signs after reload, verifies with the published key, and keeps the private part encrypted', async () => {
    const env = `env-${alg}`;
    const sealed = await createSealedSigningKey(box, env, 'local', alg);
    const stored = await store.signingKeys.create(env, sealed);
    const reloaded = await store.signingKeys.get(env, stored.kid);
    if (!reloaded) throw new Error('key not stored');
    const priv = openPrivateJwk(box, reloaded);
    const secretPart = String(priv.d ?? priv.k);
    expect(reloaded.privateKeyEncrypted).not.toContain(secretPart);
    expect(JSON.stringify(reloaded.publicJwk)).not.toContain(secretPart);
    const token = await new SignJWT({ sub: 'acme' })
      .setProtectedHeader({ alg, kid: reloaded.kid, typ: 'at+jwt' })
      .sign(await openSigningKey(box, reloaded));
    const { payload } = await jwtVerify(token, await openVerificationKey(box, reloaded), {
      algorithms: [alg],
    });
    expect(payload.sub).toBe('acme');
    // The sealed private key is bound to its record: another kid, realm or environment cannot open it.
    expect(() => openPrivateJwk(box, { ...reloaded, kid: 'other' })).toThrow(
      expect.objectContaining({ code: 'ERR_SECRET_DECRYPT' }),
    );
    expect(() => openPrivateJwk(box, { ...reloaded, environment: 'prod' })).toThrow(
      expect.objectContaining({ code: 'ERR_SECRET_DECRYPT' }),
    );
  });
});
