// The node:crypto JWS of platform tokens against jose, both directions, on generated inputs and tampering.
import fc from 'fast-check';
import { CompactSign, compactVerify, importJWK, type CryptoKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SigningAlgorithm } from '../../store/records.js';
import { generateSigningKey, SIGNING_ALGORITHMS } from '../signing-keys.js';
import {
  compactPlatformJws,
  decodeBase64url,
  toNodeKey,
  verifyPlatformJws,
  type NodeKey,
} from './platform-jws.js';

interface Keys {
  alg: SigningAlgorithm;
  kid: string;
  sign: CryptoKey | Uint8Array;
  verify: CryptoKey | Uint8Array;
  nodeSign: NodeKey;
  nodeVerify: NodeKey;
}

async function keysOf(alg: SigningAlgorithm): Promise<Keys> {
  const g = await generateSigningKey(alg);
  const sign = await importJWK(g.privateJwk, alg);
  const verify = g.publicJwk ? await importJWK(g.publicJwk, alg) : sign;
  return {
    alg,
    kid: g.kid,
    sign,
    verify,
    nodeSign: toNodeKey(sign),
    nodeVerify: toNodeKey(verify),
  };
}

/** jose's verdict on a compact JWS (the reference). */
async function joseAccepts(token: string, key: CryptoKey | Uint8Array, alg: string) {
  try {
    const r = await compactVerify(token, key, { algorithms: [alg] });
    return { ok: true, payload: Buffer.from(r.payload).toString('utf8') };
  } catch {
    return { ok: false };
  }
}

/** This module's verdict on the same token (segments checked as verify-token.ts does). */
async function platformAccepts(token: string, k: Keys) {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false };
  const sig = decodeBase64url(parts[2]!);
  const payload = decodeBase64url(parts[1]!);
  if (sig === null || payload === null) return { ok: false };
  if (!(await verifyPlatformJws(k.alg, k.nodeVerify, `${parts[0]}.${parts[1]}`, sig)))
    return { ok: false };
  return { ok: true, payload: payload.toString('utf8') };
}

const keys = new Map<SigningAlgorithm, Keys[]>();
beforeAll(async () => {
  for (const alg of SIGNING_ALGORITHMS) keys.set(alg, [await keysOf(alg), await keysOf(alg)]);
});

const payloads = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.json({ maxDepth: 2 }),
  fc.constant(''),
);
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe.each(SIGNING_ALGORITHMS)('%s', (alg) => {
  const runs = alg === 'RS256' || alg === 'PS256' ? 40 : 120;

  it('tokens signed here verify with jose, with the same header and payload', async () => {
    const [k] = keys.get(alg)!;
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        const token = await compactPlatformJws(
          alg,
          k!.nodeSign,
          { alg, kid: k!.kid, typ: 'at+jwt' },
          payload,
        );
        const r = await compactVerify(token, k!.verify, { algorithms: [alg] });
        expect(Buffer.from(r.payload).toString('utf8')).toBe(payload);
        expect(r.protectedHeader).toEqual({ alg, kid: k!.kid, typ: 'at+jwt' });
      }),
      { numRuns: runs },
    );
  });

  it('tokens signed by jose verify here; tampered ones get jose’s verdict', async () => {
    const [k, other] = keys.get(alg)!;
    await fc.assert(
      fc.asyncProperty(
        payloads,
        fc.nat(),
        fc.constantFrom(...B64URL.split('')),
        fc.constantFrom(
          'header',
          'payload',
          'signature',
          'truncate',
          'extend',
          'other-key',
          'none',
        ),
        async (payload, at, ch, how) => {
          const signer = how === 'other-key' ? other! : k!;
          const token = await new CompactSign(new TextEncoder().encode(payload))
            .setProtectedHeader({ alg, kid: k!.kid })
            .sign(signer.sign);
          const parts = token.split('.');
          const edit = (s: string) => {
            const i = at % Math.max(1, s.length);
            return s.slice(0, i) + ch + s.slice(i + 1);
          };
          if (how === 'header') parts[0] = edit(parts[0]!);
          if (how === 'payload') parts[1] = edit(parts[1]!);
          if (how === 'signature') parts[2] = edit(parts[2]!);
          if (how === 'truncate') parts[2] = parts[2]!.slice(0, at % parts[2]!.length);
          if (how === 'extend') parts[2] = parts[2]! + ch.repeat(1 + (at % 8));
          const t = parts.join('.');
          const mine = await platformAccepts(t, k!);
          const ref = await joseAccepts(t, k!.verify, alg);
          // Same verdict; on acceptance the same payload. (An edit that decodes to the same bytes,
          // e.g. the unused low bits of a last character, is accepted by both.)
          expect(mine).toEqual(ref);
          if (how === 'none') expect(mine.ok).toBe(true);
          if (how === 'other-key') expect(mine.ok).toBe(false);
        },
      ),
      { numRuns: runs },
    );
  });

  it('random signature bytes of any length are refused, never thrown', async () => {
    const [k] = keys.get(alg)!;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
        await expect(
          verifyPlatformJws(alg, k!.nodeVerify, 'eyJhbGciOiJFUzI1NiJ9.e30', Buffer.from(bytes)),
        ).resolves.toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('decodeBase64url', () => {
  it('decodes what Buffer encodes and refuses other alphabets, padding and impossible lengths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const b = Buffer.from(bytes);
        expect(decodeBase64url(b.toString('base64url'))).toEqual(b);
      }),
    );
    for (const bad of ['ab+c', 'ab/c', 'YQ==', 'Y Q', 'a', 'abcde', 'ab.c'])
      expect(decodeBase64url(bad)).toBeNull();
  });
});
