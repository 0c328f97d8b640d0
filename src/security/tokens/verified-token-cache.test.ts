// The verified-token cache's bounds: entries and estimated bytes, FIFO eviction, against a plain model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VerifiedToken } from './token-service.js';
import { VerifiedTokenCache, entryBytes } from './verified-token-cache.js';

function verified(jti: string): VerifiedToken {
  return {
    ok: true,
    claims: { jti, scope: 'read' },
    consumer: 'c',
    consumerId: 'id',
    subject: 's',
    scopes: ['read'],
    jti,
    exp: 2e9,
    iat: 1e9,
    kid: 'k',
    jkt: null,
  };
}

/** A token-shaped string whose payload segment has `n` characters. */
const token = (id: number, n: number): string => `eyJh.${'p'.repeat(n)}${id}.sig`;

type Op =
  | { op: 'set'; id: number; n: number }
  | { op: 'delete'; id: number }
  | { op: 'purgeEven' }
  | { op: 'clear' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({ op: fc.constant('set' as const), id: fc.nat(40), n: fc.nat(3000) }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), id: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'purgeEven' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

describe('VerifiedTokenCache bounds', () => {
  it('estimates an entry from the token text, growing with the payload', () => {
    expect(entryBytes(token(1, 100))).toBeLessThan(entryBytes(token(1, 1000)));
    expect(entryBytes(token(1, 1000)) - entryBytes(token(1, 100))).toBeGreaterThanOrEqual(900 * 4);
  });

  it('never holds more than max entries nor maxBytes, and evicts oldest first like the model', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1000, max: 40_000 }),
        fc.array(opArb, { maxLength: 200 }),
        (max, maxBytes, ops) => {
          const cache = new VerifiedTokenCache(max, maxBytes);
          // Model: an array of [token, bytes], oldest first.
          let model: [string, number][] = [];
          const sizes = new Map<number, number>();
          for (const o of ops) {
            if (o.op === 'set') {
              // One id keeps one token text per run (the same token is re-set, never another size).
              const n = sizes.get(o.id) ?? o.n;
              sizes.set(o.id, n);
              const tt = token(o.id, n);
              const b = entryBytes(tt);
              const v = cache.set(tt, verified(String(o.id)));
              expect(Object.isFrozen(v)).toBe(true);
              if (b <= maxBytes) {
                model = model.filter(([k]) => k !== tt);
                while (model.length >= max || model.reduce((a, [, x]) => a + x, 0) + b > maxBytes)
                  model.shift();
                model.push([tt, b]);
              }
            } else if (o.op === 'delete') {
              const n = sizes.get(o.id);
              if (n !== undefined) {
                cache.delete(token(o.id, n));
                model = model.filter(([k]) => k !== token(o.id, n));
              }
            } else if (o.op === 'purgeEven') {
              cache.purge((v) => Number(v.jti) % 2 === 0);
              model = model.filter(([k]) => Number(/(\d+)\.sig$/.exec(k)![1]) % 2 !== 0);
            } else {
              cache.clear();
              model = [];
            }
            expect(cache.size).toBeLessThanOrEqual(max);
            expect(cache.bytes).toBeLessThanOrEqual(maxBytes);
            expect(cache.tokens()).toEqual(model.map(([k]) => k));
            expect(cache.bytes).toBe(model.reduce((a, [, x]) => a + x, 0));
          }
        },
      ),
      { numRuns: 300, seed: 15_04 },
    );
  });

  it('does not cache a token larger than the byte bound, and returns it frozen all the same', () => {
    const cache = new VerifiedTokenCache(10, 2000);
    const v = cache.set(token(1, 5000), verified('1'));
    expect(Object.isFrozen(v.claims)).toBe(true);
    expect(cache.size).toBe(0);
    expect(cache.get(token(1, 5000))).toBeUndefined();
  });
});
