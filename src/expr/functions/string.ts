// String functions: CONCAT, UPPERCASE, LOWERCASE, TOSTRING, DEFAULT.
import type { FunctionDef } from '../function-def.js';
import { textOf, toStr } from './coerce.js';

export const stringFunctions: FunctionDef[] = [
  {
    name: 'CONCAT',
    group: 'string',
    minArgs: 1,
    maxArgs: Infinity,
    signature: 'CONCAT(s1, …, sn)',
    summary: 'the arguments joined as text (null arguments are skipped).',
    call: (args) => args.map((a) => (a === null ? '' : textOf(a))).join(''),
  },
  {
    name: 'UPPERCASE',
    group: 'string',
    minArgs: 1,
    maxArgs: 1,
    args: ['string'],
    signature: 'UPPERCASE(s)',
    summary: 's in upper case (null stays null).',
    call: ([s]) => toStr('UPPERCASE', 0, s ?? null)?.toUpperCase() ?? null,
  },
  {
    name: 'LOWERCASE',
    group: 'string',
    minArgs: 1,
    maxArgs: 1,
    args: ['string'],
    signature: 'LOWERCASE(s)',
    summary: 's in lower case (null stays null).',
    call: ([s]) => toStr('LOWERCASE', 0, s ?? null)?.toLowerCase() ?? null,
  },
  {
    name: 'TOSTRING',
    group: 'string',
    minArgs: 1,
    maxArgs: 1,
    signature: 'TOSTRING(x)',
    summary: 'the text form of x (objects and arrays as JSON; null stays null).',
    call: ([x]) => (x === null || x === undefined ? null : textOf(x)),
  },
  {
    name: 'DEFAULT',
    group: 'string',
    minArgs: 2,
    maxArgs: 2,
    signature: 'DEFAULT(value, fallback)',
    summary: 'value, or fallback when value is null or missing.',
    call: ([v, d]) => (v === null || v === undefined ? (d ?? null) : v),
  },
];
