// Every example of platform-reference §8.4 for these functions, with the documented result.
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../core/json.js';
import type { FunctionCase } from './frozen-services.js';
import { FROZEN_NOW, callFunction, ok } from './frozen-services.js';

const BOOKS: JsonValue[] = [
  { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
  { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
  {
    category: 'fiction',
    author: 'Herman Melville',
    title: 'Moby Dick',
    isbn: '0-553-21311-3',
    price: 8.99,
  },
  {
    category: 'fiction',
    author: 'J. R. R. Tolkien',
    title: 'The Lord of the Rings',
    isbn: '0-395-19395-8',
    price: 22.99,
  },
];

/** Reference results that are Java doubles (34.0, 12.0) are JSON numbers here (see docs/expressions.md). */
const examples: FunctionCase[] = [
  ['XOR', [true, false, true, true], ok(true)],
  ['GREATERTHAN', [null, null], ok(false)],
  ['GREATERTHANEQUAL', [null, null], ok(true)],
  ['LESSTHAN', [null, null], ok(false)],
  ['LESSTHANEQUAL', [null, null], ok(true)],
  ['GREATERTHAN', [0, null], ok(true)],
  ['FORMATNUMBER', [1234567.891, '###,###.##'], ok('1,234,567.89')],
  ['FORMATNUMBER', [-12.5, "'R$ '#,##0.00;'R$ -'#,##0.00", 'pt-br'], ok('R$ -12,50')],
  // Numerical functions page: 3.8454 with "#.###" under each rounding mode (the page's output block
  // was not retrievable; the results follow java.math.RoundingMode).
  ['FORMATNUMBER', [3.8454, '#.###', null, 'UP'], ok('3.846')],
  ['FORMATNUMBER', [3.8454, '#.###', null, 'DOWN'], ok('3.845')],
  ['FORMATNUMBER', [3.8454, '#.###', null, 'CEILING'], ok('3.846')],
  ['FORMATNUMBER', [3.8454, '#.###', null, 'FLOOR'], ok('3.845')],
  ['FORMATNUMBER', [3.8454, '#.###', null, 'HALF_UP'], ok('3.845')],
  ['FORMATNUMBER', [3.8454, '#.###', null, 'HALF_DOWN'], ok('3.845')],
  ['FORMATNUMBER', [3.8454, '#.###', null, 'HALF_EVEN'], ok('3.845')],
  ['FORMATNUMBER', [1234.5, '0.00'], ok('1234.50')],
  ['TONUMBER', ['R$ 300.754,15', "'R$ '###,###.##", 'pt-br'], ok(300754.15)],
  ['TODOUBLE', [12], ok(12.0)],
  ['TOINT', [12.345], ok(12)],
  ['TOLONG', [12.345], ok(12)],
  ['TOLONG', ['12.345'], ok(12)],
  ['ABS', [-34], ok(34.0)],
  ['ROUND', [2.5], ok(3)],
  ['ROUND', [-2.5], ok(-2)],
  ['NORMALIZE', ['São Paulo'], ok('Sao Paulo')],
  ['INDEXOF', ['abc', 'z'], ok(-1)],
  ['LEFTPAD', ['long enough', 3, '*'], ok('long enough')],
  ['SUBSTRING', ['abc', 1, 9], { code: 'ERR_EXPR_ARGUMENT_VALUE' }],
  ['SUBSTRING', ['abc', 1, 9, false], ok('abc')],
  ['FORMATDATE', [FROZEN_NOW, 'timestamp', 'yyyyMMdd', null, 'GMT-3'], ok('20240229')],
  [
    'FORMATDATE',
    [FROZEN_NOW - 12 * 3_600_000, 'timestamp', 'yyyyMMdd', null, 'GMT-3'],
    ok('20240228'),
  ],
  [
    'FORMATDATE',
    ['2024-02-29T12:00:00.000+0000', "yyyy-MM-dd'T'HH:mm:ss.SSSZ", 'timestamp'],
    ok(FROZEN_NOW),
  ],
  // The eager-IF example of the Double Braces functions page: the .SSS pattern cannot read this date.
  [
    'FORMATDATE',
    ['2022-10-26T03:00:00Z', "yyyy-MM-dd'T'HH:mm:ss'Z'", 'dd/MM/yyyy'],
    ok('26/10/2022'),
  ],
  [
    'FORMATDATE',
    ['2022-10-26T03:00:00Z', "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", 'dd/MM/yyyy'],
    { code: 'ERR_EXPR_ARGUMENT_VALUE' },
  ],
  ['TOISODATE', ['2024-02-29', 'yyyy-MM-dd'], ok('2024-02-29T00:00:00.000Z')],
  ['SUMDATE', [FROZEN_NOW, 'SECOND', 30], ok(FROZEN_NOW + 30_000)],
  ['DIFFDATE', [FROZEN_NOW, FROZEN_NOW + 59_000, 'minute'], ok(0)],
  ['DIFFDATE', [FROZEN_NOW + 3_600_000, FROZEN_NOW, 'hour'], ok(-1)],
  // The JSONPATH examples of the JSON functions page (filter on the store document; "$.[0]").
  [
    'JSONPATH',
    [{ store: { book: BOOKS } }, '$.store.book[?(@.price > 10)]'],
    ok([BOOKS[1], BOOKS[3]] as JsonValue[]),
  ],
  ['JSONPATH', [['aa', 'ss', '', 'e'], '$.[0]'], ok('aa')],
  ['JSONPATH', [BOOKS, '$.[0]'], ok(BOOKS[0] as JsonValue)],
  ['JSONPATH', [{ p: [3, 1, 2] }, '$.p.min()'], ok(1)],
  ['JSONPATH', [{ p: [3, 1, 2] }, '$.p.max()'], ok(3)],
  ['JSONPATH', [{ p: [3, 1, 2] }, '$.p.avg()'], ok(2)],
  ['JSONPATH', [{ p: [3, 1, 2] }, '$.p.length()'], ok(3)],
  ['JSONPATH', [{ p: [1, 3] }, '$.p.stddev()'], ok(1)],
  ['TOJSON', ['false'], ok(false)],
  ['LASTELEMENT', [[]], ok(null)],
  ['REMOVEAT', [[1, 2], 5], ok([1, 2])],
  ['PUSH', [[1]], ok([1, null])],
  ['POP', [[1, 2]], ok({ array: [1], element: 2 })],
  ['POP', [[]], ok({ array: [], element: null })],
  ['NEWEMPTYOBJECT', [], ok({})],
  ['NEWEMPTYARRAY', [], ok([])],
  ['CARDINALITYONE', [[]], ok(null)],
  ['CARDINALITYONE', ['x'], ok('x')],
  ['CARDINALITYMANY', ['x'], ok(['x'])],
  ['CARDINALITYMANY', [['x']], ok(['x'])],
  ['BASEENCODE', ['xpto'], ok('eHB0bw==')],
  ['BASEDECODE', ['eHB0bw=='], ok('xpto')],
  ['BASEURLENCODE', ['xpto'], ok('eHB0bw')],
  ['BASEURLDECODE', ['eHB0bw'], ok('xpto')],
  ['URIENCODE', ['http://localhost:8080'], ok('http%3A%2F%2Flocalhost%3A8080')],
  ['URIDECODE', ['http%3A%2F%2Flocalhost%3A8080'], ok('http://localhost:8080')],
  ['TOBOOLEAN', ['true'], ok(true)],
  ['TOBOOLEAN', ['TRUE'], ok(true)],
  ['TOBOOLEAN', [true], ok(true)],
  ['TOBOOLEAN', ['false'], ok(false)],
  ['TOBOOLEAN', [1], ok(false)],
  ['TOBOOLEAN', [null], ok(false)],
  ['TOBOOLEAN', [{}], ok(false)],
  ['SIZE', ['abc'], ok(3)],
  ['SIZE', [[1, 2]], ok(2)],
  ['SIZE', [{ a: { b: 1, c: 2 } }], ok(1)],
  ['SIZE', [true], { code: 'ERR_EXPR_ARGUMENT_TYPE' }],
  ['SIZE', [true, false], ok(null)],
];

describe('platform-reference §8.4 examples', () => {
  for (const [name, args, expected] of examples) {
    it(`${name}(${JSON.stringify(args).slice(1, -1)})`, () =>
      expect(callFunction(name, args)).toEqual(expected));
  }
});
