// External issuers end to end: a real IdP on loopback (node:http serving OIDC discovery + JWKS,
// signing with jose, and one token signed by python jwcrypto), `pipegate issuers`, auth.jwt.issuers.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWK, KeyObject } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { missingPeerPackages, peerPlan, peerPython } from '../support/peer-tools.js';
import { consumer, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const plan = peerPlan(missingPeerPackages().filter((p) => p === 'python3-jwcrypto'));
const peerScript = resolve(import.meta.dirname, '../interop/jose_peer.py');

interface Key {
  kid: string;
  alg: string;
  priv: KeyObject;
  jwk: JWK;
  privJwk: JWK;
}

async function newKey(kid: string, alg: string): Promise<Key> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' };
  return {
    kid,
    alg,
    priv: pair.privateKey as KeyObject,
    jwk,
    privJwk: await exportJWK(pair.privateKey),
  };
}

/** The IdP: discovery, JWKS (published keys settable), request counts. */
const idp = {
  server: null as Server | null,
  url: '',
  published: [] as Key[],
  jwksHits: 0,
  discoveryHits: 0,
};

let h: Harness;
let k1: Key;
let k2: Key;
let ec: Key;
let platformKey: string;

const page = (auth: { jwt: unknown; scopes?: string[] }): string =>
  JSON.stringify({
    name: 'whoami',
    version: '1.0',
    trigger: { type: 'rest', methods: ['GET'], auth },
    steps: [
      {
        type: 'json-generator',
        json: {
          issuer: '{{ metadata.auth.issuer }}',
          subject: '{{ metadata.auth.subject }}',
          scopes: '{{ metadata.auth.scopes }}',
          email: '{{ metadata.auth.claims.email }}',
        },
      },
    ],
  });

async function token(
  key: Key,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: idp.url,
    sub: 'user-42',
    aud: 'orders-api',
    iat: now,
    exp: now + 300,
    scp: ['orders:read'],
    email: 'u42@example.com',
    ...claims,
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header })
    .sign(key.priv);
}

const get = (path: string, bearer: string): Promise<Response> =>
  h.fetch(path, { headers: { authorization: `Bearer ${bearer}` } });
const EXT = '/pipeline/local/v1/whoami';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main([...args, '--data-dir', h.dataDir], {
    stdout: (t) => void (out += t),
    stderr: (t) => void (out += t),
    env: {},
    cwd: h.root,
  });
  return { code, out };
}

beforeAll(async () => {
  k1 = await newKey('k1', 'RS256');
  k2 = await newKey('k2', 'RS256');
  ec = await newKey('ec1', 'ES256');
  idp.published = [k1, ec];
  idp.server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      idp.discoveryHits += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ issuer: idp.url, jwks_uri: `${idp.url}/jwks` }));
    } else if (req.url === '/jwks') {
      idp.jwksHits += 1;
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'public, max-age=600');
      res.end(JSON.stringify({ keys: idp.published.map((k) => k.jwk) }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => idp.server!.listen(0, '127.0.0.1', r));
  idp.url = `http://127.0.0.1:${(idp.server.address() as AddressInfo).port}`;
  h = await startHarness(
    {
      'whoami.json': page({ jwt: { issuers: ['corp'] }, scopes: ['orders:read'] }),
      'mixed.json': page({ jwt: { issuers: ['platform', 'corp'] } }).replace('whoami', 'mixed'),
      'own.json': page({ jwt: true }).replace('whoami', 'own'),
      'blocked.json': page({ jwt: { issuers: ['metadata'] } }).replace('whoami', 'blocked'),
      'down.json': page({ jwt: { issuers: ['down'] } }).replace('whoami', 'down'),
    },
    // The IdP listens on loopback, which the egress policy blocks by default (docs/egress.md).
    { allowEgress: ['127.0.0.1'] },
  );
  platformKey = await consumer(h, 'svc', { scopes: ['read'] });
  const add = await cli([
    'issuers',
    'add',
    'corp',
    '--discovery',
    `${idp.url}/.well-known/openid-configuration`,
    '--audience',
    'orders-api',
    '--algorithms',
    'RS256,ES256',
    '--scope-claim',
    'scp',
  ]);
  expect(add).toMatchObject({ code: 0 });
  // 169.254.169.254 (link-local) stays blocked: --allow-egress opened 127.0.0.1 only.
  await cli([
    'issuers',
    'add',
    'metadata',
    '--issuer',
    'http://169.254.169.254',
    '--jwks-url',
    'http://169.254.169.254/jwks',
  ]);
  // A closed port: the IdP is down.
  await cli([
    'issuers',
    'add',
    'down',
    '--issuer',
    'http://127.0.0.1:9',
    '--jwks-url',
    'http://127.0.0.1:9/jwks',
  ]);
});
afterAll(async () => {
  await h?.close();
  await new Promise((r) => idp.server?.close(r));
});

