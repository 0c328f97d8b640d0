// Conditional functions: EQUALTO, the four ordered comparisons, IF, the IS… type tests, SWITCHCASE.
import type { JsonValue } from '../../core/json.js';
import { isJsonObject, jsonEquals } from '../../core/json.js';
import type { FunctionDef } from '../function-def.js';
import { argTypeError, argValueError } from '../function-def.js';
import { toBool, toNum } from './coerce.js';

const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * Orders a and b: null is the smallest value; numbers and numeric strings compare as numbers; two
 * non-numeric strings compare by UTF-16 code units (Java compareTo). Anything else is a type error.
 */
function compare(fn: string, a: JsonValue | undefined, b: JsonValue | undefined): number {
  const x = a ?? null;
  const y = b ?? null;
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  if (typeof x === 'string' && typeof y === 'string' && !(NUMERIC.test(x) && NUMERIC.test(y))) {
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const nx = toNum(fn, 0, x) as number;
  const ny = toNum(fn, 1, y) as number;
  return nx < ny ? -1 : nx > ny ? 1 : 0;
}

function ordered(name: string, test: (c: number) => boolean, summary: string): FunctionDef {
  return {
    name,
    group: 'conditional',
    minArgs: 2,
    maxArgs: 2,
    signature: `${name}(a, b)`,
    summary,
    call: ([a, b]) => test(compare(name, a, b)),
  };
}

function typeTest(name: string, test: (x: JsonValue) => boolean, what: string): FunctionDef {
  return {
    name,
    group: 'conditional',
    minArgs: 1,
    maxArgs: 1,
    signature: `${name}(x)`,
    summary: `true when x is ${what}.`,
    call: ([x]) => test(x ?? null),
  };
}

export const conditionalFunctions: FunctionDef[] = [
  {
    name: 'EQUALTO',
    group: 'conditional',
    minArgs: 2,
    maxArgs: 2,
    signature: 'EQUALTO(a, b)',
    summary:
      'deep equality of numbers, strings, booleans, objects and arrays (no conversion: 1 ≠ "1").',
    call: ([a, b]) => jsonEquals(a ?? null, b ?? null),
  },
  ordered(
    'GREATERTHAN',
    (c) => c > 0,
    'a > b; numbers compare numerically, null is the smallest value.',
  ),
  ordered('GREATERTHANEQUAL', (c) => c >= 0, 'a ≥ b; two nulls are equal (true).'),
  ordered('LESSTHAN', (c) => c < 0, 'a < b; null is the smallest value.'),
  ordered('LESSTHANEQUAL', (c) => c <= 0, 'a ≤ b; two nulls are equal (true).'),
  {
    name: 'IF',
    group: 'conditional',
    minArgs: 3,
    maxArgs: 3,
    args: ['boolean', 'any', 'any'],
    signature: 'IF(condition, whenTrue, whenFalse)',
    summary:
      'whenTrue if condition is true, else whenFalse (both are evaluated; null counts as false).',
    call: ([c, t, f]) => (toBool('IF', 0, c) ? (t ?? null) : (f ?? null)),
  },
  typeTest('ISOBJECT', isJsonObject, 'a JSON object'),
  typeTest('ISARRAY', (x) => Array.isArray(x), 'an array'),
  typeTest('ISBOOLEAN', (x) => typeof x === 'boolean', 'true or false'),
  typeTest('ISSTRING', (x) => typeof x === 'string', 'a string'),
  typeTest('ISNUMBER', (x) => typeof x === 'number', 'a number (numeric strings are not)'),
  typeTest('ISNULL', (x) => x === null, 'null or missing'),
  {
    name: 'SWITCHCASE',
    group: 'conditional',
    minArgs: 3,
    maxArgs: Infinity,
    signature: 'SWITCHCASE(default, c1, r1, c2, r2, …)',
    checkArity: (n) => (n % 2 === 0 ? 'an odd number of' : undefined),
    summary:
      'the result paired with the first true condition, else default (conditions: null is false).',
    call: (args) => {
      if (args.length % 2 === 0) {
        return argValueError('SWITCHCASE', 'expects a default followed by condition/result pairs');
      }
      for (let i = 1; i < args.length; i += 2) {
        const cond = args[i] ?? null;
        if (cond !== null && typeof cond !== 'boolean' && typeof cond !== 'string') {
          argTypeError('SWITCHCASE', i, 'a boolean', cond);
        }
        if (toBool('SWITCHCASE', i, cond)) return args[i + 1] ?? null;
      }
      return args[0] ?? null;
    },
  },
];
