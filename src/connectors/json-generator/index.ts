// json-generator: outputs a JSON template (with Double Braces); `{}` empties the message.
import { defineConnector } from '../../core/connector.js';
import type { JsonValue } from '../../core/json.js';
import { PlatformError } from '../../errors/index.js';

export const jsonGenerator = defineConnector<{ json: JsonValue }>({
  type: 'json-generator',
  version: 1,
  title: 'JSON Generator',
  category: 'tools',
  summary:
    'Replaces the message with a JSON document. Write `json` as a YAML/JSON value (each string that is exactly one `{{ … }}` keeps its JSON type) or as JSON text in a string, where `{{ … }}` outside quotes inserts the JSON of the value and inside quotes its text. `json: {}` empties the message, which is how a login pipeline drops credentials before issuing a token.',
  failOnErrorDefault: false,
  parameters: {
    json: {
      schema: {},
      expression: 'json',
      required: true,
      description: 'The document to output: any JSON value, or JSON text with expressions.',
    },
  },
  run(_ctx, { params }) {
    const json = params.json;
    if (typeof json !== 'string') return json;
    try {
      return JSON.parse(json) as JsonValue;
    } catch (err) {
      // A plain string that is not JSON text is output as that string (a JSON value too).
      if (!/^\s*[[{"]/.test(json)) return json;
      throw new PlatformError('ERR_JSON_GENERATOR_TEMPLATE', { reason: (err as Error).message }, { cause: err });
    }
  },
  errorOutput: (error) => ({ success: false, message: 'Encountered a configuration error while generating JSON', error: error.message }),
  example: 'type: json-generator\njson:\n  fullName: "{{ CONCAT(message.firstName, \\" \\", message.lastName) }}"\n  country: Brazil',
});
