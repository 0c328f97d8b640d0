// Load-time folding of templates: a value whose expressions read nothing renders exactly as at run time.
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/json.js';
import { PlatformError } from '../errors/index.js';
import { compileTemplate, compileValue, newCompileInfo } from './template.js';
import type { EvalScope } from './scope.js';

const services = { now: () => 1_000, uuid: () => 'u-1', random: () => 0.5 };
const scope = (message: JsonValue): EvalScope => ({
  message,
  global: {},
  account: {},
  metadata: {},
  step: {},
  item: null,
  services,
});

/** The value rendered on the run-time path: beside a field that reads the message, so nothing folds. */
function renderedBesideMessage(value: JsonValue, jsonText = false): JsonValue {
  if (jsonText) {
    // JSON text: the same text with a message read appended inside the document.
    const text = value as string;
    const c = compileValue(`[${text}, {{ message.x }}]`, newCompileInfo(), '', true);
    expect(c.constant).toBe(false);
    return (JSON.parse(c.evaluate(scope({ x: 'm' })) as string) as JsonValue[])[0]!;
  }
  const c = compileValue({ v: value, m: '{{ message.x }}' }, newCompileInfo());
  expect(c.constant).toBe(false);
  return (c.evaluate(scope({ x: 'm' })) as { v: JsonValue }).v;
}

describe('compileValue folds constant expressions into their values', () => {
  it('the issue example: an object of constant expressions', () => {
    const c = compileValue({ ok: '{{ AND(true, false) }}', one: '{{ 1 }}' }, newCompileInfo());
    expect(c.constant).toBe(true);
    expect(c.value).toEqual({ ok: false, one: 1 });
    expect(c.evaluate(scope({}))).toEqual({ ok: false, one: 1 });
  });

  const cases: [string, JsonValue, JsonValue][] = [
    ['array', ['{{ 1 }}', '{{ UPPERCASE("a") }}', 'plain', 2], [1, 'A', 'plain', 2]],
    ['object', { a: '{{ CONCAT("x", 1) }}', b: true }, { a: 'x1', b: true }],
    [
      'nested mix',
      {
        a: ['{{ [1, {"k": null}] }}', { b: '{{ NOT(false) }}', c: ['{{ SIZE("abc") }}'] }],
        d: null,
        e: 'lit',
      },
      { a: [[1, { k: null }], { b: true, c: [3] }], d: null, e: 'lit' },
    ],
    [
      'text with several expressions',
      'a={{ 1 }} b={{ {"k": [true]} }} c={{ "s" }}',
      'a=1 b={"k":[true]} c=s',
    ],
    ['text inside an object', { t: 'n={{ SUM(1, 2) }}!' }, { t: 'n=3!' }],
    ['typed whole string with blanks', '  {{ [null] }} ', [null]],
    ['empty containers', { a: [], b: {} }, { a: [], b: {} }],
  ];
  it.each(cases)('%s', (_name, source, expected) => {
    const c = compileValue(source, newCompileInfo());
    expect(c.constant).toBe(true);
    expect(c.value).toEqual(expected);
    expect(renderedBesideMessage(source)).toEqual(expected);
  });

  it('JSON text: constant expressions outside and inside quotes render as on the run-time path', () => {
    const source =
      '{"a": {{ [1, "q\\""] }}, "b": "x{{ CONCAT("say ", "\\"no\\"") }}y", "c": {{ null }}}';
    const c = compileTemplate(source, newCompileInfo(), true);
    expect(c.constant).toBe(true);
    const expected = { a: [1, 'q"'], b: 'xsay "no"y', c: null };
    expect(JSON.parse(c.value as string)).toEqual(expected);
    expect(renderedBesideMessage(source, true)).toEqual(expected);
  });

  it('keys with JSON-pointer characters and __proto__ stay own data when folded', () => {
    const source = JSON.parse(
      '{"a/b~c": "{{ 1 }}", "__proto__": {"polluted": "{{ true }}"}}',
    ) as JsonValue;
    const c = compileValue(source, newCompileInfo());
    expect(c.constant).toBe(true);
    const out = c.value as Record<string, unknown>;
    expect(out['a/b~c']).toBe(1);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: true });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('impure calls are never folded, inside text or containers', () => {
    expect(compileValue(['{{ NOW() }}'], newCompileInfo()).constant).toBe(false);
    expect(compileValue({ a: 't={{ UUID() }}' }, newCompileInfo()).constant).toBe(false);
    expect(compileValue({ a: 't={{ UUID() }}' }, newCompileInfo()).evaluate(scope({}))).toEqual({
      a: 't=u-1',
    });
  });

  it('a literal call that fails at load stays a run-time error in a container', () => {
    const c = compileValue({ a: '{{ SIZE(1) }}' }, newCompileInfo());
    expect(c.constant).toBe(false);
    expect(() => c.evaluate(scope({}))).toThrow(PlatformError);
  });
});
