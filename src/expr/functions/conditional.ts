// Conditional functions: EQUALTO, IF, ISNULL.
import { jsonEquals } from '../../core/json.js';
import type { FunctionDef } from '../function-def.js';
import { toBool } from './coerce.js';

export const conditionalFunctions: FunctionDef[] = [
  {
    name: 'EQUALTO',
    group: 'conditional',
    minArgs: 2,
    maxArgs: 2,
    signature: 'EQUALTO(a, b)',
    summary: 'deep equality of numbers, strings, booleans, objects and arrays.',
    call: ([a, b]) => jsonEquals(a ?? null, b ?? null),
  },
  {
    name: 'IF',
    group: 'conditional',
    minArgs: 3,
    maxArgs: 3,
    args: ['boolean', 'any', 'any'],
    signature: 'IF(condition, whenTrue, whenFalse)',
    summary: 'whenTrue if condition is true, else whenFalse (both are evaluated).',
    call: ([c, t, f]) => (toBool('IF', 0, c ?? null) ? (t ?? null) : (f ?? null)),
  },
  {
    name: 'ISNULL',
    group: 'conditional',
    minArgs: 1,
    maxArgs: 1,
    signature: 'ISNULL(x)',
    summary: 'true when x is null or missing.',
    call: ([x]) => x === null || x === undefined,
  },
];
