// Table-driven tests of the JSON functions and of JSONPath on the Jayway "store" document.
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../core/json.js';
import type { FunctionCase } from './frozen-services.js';
import { callFunction, fails, ok, thinlyTested } from './frozen-services.js';
import { jsonFunctions } from './json.js';

const TYPE = 'ERR_EXPR_ARGUMENT_TYPE';
const VALUE = 'ERR_EXPR_ARGUMENT_VALUE';
const store: JsonValue = {
  store: {
    book: [
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
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  expensive: 10,
};
const path = (expr: string): JsonValue[] => [store, expr];

const cases: FunctionCase[] = [
  [
    'JSONPATH',
    path('$.store.book[*].author'),
    ok(['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']),
  ],
  ['JSONPATH', [null, '$.a'], ok(null)],
  ['JSONPATH', [store, { a: 1 }], fails(TYPE)],
  ['JSONPATH', path('$.store.nothing'), ok(null)],
  [
    'JSONPATH',
    path('$..author'),
    ok(['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']),
  ],
  ['JSONPATH', path('$.store..price'), ok([8.95, 12.99, 8.99, 22.99, 19.95])],
  ['JSONPATH', path('$..book[2].title'), ok(['Moby Dick'])],
  ['JSONPATH', path('$.store.book[2].title'), ok('Moby Dick')],
  ['JSONPATH', path('$.store.book[-1].title'), ok('The Lord of the Rings')],
  ['JSONPATH', path('$.store.book[0,1].price'), ok([8.95, 12.99])],
  ['JSONPATH', path('$.store.book[:2].price'), ok([8.95, 12.99])],
  ['JSONPATH', path('$.store.book[-2:].price'), ok([8.99, 22.99])],
  ['JSONPATH', path('$.store.book[9].title'), ok(null)],
  ['JSONPATH', path('$..book[?(@.isbn)].title'), ok(['Moby Dick', 'The Lord of the Rings'])],
  [
    'JSONPATH',
    path('$.store.book[?(@.price < 10)].title'),
    ok(['Sayings of the Century', 'Moby Dick']),
  ],
  ['JSONPATH', path('$..book[?(@.price <= $.expensive)].price'), ok([8.95, 8.99])],
  ['JSONPATH', path('$..book[?(@.author =~ /.*REES/i)].title'), ok(['Sayings of the Century'])],
  [
    'JSONPATH',
    path("$.store.book[?(@.category == 'fiction' && @.price > 20)].title"),
    ok(['The Lord of the Rings']),
  ],
  [
    'JSONPATH',
    path("$.store.book[?(@.category != 'fiction' || !@.isbn)].price"),
    ok([8.95, 12.99]),
  ],
  [
    'JSONPATH',
    path("$.store.book[?(@.category in ['reference', 'poetry'])].author"),
    ok(['Nigel Rees']),
  ],
  ['JSONPATH', path("$.store.book[?(@.category nin ['fiction'])].author"), ok(['Nigel Rees'])],
  ['JSONPATH', path('$.store.book[?(@.title size 9)].title'), ok(['Moby Dick'])],
  ['JSONPATH', path('$.store.book.length()'), ok(4)],
  ['JSONPATH', [{ a: [{ t: [1, 2] }, { t: [1] }] }, '$.a[?(@.t.length() > 1)].t'], ok([[1, 2]])],
  ['JSONPATH', [{ a: [{ t: [] }, { t: [1] }] }, '$.a[?(@.t empty true)].t'], ok([[]])],
  ['JSONPATH', path('$..price.min()'), ok(8.95)],
  ['JSONPATH', path('$..price.max()'), ok(22.99)],
  ['JSONPATH', [{ a: [1, 2, 3, 4] }, '$.a.avg()'], ok(2.5)],
  ['JSONPATH', [{ a: [2, 4, 4, 4, 5, 5, 7, 9] }, '$.a.stddev()'], ok(2)],
  ['JSONPATH', [{ a: [1, 'x', 3] }, '$.a.sum()'], ok(4)],
  ['JSONPATH', [{ a: [] }, '$.a.max()'], fails(VALUE)],
  ['JSONPATH', ['{"a":{"b":[1,2]}}', '$.a.b[1]'], ok(2)],
  ['JSONPATH', ['{not json', '$.a'], fails(VALUE)],
  ['JSONPATH', [store, '$.store.book[?(@.price < )]'], fails(VALUE)],
  ['JSONPATH', [store, 'store.book'], fails(VALUE)],
  ['JSONPATH', [{ a: { constructor: 1 } }, '$.a.__proto__'], ok(null)],
  [
    'JSONPATH',
    [{ items: [{ id: 1 }, { id: '2' }, { id: 3 }] }, "$.items[?(@.id == '1' || @.id == 2)].id"],
    ok([1, '2']),
  ],
  ['JSONPATH', [{ items: [{ id: 1 }, { id: 3 }] }, "$.items[?(@.id in ['3'])].id"], ok([3])],
  ['JSONPATH', [{ 'odd key': { ü: 1 } }, "$['odd key']['ü']"], ok(1)],
  ['JSONPATH', [{ a: { b: 1, c: 2 } }, '$.a.*'], ok([1, 2])],
  [
    'JSONPATH',
    [{ tags: [{ t: ['x', 'y'] }, { t: ['z'] }] }, "$.tags[?(@.t anyof ['y','q'])].t"],
    ok([['x', 'y']]),
  ],
  // TOJSON
  ['TOJSON', ['{"a":1}'], ok({ a: 1 })],
  ['TOJSON', ['false'], ok(false)],
  ['TOJSON', [null], ok(null)],
  ['TOJSON', ['{bad'], fails(VALUE)],
  ['TOJSON', [{ already: true }], ok({ already: true })],
  ['TOJSON', ['"x{{y}}"'], ok('x{{y}}')],
  // UNESCAPEJSON
  ['UNESCAPEJSON', ['{\\"a\\":1}'], ok({ a: 1 })],
  ['UNESCAPEJSON', [null], ok(null)],
  ['UNESCAPEJSON', [{ a: 1 }], fails(TYPE)],
  ['UNESCAPEJSON', ['line\\nnext \\u00e9'], ok('line\nnext é')],
  ['UNESCAPEJSON', ['"[1,2]"'], ok([1, 2])],
  ['UNESCAPEJSON', [''], ok('')],
  // array helpers
  ['GETELEMENTAT', [[1, 2, 3], 1], ok(2)],
  ['GETELEMENTAT', [null, 1], ok(null)],
  ['GETELEMENTAT', [{ a: 1 }, 0], fails(TYPE)],
  ['GETELEMENTAT', [[1, 2, 3], 3], ok(null)],
  ['GETELEMENTAT', [[1, 2, 3], -1], ok(null)],
  ['GETELEMENTAT', [[1], 'x'], fails(TYPE)],
  ['LASTELEMENT', [[1, 2, 3]], ok(3)],
  ['LASTELEMENT', [[]], ok(null)],
  ['LASTELEMENT', [null], ok(null)],
  ['LASTELEMENT', ['abc'], fails(TYPE)],
  ['REMOVEAT', [[1, 2, 3], 0], ok([2, 3])],
  ['REMOVEAT', [[1, 2, 3], 5], ok([1, 2, 3])],
  ['REMOVEAT', [null, 0], ok(null)],
  ['REMOVEAT', [[1], null], fails(TYPE)],
  ['REMOVEAT', [[1, 2], -1], ok([1, 2])],
  ['PUSH', [[1], 2], ok([1, 2])],
  ['PUSH', [[1]], ok([1, null])],
  ['PUSH', [{}, 1], fails(TYPE)],
  ['PUSH', [[], { a: [] }], ok([{ a: [] }])],
  ['POP', [[1, 2, 3]], ok({ array: [1, 2], element: 3 })],
  ['POP', [[]], ok({ array: [], element: null })],
  ['POP', [null], ok(null)],
  ['POP', [1], fails(TYPE)],
  ['NEWEMPTYOBJECT', [], ok({})],
  ['NEWEMPTYOBJECT', [], ok({})],
  ['NEWEMPTYARRAY', [], ok([])],
  ['NEWEMPTYARRAY', [], ok([])],
  ['CARDINALITYONE', [[4, 5]], ok(4)],
  ['CARDINALITYONE', [[]], ok(null)],
  ['CARDINALITYONE', [null], ok(null)],
  ['CARDINALITYONE', [{ a: 1 }], ok({ a: 1 })],
  ['CARDINALITYMANY', [4], ok([4])],
  ['CARDINALITYMANY', [[4]], ok([4])],
  ['CARDINALITYMANY', [null], ok([null])],
  ['CARDINALITYMANY', [{ a: 1 }], ok([{ a: 1 }])],
  [
    'ARRAYTOOBJECT',
    [
      [
        ['a', 1],
        ['b', 2],
      ],
    ],
    ok({ a: 1, b: 2 }),
  ],
  ['ARRAYTOOBJECT', [[{ key: 'a', value: 1 }]], ok({ a: 1 })],
  ['ARRAYTOOBJECT', [[{ k: 'a', v: 1 }], 'k', 'v'], ok({ a: 1 })],
  ['ARRAYTOOBJECT', [null], ok(null)],
  ['ARRAYTOOBJECT', [[{ value: 1 }]], fails(TYPE)],
  ['ARRAYTOOBJECT', [{ a: 1 }], fails(TYPE)],
  ['ARRAYTOOBJECT', [[]], ok({})],
  [
    'OBJECTTOARRAY',
    [{ a: 1, b: [2] }],
    ok([
      { key: 'a', value: 1 },
      { key: 'b', value: [2] },
    ]),
  ],
  ['OBJECTTOARRAY', [{ a: 1 }, 'k', 'v'], ok([{ k: 'a', v: 1 }])],
  ['OBJECTTOARRAY', [null], ok(null)],
  ['OBJECTTOARRAY', [[1]], fails(TYPE)],
  ['OBJECTTOARRAY', [{}], ok([])],
];

describe('JSON functions', () => {
  for (const [name, args, expected] of cases) {
    it(`${name}(${JSON.stringify(args).slice(1, -1).slice(-90)})`, () =>
      expect(callFunction(name, args)).toEqual(expected));
  }
  it('has at least four cases for every JSON function', () => {
    expect(thinlyTested(jsonFunctions, cases)).toEqual([]);
  });
  it('never mutates its input arrays', () => {
    const input = [1, 2, 3];
    callFunction('PUSH', [input, 4]);
    callFunction('POP', [input]);
    callFunction('REMOVEAT', [input, 0]);
    expect(input).toEqual([1, 2, 3]);
  });
  it('keeps a "__proto__" key as data in ARRAYTOOBJECT', () => {
    const out = callFunction('ARRAYTOOBJECT', [[['__proto__', { polluted: true }]]]);
    expect(Object.keys((out as { value: object }).value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('scans deeply nested documents without recursion', () => {
    let deep: JsonValue = { x: 1 };
    for (let i = 0; i < 20_000; i++) deep = { n: deep };
    expect(callFunction('JSONPATH', [deep, '$..x'])).toEqual(ok([1]));
  });
});
