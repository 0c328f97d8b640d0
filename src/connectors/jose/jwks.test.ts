// JWKS URL keys over a real HTTP server on 127.0.0.1: caching, refetch on unknown kid with cooldown, stale-while-error.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json.js';
import { fakeContext, runError, runStep } from '../../../test/support/jose-fake-context.js';
import { testKeys } from '../../../test/support/jose-keys.js';
import { JwksCache } from './lib/jwks-cache.js';

const k = testKeys();
const t0 = Date.UTC(2026, 0, 1);

/** Per-path server state: what to serve and how often it was asked. */
const routes = new Map<string, { status: number; body: JsonObject; hits: number }>();
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes.get(req.url ?? '');
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    route.hits += 1;
    res.writeHead(route.status, { 'content-type': 'application/json' }).end(JSON.stringify(route.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const signWith = async (jwk: JsonObject, alg: string): Promise<string> =>
  ((await runStep({ operation: 'generate-jws', algorithm: alg, key: { jwk }, payload: { ok: true } })) as JsonObject).jws as string;

function serve(path: string, keys: JsonObject[], status = 200) {
  const route = routes.get(path) ?? { status, body: {}, hits: 0 };
  route.status = status;
  route.body = { keys };
  routes.set(path, route);
  return route;
}

const verifyAt = (path: string, token: string, now: number) =>
  runStep({ operation: 'verify-jws', requireExp: false, algorithms: ['ES256', 'RS256'], key: { jwksUrl: `${base}${path}` }, token }, fakeContext({ now }));
const verifyErrorAt = (path: string, token: string, now: number) =>
  runError({ operation: 'verify-jws', requireExp: false, algorithms: ['ES256', 'RS256'], key: { jwksUrl: `${base}${path}` }, token }, fakeContext({ now }));

describe('jose JWKS URL', () => {
  it('fetches once and serves from the cache while fresh', async () => {
    const route = serve('/cache', [{ ...k.p256.publicJwk, kid: 'e1' }, { ...k.rsa.publicJwk, kid: 'r1' }]);
    const es = await signWith({ ...k.p256.privateJwk, kid: 'e1' }, 'ES256');
    const rs = await signWith({ ...k.rsa.privateJwk, kid: 'r1' }, 'RS256');
    expect(await verifyAt('/cache', es, t0)).toMatchObject({ verified: true });
    expect(await verifyAt('/cache', rs, t0 + 1000)).toMatchObject({ verified: true });
    expect(route.hits).toBe(1);
  });

  it('refetches on an unknown kid, at most once per cooldown', async () => {
    const route = serve('/rotate', [{ ...k.p256.publicJwk, kid: 'old' }]);
    const current = await signWith({ ...k.p256.privateJwk, kid: 'old' }, 'ES256');
    const rotated = await signWith({ ...k.rsa.privateJwk, kid: 'new' }, 'RS256');
    expect(await verifyAt('/rotate', current, t0)).toMatchObject({ verified: true });
    // Just fetched: an unknown kid does not trigger a second fetch inside the cooldown.
    expect((await verifyErrorAt('/rotate', rotated, t0 + 1_000)).code).toBe('ERR_JOSE_KEY_NOT_FOUND');
    expect(route.hits).toBe(1);
    expect((await verifyErrorAt('/rotate', rotated, t0 + 40_000)).code).toBe('ERR_JOSE_KEY_NOT_FOUND');
    expect(route.hits).toBe(2);
    serve('/rotate', [{ ...k.p256.publicJwk, kid: 'old' }, { ...k.rsa.publicJwk, kid: 'new' }]);
    expect((await verifyErrorAt('/rotate', rotated, t0 + 45_000)).code).toBe('ERR_JOSE_KEY_NOT_FOUND');
    expect(route.hits).toBe(2);
    expect(await verifyAt('/rotate', rotated, t0 + 71_000)).toMatchObject({ verified: true, header: { kid: 'new' } });
    expect(route.hits).toBe(3);
  });

  it('serves the stale set while the URL fails, then gives up after maxStale', async () => {
    const route = serve('/stale', [{ ...k.p256.publicJwk, kid: 's' }]);
    const token = await signWith({ ...k.p256.privateJwk, kid: 's' }, 'ES256');
    expect(await verifyAt('/stale', token, t0)).toMatchObject({ verified: true });
    serve('/stale', [], 500);
    const later = t0 + 11 * 60_000;
    expect(await verifyAt('/stale', token, later)).toMatchObject({ verified: true });
    expect(route.hits).toBe(2);
    expect(await verifyAt('/stale', token, later + 1000)).toMatchObject({ verified: true });
    expect(route.hits).toBe(2);
    const tooLate = t0 + 25 * 60 * 60_000;
    const err = await verifyErrorAt('/stale', token, tooLate);
    expect(err.code).toBe('ERR_JOSE_JWKS_FETCH');
    expect(err.message).toContain('HTTP status 500');
  });

  it('reports an unreachable or invalid set', async () => {
    const token = await signWith(k.p256.privateJwk, 'ES256');
    expect((await verifyErrorAt('/missing', token, t0)).code).toBe('ERR_JOSE_JWKS_FETCH');
    routes.set('/not-a-set', { status: 200, body: { hello: 'x' }, hits: 0 });
    expect((await verifyErrorAt('/not-a-set', token, t0)).code).toBe('ERR_JOSE_JWKS_FETCH');
  });

  it('encrypts to a key published in a JWKS (use enc, selected by alg)', async () => {
    serve('/enc', [{ ...k.p256.publicJwk, kid: 'sig', use: 'sig' }, { ...k.rsa.publicJwk, kid: 'enc', use: 'enc' }]);
    const gen = (await runStep({ operation: 'generate-jwe', algorithm: 'RSA-OAEP-256', key: { jwksUrl: `${base}/enc` }, payload: 'to you' }, fakeContext({ now: t0 }))) as JsonObject;
    const out = await runStep({ operation: 'decode-jwe', algorithms: ['RSA-OAEP-256'], key: { jwk: { ...k.rsa.privateJwk, kid: 'enc' } }, token: gen.jwe as string });
    expect(out).toMatchObject({ payload: 'to you', header: { alg: 'RSA-OAEP-256', kid: 'enc' } });
  });

  it('drops secret and private members of a remote set', async () => {
    const cache = new JwksCache({ maxAgeMs: 1000, cooldownMs: 1000, maxStaleMs: 0, fetchTimeoutMs: 2000, maxBytes: 100_000 });
    serve('/mixed', [{ kty: 'oct', k: 'AAAA', kid: 'sym' }, { ...k.p256.privateJwk, kid: 'priv' }]);
    const keys = await cache.get(`${base}/mixed`, t0);
    expect(keys.map((c) => [c.kid, c.key.type])).toEqual([['priv', 'public']]);
    expect(cache.fetches).toBe(1);
  });
});
