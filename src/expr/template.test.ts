// Double Braces parsing, compilation and rendering: reference forms, literals, typing, errors with offsets.
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/json.js';
import { PlatformError } from '../errors/index.js';
import { compileTemplate, newCompileInfo } from './template.js';
import type { EvalScope } from './scope.js';

const services = { now: () => 1_000, uuid: () => 'u-1', random: () => 0.5 };

function scope(message: JsonValue, extra: Partial<EvalScope> = {}): EvalScope {
  return { message, global: { 'db-timeout': 30 }, account: {}, metadata: { execution: { key: 'k-1' } }, step: { prev: { a: 1 } }, item: null, services, ...extra };
}

function render(source: string, message: JsonValue = {}, extra?: Partial<EvalScope>): JsonValue {
  return compileTemplate(source, newCompileInfo()).evaluate(scope(message, extra));
}

function loadError(source: string): PlatformError {
  try {
    compileTemplate(source, newCompileInfo(new Set(['prev'])));
  } catch (err) {
    if (err instanceof PlatformError) return err;
    throw err;
  }
  throw new Error(`expected ${source} to fail`);
}

describe('references', () => {
  const msg = { a: { b: 2 }, items: [{ v: 'x' }, { v: 'y' }], 'odd key': 3, $: 'dollar' };
  it.each([
    ['{{ message.a.b }}', 2],
    ['{{ message.$ }}', msg],
    ['{{ message.$.a }}', { b: 2 }],
    ['{{ message["odd key"] }}', 3],
    ['{{ message.items[1].v }}', 'y'],
    ['{{ message.items.0.v }}', 'x'],
    ['{{ message.nope.deeper }}', null],
    ['{{ message.items[7] }}', null],
    ['{{ global.db-timeout }}', 30],
    ['{{ metadata.execution.key }}', 'k-1'],
    ['{{ step.prev.a }}', 1],
  ] as const)('%s', (src, expected) => {
    expect(render(src, msg)).toEqual(expected);
  });

  it('item is the current element', () => {
    expect(render('{{ item.id }}', {}, { item: { id: 9 } })).toBe(9);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype'])('message.%s yields null when not own data', (key) => {
    expect(render(`{{ message.${key} }}`, {})).toBeNull();
    expect(render(`{{ message.${key}.name }}`, {})).toBeNull();
    expect(render(`{{ message.a.${key} }}`, { a: {} })).toBeNull();
  });

  it('an own __proto__ member is plain data and reaches no prototype', () => {
    const msg = JSON.parse('{"__proto__": {"x": 1}}') as JsonValue;
    expect(render('{{ message.__proto__.x }}', msg)).toBe(1);
    const out = render('{{ {"__proto__": {"polluted": true}} }}', {}) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('literals and typing', () => {
  it.each([
    ['{{ "text" }}', 'text'],
    ['{{ 42 }}', 42],
    ['{{ -1.5e2 }}', -150],
    ['{{ true }}', true],
    ['{{ null }}', null],
    ['{{ {"a": [1, "b", null]} }}', { a: [1, 'b', null] }],
    ['{{ [] }}', []],
    ['{{ "esc \\" \\u00e9 \\n" }}', 'esc " é \n'],
    ['{{ "}}" }}', '}}'],
    ['{{ CONCAT("{{", "}}") }}', '{{}}'],
  ] as const)('%s', (src, expected) => {
    expect(render(src)).toEqual(expected);
  });

  it('a string that is exactly one expression keeps the JSON type; surrounding blanks are ignored', () => {
    expect(render('  {{ message.n }} ', { n: 5 })).toBe(5);
  });

  it('text interpolation renders non-strings as JSON', () => {
    expect(render('n={{ message.n }} o={{ message.o }} z={{ message.z }} s={{ message.s }}', { n: 1, o: { a: [1] }, s: 'x' })).toBe(
      'n=1 o={"a":[1]} z=null s=x',
    );
  });

  it('text without braces is a constant', () => {
    const c = compileTemplate('plain', newCompileInfo());
    expect(c).toMatchObject({ constant: true, value: 'plain' });
  });

  it('function names are case-insensitive', () => {
    expect(render('{{ uppercase("a") }} {{ Concat("b", "c") }}')).toBe('A bc');
  });

  it('JSON text templates quote values outside strings and escape them inside', () => {
    const c = compileTemplate('{"a": {{ message.s }}, "b": "x{{ message.q }}y"}', newCompileInfo(), true);
    expect(JSON.parse(c.evaluate(scope({ s: 'hi', q: 'say "no"' })) as string)).toEqual({ a: 'hi', b: 'xsay "no"y' });
  });
});

describe('load-time errors carry codes and offsets', () => {
  it.each([
    ['{{ message.a ', 'ERR_EXPR_SYNTAX', 0],
    ['ab {{ }}', 'ERR_EXPR_SYNTAX', 6],
    ['{{ CONCAT("a" "b") }}', 'ERR_EXPR_SYNTAX', 14],
    ['{{ "unterminated }}', 'ERR_EXPR_SYNTAX', 3],
    ['{{ message. }}', 'ERR_EXPR_SYNTAX', 11],
    ['{{ message[x] }}', 'ERR_EXPR_SYNTAX', 11],
    ['{{ {a: 1} }}', 'ERR_EXPR_SYNTAX', 4],
    ['{{ NOPE(1) }}', 'ERR_EXPR_UNKNOWN_FUNCTION', 3],
    ['x {{ IF(true) }}', 'ERR_EXPR_ARITY', 5],
    ['{{ NOT(1, 2) }}', 'ERR_EXPR_ARITY', 3],
    ['{{ SWITCHCASE("d", true, 1, false) }}', 'ERR_EXPR_ARITY', 3],
    ['{{ other.a }}', 'ERR_EXPR_UNKNOWN_SCOPE', 3],
    ['{{ step.unknown }}', 'ERR_PIPELINE_UNKNOWN_ALIAS', 3],
    ['{{ account.only-label }}', 'ERR_EXPR_SYNTAX', 3],
    ['{{ UPPERCASE({"a": 1}) }}', 'ERR_EXPR_ARGUMENT_TYPE', 13],
  ] as const)('%s → %s', (src, code, offset) => {
    const err = loadError(src);
    expect(err.code).toBe(code);
    expect(err.details.offset).toBe(offset);
  });

  it('suggests a near function name', () => {
    expect(loadError('{{ UPPERCAS(1) }}').message).toContain('did you mean UPPERCASE?');
  });

  it('bounds nesting depth', () => {
    const deep = `{{ ${'['.repeat(100)}${']'.repeat(100)} }}`;
    expect(loadError(deep).code).toBe('ERR_EXPR_SYNTAX');
  });
});

describe('evaluation', () => {
  it('folds pure calls on literals at load, keeps impure ones per evaluation', () => {
    expect(compileTemplate('{{ UPPERCASE("a") }}', newCompileInfo())).toMatchObject({ constant: true, value: 'A' });
    const info = newCompileInfo();
    const c = compileTemplate('{{ NOW() }}', info);
    expect(c.constant).toBe(false);
    expect(c.evaluate(scope({}))).toBe(1_000);
  });

  it('a literal call that fails stays a run-time error', () => {
    const c = compileTemplate('{{ SIZE(1) }}', newCompileInfo());
    expect(c.constant).toBe(false);
    expect(() => c.evaluate(scope({}))).toThrow(PlatformError);
  });

  it('records account labels and step aliases it references', () => {
    const info = newCompileInfo(new Set(['prev']));
    compileTemplate('{{ account.my-db.password }} {{ step.prev.a }}', info);
    expect([...info.accounts]).toEqual(['my-db']);
    expect([...info.aliases]).toEqual(['prev']);
  });
});
