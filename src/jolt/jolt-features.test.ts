// JOLT wildcard and reference forms, functions, key order and immutability, on small readable cases.
import { describe, expect, it } from 'vitest';
import { compileChain, compileOperation, toJson } from './index.js';
import { parseOrderedJson } from './ordered-json.js';

const shift = (spec: unknown, input: unknown) => compileOperation('shift', spec)(input as never);
const modify = (spec: unknown, input: unknown, context?: unknown) =>
  compileOperation('modify-overwrite-beta', spec)(input as never, context as never);

describe('JOLT wildcards and references', () => {
  it.each([
    [
      '* and &',
      { rating: { '*': { value: 'r.&1' } } },
      { rating: { a: { value: 1 }, b: { value: 2 } } },
      { r: { a: 1, b: 2 } },
    ],
    ['&(0,1) capture', { 'tag-*': 'tags.&(0,1)' }, { 'tag-Pro': 'x' }, { tags: { Pro: 'x' } }],
    [
      '$ and $(0,1)',
      { 'photo-*': { $: 'keys', '$(0,1)': 'ids' } },
      { 'photo-7': 'u' },
      { keys: 'photo-7', ids: '7' },
    ],
    [
      '@ copies the value',
      { a: { '@': 'copy', b: 'b' } },
      { a: { b: 1 } },
      { copy: { b: 1 }, b: 1 },
    ],
    ['@(1,path) on the RHS', { id: 'ids.@(1,name)' }, { id: 5, name: 'n' }, { ids: { n: 5 } }],
    [
      '# literal on the LHS',
      { hidden: { true: { '#off': 'state' } } },
      { hidden: true },
      { state: 'off' },
    ],
    ['| alternatives', { 'rating|Rating': 'r' }, { Rating: 3 }, { r: 3 }],
    ['escaped \\@', { '\\@id': 'id' }, { '@id': 9 }, { id: 9 }],
    ['[] appends', { '*': 'all[]' }, { a: 1 }, { all: [1] }],
    [
      '[&1] index',
      { list: { '*': { v: 'out[&1]' } } },
      { list: [{ v: 'a' }, { v: 'b' }] },
      { out: ['a', 'b'] },
    ],
    [
      '[#2] counter',
      { m: { '*': { $: 'keys[#2]' } } },
      { m: { x: 1, y: 2 } },
      { keys: ['x', 'y'] },
    ],
    ['same output twice makes a list', { a: 'o', b: 'o' }, { a: 1, b: 2 }, { o: [1, 2] }],
  ])('%s', (_name, spec, input, expected) => {
    expect(shift(spec, input)).toEqual(expected);
  });

  it('literal keys win over wildcards, longer wildcards over shorter ones', () => {
    expect(
      shift(
        { 'rating-range-*': 'long', 'rating-*': 'short', 'rating-x': 'lit' },
        { 'rating-range-a': 1, 'rating-b': 2, 'rating-x': 3 },
      ),
    ).toEqual({
      long: 1,
      short: 2,
      lit: 3,
    });
  });
});

describe('JOLT modify functions', () => {
  it.each([
    [
      'concat',
      { full: "=concat(@(1,first),' ',@(1,last))" },
      { first: 'Ada', last: 'L' },
      'full',
      'Ada L',
    ],
    ['join', { j: "=join('-',@(1,list))" }, { list: ['a', 'b'] }, 'j', 'a-b'],
    ['toUpper (current value)', { s: '=toUpper' }, { s: 'abc' }, 's', 'ABC'],
    ['substring', { s: '=substring(@(1,s),0,2)' }, { s: 'abc' }, 's', 'ab'],
    ['size', { n: '=size(@(1,list))' }, { list: [1, 2, 3] }, 'n', 3],
    ['toInteger', { n: '=toInteger' }, { n: '42' }, 'n', 42],
    ['divideAndRound', { q: '=divideAndRound(2,@(1,a),@(1,b))' }, { a: 10, b: 3 }, 'q', 3.33],
    ['lastElement', { l: '=lastElement(@(1,list))' }, { list: [1, 2] }, 'l', 2],
    ['isString (addition)', { t: '=isString(@(1,s))' }, { s: 'x' }, 't', true],
  ])('%s', (_name, spec, input, key, expected) => {
    expect((modify(spec, input) as Record<string, unknown>)[key]).toEqual(expected);
  });

  it('reads the context with ^', () => {
    expect(modify({ v: '^value' }, {}, { value: 7 })).toEqual({ v: 7 });
  });

  it('an unknown function writes nothing and falls through to the next candidate', () => {
    expect(modify({ x: ['=nonesuch', 'fallback'] }, {})).toEqual({ x: 'fallback' });
  });

  it('default and define modes only fill gaps', () => {
    const input = { a: null, b: 1 };
    expect(compileOperation('modify-default-beta', { a: 5, b: 5, c: 5 })(input)).toEqual({
      a: 5,
      b: 1,
      c: 5,
    });
    expect(compileOperation('modify-define-beta', { a: 5, b: 5, c: 5 })(input)).toEqual({
      a: null,
      b: 1,
      c: 5,
    });
  });
});

