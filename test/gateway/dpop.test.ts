// DPoP (RFC 9449) end to end over loopback: bound tokens at /oauth2/token, the DPoP scheme on
// protected routes, replay, stolen tokens, challenges, and proofs made by python jwcrypto.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenHash, MemoryReplayCache } from '../../src/security/dpop/index.js';
import type { ReplayCache } from '../../src/security/dpop/index.js';
import { missingPeerPackages, peerPlan, peerPython } from '../support/peer-tools.js';
import { repoRoot } from '../tokens/e2e-support.js';
import { postgresTarget } from '../store/harness.js';
import type { StoreTarget } from '../store/harness.js';
import { generateMasterKeyText } from '../../src/security/index.js';
import { clientKey, signProof } from './dpop-support.js';
import type { ClientKey } from './dpop-support.js';
import { consumer, echoPipeline, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const FORM = 'application/x-www-form-urlencoded';
const plan = peerPlan(missingPeerPackages().filter((p) => p === 'python3-jwcrypto'));
const peerScript = resolve(import.meta.dirname, '../interop/dpop_peer.py');

let h: Harness;
let apiKey: string;

function proof(
  k: ClientKey,
  htm: string,
  path: string,
  token?: string,
  claims: Record<string, unknown> = {},
): Promise<string> {
  return signProof(k, htm, `${h.gw.url}${path}`, token, claims);
}

function tokenRequest(dpop?: string): Promise<Response> {
  return h.fetch('/oauth2/token', {
    method: 'POST',
    headers: { 'content-type': FORM, apikey: apiKey, ...(dpop ? { dpop } : {}) },
    body: 'grant_type=client_credentials&scope=read',
  });
}

async function boundToken(k: ClientKey): Promise<string> {
  const res = await tokenRequest(await proof(k, 'POST', '/oauth2/token'));
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const call = (path: string, headers: Record<string, string>): Promise<Response> =>
  h.fetch(path, { headers });

beforeAll(async () => {
  const service = await readFile(join(repoRoot, 'examples/jwt-auth/service.yaml'), 'utf8');
  const login = await readFile(join(repoRoot, 'examples/jwt-auth/auth-login.yaml'), 'utf8');
  h = await startHarness({
    'service.yaml': service,
    'auth-login.yaml': login,
    'strict.json': echoPipeline('strict', {
      methods: ['GET'],
      auth: { jwt: { dpop: 'required' }, scopes: ['read'] },
    }),
  });
  apiKey = await consumer(h, 'dpop-client', { scopes: ['read'] });
});
afterAll(async () => h?.close());

describe('token endpoint with a DPoP proof (RFC 9449 §5)', () => {
  it('binds the token to the proof key: token_type DPoP, cnf.jkt; introspection shows it', async () => {
    const k = await clientKey();
    const res = await tokenRequest(await proof(k, 'POST', '/oauth2/token'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string };
    expect(body.token_type).toBe('DPoP');
    expect(decodeJwt(body.access_token).cnf).toEqual({ jkt: k.jkt });
    const intro = await h.fetch('/oauth2/introspect', {
      method: 'POST',
      headers: { 'content-type': FORM, apikey: apiKey },
      body: new URLSearchParams({ token: body.access_token }).toString(),
    });
    expect(await intro.json()).toMatchObject({
      active: true,
      token_type: 'DPoP',
      cnf: { jkt: k.jkt },
    });
  });

  it('without a proof the token is a Bearer token without cnf', async () => {
    const res = await tokenRequest();
    const body = (await res.json()) as { access_token: string; token_type: string };
    expect(body.token_type).toBe('Bearer');
    expect(decodeJwt(body.access_token).cnf).toBeUndefined();
  });

  it('an invalid proof is 400 invalid_dpop_proof naming the check', async () => {
    const k = await clientKey();
    const cases: [string, string][] = [
      [await proof(k, 'GET', '/oauth2/token'), 'htm'],
      [await proof(k, 'POST', '/oauth2/other'), 'htu'],
      [await proof(k, 'POST', '/oauth2/token', undefined, { iat: 1_000_000 }), 'iat'],
    ];
    for (const [p, check] of cases) {
      const res = await tokenRequest(p);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; code: string; error_description: string };
      expect(body.error).toBe('invalid_dpop_proof');
      expect(body.code).toBe('ERR_OAUTH_INVALID_DPOP_PROOF');
      expect(body.error_description).toContain(check);
    }
    const p = await proof(k, 'POST', '/oauth2/token');
    expect((await tokenRequest(p)).status).toBe(200);
    const replayed = await tokenRequest(p);
    expect(replayed.status).toBe(400);
    expect(((await replayed.json()) as { error_description: string }).error_description).toContain(
      'already used',
    );
  });
});

describe('resource requests with a DPoP-bound token (RFC 9449 §7)', () => {
  it('Authorization: DPoP with a fresh proof → 200; the same proof again → 401 replayed', async () => {
    const k = await clientKey();
    const token = await boundToken(k);
    const p = await proof(k, 'GET', '/protected-resource', token);
    const ok = await call('/protected-resource', { authorization: `DPoP ${token}`, dpop: p });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { consumer: string }).consumer).toBe('dpop-client');
    const again = await call('/protected-resource', { authorization: `DPoP ${token}`, dpop: p });
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({
      error: 'invalid_dpop_proof',
      code: 'ERR_DPOP_PROOF_REPLAYED',
    });
    expect(again.headers.get('www-authenticate')).toMatch(
      /^DPoP error="invalid_dpop_proof", error_description="[^"]+", algs="ES256 [^"]*"$/,
    );
  });

  it('a stolen bound token is refused: as Bearer, without a proof, with the thief’s key', async () => {
    const k = await clientKey();
    const token = await boundToken(k);
    const asBearer = await call('/protected-resource', { authorization: `Bearer ${token}` });
    expect(asBearer.status).toBe(401);
    expect(await asBearer.json()).toMatchObject({ code: 'ERR_DPOP_BOUND_TOKEN_AS_BEARER' });
    const noProof = await call('/protected-resource', { authorization: `DPoP ${token}` });
    expect(await noProof.json()).toMatchObject({ code: 'ERR_DPOP_PROOF_MISSING' });
    const thief = await clientKey();
    const thiefProof = await proof(thief, 'GET', '/protected-resource', token);
    const stolen = await call('/protected-resource', {
      authorization: `DPoP ${token}`,
      dpop: thiefProof,
    });
    expect(stolen.status).toBe(401);
    expect(await stolen.json()).toMatchObject({ code: 'ERR_DPOP_KEY_MISMATCH' });
  });

  it('the proof must be for this request: method, URL, token hash', async () => {
    const k = await clientKey();
    const token = await boundToken(k);
    const other = await boundToken(k);
    const cases: [string, string][] = [
      [await proof(k, 'POST', '/protected-resource', token), 'ERR_DPOP_PROOF_HTM'],
      [await proof(k, 'GET', '/elsewhere', token), 'ERR_DPOP_PROOF_HTU'],
      [await proof(k, 'GET', '/protected-resource', other), 'ERR_DPOP_PROOF_ATH'],
      [await proof(k, 'GET', '/protected-resource'), 'ERR_DPOP_PROOF_ATH'],
    ];
    for (const [p, code] of cases) {
      const res = await call('/protected-resource', { authorization: `DPoP ${token}`, dpop: p });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code });
    }
  });

  it('an unbound token under the DPoP scheme is invalid_token', async () => {
    const res = await tokenRequest();
    const token = ((await res.json()) as { access_token: string }).access_token;
    const k = await clientKey();
    const r = await call('/protected-resource', {
      authorization: `DPoP ${token}`,
      dpop: await proof(k, 'GET', '/protected-resource', token),
    });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ error: 'invalid_token', code: 'ERR_DPOP_NOT_BOUND' });
  });
});

