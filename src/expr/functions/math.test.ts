// Table-driven tests of the math and numerical functions (DecimalFormat patterns, rounding, big integers).
import { describe, expect, it } from 'vitest';
import type { FunctionCase } from './frozen-services.js';
import { callFunction, fails, ok, thinlyTested } from './frozen-services.js';
import { mathFunctions } from './math.js';
import { numericalFunctions } from './numerical.js';

const TYPE = 'ERR_EXPR_ARGUMENT_TYPE';
const VALUE = 'ERR_EXPR_ARGUMENT_VALUE';
const cases: FunctionCase[] = [
  ['ABS', [-34], ok(34)],
  ['ABS', [null], ok(null)],
  ['ABS', ['x'], fails(TYPE)],
  ['ABS', [-0.5], ok(0.5)],
  ['ABS', ['-3'], ok(3)],
  ['CEIL', [1.2], ok(2)],
  ['CEIL', [null], ok(null)],
  ['CEIL', [true], fails(TYPE)],
  ['CEIL', [-1.2], ok(-1)],
  ['DIVIDE', [10, 4], ok(2.5)],
  ['DIVIDE', [null, 4], ok(null)],
  ['DIVIDE', [[1], 4], fails(TYPE)],
  ['DIVIDE', [1, 0], fails(VALUE)],
  ['LOG', [8, 2], ok(3)],
  ['LOG', [null, 10], ok(null)],
  ['LOG', ['e', 10], fails(TYPE)],
  ['LOG', [-1, 10], fails(VALUE)],
  ['MAX', [3, 7], ok(7)],
  ['MAX', [3, null], ok(null)],
  ['MAX', [3, {}], fails(TYPE)],
  ['MAX', [-1, -5, -3], ok(-1)],
  ['MIN', [3, 7], ok(3)],
  ['MIN', [null, 7], ok(null)],
  ['MIN', ['a', 7], fails(TYPE)],
  ['MIN', [-0.1, 0], ok(-0.1)],
  ['MOD', [10, 3], ok(1)],
  ['MOD', [10, null], ok(null)],
  ['MOD', [10, 'x'], fails(TYPE)],
  ['MOD', [-7, 3], ok(-1)],
  ['MOD', [7, 0], fails(VALUE)],
  ['MULTIPLY', [2, 3, 4], ok(24)],
  ['MULTIPLY', [2, null], ok(null)],
  ['MULTIPLY', [2, false], fails(TYPE)],
  ['MULTIPLY', [1e200, 1e200], fails(VALUE)],
  ['POW', [2, 10], ok(1024)],
  ['POW', [null, 2], ok(null)],
  ['POW', [2, '2x'], fails(TYPE)],
  ['POW', [4, -0.5], ok(0.5)],
  ['ROUND', [2.5], ok(3)],
  ['ROUND', [-2.5], ok(-2)],
  ['ROUND', [null], ok(null)],
  ['ROUND', ['abc'], fails(TYPE)],
  ['ROUND', [-2.51], ok(-3)],
  ['SQRT', [16], ok(4)],
  ['SQRT', [null], ok(null)],
  ['SQRT', [{}], fails(TYPE)],
  ['SQRT', [-4], fails(VALUE)],
  ['SUBTRACT', [10, 4.5], ok(5.5)],
  ['SUBTRACT', [null, 1], ok(null)],
  ['SUBTRACT', [1, []], fails(TYPE)],
  ['SUBTRACT', [0.3, 0.1], ok(0.19999999999999998)],
  ['SUM', [1, 2, 3.5], ok(6.5)],
  ['SUM', [1, null], ok(null)],
  ['SUM', [1, 'two'], fails(TYPE)],
  ['SUM', ['1', '2'], ok(3)],
  // numerical
  ['FORMATNUMBER', [1234567.891, '###,###.##'], ok('1,234,567.89')],
  ['FORMATNUMBER', [null, '#.##'], ok(null)],
  ['FORMATNUMBER', [{}, '#.##'], fails(TYPE)],
  ['FORMATNUMBER', [1234.5, '#,##0.00', 'pt-br'], ok('1.234,50')],
  ['FORMATNUMBER', [-1234.5, '#,##0.00;(#,##0.00)'], ok('(1,234.50)')],
  ['FORMATNUMBER', [-1234.5, '#,##0.00'], ok('-1,234.50')],
  ['FORMATNUMBER', [0.125, '0.00'], ok('0.12')],
  ['FORMATNUMBER', [0.135, '0.00'], ok('0.14')],
  ['FORMATNUMBER', [1.005, '0.00'], ok('1.00')],
  ['FORMATNUMBER', [0.5, '#.##'], ok('.5')],
  ['FORMATNUMBER', [0, '#.##'], ok('0')],
  ['FORMATNUMBER', [7, '000'], ok('007')],
  ['FORMATNUMBER', [0.256, '0.0%'], ok('25.6%')],
  ['FORMATNUMBER', [300754.15, "'R$ '###,###.00", 'pt-br'], ok('R$ 300.754,15')],
  ['FORMATNUMBER', [5, "'#'0"], ok('#5')],
  ['FORMATNUMBER', [123456789012, '#,##0'], ok('123,456,789,012')],
  ['FORMATNUMBER', [1, '0.0E0'], fails('ERR_EXPR_UNSUPPORTED')],
  ['FORMATNUMBER', [1, '#,##5'], fails('ERR_EXPR_UNSUPPORTED')],
  ['FORMATNUMBER', [1, "'unterminated"], fails(VALUE)],
  ['FORMATNUMBER', [1, '#'.repeat(201)], fails('ERR_EXPR_LIMIT')],
  ['TONUMBER', ['R$ 300.754,15', "'R$ '###,###.##", 'pt-br'], ok(300754.15)],
  ['TONUMBER', [null, '#'], ok(null)],
  ['TONUMBER', [{}, '#'], fails(TYPE)],
  ['TONUMBER', ['abc', '#,##0.00'], fails(VALUE)],
  ['TONUMBER', ['1,234.56', '#,##0.00', 'en-us', true], ok(1234)],
  ['TONUMBER', ['-1,234.5', '#,##0.0'], ok(-1234.5)],
  ['TONUMBER', ['(12.50)', '#0.00;(#0.00)'], ok(-12.5)],
  ['TONUMBER', ['45%', '#%'], ok(0.45)],
  ['TONUMBER', ['1.234', null, 'de-DE'], ok(1234)],
  ['TODOUBLE', [12], ok(12)],
  ['TODOUBLE', [null], ok(null)],
  ['TODOUBLE', [[]], fails(TYPE)],
  ['TODOUBLE', ['12.5'], ok(12.5)],
  ['TODOUBLE', ['1e3'], ok(1000)],
  ['TOINT', [12.345], ok(12)],
  ['TOINT', [null], ok(null)],
  ['TOINT', ['twelve'], fails(TYPE)],
  ['TOINT', [-12.9], ok(-12)],
  ['TOINT', [2147483648], fails(VALUE)],
  ['TOINT', ['-2147483648'], ok(-2147483648)],
  ['TOLONG', [12.345], ok(12)],
  ['TOLONG', [null], ok(null)],
  ['TOLONG', [true], fails(TYPE)],
  ['TOLONG', ['9007199254740991'], ok(9007199254740991)],
  ['TOLONG', ['9007199254740993'], fails(VALUE)],
  ['TOLONG', ['-42.9'], ok(-42)],
  ['TOLONG', [1e20], fails(VALUE)],
  ['RANDOMNUMBERS', [1, 10], ok(6)],
  ['RANDOMNUMBERS', [null, 10], fails(TYPE)],
  ['RANDOMNUMBERS', ['a', 10], fails(TYPE)],
  ['RANDOMNUMBERS', [5, 5], ok(5)],
  ['RANDOMNUMBERS', [10, 1], fails(VALUE)],
  ['RANDOMNUMBERS', [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], fails(VALUE)],
];

describe('math and numerical functions', () => {
  for (const [name, args, expected] of cases) {
    it(`${name}(${JSON.stringify(args).slice(1, -1)})`, () =>
      expect(callFunction(name, args)).toEqual(expected));
  }
  it('has at least four cases for every function of both groups', () => {
    expect(thinlyTested([...mathFunctions, ...numericalFunctions], cases)).toEqual([]);
  });
  it('RANDOMNUMBERS stays inside inclusive bounds for random() near 0 and 1', () => {
    const low = callFunction('RANDOMNUMBERS', [-3, 3], {
      now: () => 0,
      uuid: () => '',
      random: () => 0,
    });
    const high = callFunction('RANDOMNUMBERS', [-3, 3], {
      now: () => 0,
      uuid: () => '',
      random: () => 0.9999999999,
    });
    expect([low, high]).toEqual([ok(-3), ok(3)]);
  });
});
