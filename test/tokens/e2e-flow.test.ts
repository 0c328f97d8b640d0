// The secured-API flow over real HTTP: login -> protected -> logout, every bad token, environments, rotation, interop.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompactSign, decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK } from 'jose';
import { createSealedSigningKey, SecretBox } from '../../src/security/index.js';
import { repoRoot, startE2e, type E2e } from './e2e-support.js';
import { missingPeerPackages, peerPlan, peerPython } from '../support/peer-tools.js';

const LEAKY_LOGIN = `name: leaky-login
version: "1.0"
trigger: { type: rest, methods: [POST], routes: [/leaky-auth], removePrefix: true, auth: { apiKey: true } }
steps:
  - type: transformer-jsonata
    expression: '{ "userID": body.userID, "credentials": { "Pass-Word": body.password } }'
  - type: jwt
    operation: generate
`;
const WRITER = `name: writer
version: "1.0"
trigger: { type: rest, methods: [GET], routes: [/write-resource], removePrefix: true, auth: { jwt: true, scopes: [write] } }
steps:
  - type: json-generator
    json: { ok: true }
`;

const INVALID = { message: 'Unauthorized', error: 'invalid_token' };

let e: E2e;
let adminKey: string;
beforeAll(async () => {
  e = await startE2e({ 'leaky.yaml': LEAKY_LOGIN, 'writer.yaml': WRITER });
  adminKey = await e.consumer('acme', ['read', 'write']);
}, 30_000);
afterAll(async () => {
  await e.close();
});

async function expectInvalid(res: Response, reason: string): Promise<void> {
  expect(res.status).toBe(401);
  expect(await res.json()).toEqual(INVALID);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="local", error="invalid_token"');
  const ev = await e.authEvent(res);
  expect(ev).toMatchObject({ outcome: 'denied', reason, credentialKind: 'jwt' });
}

