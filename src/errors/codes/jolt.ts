// Error codes of the jolt area (see docs/errors.md).
import type { ErrorTable } from '../registry.js';

export const joltCodes = {
  ERR_JOLT_SPEC_INVALID: {
    status: 400,
    message: 'Invalid JOLT spec at {path}: {reason}',
    doc: 'A JOLT spec (or one entry of a chain) is malformed: a bad key, wildcard, reference or value; `path` points into the spec.',
  },
  ERR_JOLT_UNKNOWN_OPERATION: {
    status: 400,
    message: 'Unknown JOLT operation "{operation}" at {path}',
    doc: 'A chain entry names an operation that is neither a stock JOLT operation nor a registered custom transform.',
  },
  ERR_JOLT_LIMIT: {
    status: 413,
    message: 'JOLT {what} exceeds the {limit} limit of {max}',
    doc: 'The input, the spec or an intermediate result is deeper, larger or writes a higher array index than the configured JOLT limits allow.',
  },
  ERR_JOLT_TRANSFORM: {
    status: 500,
    message: 'JOLT transform failed: {reason}',
    doc: 'A JOLT transform could not be applied to this input (for example a default spec that cannot handle a top-level array, or an invalid chain range).',
  },
  ERR_JOLT_SPEC_EXPRESSION: {
    status: 400,
    message: 'specExpression did not yield a JOLT spec: {reason}',
    doc: 'The `specExpression` of a transformer-jolt step must evaluate to a chain array or an operation object (or a JSON string of one).',
  },
} as const satisfies ErrorTable;
