// assert: stops the execution with a coded error when a condition is false.
import { defineConnector } from '../../core/connector.js';
import type { JsonValue } from '../../core/json.js';
import { PlatformError } from '../../errors/index.js';

interface AssertParams {
  condition: JsonValue;
  errorMessage: string;
  internalErrorMessage: string;
  httpStatusCode: number;
}

export const assertConnector = defineConnector<AssertParams>({
  type: 'assert',
  version: 1,
  title: 'Assert',
  category: 'tools',
  summary:
    'Evaluates `condition`; when it is not true the execution stops with `{ timestamp, error: errorMessage, code: httpStatusCode }` (or, with `failOnError: false`, outputs `{ error, internalErrorMessage, code, success: false }`). When true the message passes unchanged.',
  failOnErrorDefault: true,
  parameters: {
    condition: {
      // Any value: only `true` (or the text "true", any case) passes; everything else fails the assertion.
      schema: {},
      expression: 'render',
      required: true,
      description: 'Boolean Double Braces expression: `true` (or the text "true") passes, any other value fails.',
    },
    errorMessage: { schema: { type: 'string' }, default: 'Error', description: 'Message of the error.' },
    internalErrorMessage: { schema: { type: 'string' }, default: 'Internal Error', description: 'Internal message (failOnError false output).' },
    httpStatusCode: { schema: { type: 'integer', minimum: 100, maximum: 599 }, default: 500, description: 'HTTP status of the error.' },
  },
  run(_ctx, { params, message }) {
    const ok = params.condition === true || (typeof params.condition === 'string' && params.condition.toLowerCase() === 'true');
    if (ok) return message;
    throw new PlatformError(
      'ERR_ASSERT_FAILED',
      { reason: params.errorMessage, internalErrorMessage: params.internalErrorMessage },
      { status: params.httpStatusCode, exception: null, message: params.errorMessage },
    );
  },
  errorOutput: (error) => ({
    error: error.message,
    internalErrorMessage: typeof error.details.internalErrorMessage === 'string' ? error.details.internalErrorMessage : 'Internal Error',
    code: error.status,
    success: false,
  }),
  example: 'type: assert\ncondition: "{{ AND(EQUALTO(message.name, \\"Arthur\\"), LESSTHAN(message.number, 40)) }}"\nerrorMessage: Invalid name\nhttpStatusCode: 400',
});