async function signWith(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
): Promise<string> {
  const { kid, jwk } = await e.platformKey();
  return new CompactSign(Buffer.from(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt', ...header })
    .sign(await importJWK(jwk, 'ES256'));
}

async function freshToken(role = 'admin'): Promise<string> {
  return e.tokenOf(await e.login(adminKey, { userID: 'u-1', role, password: 'hunter2' }));
}

describe('login -> protected -> logout', () => {
  it('runs the whole flow and records every issuance and decision with execution keys', async () => {
    const login = await e.login(adminKey, { userID: 'u-1', role: 'admin', password: 'hunter2' });
    expect(login.status).toBe(200);
    expect(await login.json()).toEqual({ status: 'logged' });
    expect(login.headers.get('access-control-expose-headers')).toContain('Authorization');
    const token = e.tokenOf(login);
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      userID: 'u-1',
      role: 'admin',
      client_id: 'acme',
      scopes: ['read', 'write'],
      aud: 'local:test',
    });
    expect(JSON.stringify(claims)).not.toContain('hunter2');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });

    const ok = await e.get('/protected-resource', token);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ consumer: 'acme', userID: 'u-1', role: 'admin' });
    expect(await e.authEvent(ok)).toMatchObject({
      outcome: 'allowed',
      jti: claims.jti,
      consumer: 'acme',
    });

    const loginKey = login.headers.get('x-pipegate-execution-key');
    await e.gw.usage.flush();
    const [issued] = await e.gw.store.usage.query('test', { jti: claims.jti!, kind: 'issued' });
    expect(issued).toMatchObject({
      executionKey: loginKey,
      pipeline: 'auth-login',
      consumer: 'acme',
      exp: claims.exp,
    });

    const logout = await fetch(`${e.gw.url}/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(logout.status).toBe(200);
    const reused = await e.get('/protected-resource', token);
    await expectInvalid(reused, 'revoked');
    // The genuine-but-revoked token is attributed to its jti and consumer (abuse monitoring).
    expect(await e.authEvent(reused)).toMatchObject({ jti: claims.jti, consumer: 'acme' });
    const all = JSON.stringify(await e.gw.store.usage.query('test', { limit: 1000 }));
    expect(all).not.toContain(token.split('.')[2]);
    expect(all).not.toContain(adminKey);
  });

  it('a missing token gets the bare Bearer challenge', async () => {
    const res = await e.get('/protected-resource');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthorized' });
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="local"');
  });

  it('scope ceiling: a consumer limited to read cannot be issued write', async () => {
    const key = await e.consumer('reader', ['read']);
    const res = await e.login(key, { userID: 'u-2', role: 'admin' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 403, success: false });
    expect(res.headers.get('authorization')).toBeNull();
    const user = e.tokenOf(await e.login(key, { userID: 'u-2', role: 'user' }));
    expect((await e.get('/protected-resource', user)).status).toBe(200);
    const w = await e.get('/write-resource', user);
    expect(w.status).toBe(403);
    expect(await w.json()).toEqual({ message: 'Forbidden', error: 'insufficient_scope' });
  });

  it('sensitive-claim refusal at any depth', async () => {
    const res = await fetch(`${e.gw.url}/leaky-auth`, {
      method: 'POST',
      headers: { apikey: adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ userID: 'u', password: 'p' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string };
    expect(body).toMatchObject({ code: 400, success: false });
    expect(body.error).toContain('credentials.Pass-Word');
    expect(res.headers.get('authorization')).toBeNull();
  });
});

describe('every bad token is a 401 with the precise reason in the usage log', () => {
  let acmeId = '';
  beforeAll(async () => {
    acmeId = (await e.gw.store.consumers.getByName('test', 'acme'))!.id;
  });
  const iat = (): number => Math.floor(Date.now() / 1000);
  const claims = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    iss: e.gw.tokens.issuer,
    sub: 'acme',
    aud: 'local:test',
    client_id: 'acme',
    consumer_id: acmeId,
    iat: iat(),
    exp: iat() + 600,
    jti: `j-${Math.random()}`,
    scopes: ['read'],
    scope: 'read',
    ...over,
  });
  const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

  it('control: a hand-signed valid token passes', async () => {
    expect((await e.get('/protected-resource', await signWith({}, claims()))).status).toBe(200);
  });
  it('expired', async () =>
    expectInvalid(
      await e.get(
        '/protected-resource',
        await signWith({}, claims({ iat: iat() - 100, exp: iat() - 10 })),
      ),
      'token_expired',
    ));
  it('not yet valid (beyond the 30 s leeway)', async () =>
    expectInvalid(
      await e.get('/protected-resource', await signWith({}, claims({ nbf: iat() + 120 }))),
      'not_yet_valid',
    ));
  it('alg none', async () => {
    const { kid } = await e.platformKey();
    await expectInvalid(
      await e.get(
        '/protected-resource',
        `${b64({ alg: 'none', kid, typ: 'at+jwt' })}.${b64(claims())}.x`,
      ),
      'alg_not_allowed',
    );
  });
  it('HS256 signed with the public key as secret', async () => {
    const { kid } = await e.platformKey();
    const jwks = (await (await fetch(`${e.gw.url}/.well-known/jwks.json`)).json()) as {
      keys: unknown[];
    };
    const token = await new CompactSign(Buffer.from(JSON.stringify(claims())))
      .setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' })
      .sign(Buffer.from(JSON.stringify(jwks.keys[0])));
    await expectInvalid(await e.get('/protected-resource', token), 'alg_not_allowed');
  });
  it('unknown kid', async () =>
    expectInvalid(
      await e.get('/protected-resource', await signWith({ kid: 'no-such-key' }, claims())),
      'unknown_kid',
    ));
  it('wrong typ', async () =>
    expectInvalid(
      await e.get('/protected-resource', await signWith({ typ: 'JWT' }, claims())),
      'wrong_typ',
    ));
  it('wrong issuer and audience', async () => {
    await expectInvalid(
      await e.get(
        '/protected-resource',
        await signWith({}, claims({ iss: 'https://evil/realms/local' })),
      ),
      'wrong_issuer',
    );
    await expectInvalid(
      await e.get('/protected-resource', await signWith({}, claims({ aud: 'local:prod' }))),
      'wrong_audience',
    );
  });
  it('a foreign key under the platform kid', async () => {
    const { kid } = await e.platformKey();
    const foreign = await generateKeyPair('ES256');
    const token = await new CompactSign(Buffer.from(JSON.stringify(claims())))
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .sign(foreign.privateKey);
    await expectInvalid(await e.get('/protected-resource', token), 'bad_signature');
  });
  it('tampered payload', async () => {
    const [h, p, s] = (await freshToken('user')).split('.') as [string, string, string];
    const forged = b64({
      ...(JSON.parse(Buffer.from(p, 'base64url').toString()) as object),
      scopes: ['read', 'write'],
      scope: 'read write',
    });
    await expectInvalid(await e.get('/write-resource', `${h}.${forged}.${s}`), 'bad_signature');
  });
  it('truncated and garbage', async () => {
    const t = await freshToken();
    await expectInvalid(await e.get('/protected-resource', t.slice(0, -12)), 'bad_signature');
    await expectInvalid(
      await e.get('/protected-resource', t.split('.').slice(0, 2).join('.')),
      'malformed',
    );
    await expectInvalid(await e.get('/protected-resource', 'garbage'), 'malformed');
    await expectInvalid(await e.get('/protected-resource', 'a.b.c'), 'malformed');
  });
  it('revoked by consumer and consumer disabled', async () => {
    const key = await e.consumer('shortlived', ['read']);
    const t = e.tokenOf(await e.login(key, { userID: 'x', role: 'user' }));
    expect((await e.get('/protected-resource', t)).status).toBe(200);
    const c = (await e.gw.store.consumers.getByName('test', 'shortlived'))!;
    await e.gw.store.consumers.update('test', c.id, { enabled: false });
    await e.gw.refresh();
    await expectInvalid(await e.get('/protected-resource', t), 'consumer_disabled');
  });
});

describe('environments, rotation and revocation across servers', () => {
  it('a token minted by the test server is rejected by a prod server sharing the store', async () => {
    const prod = await e.start('prod');
    const token = await freshToken();
    const res = await e.get('/protected-resource', token, prod);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(INVALID);
    const ev = await e.authEvent(res, prod);
    expect(['unknown_kid', 'wrong_issuer', 'wrong_audience']).toContain(ev?.reason);
  });

  it('rotation keeps earlier tokens valid until their key retires', async () => {
    const before = await freshToken();
    const old = (await e.gw.store.signingKeys.getActive('test', 'local'))!;
    await e.gw.store.signingKeys.rotate(
      'test',
      await createSealedSigningKey(new SecretBox(e.master), 'test', 'local'),
      { retireAfter: Date.now() + 86_400_000 },
    );
    await e.gw.tokens.refresh();
    const after = await freshToken();
    expect(decodeProtectedHeader(after).kid).not.toBe(old.kid);
    expect((await e.get('/protected-resource', before)).status).toBe(200);
    expect((await e.get('/protected-resource', after)).status).toBe(200);
    const jwks = (await (await fetch(`${e.gw.url}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual(
      expect.arrayContaining([old.kid, decodeProtectedHeader(after).kid]),
    );
    await e.gw.store.signingKeys.setState('test', old.kid, 'retired');
    await e.gw.tokens.refresh();
    await expectInvalid(await e.get('/protected-resource', before), 'unknown_kid');
    expect((await e.get('/protected-resource', after)).status).toBe(200);
  });

  it('the RFC 8414 document points at the JWKS', async () => {
    const doc = (await (
      await fetch(`${e.gw.url}/.well-known/oauth-authorization-server`)
    ).json()) as { issuer: string; jwks_uri: string };
    expect(doc.issuer).toBe(e.gw.tokens.issuer);
    expect(doc.jwks_uri).toBe(`${e.gw.url}/.well-known/jwks.json`);
  });
});

