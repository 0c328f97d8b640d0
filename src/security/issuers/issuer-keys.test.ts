// IssuerKeys against a real JWKS server on loopback, with a controlled clock: cache, rotation, cooldown, stale keys.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundHttp } from '../../http-client/index.js';
import { EgressPolicy } from '../egress/index.js';
import { validateIssuer } from './issuer-config.js';
import { discoveryMatches, IssuerKeys, maxAgeOf } from './issuer-keys.js';

let server: Server;
let base = '';
let keys: JWK[] = [];
let hits = 0;
let status = 200;
const cacheControl = 'max-age=120';
const http = createOutboundHttp({ policy: new EgressPolicy(['127.0.0.1']) });

async function jwk(kid: string): Promise<JWK> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(pair.publicKey)), kid };
}

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits += 1;
    res.statusCode = status;
    res.setHeader('cache-control', cacheControl);
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await http.close();
  await new Promise((r) => server.close(r));
});

function source(clock: { now: number }): IssuerKeys {
  const config = validateIssuer({
    name: 'idp',
    issuer: base,
    jwksUrl: `${base}/jwks`,
    algorithms: ['ES256'],
  });
  return new IssuerKeys(config, { http, now: () => clock.now });
}

describe('IssuerKeys', () => {
  it('caches for max-age, refetches an unknown kid once per cooldown, uses stale keys while the IdP fails', async () => {
    keys = [await jwk('a')];
    hits = 0;
    status = 200;
    const clock = { now: 1_000_000 };
    const k = source(clock);
    expect((await k.lookup('a', 'ES256')).ok).toBe(true);
    expect((await k.lookup('a', 'ES256')).ok).toBe(true);
    expect(hits).toBe(1);
    // Rotation: kid b appears; the first lookup within the cooldown does not refetch.
    keys = [keys[0]!, await jwk('b')];
    clock.now += 10_000;
    expect(await k.lookup('b', 'ES256')).toEqual({ ok: false, reason: 'unknown_kid' });
    expect(hits).toBe(1);
    clock.now += 25_000; // 35 s after the fetch: past the 30 s cooldown.
    expect((await k.lookup('b', 'ES256')).ok).toBe(true);
    expect(hits).toBe(2);
    // Expired (max-age 120 s) and the IdP fails: stale keys serve for the stale period (1 h).
    status = 500;
    clock.now += 200_000;
    expect((await k.lookup('a', 'ES256')).ok).toBe(true);
    expect(hits).toBe(3);
    clock.now += 3_700_000;
    expect(await k.lookup('a', 'ES256')).toEqual({ ok: false, reason: 'unavailable' });
  });

  it('never fetched → unavailable; retries after the retry interval, not on every request', async () => {
    status = 503;
    hits = 0;
    const clock = { now: 5_000_000 };
    const k = source(clock);
    expect(await k.lookup('a', 'ES256')).toEqual({ ok: false, reason: 'unavailable' });
    expect(await k.lookup('a', 'ES256')).toEqual({ ok: false, reason: 'unavailable' });
    expect(hits).toBe(1);
    status = 200;
    clock.now += 6_000;
    expect((await k.lookup('a', 'ES256')).ok).toBe(true);
    expect(hits).toBe(2);
  });

  it('Cache-Control bounds and discovery issuer matching', () => {
    expect(maxAgeOf('public, max-age=600')).toBe(600);
    expect(maxAgeOf('no-store')).toBe(0);
    expect(maxAgeOf(undefined)).toBeNull();
    expect(
      discoveryMatches(
        'https://idp.example/t1/.well-known/openid-configuration',
        'https://idp.example/t1',
      ),
    ).toBe(true);
    expect(
      discoveryMatches(
        'https://idp.example/.well-known/oauth-authorization-server/t1',
        'https://idp.example/t1',
      ),
    ).toBe(true);
    expect(
      discoveryMatches(
        'https://evil.example/.well-known/openid-configuration',
        'https://idp.example',
      ),
    ).toBe(false);
  });
});
