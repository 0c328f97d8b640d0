// Error codes of Double Braces expressions: load-time (syntax, names, arity) and run-time (types, limits).
import type { ErrorTable } from '../registry.js';

export const exprCodes = {
  ERR_EXPR_SYNTAX: {
    status: 400,
    message: 'Syntax error in expression at column {column}: {reason}',
    doc: 'A {{ … }} expression does not parse; the column points at the offending character.',
  },
  ERR_EXPR_UNKNOWN_FUNCTION: {
    status: 400,
    message: 'Unknown function {name}{hint}',
    doc: 'The expression calls a function that does not exist; see docs/expressions.md.',
  },
  ERR_EXPR_ARITY: {
    status: 400,
    message: '{name} takes {expected} argument(s), got {actual}',
    doc: 'A function was called with the wrong number of arguments.',
  },
  ERR_EXPR_UNKNOWN_SCOPE: {
    status: 400,
    message: 'Unknown reference "{name}": expressions start with message, global, account, metadata, step or item',
    doc: 'A reference does not start with one of the known scopes.',
  },
  ERR_EXPR_ARGUMENT_TYPE: {
    status: 400,
    message: '{name}: argument {position} must be {expected}, got {actual}',
    doc: 'A function received a value of the wrong type (at load time for literals, at run time otherwise).',
  },
  ERR_EXPR_ARGUMENT_VALUE: {
    status: 400,
    message: '{name}: {reason}',
    doc: 'A function received an argument of the right type but an unusable value (bad pattern, index out of range, …).',
  },
  ERR_EXPR_LIMIT: {
    status: 400,
    message: '{name}: {reason}',
    doc: 'A function input exceeds a safety bound (regex length, padding size, result size); reduce the input.',
  },
  ERR_EXPR_UNSUPPORTED: {
    status: 400,
    message: '{name}: {feature} is not supported',
    doc: 'A function argument uses a Java feature Pipegate does not implement (a regex flag or construct, a pattern letter, a charset); see docs/expressions.md.',
  },
} as const satisfies ErrorTable;
