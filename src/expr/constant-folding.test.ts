// Constant folding is a fast path only: a call on literals, folded at load, equals the same call on message values at run time.
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../core/json.js';
import { isPlatformError } from '../errors/index.js';
import { callFunction, frozenServices } from './functions/frozen-services.js';
import { functionExamples } from './functions/function-examples.js';
import { functionNames } from './functions/index.js';
import type { EvalScope } from './scope.js';
import { compileTemplate, newCompileInfo } from './template.js';

const scope = (message: JsonValue): EvalScope => ({
  message,
  global: {},
  account: {},
  metadata: {},
  step: {},
  item: null,
  services: frozenServices(),
});

function outcome(
  source: string,
  message: JsonValue,
): { folded: boolean; value?: JsonValue; code?: string } {
  const c = compileTemplate(source, newCompileInfo());
  try {
    return { folded: c.constant, value: c.evaluate(scope(message)) };
  } catch (err) {
    if (isPlatformError(err)) return { folded: c.constant, code: err.code };
    throw err;
  }
}

/** Extra literal calls: failures that stay run-time errors, nested calls, containers of calls. */
const extra: [string, JsonValue[]][] = [
  ['SUBSTRING', ['abc', 1, 9]],
  ['DIVIDE', [1, 0]],
  ['TOJSON', ['{not json']],
  ['FORMATDATE', ['2022-10-26T03:00:00Z', "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", 'dd/MM/yyyy']],
  ['JSONPATH', [{ a: [{ b: 1 }, { b: 2 }] }, '$.a[*].b']],
  ['CONCAT', [['a'], { b: 1 }, null, true, 1.5]],
];

describe('constant folding: the folded and the run-time path on the same inputs', () => {
  const cases = functionNames().flatMap((name) =>
    [
      ...(functionExamples[name] ?? []).map(([args]) => args),
      ...extra.filter(([n]) => n === name).map(([, a]) => a),
    ].map((args) => [name, args] as const),
  );

  it.each(cases)('%s %j', (name, args) => {
    const literal = `{{ ${name}(${args.map((a) => JSON.stringify(a)).join(', ')}) }}`;
    const message: JsonObject = {};
    args.forEach((a, i) => (message[`a${i}`] = a));
    const fromMessage = `{{ ${name}(${args.map((_, i) => `message.a${i}`).join(', ')}) }}`;
    const fast = outcome(literal, {});
    const slow = outcome(fromMessage, message);
    // A call without arguments has nothing to read from the message: the table call is its slow path.
    if (args.length > 0) expect(slow.folded).toBe(false);
    expect({ value: fast.value, code: fast.code }).toEqual({ value: slow.value, code: slow.code });
    const direct = callFunction(name, args);
    expect('value' in direct ? { value: direct.value } : { code: direct.code }).toEqual(
      fast.code === undefined ? { value: fast.value } : { code: fast.code },
    );
  });

  it('folds nested calls and expression containers to the run-time values', () => {
    const fast = outcome(
      '{{ [UPPERCASE(CONCAT("a", 1)), {"n": SUM(1, SIZE("abc"))}, IF(true, [1], null)] }}',
      {},
    );
    const slow = outcome(
      '{{ [UPPERCASE(CONCAT(message.s, 1)), {"n": SUM(1, SIZE(message.t))}, IF(message.b, [1], null)] }}',
      {
        s: 'a',
        t: 'abc',
        b: true,
      },
    );
    expect(fast.folded).toBe(true);
    expect(fast.value).toEqual(slow.value);
  });
});
