// Comparison functions: AND, OR, NOT (null counts as false; results are booleans).
import type { FunctionDef } from '../function-def.js';
import { toBool } from './coerce.js';

export const comparisonFunctions: FunctionDef[] = [
  {
    name: 'AND',
    group: 'comparison',
    minArgs: 1,
    maxArgs: Infinity,
    args: ['boolean'],
    signature: 'AND(b1, …, bn)',
    summary: 'true when every argument is true (null counts as false).',
    call: (args) => args.every((a, i) => toBool('AND', i, a)),
  },
  {
    name: 'OR',
    group: 'comparison',
    minArgs: 1,
    maxArgs: Infinity,
    args: ['boolean'],
    signature: 'OR(b1, …, bn)',
    summary: 'true when any argument is true (null counts as false).',
    call: (args) => args.some((a, i) => toBool('OR', i, a)),
  },
  {
    name: 'NOT',
    group: 'comparison',
    minArgs: 1,
    maxArgs: 1,
    args: ['boolean'],
    signature: 'NOT(b)',
    summary: 'the negation of b (NOT(null) is true).',
    call: (args) => !toBool('NOT', 0, args[0] ?? null),
  },
];
