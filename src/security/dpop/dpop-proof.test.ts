// Every RFC 9449 §4.3 check of verifyDpopProof, each with the exact code, on proofs made by jose.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWK, KeyObject } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessTokenHash, normalizeHtu, verifyDpopProof } from './dpop-proof.js';
import type { DpopCheck } from './dpop-proof.js';
import { MemoryReplayCache } from './replay-cache.js';

const NOW = 1_800_000_000;
const URL_ = 'https://api.example.com/pipeline/local/v1/orders';
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

let priv: KeyObject;
let jwk: JWK;
let jkt: string;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  priv = pair.privateKey as KeyObject;
  jwk = await exportJWK(pair.publicKey);
  jkt = await calculateJwkThumbprint(jwk, 'sha256');
});

interface ProofOptions {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  key?: KeyObject;
  alg?: string;
}

let counter = 0;
async function proof(o: ProofOptions = {}): Promise<string> {
  counter += 1;
  const claims = {
    jti: `jti-${counter}`,
    htm: 'GET',
    htu: URL_,
    iat: NOW,
    ath: accessTokenHash(TOKEN),
    ...o.claims,
  };
  for (const [k, v] of Object.entries(claims))
    if (v === undefined) delete (claims as Record<string, unknown>)[k];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: o.alg ?? 'ES256', typ: 'dpop+jwt', jwk, ...o.header } as never)
    .sign(o.key ?? priv);
}

function check(header: DpopCheck['header'], extra: Partial<DpopCheck> = {}): DpopCheck {
  return {
    header,
    method: 'GET',
    url: URL_,
    accessToken: TOKEN,
    boundJkt: jkt,
    nowSec: NOW,
    leewaySec: 30,
    replay: new MemoryReplayCache({ now: () => NOW * 1000 }),
    ...extra,
  };
}

async function codeOf(
  header: DpopCheck['header'],
  extra: Partial<DpopCheck> = {},
): Promise<string> {
  const r = await verifyDpopProof(check(header, extra));
  return r.ok ? 'ok' : r.code;
}

