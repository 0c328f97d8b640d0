// throw-error: raises an error with a status code, or a custom error object that becomes the result.
import { defineConnector } from '../../core/connector.js';
import { isJsonObject, parseJsonSafe } from '../../core/json.js';
import type { JsonValue } from '../../core/json.js';
import { PlatformError } from '../../errors/index.js';

interface ThrowParams {
  errorMessage: JsonValue;
  httpStatusCode: number;
  customError?: JsonValue;
}

export const throwError = defineConnector<ThrowParams>({
  type: 'throw-error',
  version: 1,
  title: 'Throw Error',
  category: 'tools',
  summary:
    'Raises an error. Inside a block-execution it goes to `onException`; in the main flow the execution ends with `{ timestamp, error, code, exception: "ERR_THROWN" }`, or with `customError` when given (it must then hold a numeric `code` and an `error`, which the gateway turns into the HTTP status).',
  failOnErrorDefault: true,
  parameters: {
    errorMessage: { schema: {}, expression: 'render', default: 'Error', description: 'Message of the error (a value other than text is written as JSON).' },
    httpStatusCode: { schema: { type: 'integer', minimum: 100, maximum: 599 }, default: 500, description: 'HTTP status of the error.' },
    customError: {
      schema: { type: ['object', 'string'] },
      expression: 'render',
      description: 'A complete error object (or its JSON text) used instead of the standard one.',
    },
  },
  run(_ctx, { params }) {
    const message = typeof params.errorMessage === 'string' ? params.errorMessage : JSON.stringify(params.errorMessage);
    if (params.customError !== undefined && params.customError !== null) {
      const body = typeof params.customError === 'string' ? parseJsonSafe(params.customError) : params.customError;
      if (!isJsonObject(body)) throw new PlatformError('ERR_THROWN', { reason: 'customError must be a JSON object' }, { status: 500 });
      const status = typeof body.code === 'number' && body.code >= 100 && body.code <= 599 ? body.code : params.httpStatusCode;
      throw new PlatformError('ERR_THROWN', { reason: typeof body.error === 'string' ? body.error : message }, { status, body });
    }
    throw new PlatformError('ERR_THROWN', { reason: message }, { status: params.httpStatusCode });
  },
  example: 'type: throw-error\nerrorMessage: "order {{ message.id }} not found"\nhttpStatusCode: 404',
});
