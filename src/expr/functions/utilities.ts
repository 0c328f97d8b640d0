// Utility functions: SIZE, UUID.
import { isJsonObject, jsonTypeOf } from '../../core/json.js';
import type { FunctionDef } from '../function-def.js';
import { argTypeError } from '../function-def.js';
import { toBool } from './coerce.js';

export const utilityFunctions: FunctionDef[] = [
  {
    name: 'SIZE',
    group: 'utilities',
    minArgs: 1,
    maxArgs: 2,
    args: ['any', 'boolean'],
    signature: 'SIZE(x, throwErrorOnUnexpectedType? = true)',
    summary:
      'length of a string or array, or number of keys of an object; other types are an error, or null when the flag is false.',
    call: ([x, flag]) => {
      if (typeof x === 'string') return [...x].length;
      if (Array.isArray(x)) return x.length;
      if (isJsonObject(x)) return Object.keys(x).length;
      const shouldThrow = flag === undefined ? true : toBool('SIZE', 1, flag);
      if (!shouldThrow) return null;
      return argTypeError('SIZE', 0, 'a string, array or object', jsonTypeOf(x) === 'null' ? null : x);
    },
  },
  {
    name: 'UUID',
    group: 'utilities',
    minArgs: 0,
    maxArgs: 0,
    pure: false,
    signature: 'UUID()',
    summary: 'a random version-4 UUID string.',
    call: (_args, services) => services.uuid(),
  },
];
