// Bad input for the JOLT engine: malformed specs (coded, with the path into the spec) and hostile inputs (bounded).
import { describe, expect, it } from 'vitest';
import { PlatformError } from '../errors/index.js';
import { compileChain, compileOperation } from './index.js';

function specFailure(fn: () => unknown): { code: string; path: unknown } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PlatformError);
    const e = err as PlatformError;
    return { code: e.code, path: e.details.path };
  }
  throw new Error('expected a spec error');
}

describe('JOLT spec errors', () => {
  it.each([
    ['an empty object value', [{ operation: 'shift', spec: { a: {} } }], '/0/spec/a'],
    ['a number as output path', [{ operation: 'shift', spec: { a: 3 } }], '/0/spec/a'],
    ["'*' in an output path", [{ operation: 'shift', spec: { a: 'x.*' } }], '/0/spec/a'],
    [
      'a non-string in an output path list',
      [{ operation: 'shift', spec: { a: ['x', 4] } }],
      '/0/spec/a/1',
    ],
    ["'&' mixed with '*'", [{ operation: 'shift', spec: { 'a*&': 'x' } }], '/0/spec/a*&'],
    ['a bad reference', [{ operation: 'shift', spec: { a: 'x.&(a,b)' } }], '/0/spec/a'],
    ['a negative array index', [{ operation: 'shift', spec: { a: 'x[-1]' } }], '/0/spec/a'],
    ["'@' with children", [{ operation: 'shift', spec: { '@': { a: 'b' } } }], '/0/spec/@'],
    ["an unbalanced '@('", [{ operation: 'shift', spec: { a: '@(1,b' } }], '/0/spec/a'],
    ['two [] in one key', [{ operation: 'shift', spec: { a: 'x[1][2]y' } }], undefined],
    [
      "a default key mixing '*'",
      [{ operation: 'default', spec: { 'tuna*': 'marlin' } }],
      '/0/spec/tuna*',
    ],
    ['a remove value that is not ""', [{ operation: 'remove', spec: { a: 'yes' } }], '/0/spec/a'],
    ['an unknown cardinality', [{ operation: 'cardinality', spec: { a: 'FEW' } }], '/0/spec/a'],
    [
      'a modify spec mixing [1] and keys',
      [{ operation: 'modify-overwrite-beta', spec: { a: { '[1]': 1, b: 2 } } }],
      '/0/spec/a/b',
    ],
    ['a modify &-key', [{ operation: 'modify-overwrite-beta', spec: { '&1': 1 } }], '/0/spec/&1'],
    [
      'a modify index over the limit',
      [{ operation: 'modify-overwrite-beta', spec: { a: { '[999999999]': 1 } } }],
      '/0/spec/a/[999999999]',
    ],
    ['a spec that is not an object', [{ operation: 'shift', spec: 'a' }], '/0/spec'],
    ['a missing spec', [{ operation: 'modify-default-beta' }], '/0/spec'],
    ['an entry that is not an object', [{ operation: 'shift', spec: { a: 'b' } }, 7], '/1'],
    ['an operation that is not a string', [{ operation: ['shift'], spec: {} }], '/0/operation'],
    ['an empty chain', [], '/'],
    ['a scalar chain', 'shift', '/'],
  ])('rejects %s', (_name, spec, path) => {
    const failure = specFailure(() => compileChain(spec));
    expect(failure.code).toBe('ERR_JOLT_SPEC_INVALID');
    if (path !== undefined) expect(failure.path).toBe(path);
  });

  it('rejects an unknown operation with its own code', () => {
    expect(specFailure(() => compileChain([{ operation: 'pants', spec: {} }]))).toEqual({
      code: 'ERR_JOLT_UNKNOWN_OPERATION',
      path: '/0/operation',
    });
  });

  it('names the offending key in the message', () => {
    expect(() => compileChain([{ operation: 'shift', spec: { rating: { 'x*&1': 'y' } } }])).toThrow(
      /\/0\/spec\/rating\/x\*&1/,
    );
  });
});

