// log: writes a line tied to the execution key with sensitive values masked; the message passes through.
import { defineConnector } from '../../core/connector.js';
import type { LogLevel } from '../../core/step-context.js';

export const logConnector = defineConnector<{ level: LogLevel; message: string }>({
  type: 'log',
  version: 1,
  title: 'Log',
  category: 'tools',
  summary:
    'Writes a structured log line carrying the execution key, pipeline and step. Values of sensitive fields (the pipeline\'s `sensitiveFields` and the built-in list: password, secret, token, apikey, authorization, …), account values and the request\'s bearer token are replaced by `***`. Line breaks are replaced by spaces. The message passes through unchanged.',
  failOnErrorDefault: false,
  parameters: {
    level: { schema: { enum: ['INFO', 'WARN', 'ERROR'] }, default: 'ERROR', description: 'Log level.' },
    message: {
      schema: { type: 'string', maxLength: 10_000 },
      expression: 'render',
      default: 'Error processing message {{ message.$ }}',
      description: 'Text to log; expressions are interpolated.',
    },
  },
  run(ctx, { params, message }) {
    const text = typeof params.message === 'string' ? params.message : JSON.stringify(params.message);
    ctx.log(params.level, text.replace(/\r?\n|\r/g, ' '));
    return message;
  },
  example: 'type: log\nlevel: INFO\nmessage: "token issued in execution {{ metadata.execution.key }}"',
});
