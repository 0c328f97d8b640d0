// Seeded fuzzing: random specs and inputs never crash the engine; every failure is a coded PlatformError.
import { describe, expect, it } from 'vitest';
import { PlatformError } from '../errors/index.js';
import { STOCK_OPERATIONS, compileChain } from './index.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const KEY_PARTS = [
  'a',
  'b',
  '0',
  '1',
  '*',
  '&',
  '&1',
  '&(1,1)',
  '@',
  '@(1,a)',
  '$',
  '$1',
  '#x',
  '|',
  '\\',
  '.',
  '[',
  ']',
  '[]',
  '[#2]',
  '[&1]',
  '(',
  ')',
  '~',
  '_',
  '+',
  '?',
  '=',
  "'",
  ',',
];
const VALUES = [
  '',
  'out',
  'out.&',
  'x[]',
  'x[&1].y',
  'ONE',
  'MANY',
  '=toUpper',
  "=concat(@(1,a),'-')",
  '=size(@(1,b))',
  '@(1,a)',
  '^k',
  "=split(',',@(1,a))",
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function randomKey(r: () => number): string {
  const n = 1 + Math.floor(r() * 3);
  return Array.from({ length: n }, () => pick(r, KEY_PARTS)).join('');
}

function randomSpec(r: () => number, depth: number): unknown {
  const roll = r();
  if (depth > 3 || roll < 0.35) return pick(r, VALUES);
  if (roll < 0.45) return [pick(r, VALUES), pick(r, VALUES)];
  if (roll < 0.5) return r() < 0.5 ? null : 3;
  const out: Record<string, unknown> = {};
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) out[randomKey(r)] = randomSpec(r, depth + 1);
  return out;
}

function randomInput(r: () => number, depth: number): unknown {
  const roll = r();
  if (depth > 3 || roll < 0.3) return pick(r, ['a', 'b', 1, 2.5, true, null, '', 'x,y']);
  if (roll < 0.55)
    return Array.from({ length: Math.floor(r() * 4) }, () => randomInput(r, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = 0; i < Math.floor(r() * 4); i++)
    out[pick(r, ['a', 'b', '0', '1', 'k', 'x-y'])] = randomInput(r, depth + 1);
  return out;
}

describe('JOLT fuzzing (seeded)', () => {
  it('compiles and runs 3000 random chains without an uncoded error', () => {
    const r = rng(20261129);
    let compiled = 0;
    let ran = 0;
    for (let i = 0; i < 3000; i++) {
      const chain = [{ operation: pick(r, STOCK_OPERATIONS), spec: randomSpec(r, 0) }];
      let transform;
      try {
        transform = compileChain(chain);
        compiled++;
      } catch (err) {
        expect(err, JSON.stringify(chain)).toBeInstanceOf(PlatformError);
        continue;
      }
      for (let j = 0; j < 3; j++) {
        const input = randomInput(r, 0);
        try {
          const out = transform(input as never, { k: 'ctx' });
          expect(() => JSON.stringify(out)).not.toThrow();
          ran++;
        } catch (err) {
          expect(err, `${JSON.stringify(chain)} on ${JSON.stringify(input)}`).toBeInstanceOf(
            PlatformError,
          );
        }
      }
    }
    // The generator must exercise the run path too, not only the spec checks.
    expect(compiled).toBeGreaterThan(300);
    expect(ran).toBeGreaterThan(900);
  });
});
