// DPoP server nonces (RFC 9449 §8, §9) over loopback with `dpop.nonce` on: use_dpop_nonce with a fresh
// DPoP-Nonce at the token endpoint, on protected routes and on login pipelines; the retry with the
// nonce succeeds; a nonce of another deployment is refused; python jwcrypto proofs with the nonce work.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenHash } from '../../src/security/dpop/index.js';
import { missingPeerPackages, peerPlan, peerPython } from '../support/peer-tools.js';
import { repoRoot } from '../tokens/e2e-support.js';
import { clientKey, signProof } from './dpop-support.js';
import type { ClientKey } from './dpop-support.js';
import { consumer, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const FORM = 'application/x-www-form-urlencoded';
const plan = peerPlan(missingPeerPackages().filter((p) => p === 'python3-jwcrypto'));
const peerScript = resolve(import.meta.dirname, '../interop/dpop_peer.py');

let h: Harness;
let other: Harness;
let apiKey: string;

const proof = (
  k: ClientKey,
  htm: string,
  path: string,
  token?: string,
  nonce?: string,
): Promise<string> =>
  signProof(k, htm, `${h.gw.url}${path}`, token, nonce === undefined ? {} : { nonce });

function tokenRequest(dpop: string): Promise<Response> {
  return h.fetch('/oauth2/token', {
    method: 'POST',
    headers: { 'content-type': FORM, apikey: apiKey, dpop },
    body: 'grant_type=client_credentials&scope=read',
  });
}

/** A nonce from the token endpoint's use_dpop_nonce answer. */
async function firstNonce(k: ClientKey): Promise<string> {
  const res = await tokenRequest(await proof(k, 'POST', '/oauth2/token'));
  expect(res.status).toBe(400);
  const nonce = res.headers.get('dpop-nonce');
  expect(nonce).toMatch(/^[A-Za-z0-9_-]+$/);
  return nonce!;
}

async function boundToken(k: ClientKey): Promise<string> {
  const nonce = await firstNonce(k);
  const res = await tokenRequest(await proof(k, 'POST', '/oauth2/token', undefined, nonce));
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  const service = await readFile(join(repoRoot, 'examples/jwt-auth/service.yaml'), 'utf8');
  const login = await readFile(join(repoRoot, 'examples/jwt-auth/auth-login.yaml'), 'utf8');
  const files = { 'service.yaml': service, 'auth-login.yaml': login };
  h = await startHarness(files, { dpop: { nonce: true } });
  // Another deployment (its own data folder, so its own master key): its nonces mean nothing here.
  other = await startHarness({}, { dpop: { nonce: true } });
  apiKey = await consumer(h, 'nonce-client', { scopes: ['read'] });
});
afterAll(async () => {
  await h?.close();
  await other?.close();
});

describe('token endpoint (RFC 9449 §8)', () => {
  it('a proof without a nonce is 400 use_dpop_nonce with DPoP-Nonce; the retry with it gets a bound token and a nonce', async () => {
    const k = await clientKey();
    const res = await tokenRequest(await proof(k, 'POST', '/oauth2/token'));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'use_dpop_nonce',
      code: 'ERR_OAUTH_USE_DPOP_NONCE',
    });
    const nonce = res.headers.get('dpop-nonce')!;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{30}$/);
    const ok = await tokenRequest(await proof(k, 'POST', '/oauth2/token', undefined, nonce));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('dpop-nonce')).toMatch(/^[A-Za-z0-9_-]{30}$/);
    const body = (await ok.json()) as { access_token: string; token_type: string };
    expect(body.token_type).toBe('DPoP');
    expect(decodeJwt(body.access_token).cnf).toEqual({ jkt: k.jkt });
  });

  it('a nonce of another deployment, or a made-up one, is use_dpop_nonce again', async () => {
    const k = await clientKey();
    await firstNonce(k);
    const otherKey = await consumer(other, 'elsewhere', { scopes: ['read'] });
    const foreign = await other.fetch('/oauth2/token', {
      method: 'POST',
      headers: {
        'content-type': FORM,
        apikey: otherKey,
        dpop: await signProof(k, 'POST', `${other.gw.url}/oauth2/token`),
      },
      body: 'grant_type=client_credentials',
    });
    const foreignNonce = foreign.headers.get('dpop-nonce');
    expect(foreignNonce).toMatch(/^[A-Za-z0-9_-]{30}$/);
    for (const nonce of [foreignNonce!, 'A'.repeat(30), 'not-a-nonce']) {
      const res = await tokenRequest(await proof(k, 'POST', '/oauth2/token', undefined, nonce));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'use_dpop_nonce' });
    }
  });
});

