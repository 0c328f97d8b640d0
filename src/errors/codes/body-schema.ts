// Error codes of trigger requestSchema / responseSchema (JSON Schema of request and response bodies).
import type { ErrorTable } from '../registry.js';

export const bodySchemaCodes = {
  ERR_GATEWAY_REQUEST_SCHEMA: {
    status: 400,
    message: 'The request body does not match the trigger requestSchema at {paths}',
    doc: 'A POST, PUT, PATCH or DELETE request body fails the JSON Schema of the trigger `requestSchema`; the response lists each failing JSON Pointer path with what is wrong there. Fix the body (the pipeline did not run).',
  },
  ERR_TRIGGER_SCHEMA_INVALID: {
    status: 400,
    message: 'Trigger {field} is not a valid JSON Schema (2020-12): {reason}',
    doc: 'The trigger `requestSchema` or `responseSchema` does not compile as a JSON Schema draft 2020-12 (the dialect of OpenAPI 3.1); fix the keyword named in the message. Remote `$ref`s are not fetched.',
  },
} as const satisfies ErrorTable;
