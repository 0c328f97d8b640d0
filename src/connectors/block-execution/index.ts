// block-execution: runs onProcess; a failure inside it goes to onException (or up to the enclosing block).
import { defineConnector } from '../../core/connector.js';
import { StepFailure } from '../../core/engine/index.js';

export const blockExecution = defineConnector<Record<string, never>>({
  type: 'block-execution',
  version: 1,
  title: 'Block Execution',
  category: 'control',
  summary:
    'Runs `onProcess` with the incoming message. When a step inside fails with Fail On Error on, its error object `{ timestamp, error, code, exception }` becomes the input of `onException`, whose output is then the block\'s output. Without `onException`, or when `onException` fails too, the error goes to the enclosing block, and at the main flow ends the execution.',
  failOnErrorDefault: true,
  parameters: {
    onProcess: { schema: {}, steps: 'list', required: true, description: 'Steps to run.' },
    onException: { schema: {}, steps: 'list', description: 'Steps run with the error object when onProcess fails.' },
  },
  async run(_ctx, { message, flows }) {
    try {
      return await flows.onProcess!(message);
    } catch (err) {
      if (err instanceof StepFailure && flows.onException) return flows.onException(err.payload);
      throw err;
    }
  },
  example: 'type: block-execution\nonProcess:\n  - type: throw-error\n    errorMessage: boom\nonException:\n  - type: log\n    level: WARN\n    message: "recovered: {{ message.error }}"',
});
