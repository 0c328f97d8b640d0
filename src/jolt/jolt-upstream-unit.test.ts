// Upstream's inline Shiftr unit cases (ShiftrUnitTest), re-expressed as data: transforms, bad specs, bad RHS paths.
import { describe, expect, it } from 'vitest';
import { PlatformError } from '../errors/index.js';
import { compileOperation } from './index.js';
import { parseFunctionArgs } from './modify.js';

const shift = (spec: unknown) => compileOperation('shift', spec);

describe('upstream ShiftrUnitTest cases', () => {
  it.each([
    [
      'simple * and reference',
      { 'tuna-*-marlin-*': { 'rating-*': '&(1,2).&.value' } },
      { 'tuna-A-marlin-AAA': { 'rating-BBB': 'bar' } },
      { AAA: { 'rating-BBB': { value: 'bar' } } },
    ],
    [
      'shift to two places',
      { 'tuna-*-marlin-*': { 'rating-*': ['&(1,2).&.value', 'foo'] } },
      { 'tuna-A-marlin-AAA': { 'rating-BBB': 'bar' } },
      { foo: 'bar', AAA: { 'rating-BBB': { value: 'bar' } } },
    ],
    ['or', { 'tuna|marlin': '&-write' }, { tuna: 'snapper' }, { 'tuna-write': 'snapper' }],
    [
      'key reference on the LHS',
      { 'rating-*': { '&(0,1)': { match: '&' } } },
      {
        'rating-a': { a: { match: 'a-match' }, random: { match: 'noise' } },
        'rating-c': { c: { match: 'c-match' }, random: { match: 'noise' } },
      },
      { match: ['a-match', 'c-match'] },
    ],
    [
      'complex array write',
      { 'tuna-*-marlin-*': { 'rating-*': 'tuna[&(1,1)].marlin[&(1,2)].&(0,1)' } },
      { 'tuna-2-marlin-3': { 'rating-BBB': 'bar' }, 'tuna-1-marlin-0': { 'rating-AAA': 'mahi' } },
      {
        tuna: [null, { marlin: [{ AAA: 'mahi' }] }, { marlin: [null, null, null, { BBB: 'bar' }] }],
      },
    ],
  ])('%s', (_name, spec, input, expected) => {
    expect(shift(spec)(input)).toEqual(expected);
  });

  it.each([
    ['null spec', null],
    ['list spec', []],
    ['empty spec', {}],
    ['empty sub-spec', { tuna: {} }],
    ['bad @', { 'tuna-*-marlin-*': { 'rating-@': '&(1,2).&.value' } }],
    ['RHS @ by itself', { 'tuna-*-marlin-*': { 'rating-*': '&(1,2).@.value' } }],
    ['RHS @ with bad parens', { 'tuna-*-marlin-*': { 'rating-*': '&(1,2).@(data.&(1,1).value' } }],
    ['RHS *', { 'tuna-*-marlin-*': { 'rating-*': '&(1,2).*.value' } }],
    ['RHS $', { 'tuna-*-marlin-*': { 'rating-*': '&(1,2).$.value' } }],
    [
      'two arrays',
      {
        'tuna-*-marlin-*': { 'rating-*': ['&(1,2).photos[&(0,1)]-subArray[&(1,2)].value', 'foo'] },
      },
    ],
    ["can't mix * and &", { 'tuna-*-marlin-*': { 'rating-&(1,2)-*': ['&(1,2).value', 'foo'] } }],
    ['negative array index', { tuna: 'marlin[-1]' }],
  ])('rejects %s', (_name, spec) => {
    expect(() => shift(spec)).toThrow(PlatformError);
  });

  it.each([
    '@',
    'a@',
    '@a@b',
    '@(a.b.&(2,2)',
    '@(a.b.&(2,2).d',
    '@(a.b.@c).d',
    '@(a.*.c)',
    '@(a.$2.c)',
  ])('rejects the output path %s', (path) => {
    expect(() => shift({ tuna: path })).toThrow(
      expect.objectContaining({ code: 'ERR_JOLT_SPEC_INVALID' }) as Error,
    );
  });

  it.each(['@a', '@abc', '@a.b.c', '@(a.b\\.c)', '@a.b.@c', '@(a[2].&).b.@c', 'a[&2].@b[1].c'])(
    'accepts the output path %s',
    (path) => {
      expect(() => shift({ tuna: path })).not.toThrow();
    },
  );
});

describe('upstream ModifierTest function argument parsing', () => {
  it.each([
    ['fn(abc,efg,pqr)', ['fn', 'abc', 'efg', 'pqr']],
    ['fn(abc,@(1,2),pqr)', ['fn', 'abc', '@(1,2)', 'pqr']],
    ['fn(abc,efg,pqr,)', ['fn', 'abc', 'efg', 'pqr', '']],
    ['fn(abc,,@(1,,2),,pqr,,)', ['fn', 'abc', '', '@(1,,2)', '', 'pqr', '', '']],
    ["fn(abc,'e,f,g',pqr)", ['fn', 'abc', "'e,f,g'", 'pqr']],
    ["fn(abc,'e(,f,)g',pqr)", ['fn', 'abc', "'e(,f,)g'", 'pqr']],
  ])('%s', (text, expected) => {
    expect(parseFunctionArgs(text)).toEqual(expected);
  });
});