describe('login pipelines (jwt connector) with a DPoP proof', () => {
  const login = (dpop?: string): Promise<Response> =>
    h.fetch('/auth', {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: apiKey, ...(dpop ? { dpop } : {}) },
      body: JSON.stringify({ userID: 'u-1', role: 'reader' }),
    });

  it('a valid proof binds the minted token: Authorization: DPoP, cnf.jkt, usable only with proofs', async () => {
    const k = await clientKey();
    const res = await login(await proof(k, 'POST', '/auth'));
    expect(res.status).toBe(200);
    const header = res.headers.get('authorization') ?? '';
    expect(header).toMatch(/^DPoP /);
    const token = header.slice(5);
    expect(decodeJwt(token).cnf).toEqual({ jkt: k.jkt });
    const ok = await call('/protected-resource', {
      authorization: `DPoP ${token}`,
      dpop: await proof(k, 'GET', '/protected-resource', token),
    });
    expect(ok.status).toBe(200);
    expect((await call('/protected-resource', { authorization: `Bearer ${token}` })).status).toBe(
      401,
    );
  });

  it('without a proof the login is unchanged; an invalid proof is 400 before the pipeline runs', async () => {
    const plain = await login();
    expect(plain.headers.get('authorization')).toMatch(/^Bearer /);
    const k = await clientKey();
    const bad = await login(await proof(k, 'GET', '/auth'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: 'invalid_dpop_proof',
      code: 'ERR_DPOP_PROOF_HTM',
    });
    expect(bad.headers.get('authorization')).toBeNull();
  });
});