describe('protected routes (RFC 9449 §9)', () => {
  it('a proof without a nonce is 401 DPoP error="use_dpop_nonce" with DPoP-Nonce; the retry passes', async () => {
    const k = await clientKey();
    const token = await boundToken(k);
    const res = await h.fetch('/protected-resource', {
      headers: {
        authorization: `DPoP ${token}`,
        dpop: await proof(k, 'GET', '/protected-resource', token),
      },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'use_dpop_nonce', code: 'ERR_DPOP_USE_NONCE' });
    expect(res.headers.get('www-authenticate')).toMatch(
      /^DPoP error="use_dpop_nonce", error_description="[^"]+", algs="ES256 /,
    );
    const nonce = res.headers.get('dpop-nonce')!;
    const ok = await h.fetch('/protected-resource', {
      headers: {
        authorization: `DPoP ${token}`,
        dpop: await proof(k, 'GET', '/protected-resource', token, nonce),
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('dpop-nonce')).toMatch(/^[A-Za-z0-9_-]{30}$/);
  });

  it('Bearer requests without a DPoP header get no DPoP-Nonce', async () => {
    const res = await h.fetch('/auth', {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: apiKey },
      body: JSON.stringify({ userID: 'u-1', role: 'reader' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('dpop-nonce')).toBeNull();
    const token = res.headers.get('authorization')!.slice(7);
    const ok = await h.fetch('/protected-resource', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('dpop-nonce')).toBeNull();
  });
});

describe('login pipelines', () => {
  const login = (dpop: string): Promise<Response> =>
    h.fetch('/auth', {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: apiKey, dpop },
      body: JSON.stringify({ userID: 'u-1', role: 'reader' }),
    });

  it('a proof without a nonce is 400 use_dpop_nonce before the pipeline runs; with it the token is bound', async () => {
    const k = await clientKey();
    const res = await login(await proof(k, 'POST', '/auth'));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'use_dpop_nonce', code: 'ERR_DPOP_USE_NONCE' });
    expect(res.headers.get('authorization')).toBeNull();
    const nonce = res.headers.get('dpop-nonce')!;
    const ok = await login(await proof(k, 'POST', '/auth', undefined, nonce));
    expect(ok.status).toBe(200);
    expect(decodeJwt(ok.headers.get('authorization')!.slice(5)).cnf).toEqual({ jkt: k.jkt });
  });
});

describe('interop: jwcrypto proofs carrying the server nonce', () => {
  it.skipIf(plan.run)('peer available (python3-jwcrypto)', () => {
    throw new Error(plan.failure);
  });

  it.runIf(plan.run)('the token endpoint and a protected route accept them', async () => {
    const k = await clientKey('ES256');
    const peer = (htm: string, path: string, nonce: string, ath?: string): string =>
      execFileSync(peerPython, [peerScript], {
        input: JSON.stringify({
          key: k.privJwk,
          alg: 'ES256',
          htm,
          htu: `${h.gw.url}${path}`,
          ath,
          nonce,
        }),
      }).toString('utf8');
    const nonce = await firstNonce(k);
    const res = await tokenRequest(peer('POST', '/oauth2/token', nonce));
    expect(res.status).toBe(200);
    const token = ((await res.json()) as { access_token: string }).access_token;
    const ok = await h.fetch('/protected-resource', {
      headers: {
        authorization: `DPoP ${token}`,
        dpop: peer(
          'GET',
          '/protected-resource',
          res.headers.get('dpop-nonce')!,
          accessTokenHash(token),
        ),
      },
    });
    expect(ok.status).toBe(200);
  });
});