describe('JOLT limits on hostile input', () => {
  it('rejects a too deep input', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = [deep];
    expect(() => compileOperation('shift', { '*': '&' })(deep as never)).toThrow(
      expect.objectContaining({ code: 'ERR_JOLT_LIMIT' }) as Error,
    );
  });

  it('rejects an input with too many nodes', () => {
    const big = { list: Array.from({ length: 5000 }, (_, i) => i) };
    const t = compileOperation('shift', { list: 'l' }, { limits: { maxNodes: 1000 } });
    expect(() => t(big)).toThrow(expect.objectContaining({ code: 'ERR_JOLT_LIMIT' }) as Error);
  });

  it('refuses to write a huge array index taken from the data', () => {
    const t = compileOperation('shift', { '*': 'out[&0]' });
    expect(() => t({ '999999999': 'x' })).toThrow(
      expect.objectContaining({ code: 'ERR_JOLT_LIMIT' }) as Error,
    );
    expect(t({ '2': 'x' })).toEqual({ out: [null, null, 'x'] });
  });

  it('stops a chain whose intermediate results grow exponentially', () => {
    const doubling = Array.from({ length: 40 }, () => ({
      operation: 'shift',
      spec: { '@': ['a', 'b'] },
    }));
    const t = compileChain(doubling, { limits: { maxNodes: 10_000 } });
    expect(() => t({ x: 1 })).toThrow(expect.objectContaining({ code: 'ERR_JOLT_LIMIT' }) as Error);
  });

  it('matches multi-star keys on very long input keys without backtracking', () => {
    const t = compileOperation('shift', { '*a*a*a*b': 'hit', '*': 'miss' });
    const key = 'a'.repeat(200_000);
    expect(t({ [key]: 1 })).toEqual({ miss: 1 });
    expect(t({ xaxaxaxb: 2 })).toEqual({ hit: 2 });
  });

  it('rejects a too deep spec', () => {
    let spec: unknown = 'out';
    for (let i = 0; i < 300; i++) spec = { a: spec };
    expect(() => compileOperation('shift', spec)).toThrow(
      expect.objectContaining({ code: 'ERR_JOLT_LIMIT' }) as Error,
    );
  });

  it('stops on cyclic results instead of recursing forever', () => {
    expect(() => compileOperation('shift', { '@': ['', 'self'] })({ a: 1 })).toThrow(
      expect.objectContaining({ code: 'ERR_JOLT_LIMIT' }) as Error,
    );
    // modify copies what it writes, so writing the document into itself makes no cycle.
    expect(compileOperation('modify-overwrite-beta', { x: '@(1,)' })({ a: 1 })).toEqual({
      a: 1,
      x: { a: 1 },
    });
  });

  it('caps strings built by functions (doubling concat)', () => {
    const spec: Record<string, string> = {};
    for (let i = 1; i <= 30; i++) spec[`s${i}`] = `=concat(@(1,s${i - 1}),@(1,s${i - 1}))`;
    const t = compileOperation('modify-overwrite-beta', spec);
    expect(() => t({ s0: 'x'.repeat(1000) })).toThrow(
      expect.objectContaining({ code: 'ERR_JOLT_LIMIT' }) as Error,
    );
  });

  it('bounds the writes of one run (spec x input product)', () => {
    const input = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]));
    const t = compileOperation(
      'shift',
      { '*': Array.from({ length: 200 }, (_, i) => `out${i}.&`) },
      { limits: { maxNodes: 50_000 } },
    );
    expect(() => t(input)).toThrow(expect.objectContaining({ code: 'ERR_JOLT_LIMIT' }) as Error);
  });

  it('bounds the key matching of one run', () => {
    const input = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]));
    const spec = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`z*${i}`, 'hit']));
    const t = compileOperation('shift', spec, { limits: { maxNodes: 10_000 } });
    expect(() => t(input)).toThrow(expect.objectContaining({ code: 'ERR_JOLT_LIMIT' }) as Error);
  });
});
