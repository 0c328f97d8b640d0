// One or more executable examples per function: rendered into docs/expressions.md and checked by tests.
import type { JsonValue } from '../../core/json.js';

/** `[arguments, result]` pairs; the arguments are literals, so each renders as a valid expression. */
export const functionExamples: Record<string, [JsonValue[], JsonValue][]> = {
  AND: [[[true, true, null], false]],
  OR: [[[false, 'true'], true]],
  NOT: [[[null], true]],
  XOR: [[[true, false, true, true], true]],
  EQUALTO: [
    [[{ a: [1, 2] }, { a: [1, 2] }], true],
    [[1, '1'], false],
  ],
  GREATERTHAN: [
    [[10, 9.5], true],
    [[null, null], false],
  ],
  GREATERTHANEQUAL: [[[null, null], true]],
  LESSTHAN: [
    [[null, -5], true],
    [[null, null], false],
  ],
  LESSTHANEQUAL: [[[null, null], true]],
  IF: [[[true, 'yes', 'no'], 'yes']],
  ISOBJECT: [
    [[{}], true],
    [[[]], false],
  ],
  ISARRAY: [[[[1]], true]],
  ISBOOLEAN: [[['true'], false]],
  ISSTRING: [[[''], true]],
  ISNUMBER: [[['12'], false]],
  ISNULL: [[[null], true]],
  SWITCHCASE: [[['other', false, 'a', true, 'b'], 'b']],
  FORMATNUMBER: [
    [[1234567.891, '###,###.##'], '1,234,567.89'],
    [[1234.5, '#,##0.00', 'pt-br'], '1.234,50'],
    [[-5, '0.00;(0.00)'], '(5.00)'],
    [[3.8454, '#.###', null, 'UP'], '3.846'],
  ],
  TONUMBER: [
    [['R$ 300.754,15', "'R$ '###,###.##", 'pt-br'], 300754.15],
    [['1,234.56', '#,##0.00', 'en-us', true], 1234],
  ],
  TODOUBLE: [
    [[12], 12],
    [['12.5'], 12.5],
  ],
  TOINT: [[[12.345], 12]],
  TOLONG: [
    [[12.345], 12],
    [['9007199254740991'], 9007199254740991],
  ],
  RANDOMNUMBERS: [[[1, 10], 6]],
  ABS: [[[-34], 34]],
  CEIL: [[[1.2], 2]],
  DIVIDE: [[[10, 4], 2.5]],
  LOG: [[[8, 2], 3]],
  MAX: [[[3, 7], 7]],
  MIN: [[[3, 7], 3]],
  MOD: [[[-7, 3], -1]],
  MULTIPLY: [[[2, 3, 4], 24]],
  POW: [[[2, 10], 1024]],
  ROUND: [
    [[2.5], 3],
    [[-2.5], -2],
  ],
  SQRT: [[[16], 4]],
  SUBTRACT: [[[10, 4.5], 5.5]],
  SUM: [[[1, 2, 3.5], 6.5]],
  CAPITALIZE: [[['hello world'], 'Hello world']],
  CONCAT: [[['Hello', ' ', 'World', null, 1], 'Hello World1']],
  CONTAINS: [[['Digibee', 'bee'], true]],
  DEFAULT: [[[null, 'fallback'], 'fallback']],
  ESCAPE: [
    [['"a" & <b>', 'XML'], '&quot;a&quot; &amp; &lt;b&gt;'],
    [['a,b', 'CSV'], '"a,b"'],
  ],
  UNESCAPE: [[['&lt;b&gt; &eacute;', 'HTML'], '<b> é']],
  INDEXOF: [
    [['banana', 'an'], 1],
    [['banana', 'an', 2], 3],
  ],
  LASTINDEXOF: [[['banana', 'an'], 3]],
  JOIN: [[['-', 'a', ['b', 'c'], null], 'a-b-c']],
  LEFTPAD: [[['42', 5, '0'], '00042']],
  RIGHTPAD: [[['ab', 4, '*'], 'ab**']],
  LOWERCASE: [[['ABC'], 'abc']],
  UPPERCASE: [[['abc'], 'ABC']],
  MATCHES: [
    [['abc123', '[a-z]+\\d+'], true],
    [['abc', 'b'], false],
  ],
  NORMALIZE: [[['São Paulo'], 'Sao Paulo']],
  RANDOMSTRINGS: [[['NUMERIC', 5], '52709']],
  REPLACE: [[['John Smith', '(\\w+) (\\w+)', '$2, $1'], 'Smith, John']],
  SPLIT: [
    [
      ['a,b,,c,,', ','],
      ['a', 'b', '', 'c'],
    ],
  ],
  STRINGMATCHES: [
    [
      ['Abc aBC', 'abc', 'CASE_INSENSITIVE'],
      ['Abc', 'aBC'],
    ],
  ],
  SUBSTRING: [
    [['Digibee', 0, 4], 'Digi'],
    [['Digibee', 2, 50, false], 'Digibee'],
  ],
  TOSTRING: [[[{ a: 1 }], '{"a":1}']],
  TRIM: [[['  hi \n'], 'hi']],
  NOW: [[[], 1709208000000]],
  FORMATDATE: [
    [[1709208000000, 'timestamp', 'yyyyMMdd', null, 'GMT-3'], '20240229'],
    [
      ['29/02/2024 14:05', 'dd/MM/yyyy HH:mm', "EEE, d MMM yyyy 'at' hh:mm a"],
      'Thu, 29 Feb 2024 at 02:05 PM',
    ],
    [
      [1709208000000, 'timestamp', null, null, 'America/Sao_Paulo'],
      '2024-02-29T09:00:00-03:00[America/Sao_Paulo]',
    ],
  ],
  TOISODATE: [
    [['10/03/2024 09:30', 'dd/MM/yyyy HH:mm', null, 'GMT-3'], '2024-03-10T09:30:00.000-03:00'],
  ],
  SUMDATE: [
    [[0, 'SECOND', 30], 30000],
    [[1709164800000, 'year', 1], 1740700800000],
  ],
  DIFFDATE: [
    [[0, 90000, 'minute'], 1],
    [[90000, 0, 'minute'], -1],
  ],
  JSONPATH: [
    [[{ book: [{ price: 8 }, { price: 12 }] }, '$.book[?(@.price < 10)].price'], [8]],
    [[{ a: [1, 2, 3] }, '$.a.max()'], 3],
    [[{ a: { b: 1 } }, '$.a.b'], 1],
  ],
  TOJSON: [
    [['false'], false],
    [['{"a":1}'], { a: 1 }],
  ],
  UNESCAPEJSON: [[['{\\"a\\":1}'], { a: 1 }]],
  GETELEMENTAT: [[[[1, 2, 3], 1], 2]],
  LASTELEMENT: [
    [[[1, 2, 3]], 3],
    [[[]], null],
  ],
  REMOVEAT: [
    [
      [[1, 2, 3], 0],
      [2, 3],
    ],
    [
      [[1, 2, 3], 7],
      [1, 2, 3],
    ],
  ],
  PUSH: [
    [
      [[1], 2],
      [1, 2],
    ],
  ],
  POP: [[[[1, 2, 3]], { array: [1, 2], element: 3 }]],
  NEWEMPTYOBJECT: [[[], {}]],
  NEWEMPTYARRAY: [[[], []]],
  CARDINALITYONE: [
    [[[4, 5]], 4],
    [[{ a: 1 }], { a: 1 }],
  ],
  CARDINALITYMANY: [[[4], [4]]],
  ARRAYTOOBJECT: [[[[['a', 1], { key: 'b', value: 2 }]], { a: 1, b: 2 }]],
  OBJECTTOARRAY: [[[{ a: 1 }], [{ key: 'a', value: 1 }]]],
  BASEENCODE: [[['xpto'], 'eHB0bw==']],
  BASEDECODE: [[['eHB0bw=='], 'xpto']],
  BASEURLENCODE: [[['xpto'], 'eHB0bw']],
  BASEURLDECODE: [[['eHB0bw'], 'xpto']],
  URIENCODE: [[['http://localhost:8080'], 'http%3A%2F%2Flocalhost%3A8080']],
  URIDECODE: [[['http%3A%2F%2Flocalhost%3A8080'], 'http://localhost:8080']],
  UUID: [[[], '123e4567-e89b-42d3-a456-426614174000']],
  TOBOOLEAN: [
    [['TRUE'], true],
    [[1], false],
  ],
  SIZE: [
    [['Digibee'], 7],
    [[{ a: 1, b: 2 }], 2],
    [[42, false], null],
  ],
};
