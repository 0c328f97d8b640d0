// Error codes of fault handling: client input the gateway refuses before any pipeline, guards against silent half-results, durable usage recording (see docs/operations.md).
import type { ErrorTable } from '../registry.js';

export const faultCodes = {
  ERR_GATEWAY_BAD_REQUEST: {
    status: 400,
    message: 'Bad Request: {reason}',
    doc: 'The HTTP request itself is malformed (framing, chunked encoding, headers); the caller gets `400 {"message":"Bad Request"}` and the server logs one info line.',
  },
  ERR_GATEWAY_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Unsupported Media Type: the Content-Type header does not parse',
    doc: 'The request has a body with an empty or malformed `Content-Type` (e.g. `;;;` or a list of types); send one media type such as `application/json`.',
  },
  ERR_JSONATA_DEPTH: {
    status: 400,
    message: 'JSONata input or result is nested deeper than {max} levels',
    doc: 'A transformer-jsonata step refused a message nested deeper than the guard (checked before evaluation, so the stack never overflows); flatten the data or reject such input earlier.',
  },
  ERR_JWT_ERROR_MESSAGE: {
    status: 400,
    message:
      'jwt generate refuses to mint a token from the error output of a failed step ({reason})',
    doc: 'The message reaching jwt generate is the error output of a step that failed with failOnError off; set `failOnError: true` on the steps that build the claims, or handle the failure before minting.',
  },
  ERR_JWT_TOKEN_TOO_LARGE: {
    status: 400,
    message: 'The token would be {size} characters, more than the {max} the gateway accepts',
    doc: 'The claims make the token larger than the gateway accepts on the wire (16 KiB); mint it from fewer or smaller fields.',
  },
  ERR_USAGE_NOT_DURABLE: {
    status: 503,
    message: 'Durable usage recording could not write to the store: {reason}',
    doc: 'With durable usage recording (`serve --durable-usage`) a request is answered only once its usage events are committed; the store refused them, so the request is answered 503.',
  },
} as const satisfies ErrorTable;
