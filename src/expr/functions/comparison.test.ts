// Table-driven tests of AND, OR, NOT, XOR and the conditional functions (reference §8.4 examples included).
import { describe, expect, it } from 'vitest';
import { comparisonFunctions } from './comparison.js';
import { conditionalFunctions } from './conditional.js';
import type { FunctionCase } from './frozen-services.js';
import { callFunction, fails, ok, thinlyTested } from './frozen-services.js';

const TYPE = 'ERR_EXPR_ARGUMENT_TYPE';
const cases: FunctionCase[] = [
  ['AND', [true, true, true], ok(true)],
  ['AND', [true, null], ok(false)],
  ['AND', [true, 1], fails(TYPE)],
  ['AND', ['TRUE', 'true'], ok(true)],
  ['OR', [false, false, true], ok(true)],
  ['OR', [null, false], ok(false)],
  ['OR', [false, {}], fails(TYPE)],
  ['OR', [true, 'yes'], fails(TYPE)],
  ['NOT', [true], ok(false)],
  ['NOT', [null], ok(true)],
  ['NOT', [[true]], fails(TYPE)],
  ['NOT', ['false'], ok(true)],
  ['XOR', [true, false, true, true], ok(true)],
  ['XOR', [null, null], ok(false)],
  ['XOR', [true, 0], fails(TYPE)],
  ['XOR', [true], ok(true)],
  ['EQUALTO', [{ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }], ok(true)],
  ['EQUALTO', [null, null], ok(true)],
  ['EQUALTO', [1, '1'], ok(false)],
  [
    'EQUALTO',
    [
      { a: 1, b: 2 },
      { b: 2, a: 1 },
    ],
    ok(true),
  ],
  ['EQUALTO', ['ação', 'acao'], ok(false)],
  ['GREATERTHAN', [2, 1], ok(true)],
  ['GREATERTHAN', [null, null], ok(false)],
  ['GREATERTHAN', [1, null], ok(true)],
  ['GREATERTHAN', [{}, 1], fails(TYPE)],
  ['GREATERTHAN', ['10', 9], ok(true)],
  ['GREATERTHAN', [-1, -2], ok(true)],
  ['GREATERTHANEQUAL', [null, null], ok(true)],
  ['GREATERTHANEQUAL', [2, 2], ok(true)],
  ['GREATERTHANEQUAL', [null, 0], ok(false)],
  ['GREATERTHANEQUAL', [true, 1], fails(TYPE)],
  ['LESSTHAN', [1, 2], ok(true)],
  ['LESSTHAN', [null, null], ok(false)],
  ['LESSTHAN', [null, -100], ok(true)],
  ['LESSTHAN', [[1], 2], fails(TYPE)],
  ['LESSTHAN', ['apple', 'banana'], ok(true)],
  ['LESSTHANEQUAL', [null, null], ok(true)],
  ['LESSTHANEQUAL', [2, 2.0], ok(true)],
  ['LESSTHANEQUAL', [3, null], ok(false)],
  ['LESSTHANEQUAL', ['a', 1], fails(TYPE)],
  ['IF', [true, 'yes', 'no'], ok('yes')],
  ['IF', [null, 'yes', 'no'], ok('no')],
  ['IF', [1, 'yes', 'no'], fails(TYPE)],
  ['IF', [false, 'yes', null], ok(null)],
  ['ISOBJECT', [{ a: 1 }], ok(true)],
  ['ISOBJECT', [null], ok(false)],
  ['ISOBJECT', [[]], ok(false)],
  ['ISOBJECT', [{}], ok(true)],
  ['ISARRAY', [[1]], ok(true)],
  ['ISARRAY', [null], ok(false)],
  ['ISARRAY', [{ 0: 1 }], ok(false)],
  ['ISARRAY', [[]], ok(true)],
  ['ISBOOLEAN', [false], ok(true)],
  ['ISBOOLEAN', [null], ok(false)],
  ['ISBOOLEAN', ['true'], ok(false)],
  ['ISBOOLEAN', [0], ok(false)],
  ['ISSTRING', ['x'], ok(true)],
  ['ISSTRING', [null], ok(false)],
  ['ISSTRING', [1], ok(false)],
  ['ISSTRING', [''], ok(true)],
  ['ISNUMBER', [1.5], ok(true)],
  ['ISNUMBER', [null], ok(false)],
  ['ISNUMBER', ['12'], ok(false)],
  ['ISNUMBER', [-0], ok(true)],
  ['ISNULL', [null], ok(true)],
  ['ISNULL', [''], ok(false)],
  ['ISNULL', [{}], ok(false)],
  ['ISNULL', [0], ok(false)],
  ['SWITCHCASE', ['default', false, 'a', true, 'b', true, 'c'], ok('b')],
  ['SWITCHCASE', ['default', null, 'a'], ok('default')],
  ['SWITCHCASE', ['default', 3, 'a'], fails(TYPE)],
  ['SWITCHCASE', ['default', true, 'a', false], fails('ERR_EXPR_ARGUMENT_VALUE')],
  ['SWITCHCASE', [null, false, 'a'], ok(null)],
];

describe('comparison and conditional functions', () => {
  for (const [name, args, expected] of cases) {
    it(`${name}(${JSON.stringify(args).slice(1, -1)})`, () =>
      expect(callFunction(name, args)).toEqual(expected));
  }
  it('has at least four cases for every function of both groups', () => {
    expect(thinlyTested([...comparisonFunctions, ...conditionalFunctions], cases)).toEqual([]);
  });
});
