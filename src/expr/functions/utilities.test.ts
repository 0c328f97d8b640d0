// Table-driven tests of the utility functions: Base64/Base64url, URL form encoding, UUID, TOBOOLEAN, SIZE.
import { describe, expect, it } from 'vitest';
import type { FunctionCase } from './frozen-services.js';
import { callFunction, fails, frozenServices, ok, thinlyTested } from './frozen-services.js';
import { utilityFunctions } from './utilities.js';

const TYPE = 'ERR_EXPR_ARGUMENT_TYPE';
const VALUE = 'ERR_EXPR_ARGUMENT_VALUE';
const UNSUPPORTED = 'ERR_EXPR_UNSUPPORTED';
const cases: FunctionCase[] = [
  ['BASEENCODE', ['xpto'], ok('eHB0bw==')],
  ['BASEENCODE', [null], ok(null)],
  ['BASEENCODE', [{}], fails(TYPE)],
  ['BASEENCODE', [''], ok('')],
  ['BASEENCODE', ['ção', 'ISO-8859-1'], ok('5+Nv')],
  ['BASEENCODE', ['ção', 'UTF-8'], ok('w6fDo28=')],
  ['BASEENCODE', ['ç', 'US-ASCII'], ok('Pw==')],
  ['BASEENCODE', ['a', 'EBCDIC'], fails(UNSUPPORTED)],
  ['BASEDECODE', ['eHB0bw=='], ok('xpto')],
  ['BASEDECODE', [null], ok(null)],
  ['BASEDECODE', [[]], fails(TYPE)],
  ['BASEDECODE', ['eHB0bw'], ok('xpto')],
  ['BASEDECODE', ['not base64!'], fails(VALUE)],
  ['BASEDECODE', ['5+Nv', 'ISO-8859-1'], ok('ção')],
  ['BASEDECODE', ['8J+YgA=='], ok('😀')],
  ['BASEURLENCODE', ['xpto'], ok('eHB0bw')],
  ['BASEURLENCODE', [null], ok(null)],
  ['BASEURLENCODE', [{}], fails(TYPE)],
  ['BASEURLENCODE', ['??>'], ok('Pz8-')],
  ['BASEURLDECODE', ['eHB0bw'], ok('xpto')],
  ['BASEURLDECODE', [null], ok(null)],
  ['BASEURLDECODE', [{}], fails(TYPE)],
  ['BASEURLDECODE', ['Pz8-'], ok('??>')],
  ['BASEURLDECODE', ['Pz8+'], fails(VALUE)],
  ['URIENCODE', ['http://localhost:8080'], ok('http%3A%2F%2Flocalhost%3A8080')],
  ['URIENCODE', [null], ok(null)],
  ['URIENCODE', [{}], fails(TYPE)],
  ['URIENCODE', ['a b~*é'], ok('a+b%7E*%C3%A9')],
  ['URIENCODE', ['é', 'ISO-8859-1'], ok('%E9')],
  ['URIDECODE', ['http%3A%2F%2Flocalhost%3A8080'], ok('http://localhost:8080')],
  ['URIDECODE', [null], ok(null)],
  ['URIDECODE', [{}], fails(TYPE)],
  ['URIDECODE', ['a+b%7E*%C3%A9'], ok('a b~*é')],
  ['URIDECODE', ['100%'], fails(VALUE)],
  ['URIDECODE', ['%E9', 'ISO-8859-1'], ok('é')],
  ['UUID', [], ok('123e4567-e89b-42d3-a456-426614174000')],
  ['UUID', [], ok('123e4567-e89b-42d3-a456-426614174000')],
  ['TOBOOLEAN', ['true'], ok(true)],
  ['TOBOOLEAN', ['TRUE'], ok(true)],
  ['TOBOOLEAN', [true], ok(true)],
  ['TOBOOLEAN', ['false'], ok(false)],
  ['TOBOOLEAN', [null], ok(false)],
  ['TOBOOLEAN', [1], ok(false)],
  ['TOBOOLEAN', [{ a: true }], ok(false)],
  ['TOBOOLEAN', ['yes'], ok(false)],
  ['SIZE', ['Digibee'], ok(7)],
  ['SIZE', [[1, 2, 3]], ok(3)],
  ['SIZE', [{ a: 1, b: { c: 2 } }], ok(2)],
  ['SIZE', [null], fails(TYPE)],
  ['SIZE', [42], fails(TYPE)],
  ['SIZE', [42, false], ok(null)],
  ['SIZE', [''], ok(0)],
  ['SIZE', ['😀'], ok(2)],
];

describe('utility functions', () => {
  for (const [name, args, expected] of cases) {
    it(`${name}(${JSON.stringify(args).slice(1, -1)})`, () =>
      expect(callFunction(name, args)).toEqual(expected));
  }
  it('has at least four cases for every utility function', () => {
    expect(thinlyTested(utilityFunctions, cases)).toEqual([]);
  });
  it('UUID comes from the injected services', () => {
    const services = { ...frozenServices(), uuid: () => 'fixed' };
    expect(callFunction('UUID', [], services)).toEqual(ok('fixed'));
  });
  it('round-trips every charset', () => {
    for (const cs of ['UTF-8', 'ISO-8859-1', 'UTF-16', 'UTF-16LE', 'UTF-16BE']) {
      const enc = callFunction('BASEENCODE', ['Olá', cs]) as { value: string };
      expect(callFunction('BASEDECODE', [enc.value, cs])).toEqual(ok('Olá'));
    }
  });
});