describe('pipegate issuers', () => {
  it('list, show (--json), and refuses unsafe settings', async () => {
    const list = await cli(['issuers', 'list', '--json']);
    expect(list.code).toBe(0);
    const doc = JSON.parse(list.out) as { issuers: { name: string }[] };
    expect(doc.issuers.map((i) => i.name)).toEqual(['corp', 'down', 'metadata']);
    const show = await cli(['issuers', 'show', 'corp', '--json']);
    expect(JSON.parse(show.out)).toMatchObject({
      issuer: {
        name: 'corp',
        audience: 'orders-api',
        algorithms: ['RS256', 'ES256'],
        scopeClaim: 'scp',
      },
    });
    const hs = await cli([
      'issuers',
      'add',
      'bad',
      '--issuer',
      'https://x',
      '--jwks-url',
      'https://x/j',
      '--algorithms',
      'HS256',
    ]);
    expect(hs.code).not.toBe(0);
    expect(hs.out).toContain('ERR_ISSUER_INVALID');
    const none = await cli([
      'issuers',
      'add',
      'bad',
      '--issuer',
      'https://x',
      '--jwks-url',
      'https://x/j',
      '--algorithms',
      'none',
    ]);
    expect(none.out).toContain('ERR_ISSUER_INVALID');
    const dup = await cli([
      'issuers',
      'add',
      'corp',
      '--issuer',
      'https://x',
      '--jwks-url',
      'https://x/j',
    ]);
    expect(dup.out).toContain('ERR_ISSUER_EXISTS');
    const gone = await cli(['issuers', 'remove', 'nope']);
    expect(gone.out).toContain('ERR_ISSUER_UNKNOWN');
  });
});

