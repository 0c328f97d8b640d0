// LruMap against a plain array model, on generated operation sequences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruMap } from './lru-map.js';

type Op =
  | { op: 'set'; key: string; value: number }
  | { op: 'get' | 'peek' | 'delete' | 'has'; key: string }
  | { op: 'shift' | 'clear' }
  | { op: 'purge'; below: number };

const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
const ops = fc.array(
  fc.oneof(
    {
      arbitrary: fc.record({ op: fc.constant('set' as const), key, value: fc.nat(100) }),
      weight: 4,
    },
    {
      arbitrary: fc.record({
        op: fc.constantFrom('get' as const, 'peek' as const, 'delete' as const, 'has' as const),
        key,
      }),
      weight: 4,
    },
    {
      arbitrary: fc.record({ op: fc.constantFrom('shift' as const, 'clear' as const) }),
      weight: 1,
    },
    { arbitrary: fc.record({ op: fc.constant('purge' as const), below: fc.nat(100) }), weight: 1 },
  ),
  { maxLength: 200 },
);

describe('LruMap', () => {
  it('behaves like an array kept in least-recently-used order, bounded by max', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), ops, (max, list: Op[]) => {
        const m = new LruMap<number>(max);
        // The model: [key, value] pairs, least recently used first.
        let model: [string, number][] = [];
        const find = (k: string) => model.findIndex(([mk]) => mk === k);
        for (const o of list) {
          switch (o.op) {
            case 'set': {
              const i = find(o.key);
              if (i >= 0) model.splice(i, 1);
              else if (model.length >= max) model.shift();
              model.push([o.key, o.value]);
              m.set(o.key, o.value);
              break;
            }
            case 'get': {
              const i = find(o.key);
              const want = i >= 0 ? model[i]![1] : undefined;
              if (i >= 0) model.push(model.splice(i, 1)[0]!);
              expect(m.get(o.key)).toBe(want);
              break;
            }
            case 'peek':
              expect(m.peek(o.key)).toBe(model[find(o.key)]?.[1]);
              break;
            case 'has':
              expect(m.has(o.key)).toBe(find(o.key) >= 0);
              break;
            case 'delete': {
              const i = find(o.key);
              if (i >= 0) model.splice(i, 1);
              m.delete(o.key);
              break;
            }
            case 'shift':
              model.shift();
              m.shift();
              break;
            case 'clear':
              model = [];
              m.clear();
              break;
            case 'purge':
              // Deleting each entry as it is yielded, as the caches' purges do.
              for (const [k, v] of m.entries()) if (v < o.below) m.delete(k);
              model = model.filter(([, v]) => v >= o.below);
              break;
          }
          expect([...m.entries()]).toEqual(model);
          expect(m.size).toBe(model.length);
          expect(m.oldest()).toEqual(
            model[0] ? { key: model[0][0], value: model[0][1] } : undefined,
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
