// Comparison functions: AND, OR, NOT, XOR (null counts as false; results are booleans).
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
    summary:
      'true when every argument is true (null counts as false; "true"/"false" strings accepted).',
    call: (args) => args.map((a, i) => toBool('AND', i, a)).every(Boolean),
  },
  {
    name: 'OR',
    group: 'comparison',
    minArgs: 1,
    maxArgs: Infinity,
    args: ['boolean'],
    signature: 'OR(b1, …, bn)',
    summary: 'true when any argument is true (null counts as false).',
    call: (args) => args.map((a, i) => toBool('OR', i, a)).some(Boolean),
  },
  {
    name: 'NOT',
    group: 'comparison',
    minArgs: 1,
    maxArgs: 1,
    args: ['boolean'],
    signature: 'NOT(b)',
    summary: 'the negation of b (NOT(null) is true).',
    call: (args) => !toBool('NOT', 0, args[0]),
  },
  {
    name: 'XOR',
    group: 'comparison',
    minArgs: 1,
    maxArgs: Infinity,
    args: ['boolean'],
    signature: 'XOR(b1, …, bn)',
    summary: 'exclusive or applied pairwise left to right: XOR(true, false, true, true) is true.',
    call: (args) => args.map((a, i) => toBool('XOR', i, a)).reduce((acc, b) => acc !== b),
  },
];