describe('tokens of an external issuer', () => {
  it('a valid IdP token opens the route; metadata.auth has the issuer, subject, claims and scp scopes', async () => {
    const res = await get(EXT, await token(k1));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      issuer: 'corp',
      subject: 'user-42',
      scopes: ['orders:read'],
      email: 'u42@example.com',
    });
    // Discovery and JWKS were fetched once; later requests use the cache (max-age 600).
    const hits = idp.jwksHits;
    expect((await get(EXT, await token(k1))).status).toBe(200);
    expect(idp.jwksHits).toBe(hits);
  });

  it('refuses wrong aud, wrong iss, expired, not yet valid, missing scope, HS256, none and a forged signature', async () => {
    const now = Math.floor(Date.now() / 1000);
    // Each refusal with its status and the precise reason the usage log keeps.
    const cases: [string, number, string][] = [
      [await token(k1, { aud: 'another-api' }), 401, 'wrong_audience'],
      [await token(k1, { iss: 'https://evil.example' }), 401, 'wrong_issuer'],
      [await token(k1, { exp: now - 120 }), 401, 'token_expired'],
      [await token(k1, { nbf: now + 600 }), 401, 'not_yet_valid'],
      [await token(k1, { scp: ['orders:write'] }), 403, 'insufficient_scope'],
      [await token(k2, {}, { kid: 'k1' }), 401, 'bad_signature'],
      [await token(k1, { sub: undefined }), 401, 'malformed'],
    ];
    const hmac = await new SignJWT({ iss: idp.url, sub: 'x', aud: 'orders-api', exp: now + 60 })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes'));
    cases.push([hmac, 401, 'alg_not_allowed']);
    const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    cases.push([
      `${enc({ alg: 'none', kid: 'k1' })}.${enc({ iss: idp.url, sub: 'x', aud: 'orders-api', exp: now + 60 })}.`,
      401,
      'alg_not_allowed',
    ]);
    const keys: [string, string][] = [];
    for (const [t, status, reason] of cases) {
      const res = await get(EXT, t);
      expect(res.status).toBe(status);
      if (status === 401)
        expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
      keys.push([res.headers.get('x-pipegate-execution-key')!, reason]);
    }
    await h.gw.usage.flush();
    const events = await h.gw.store.usage.query(h.gw.environment, { limit: 500 });
    // Refusals with the same subject and reason are aggregated into the first one's event
    // (docs/monitoring.md), so each reason is checked on its first request.
    const first = keys.filter(([, r], i) => keys.findIndex(([, r2]) => r2 === r) === i);
    expect(first).toHaveLength(8);
    for (const [key, reason] of first) {
      expect(events.find((e) => e.executionKey === key)).toMatchObject({
        kind: 'auth',
        outcome: 'denied',
        reason,
        credentialKind: 'jwt',
      });
    }
  });

  it('an unknown kid within the refetch cooldown is refused without hammering the IdP', async () => {
    // The keys were fetched moments ago: a new kid does not cause a fetch for 30 s (issuer-keys.test.ts
    // covers the refetch after the cooldown with a controlled clock).
    const before = idp.jwksHits;
    idp.published = [k1, k2, ec];
    for (let i = 0; i < 5; i++) expect((await get(EXT, await token(k2))).status).toBe(401);
    expect(idp.jwksHits).toBe(before);
  });

  it('platform and external tokens on a route listing both; an external token on a platform-only route is refused', async () => {
    const res = await h.fetch('/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', apikey: platformKey },
      body: 'grant_type=client_credentials',
    });
    const platform = ((await res.json()) as { access_token: string }).access_token;
    expect((await get('/pipeline/local/v1/mixed', platform)).status).toBe(200);
    expect((await get('/pipeline/local/v1/mixed', await token(k1))).status).toBe(200);
    expect((await get('/pipeline/local/v1/own', await token(k1))).status).toBe(401);
    expect((await get(EXT, platform)).status).toBe(401);
  });

  it('keys that cannot be fetched are a 503, never a 401: IdP down, or refused by the egress policy', async () => {
    const down = await get(
      '/pipeline/local/v1/down',
      await token(k1, { iss: 'http://127.0.0.1:9' }),
    );
    expect(down.status).toBe(503);
    const blocked = await get(
      '/pipeline/local/v1/blocked',
      await token(k1, { iss: 'http://169.254.169.254' }),
    );
    expect(blocked.status).toBe(503);
    const log = h.logs.filter((l) => l.includes('external issuer keys unavailable')).join('\n');
    expect(log).toContain('ERR_ISSUER_KEYS_UNAVAILABLE');
    expect(log).toContain('ERR_EGRESS_DENIED');
  });

  it.skipIf(plan.run)('peer available (python3-jwcrypto)', () => {
    throw new Error(plan.failure);
  });

  it.runIf(plan.run)('a token signed by python jwcrypto (ES256, no kid) is accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = JSON.stringify({
      iss: idp.url,
      sub: 'py-user',
      aud: 'orders-api',
      iat: now,
      exp: now + 300,
      scp: 'orders:read',
    });
    const out = execFileSync(peerPython, [peerScript], {
      input: JSON.stringify({
        tasks: [{ op: 'sign', lib: 'jwcrypto', alg: 'ES256', key: ec.privJwk, payload }],
      }),
    }).toString('utf8');
    const t = (JSON.parse(out) as { results: { token: string }[] }).results[0]!.token;
    const res = await get(EXT, t);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ subject: 'py-user', scopes: ['orders:read'] });
  });
});