const PYTHON = peerPython;
/** Outside CI with the peers missing, test/interop reports it once (with the install command). */
const peers = peerPlan(missingPeerPackages().filter((p) => p.startsWith('python3-')));

async function pyVerify(
  token: string,
): Promise<
  Record<string, { ok: boolean; claims?: Record<string, unknown>; error?: string; typ?: string }>
> {
  // Asynchronous on purpose: the script fetches the JWKS from the gateway living in this process.
  const child = spawn(PYTHON, [
    join(repoRoot, 'test/interop/jwt-verify.py'),
    `${e.gw.url}/.well-known/jwks.json`,
    token,
    e.gw.tokens.issuer,
    'local:test',
  ]);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => child.on('close', r));
  return JSON.parse(out) as Record<
    string,
    { ok: boolean; claims?: Record<string, unknown>; error?: string; typ?: string }
  >;
}

describe('interop: independent verifiers given only the JWKS URL', () => {
  // Needs Debian's python3-jwcrypto and python3-jwt. Skipped outside CI when they are missing (the
  // interop check in test/interop fails once with the install command); under CI it always runs.
  it.skipIf(!peers.run)(
    'python3-jwcrypto and python3-jwt verify a Pipegate token and refuse a tampered one',
    async () => {
      const token = await freshToken();
      const result = await pyVerify(token);
      expect(result.jwcrypto).toMatchObject({
        ok: true,
        typ: 'at+jwt',
        claims: { client_id: 'acme', userID: 'u-1' },
      });
      expect(result.pyjwt).toMatchObject({
        ok: true,
        claims: { client_id: 'acme', scopes: ['read', 'write'] },
      });
      const [h, p, s] = token.split('.') as [string, string, string];
      const forged = Buffer.from(
        JSON.stringify({
          ...(JSON.parse(Buffer.from(p, 'base64url').toString()) as object),
          userID: 'root',
        }),
      ).toString('base64url');
      const bad = await pyVerify(`${h}.${forged}.${s}`);
      expect(bad.jwcrypto?.ok).toBe(false);
      expect(bad.pyjwt?.ok).toBe(false);
    },
  );
});
