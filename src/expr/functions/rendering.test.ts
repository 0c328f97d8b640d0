// Function results through the real compiler and template: types kept, integers, big integers, braces, errors.
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../core/json.js';
import { isPlatformError } from '../../errors/index.js';
import type { EvalScope } from '../scope.js';
import { compileTemplate, newCompileInfo } from '../template.js';
import { FROZEN_NOW, frozenServices } from './frozen-services.js';

function scope(message: JsonValue): EvalScope {
  return {
    message,
    global: {},
    account: {},
    metadata: {},
    step: {},
    item: null,
    services: frozenServices(),
  };
}
const render = (source: string, message: JsonValue = {}): JsonValue =>
  compileTemplate(source, newCompileInfo()).evaluate(scope(message));
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isPlatformError(err)) return err.code;
    throw err;
  }
  return 'no error';
}

describe('function results rendered by templates', () => {
  it('keeps JSON types when the value is one expression, and integers stay integers', () => {
    expect(render('{{ SUM(1, 2) }}')).toBe(3);
    expect(render('{{ ABS(-34) }}')).toBe(34);
    expect(render('{{ TOJSON(message.s) }}', { s: '{"a":[1,2]}' })).toEqual({ a: [1, 2] });
    expect(render('{{ SPLIT("a,b", ",") }}')).toEqual(['a', 'b']);
    expect(JSON.stringify(render('{{ TODOUBLE(12) }}'))).toBe('12');
  });

  it('interpolates inside longer strings as text', () => {
    expect(render('total: {{ SUM(message.a, 1) }}', { a: 2 })).toBe('total: 3');
    expect(render('day {{ FORMATDATE(NOW(), "timestamp", "yyyyMMdd", null, "GMT-3") }}')).toBe(
      'day 20240229',
    );
  });

  it('keeps braces inside string results and literals', () => {
    expect(render('{{ CONCAT("{{", message.x, "}}") }}', { x: 'y' })).toBe('{{y}}');
    expect(render('{{ REPLACE(message.t, "\\\\{", "(") }}', { t: 'a{b' })).toBe('a(b');
  });

  it('refuses integers beyond 2^53 instead of rounding them', () => {
    expect(codeOf(() => render('{{ TOLONG(message.big) }}', { big: '9007199254740993' }))).toBe(
      'ERR_EXPR_ARGUMENT_VALUE',
    );
    expect(render('{{ TOLONG(message.big) }}', { big: '9007199254740991' })).toBe(9007199254740991);
  });

  it('reports wrong calls at load time and wrong data at run time', () => {
    expect(codeOf(() => compileTemplate('{{ FORMATNUMBER(1) }}', newCompileInfo()))).toBe(
      'ERR_EXPR_ARITY',
    );
    expect(codeOf(() => compileTemplate('{{ SUM("abc", 1) }}', newCompileInfo()))).toBe(
      'ERR_EXPR_ARGUMENT_TYPE',
    );
    expect(codeOf(() => compileTemplate('{{ NOPE(1) }}', newCompileInfo()))).toBe(
      'ERR_EXPR_UNKNOWN_FUNCTION',
    );
    expect(codeOf(() => render('{{ UPPERCASE(message.o) }}', { o: { a: 1 } }))).toBe(
      'ERR_EXPR_ARGUMENT_TYPE',
    );
  });

  it('evaluates both IF branches: the reference example fails on the unused FORMATDATE', () => {
    // Reference docs (Double Braces functions page): SIZE is 20, the first branch would succeed,
    // yet the second branch's pattern (with .SSS) cannot read the date and the expression fails.
    const source =
      '{{ IF(EQUALTO(SIZE(message.date),20),FORMATDATE( message.date, "yyyy-MM-dd\'T\'HH:mm:ss\'Z\'", "dd/MM/yyyy"),FORMATDATE( message.date, "yyyy-MM-dd\'T\'HH:mm:ss.SSS\'Z\'", "dd/MM/yyyy")) }}';
    expect(codeOf(() => render(source, { date: '2022-10-26T03:00:00Z' }))).toBe(
      'ERR_EXPR_ARGUMENT_VALUE',
    );
    expect(
      render('{{ FORMATDATE(message.date, "yyyy-MM-dd\'T\'HH:mm:ss\'Z\'", "dd/MM/yyyy") }}', {
        date: '2022-10-26T03:00:00Z',
      }),
    ).toBe('26/10/2022');
  });

  it('folds pure literal calls at load (even two-digit-year parsing) and never folds the clock', () => {
    expect(
      compileTemplate('{{ FORMATDATE("29/02/24", "dd/MM/yy", "yyyy") }}', newCompileInfo()).value,
    ).toBe('2024');
    const now = compileTemplate('{{ NOW() }}', newCompileInfo());
    expect(now.constant).toBe(false);
    expect(now.evaluate(scope({}))).toBe(FROZEN_NOW);
  });
});
