// Hostile-input sweep: every function, odd arguments in every position → a JSON value or a coded error, never a crash.
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../core/json.js';
import { isPlatformError } from '../../errors/index.js';
import { frozenServices } from './frozen-services.js';
import { functionExamples } from './function-examples.js';
import { functionGroups } from './index.js';

const ODD: JsonValue[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  -0.000001,
  1e308,
  -1e308,
  2 ** 53 + 2,
  2147483648,
  '',
  ' ',
  'abc',
  '12',
  '-3.5e2',
  '2024-02-29',
  8.7e15,
  -8.7e15,
  1e15,
  'timestamp',
  'yyyy-MM-dd',
  "'",
  '$',
  '$..*',
  '$.a[?(@.b',
  '(a+)+',
  '[',
  '\\',
  '%',
  '%zz',
  '#,##0.00;',
  'ZZZ',
  'Mars/Olympus',
  '😀é',
  '{"a":1}',
  '{',
  [],
  [1, 'a', null, [2]],
  {},
  { a: { b: [1] } },
  { __proto__: 1 },
];

/** A seeded PRNG (mulberry32) so the sweep is the same on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isJson);
  if (typeof v === 'object') return Object.values(v as object).every(isJson);
  return false;
}

describe('hostile arguments', () => {
  for (const def of functionGroups.flat()) {
    it(`${def.name} returns JSON or throws a PlatformError`, () => {
      const base = functionExamples[def.name]?.[0]?.[0] ?? [];
      const arity = Math.min(Number.isFinite(def.maxArgs) ? def.maxArgs : def.minArgs + 2, 7);
      const calls: JsonValue[][] = [];
      for (let pos = 0; pos < arity; pos++) {
        for (const odd of ODD) {
          const args = Array.from({ length: Math.max(arity, def.minArgs) }, (_, i) =>
            i === pos ? odd : (base[i] ?? null),
          );
          calls.push(args.slice(0, Math.max(pos + 1, def.minArgs)));
        }
      }
      const random = rng(def.name.length * 7919);
      for (let k = 0; k < 150; k++) {
        const n = def.minArgs + Math.floor(random() * (arity - def.minArgs + 1));
        calls.push(
          Array.from({ length: n }, () => ODD[Math.floor(random() * ODD.length)] as JsonValue),
        );
      }
      const crashes: string[] = [];
      for (const args of calls) {
        try {
          const out = def.call(args, frozenServices());
          if (!isJson(out)) crashes.push(`${JSON.stringify(args)} → non-JSON ${String(out)}`);
        } catch (err) {
          if (!isPlatformError(err)) crashes.push(`${JSON.stringify(args)} → ${String(err)}`);
        }
      }
      expect(crashes.slice(0, 5)).toEqual([]);
    });
  }
});
