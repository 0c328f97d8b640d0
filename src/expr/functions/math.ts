// Math functions: ABS … SUM. Arguments are numbers or numeric strings; a null argument gives null.
import type { JsonValue } from '../../core/json.js';
import type { FunctionDef } from '../function-def.js';
import { argValueError } from '../function-def.js';
import { finite, toNum } from './coerce.js';

/** Converts every argument; null when any is null (a missing input propagates instead of failing). */
function nums(fn: string, args: JsonValue[]): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const n = toNum(fn, i, args[i]);
    if (n === null) return null;
    out.push(n);
  }
  return out;
}

function unary(name: string, op: (n: number) => number, summary: string): FunctionDef {
  return {
    name,
    group: 'math',
    minArgs: 1,
    maxArgs: 1,
    args: ['number'],
    signature: `${name}(n)`,
    summary,
    call: (args) => {
      const n = nums(name, args);
      return n === null ? null : finite(name, op(n[0] as number));
    },
  };
}

function binary(
  name: string,
  sig: string,
  op: (a: number, b: number) => number,
  summary: string,
): FunctionDef {
  return {
    name,
    group: 'math',
    minArgs: 2,
    maxArgs: 2,
    args: ['number', 'number'],
    signature: `${name}(${sig})`,
    summary,
    call: (args) => {
      const n = nums(name, args);
      return n === null ? null : finite(name, op(n[0] as number, n[1] as number));
    },
  };
}

function variadic(
  name: string,
  op: (ns: number[]) => number,
  summary: string,
  minArgs = 1,
): FunctionDef {
  return {
    name,
    group: 'math',
    minArgs,
    maxArgs: Infinity,
    args: ['number'],
    signature: `${name}(n1, …, nn)`,
    summary,
    call: (args) => {
      const n = nums(name, args);
      return n === null ? null : finite(name, op(n));
    },
  };
}

export const mathFunctions: FunctionDef[] = [
  unary('ABS', Math.abs, 'absolute value: ABS(-34) is 34.'),
  unary('CEIL', Math.ceil, 'smallest integer ≥ n: CEIL(1.2) is 2, CEIL(-1.2) is -1.'),
  binary(
    'DIVIDE',
    'a, b',
    (a, b) => (b === 0 ? argValueError('DIVIDE', 'division by zero') : a / b),
    'a / b as a double; dividing by zero is ERR_EXPR_ARGUMENT_VALUE.',
  ),
  binary(
    'LOG',
    'value, base',
    (v, b) =>
      v <= 0 || b <= 0 || b === 1
        ? argValueError('LOG', 'value and base must be positive, base ≠ 1')
        : Math.log(v) / Math.log(b),
    'logarithm of value in base: LOG(8, 2) is 3.',
  ),
  variadic('MAX', (ns) => Math.max(...ns), 'the largest argument (two or more).', 2),
  variadic('MIN', (ns) => Math.min(...ns), 'the smallest argument (two or more).', 2),
  binary(
    'MOD',
    'a, b',
    (a, b) => (b === 0 ? argValueError('MOD', 'division by zero') : a % b),
    'remainder of a / b with the sign of a (Java %): MOD(-7, 3) is -1.',
  ),
  variadic('MULTIPLY', (ns) => ns.reduce((p, n) => p * n, 1), 'product of the arguments.'),
  binary('POW', 'base, exponent', Math.pow, 'base raised to exponent: POW(2, 10) is 1024.'),
  unary(
    'ROUND',
    Math.round,
    'nearest integer, ties toward +∞ (Java Math.round): ROUND(2.5) is 3, ROUND(-2.5) is -2.',
  ),
  unary(
    'SQRT',
    (n) => (n < 0 ? argValueError('SQRT', 'square root of a negative number') : Math.sqrt(n)),
    'square root: SQRT(16) is 4; negative input is an error.',
  ),
  binary('SUBTRACT', 'a, b', (a, b) => a - b, 'a − b.'),
  variadic('SUM', (ns) => ns.reduce((s, n) => s + n, 0), 'sum of the arguments.'),
];
