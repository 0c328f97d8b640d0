// Error codes raised by the core connectors (json-generator, log, session, assert, throw-error, jsonata, control flow).
import type { ErrorTable } from '../registry.js';

export const connectorCodes = {
  ERR_ASSERT_FAILED: {
    status: 500,
    message: '{reason}',
    doc: 'An `assert` step found its condition false; the status is the step\'s `httpStatusCode`.',
  },
  ERR_THROWN: {
    status: 500,
    message: '{reason}',
    doc: 'A `throw-error` step raised the error its parameters describe.',
  },
  ERR_JSON_GENERATOR_TEMPLATE: {
    status: 500,
    message: 'Encountered a configuration error while generating JSON: {reason}',
    doc: 'The rendered `json` template of a json-generator is not valid JSON.',
  },
  ERR_JSONATA_COMPILE: {
    status: 400,
    message: 'Invalid JSONata expression at position {position}: {reason}',
    doc: 'The `expression` of a transformer-jsonata step does not compile.',
  },
  ERR_JSONATA_EVALUATION: {
    status: 500,
    message: 'JSONata evaluation failed: {reason}',
    doc: 'The JSONata expression failed on this message (type error, undefined function, limit reached).',
  },
  ERR_FOR_EACH_ITEMS: {
    status: 500,
    message: 'for-each "items" must evaluate to an array, got {actual}',
    doc: 'The `items` expression of a for-each step did not yield an array.',
  },
  ERR_SESSION_GLOBAL_UNAVAILABLE: {
    status: 500,
    message: 'Global sessions need a JWT-protected trigger; this execution has no authenticated token',
    doc: 'session-management with `sessionType: global` runs only under a trigger with `auth.jwt`.',
  },
  ERR_SESSION_LIMIT: {
    status: 500,
    message: 'Session data exceeds {limit} bytes',
    doc: 'A session put would store more than the allowed size; store less data.',
  },
} as const satisfies ErrorTable;