describe('auth.jwt.dpop: required', () => {
  const path = '/pipeline/local/v1/strict';

  it('refuses unbound tokens and challenges with DPoP only', async () => {
    const missing = await call(path, {});
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^DPoP algs="ES256 /);
    const res = await tokenRequest();
    const token = ((await res.json()) as { access_token: string }).access_token;
    const bearer = await call(path, { authorization: `Bearer ${token}` });
    expect(bearer.status).toBe(401);
    expect(await bearer.json()).toMatchObject({ code: 'ERR_DPOP_REQUIRED' });
  });

  it('accepts a bound token with its proof', async () => {
    const k = await clientKey();
    const token = await boundToken(k);
    const res = await call(path, {
      authorization: `DPoP ${token}`,
      dpop: await proof(k, 'GET', path, token),
    });
    expect(res.status).toBe(200);
  });
});

describe('a shared replay cache (GatewayOptions.dpopReplay)', () => {
  it('every proof jti goes through the given cache, so a shared one makes proofs single-use across nodes', async () => {
    const seen: string[] = [];
    const inner = new MemoryReplayCache();
    const shared: ReplayCache = {
      checkAndRemember: (id, expiresAtMs) => {
        seen.push(id);
        return inner.checkAndRemember(id, expiresAtMs);
      },
    };
    // The gateway asks the given cache about every proof (a Redis cache would be shared by all nodes).
    const other = await startHarness({}, { dpopReplay: shared });
    try {
      const key = await consumer(other, 'node-b', { scopes: ['read'] });
      const k = await clientKey();
      const url = `${other.gw.url}/oauth2/token`;
      const p = await new SignJWT({
        jti: 'shared-1',
        htm: 'POST',
        htu: url,
        iat: Math.floor(Date.now() / 1000),
      })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: k.jwk })
        .sign(k.priv);
      const send = (): Promise<Response> =>
        other.fetch('/oauth2/token', {
          method: 'POST',
          headers: { 'content-type': FORM, apikey: key, dpop: p },
          body: 'grant_type=client_credentials',
        });
      expect((await send()).status).toBe(200);
      expect(seen).toHaveLength(1);
      expect((await send()).status).toBe(400);
      expect(seen).toHaveLength(2);
    } finally {
      await other.close();
    }
  });
});

describe('without Redis: proof ids on the shared store (two nodes, one PostgreSQL)', () => {
  let pg: StoreTarget;
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    pg = await postgresTarget();
    // One public URL for both nodes (behind one load balancer): a proof's htu is valid at either.
    const opts = {
      store: pg.url,
      env: { PIPEGATE_MASTER_KEY: generateMasterKeyText() },
      publicUrl: 'https://api.example.test',
    };
    a = await startHarness({}, opts);
    b = await startHarness({}, opts);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await pg?.dispose();
  });

  it('a proof accepted by one node is refused as replayed by the other; a fresh one is accepted', async () => {
    const key = await consumer(a, 'across', { scopes: ['read'] });
    const k = await clientKey();
    const signed = (): Promise<string> =>
      new SignJWT({
        jti: crypto.randomUUID(),
        htm: 'POST',
        htu: 'https://api.example.test/oauth2/token',
        iat: Math.floor(Date.now() / 1000),
      })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: k.jwk })
        .sign(k.priv);
    const send = (node: Harness, dpop: string): Promise<Response> =>
      node.fetch('/oauth2/token', {
        method: 'POST',
        headers: { 'content-type': FORM, apikey: key, dpop },
        body: 'grant_type=client_credentials',
      });
    const p = await signed();
    expect((await send(a, p)).status).toBe(200);
    const replayed = await send(b, p);
    expect(replayed.status).toBe(400);
    expect(((await replayed.json()) as { error_description: string }).error_description).toContain(
      'already used',
    );
    expect((await send(b, await signed())).status).toBe(200);
  });
});

describe('interop: proofs made by python jwcrypto', () => {
  it.skipIf(plan.run)('peer available (python3-jwcrypto)', () => {
    throw new Error(plan.failure);
  });

  it.runIf(plan.run)(
    'token endpoint and resource accept jwcrypto proofs (ES256, PS256, EdDSA)',
    async () => {
      for (const alg of ['ES256', 'PS256', 'EdDSA']) {
        const k = await clientKey(alg);
        const peer = (htm: string, path: string, ath?: string): string =>
          execFileSync(peerPython, [peerScript], {
            input: JSON.stringify({ key: k.privJwk, alg, htm, htu: `${h.gw.url}${path}`, ath }),
          }).toString('utf8');
        const res = await tokenRequest(peer('POST', '/oauth2/token'));
        expect(res.status).toBe(200);
        const token = ((await res.json()) as { access_token: string }).access_token;
        expect(decodeJwt(token).cnf).toEqual({ jkt: k.jkt });
        const ok = await call('/protected-resource', {
          authorization: `DPoP ${token}`,
          dpop: peer('GET', '/protected-resource', accessTokenHash(token)),
        });
        expect(ok.status).toBe(200);
      }
    },
  );
});