describe('verifyDpopProof (RFC 9449 §4.3)', () => {
  it('accepts a valid proof and returns the RFC 7638 thumbprint of its key', async () => {
    const r = await verifyDpopProof(check(await proof()));
    expect(r).toMatchObject({ ok: true, jkt });
  });

  it('check 1: no header, several headers', async () => {
    expect(await codeOf(undefined)).toBe('ERR_DPOP_PROOF_MISSING');
    const p = await proof();
    expect(await codeOf([p, p])).toBe('ERR_DPOP_PROOF_MULTIPLE');
    expect(await codeOf(`${p}, ${p}`)).toBe('ERR_DPOP_PROOF_MULTIPLE');
  });

  it('checks 2–3: not a JWT, missing claims', async () => {
    expect(await codeOf('not-a-jwt')).toBe('ERR_DPOP_PROOF_MALFORMED');
    expect(await codeOf('a.b.c')).toBe('ERR_DPOP_PROOF_MALFORMED');
    expect(await codeOf(await proof({ claims: { jti: undefined } }))).toBe(
      'ERR_DPOP_PROOF_MALFORMED',
    );
    expect(await codeOf(await proof({ claims: { htu: undefined } }))).toBe(
      'ERR_DPOP_PROOF_MALFORMED',
    );
    expect(await codeOf(await proof({ claims: { iat: 'now' } }))).toBe('ERR_DPOP_PROOF_MALFORMED');
  });

  it('check 4: typ must be dpop+jwt', async () => {
    expect(await codeOf(await proof({ header: { typ: 'JWT' } }))).toBe('ERR_DPOP_PROOF_TYP');
    expect(await codeOf(await proof({ header: { typ: undefined } }))).toBe('ERR_DPOP_PROOF_TYP');
  });

  it('check 5: none and HMAC are never accepted', async () => {
    const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${enc({ alg: 'none', typ: 'dpop+jwt', jwk })}.${enc({ jti: 'x', htm: 'GET', htu: URL_, iat: NOW })}.sig`;
    expect(await codeOf(none)).toBe('ERR_DPOP_PROOF_ALG');
    const secret = new TextEncoder().encode('a-shared-secret-of-32-bytes-long!');
    const hs = await new SignJWT({ jti: 'h', htm: 'GET', htu: URL_, iat: NOW })
      .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct', k: 'AAAA' } } as never)
      .sign(secret);
    expect(await codeOf(hs)).toBe('ERR_DPOP_PROOF_ALG');
  });

  it('check 6: the signature must verify with the header jwk', async () => {
    const other = await generateKeyPair('ES256');
    expect(await codeOf(await proof({ key: other.privateKey as KeyObject }))).toBe(
      'ERR_DPOP_PROOF_SIGNATURE',
    );
  });

  it('check 7: the jwk must be public, of the alg key type', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const privJwk = await exportJWK(pair.privateKey);
    expect(
      await codeOf(await proof({ header: { jwk: privJwk }, key: pair.privateKey as KeyObject })),
    ).toBe('ERR_DPOP_PROOF_JWK');
    expect(await codeOf(await proof({ header: { jwk: undefined } }))).toBe('ERR_DPOP_PROOF_JWK');
    const rsa = await generateKeyPair('RS256', { extractable: true });
    expect(await codeOf(await proof({ header: { jwk: await exportJWK(rsa.publicKey) } }))).toBe(
      'ERR_DPOP_PROOF_JWK',
    );
  });

  it('check 8: htm must be the request method', async () => {
    expect(await codeOf(await proof({ claims: { htm: 'POST' } }))).toBe('ERR_DPOP_PROOF_HTM');
  });

  it('check 9: htu must be the request URL, compared without query and fragment', async () => {
    expect(
      await codeOf(
        await proof({ claims: { htu: 'https://evil.example/pipeline/local/v1/orders' } }),
      ),
    ).toBe('ERR_DPOP_PROOF_HTU');
    expect(await codeOf(await proof({ claims: { htu: `${URL_}/other` } }))).toBe(
      'ERR_DPOP_PROOF_HTU',
    );
    // Normalisation (RFC 3986 §6.2.2–6.2.3): case of scheme and host, default port, query, fragment.
    expect(
      await codeOf(
        await proof({
          claims: { htu: 'HTTPS://API.example.com:443/pipeline/local/v1/orders?x=1#f' },
        }),
      ),
    ).toBe('ok');
    expect(normalizeHtu('ftp://x/y')).toBeNull();
  });

  it('check 11: iat within the window (60 s + leeway past, leeway future)', async () => {
    expect(await codeOf(await proof({ claims: { iat: NOW - 91 } }))).toBe('ERR_DPOP_PROOF_IAT');
    expect(await codeOf(await proof({ claims: { iat: NOW + 31 } }))).toBe('ERR_DPOP_PROOF_IAT');
    expect(await codeOf(await proof({ claims: { iat: NOW - 89 } }))).toBe('ok');
    expect(await codeOf(await proof({ claims: { iat: NOW + 29 } }))).toBe('ok');
  });

  it('check 12: ath must hash the access token; the key must be the bound one', async () => {
    expect(await codeOf(await proof({ claims: { ath: undefined } }))).toBe('ERR_DPOP_PROOF_ATH');
    expect(await codeOf(await proof({ claims: { ath: accessTokenHash('another') } }))).toBe(
      'ERR_DPOP_PROOF_ATH',
    );
    expect(await codeOf(await proof(), { boundJkt: 'x'.repeat(43) })).toBe('ERR_DPOP_KEY_MISMATCH');
    // Without an access token (token endpoint), ath is not required.
    expect(
      await codeOf(await proof({ claims: { ath: undefined } }), {
        accessToken: undefined,
        boundJkt: undefined,
      }),
    ).toBe('ok');
  });

  it('§11.1: a proof is single-use; a refused proof does not burn its jti', async () => {
    const replay = new MemoryReplayCache({ now: () => NOW * 1000 });
    const p = await proof();
    expect(await codeOf(p, { replay, method: 'POST' })).toBe('ERR_DPOP_PROOF_HTM');
    expect(await codeOf(p, { replay })).toBe('ok');
    expect(await codeOf(p, { replay })).toBe('ERR_DPOP_PROOF_REPLAYED');
  });
});

describe('MemoryReplayCache', () => {
  it('forgets ids after they expire and refuses when full of live ids', async () => {
    let now = 1000;
    const cache = new MemoryReplayCache({ maxEntries: 2, now: () => now });
    expect(await cache.checkAndRemember('a', 2000)).toBe(true);
    expect(await cache.checkAndRemember('a', 2000)).toBe(false);
    expect(await cache.checkAndRemember('b', 2000)).toBe(true);
    // Full of unexpired ids: fail closed rather than forget one.
    expect(await cache.checkAndRemember('c', 2000)).toBe(false);
    now = 2500;
    expect(await cache.checkAndRemember('a', 4000)).toBe(true);
    expect(await cache.checkAndRemember('c', 4000)).toBe(true);
    expect(cache.size).toBe(2);
  });
});