describe('JOLT key order and immutability', () => {
  it('keeps integer-like spec keys in document order when the spec is parsed in order', () => {
    const text = '[{"operation":"shift","spec":{"1":"out[]","0":"out[]"}}]';
    const ordered = compileChain(parseOrderedJson(text));
    const plain = compileChain(JSON.parse(text));
    expect(ordered(['a', 'b'])).toEqual({ out: ['b', 'a'] });
    // JSON.parse moved "0" before "1": the plain-object spec visits them the other way round.
    expect(plain(['a', 'b'])).toEqual({ out: ['a', 'b'] });
  });

  it('never mutates the input or the context', () => {
    const input = { a: { b: null }, l: [3, 1], drop: 1 };
    const snapshot = structuredClone(input);
    const t = compileChain([
      { operation: 'default', spec: { a: { b: 'x' } } },
      { operation: 'remove', spec: { drop: '' } },
      { operation: 'modify-overwrite-beta', spec: { l: '=sort' } },
      { operation: 'sort' },
    ]);
    expect(t(input)).toEqual({ a: { b: 'x' }, l: [1, 3] });
    expect(input).toEqual(snapshot);
  });

  it('keeps __proto__ as plain data', () => {
    const out = shift({ '*': 'copy.&' }, JSON.parse('{"__proto__":{"polluted":1}}')) as Record<
      string,
      unknown
    >;
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.keys(out.copy as object)).toEqual(['__proto__']);
    expect(toJson(new Map([['__proto__', 1]]))).toEqual(JSON.parse('{"__proto__":1}'));
  });
});

describe('JOLT documented differences from the Java implementation (docs/jolt.md)', () => {
  it('keeps upstream min/max typing quirk and value semantics for numbers', () => {
    expect(modify({ m: '=max(1,1.5)' }, {})).toEqual({ m: 1 });
    expect(modify({ d: '=toDouble' }, { d: 2 })).toEqual({ d: 2 });
  });

  it('an invalid reference in a shift output path is a transform error', () => {
    expect(() => shift({ a: 'x.&5' }, { a: 1 })).toThrow(
      expect.objectContaining({ code: 'ERR_JOLT_TRANSFORM' }) as Error,
    );
  });

  it('cardinality works on elements of a list', () => {
    expect(
      compileOperation('cardinality', { list: { '*': 'ONE' } })({ list: [[1, 2], [3]] }),
    ).toEqual({ list: [1, 3] });
  });

  it('a default spec with named keys can not handle a top-level array', () => {
    expect(() => compileOperation('default', { a: 1 })([1])).toThrow(
      expect.objectContaining({ code: 'ERR_JOLT_TRANSFORM' }) as Error,
    );
    expect(compileOperation('default', { '1': 'x' })([null, null])).toEqual([null, 'x']);
  });

  it('a modify * key matched against a scalar writes nothing', () => {
    expect(modify({ a: { '*': 'x' } }, { a: 'scalar' })).toEqual({ a: 'scalar' });
  });

  it('an unknown function with arguments writes nothing', () => {
    expect(modify({ x: '=nonesuch(@(1,y))' }, { y: 1 })).toEqual({ y: 1 });
  });

  it('accepts the stock Java class names and distinct & keys that share a prefix', () => {
    expect(
      compileChain([{ operation: 'com.bazaarvoice.jolt.Shiftr', spec: { a: 'b' } }])({ a: 1 }),
    ).toEqual({ b: 1 });
    const t = compileOperation('shift', { '*': { '&-a': 'first', '&-b': 'second' } });
    expect(t({ k: { 'k-a': 1, 'k-b': 2 } })).toEqual({ first: 1, second: 2 });
  });

  it('returns null from the engine when a shift matches nothing', () => {
    expect(shift({ a: 'b' }, { c: 1 })).toBeNull();
  });
});
