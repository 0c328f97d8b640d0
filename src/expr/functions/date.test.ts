// Table-driven tests of the date functions: SimpleDateFormat patterns, locales, zones, leap days and DST.
import { describe, expect, it } from 'vitest';
import { dateFunctions } from './date.js';
import type { FunctionCase } from './frozen-services.js';
import {
  FROZEN_NOW,
  callFunction,
  fails,
  frozenServices,
  ok,
  thinlyTested,
} from './frozen-services.js';

const TYPE = 'ERR_EXPR_ARGUMENT_TYPE';
const VALUE = 'ERR_EXPR_ARGUMENT_VALUE';
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi, s);

const cases: FunctionCase[] = [
  ['NOW', [], ok(FROZEN_NOW)],
  ['NOW', [], ok(1709208000000)],
  // FORMATDATE — the reference example, evaluated at the frozen clock (12:00 UTC is 09:00 in GMT-3)
  ['FORMATDATE', [FROZEN_NOW, 'timestamp', 'yyyyMMdd', null, 'GMT-3'], ok('20240229')],
  ['FORMATDATE', [null, 'timestamp', 'yyyyMMdd'], ok(null)],
  ['FORMATDATE', [{}, 'timestamp', 'yyyyMMdd'], fails(TYPE)],
  ['FORMATDATE', [20240229, 'yyyyMMdd', 'dd/MM/yyyy'], ok('29/02/2024')],
  ['FORMATDATE', [true, 'yyyyMMdd', 'dd/MM/yyyy'], fails(TYPE)],
  ['FORMATDATE', ['2024-02-29', 'yyyy-MM-dd', 'dd/MM/yyyy'], ok('29/02/2024')],
  ['FORMATDATE', ['2023-02-29', 'yyyy-MM-dd', 'dd/MM/yyyy'], fails(VALUE)],
  ['FORMATDATE', ['29/02/24', 'dd/MM/yy', 'yyyy-MM-dd'], ok('2024-02-29')],
  [
    'FORMATDATE',
    [FROZEN_NOW, 'timestamp', "yyyy-MM-dd'T'HH:mm:ss.SSSZ"],
    ok('2024-02-29T12:00:00.000+0000'),
  ],
  [
    'FORMATDATE',
    [FROZEN_NOW, 'timestamp', "yyyy-MM-dd'T'HH:mm:ssXXX", null, 'GMT-3'],
    ok('2024-02-29T09:00:00-03:00'),
  ],
  ['FORMATDATE', [FROZEN_NOW, 'timestamp', "yyyy-MM-dd'T'HH:mm:ssX"], ok('2024-02-29T12:00:00Z')],
  [
    'FORMATDATE',
    [FROZEN_NOW, 'timestamp', "EEE, dd MMM yyyy hh:mm a 'o''clock'"],
    ok("Thu, 29 Feb 2024 12:00 PM o'clock"),
  ],
  [
    'FORMATDATE',
    [FROZEN_NOW, 'timestamp', 'EEEE, d MMMM yyyy', null, null, 'pt-BR'],
    ok('quinta-feira, 29 fevereiro 2024'),
  ],
  ['FORMATDATE', [FROZEN_NOW, 'timestamp', 'EEE dd MMM', null, null, 'pt-br'], ok('qui. 29 fev.')],
  ['FORMATDATE', ['10 mar. 2024', 'dd MMM yyyy', 'yyyy-MM-dd', 'pt-BR'], ok('2024-03-10')],
  [
    'FORMATDATE',
    ['Sun, 10 Mar 2024 02:30:00 +0100', 'EEE, dd MMM yyyy HH:mm:ss Z', 'timestamp'],
    ok(utc(2024, 3, 10, 1, 30)),
  ],
  ['FORMATDATE', ['02:30 PM', 'hh:mm a', 'HH:mm'], ok('14:30')],
  [
    'FORMATDATE',
    [utc(2024, 3, 10, 6, 30), 'timestamp', 'HH:mm z', null, 'America/New_York'],
    ok('01:30 EST'),
  ],
  [
    'FORMATDATE',
    [utc(2024, 3, 10, 7, 30), 'timestamp', 'HH:mm z', null, 'America/New_York'],
    ok('03:30 EDT'),
  ],
  [
    'FORMATDATE',
    ['2024-03-10 02:30', 'yyyy-MM-dd HH:mm', 'timestamp', null, 'America/New_York'],
    ok(utc(2024, 3, 10, 7, 30)),
  ],
  [
    'FORMATDATE',
    [FROZEN_NOW + 123, 'timestamp', null, null, 'GMT-3'],
    ok('2024-02-29T09:00:00.123-03:00[GMT-03:00]'),
  ],
  ['FORMATDATE', [FROZEN_NOW, 'timestamp', null], ok('2024-02-29T12:00:00Z[UTC]')],
  ['FORMATDATE', ['2024-02-29T09:00:00-03:00', null, 'timestamp'], ok(FROZEN_NOW)],
  ['FORMATDATE', [FROZEN_NOW, 'timestamp', 'yyyy', null, 'Mars/Olympus'], fails(VALUE)],
  ['FORMATDATE', [FROZEN_NOW, 'timestamp', 'yyyy-bb'], fails(VALUE)],
  ['FORMATDATE', [FROZEN_NOW, 'timestamp', "yyyy 'open"], fails(VALUE)],
  ['FORMATDATE', ['2024/02/29', 'yyyy-MM-dd', 'dd/MM/yyyy'], fails(VALUE)],
  [
    'FORMATDATE',
    [FROZEN_NOW, 'timestamp', 'dd/MM/yyyy HH:mm', null, 'UTC', null, 'Asia/Kolkata'],
    ok('29/02/2024 17:30'),
  ],
  ['FORMATDATE', [FROZEN_NOW, 'timestamp', 'D w u F k K', null, 'UTC'], ok('60 9 2024 5 12 0')],
  // java.time DateTimeFormatter letters the platform documents (u = year, e/c, Q, V, O, x, n, S fraction)
  [
    'FORMATDATE',
    [FROZEN_NOW, 'timestamp', 'uuuu-MM-dd e c Q QQQ', null, 'UTC'],
    ok('2024-02-29 5 5 1 Q1'),
  ],
  ['FORMATDATE', [FROZEN_NOW, 'timestamp', 'e', null, 'UTC', 'de-DE'], ok('4')],
  [
    'FORMATDATE',
    [FROZEN_NOW, 'timestamp', 'HH:mm VV O OOOO x xxx', null, 'America/Sao_Paulo'],
    ok('09:00 America/Sao_Paulo GMT-3 GMT-03:00 -03 -03:00'),
  ],
  ['FORMATDATE', [FROZEN_NOW, 'timestamp', 'O x X', null, 'UTC'], ok('GMT +00 Z')],
  ['FORMATDATE', [FROZEN_NOW + 123, 'timestamp', 'ss.S SSSSSS n'], ok('00.1 123000 123000000')],
  [
    'FORMATDATE',
    ['2024-02-29 09:00 America/Sao_Paulo', 'uuuu-MM-dd HH:mm VV', 'timestamp'],
    ok(FROZEN_NOW),
  ],
  ['FORMATDATE', ['12:00:00.5', 'HH:mm:ss.S', 'SSS'], ok('500')],
  [
    'FORMATDATE',
    ['2024-02-29 12:00 GMT+5:30', 'yyyy-MM-dd HH:mm O', 'timestamp'],
    ok(FROZEN_NOW - 330 * 60_000),
  ],
  // TOISODATE
  [
    'TOISODATE',
    ['10/03/2024 09:30', 'dd/MM/yyyy HH:mm', null, 'GMT-3'],
    ok('2024-03-10T09:30:00.000-03:00'),
  ],
  ['TOISODATE', [null, 'yyyy-MM-dd'], ok(null)],
  ['TOISODATE', [[], 'yyyy-MM-dd'], fails(TYPE)],
  ['TOISODATE', ['2024-02-29', 'yyyy-MM-dd'], ok('2024-02-29T00:00:00.000Z')],
  ['TOISODATE', [FROZEN_NOW, 'timestamp'], ok('2024-02-29T12:00:00.000Z')],
  [
    'TOISODATE',
    ['2024-07-01 12:00', 'yyyy-MM-dd HH:mm', null, 'America/Sao_Paulo'],
    ok('2024-07-01T12:00:00.000-03:00'),
  ],
  ['TOISODATE', ['2024-13-01', 'yyyy-MM-dd'], fails(VALUE)],
  // SUMDATE — the reference example uses "SECOND"
  ['SUMDATE', [0, 'SECOND', 30], ok(30000)],
  ['SUMDATE', [null, 'day', 1], ok(null)],
  ['SUMDATE', [0, 'day', 'one'], fails(TYPE)],
  ['SUMDATE', ['yesterday', 'day', 1], fails(TYPE)],
  ['SUMDATE', [0, 'fortnight', 1], fails(VALUE)],
  ['SUMDATE', [utc(2024, 2, 29), 'year', 1], ok(utc(2025, 2, 28))],
  ['SUMDATE', [utc(2024, 1, 31), 'months', 1], ok(utc(2024, 2, 29))],
  ['SUMDATE', [utc(2024, 3, 9, 12), 'day', 1, 'America/New_York'], ok(utc(2024, 3, 10, 11))],
  ['SUMDATE', [utc(2024, 3, 9, 12), 'hour', 24, 'America/New_York'], ok(utc(2024, 3, 10, 12))],
  ['SUMDATE', [FROZEN_NOW, 'minute', -90], ok(FROZEN_NOW - 5_400_000)],
  // DIFFDATE
  ['DIFFDATE', [0, 90000, 'minute'], ok(1)],
  ['DIFFDATE', [0, 59999, 'minute'], ok(0)],
  ['DIFFDATE', [90000, 0, 'minute'], ok(-1)],
  ['DIFFDATE', [null, 0, 'day'], ok(null)],
  ['DIFFDATE', [{}, 0, 'day'], fails(TYPE)],
  ['DIFFDATE', [0, 1, 'century'], fails(VALUE)],
  ['DIFFDATE', [utc(2024, 2, 29), utc(2025, 2, 28), 'year'], ok(0)],
  ['DIFFDATE', [utc(2024, 2, 29), utc(2025, 2, 28), 'month'], ok(11)],
  ['DIFFDATE', [utc(2024, 2, 29), utc(2025, 3, 1), 'year'], ok(1)],
  ['DIFFDATE', [utc(2025, 3, 1), utc(2024, 2, 29), 'month'], ok(-12)],
  ['DIFFDATE', [0, 1500, 'millisecond'], ok(1500)],
  ['DIFFDATE', [0, 9e15, 'month'], fails(VALUE)],
  ['SUMDATE', [8.6e15, 'year', 10_000], fails(VALUE)],
  ['FORMATDATE', [9e15, 'timestamp', 'yyyy'], fails(VALUE)],
];

describe('date functions', () => {
  for (const [name, args, expected] of cases) {
    it(`${name}(${JSON.stringify(args).slice(1, -1)})`, () =>
      expect(callFunction(name, args)).toEqual(expected));
  }
  it('has at least four cases for every date function', () => {
    expect(thinlyTested(dateFunctions, cases)).toEqual([]);
  });
  it('NOW reads the injected clock', () => {
    expect(callFunction('NOW', [], frozenServices(42))).toEqual(ok(42));
  });
  it('reads two-digit years within 80 years before and 20 after now (by year)', () => {
    const at2024 = frozenServices();
    expect(callFunction('FORMATDATE', ['01/01/43', 'dd/MM/yy', 'yyyy'], at2024)).toEqual(
      ok('2043'),
    );
    expect(callFunction('FORMATDATE', ['01/01/44', 'dd/MM/yy', 'yyyy'], at2024)).toEqual(
      ok('1944'),
    );
  });
});
