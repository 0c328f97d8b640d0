// log: writes a line tied to the execution key with sensitive values masked; the message passes through.
import { defineConnector } from '../../core/connector.js';
import { isJsonObject, jsonTypeOf } from '../../core/json.js';
import type { JsonValue } from '../../core/json.js';
import type { LogLevel } from '../../core/step-context.js';

/**
 * The default log text: what the message is, not what it holds. Logging whole messages by default
 * copied request bodies (and anything masking misses) into the log store; content is logged only
 * when the step asks for it with `message`.
 */
export function messageSummary(message: JsonValue): string {
  const bytes = Buffer.byteLength(JSON.stringify(message) ?? 'null', 'utf8');
  const shape = Array.isArray(message)
    ? `an array of ${message.length} item${message.length === 1 ? '' : 's'}`
    : isJsonObject(message)
      ? `an object with ${Object.keys(message).length} field${Object.keys(message).length === 1 ? '' : 's'}`
      : `a ${jsonTypeOf(message)}`;
  return `Error processing message: ${shape}, ${bytes} bytes of JSON (set the log step's message parameter to log its content)`;
}

export const logConnector = defineConnector<{ level: LogLevel; message?: JsonValue }>({
  type: 'log',
  version: 1,
  title: 'Log',
  category: 'tools',
  summary:
    'Writes a structured log line carrying the execution key, pipeline and step. Values of sensitive fields are replaced by `***`: field names containing a sensitive name (the pipeline\'s `sensitiveFields` and the built-in list: password, secret, token, apikey, authorization, cookie, …; case, `-` and `_` ignored, so `newPassword`, `x-api-key` and `proxy-authorization` match; names shorter than 5 letters such as pin, ssn, cvv match as whole words), account values and the request\'s bearer token. Line breaks are replaced by spaces. Without `message` the line is a summary of the message (type, size), never its content. The message passes through unchanged.',
  failOnErrorDefault: false,
  parameters: {
    level: { schema: { enum: ['INFO', 'WARN', 'ERROR'] }, default: 'ERROR', description: 'Log level.' },
    message: {
      // Any value: text is logged as is (at most 10,000 characters), other values as JSON.
      schema: { maxLength: 10_000 },
      expression: 'render',
      description:
        'Text to log (other values are logged as their JSON); expressions are interpolated. Default: a summary of the message (its type and size in bytes), never its content — write e.g. `{{ message.$ }}` to log the whole message.',
    },
  },
  run(ctx, { params, message }) {
    const text =
      params.message === undefined || params.message === null
        ? messageSummary(message)
        : typeof params.message === 'string'
          ? params.message
          : JSON.stringify(params.message);
    ctx.log(params.level, text.replace(/\r?\n|\r/g, ' '));
    return message;
  },
  example: 'type: log\nlevel: INFO\nmessage: "token issued in execution {{ metadata.execution.key }}"',
});
