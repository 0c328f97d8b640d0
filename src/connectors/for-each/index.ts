// for-each: runs onProcess once per item; failures go to onException and the loop goes on.
import { defineConnector } from '../../core/connector.js';
import { isJsonObject, jsonTypeOf } from '../../core/json.js';
import type { JsonValue } from '../../core/json.js';
import { StepFailure } from '../../core/engine/index.js';
import { PlatformError } from '../../errors/index.js';

/** Most items one for-each accepts (a bound on work per execution). */
const MAX_ITEMS = 100_000;

export const forEach = defineConnector<{ items: JsonValue }>({
  type: 'for-each',
  version: 1,
  title: 'For Each',
  category: 'control',
  summary:
    'Runs `onProcess` once per element of `items`, with the element as the message and as `{{ item }}`. An iteration counts as a success only when its final message has `"success": true`. When an iteration fails, `onException` runs with the error object and the loop continues; without `onException` the failure stops the loop and goes to the enclosing block. Output: `{ total, success, failed, results }` with each iteration\'s final message in `results`.',
  failOnErrorDefault: true,
  parameters: {
    items: { schema: {}, expression: 'render', default: '{{ message.$ }}', description: 'The array to iterate (an expression).' },
    onProcess: { schema: {}, steps: 'list', required: true, description: 'Steps run for each item.' },
    onException: { schema: {}, steps: 'list', description: 'Steps run with the error object of a failed iteration.' },
  },
  async run(ctx, { params, flows }) {
    const items = params.items;
    if (!Array.isArray(items)) throw new PlatformError('ERR_FOR_EACH_ITEMS', { actual: jsonTypeOf(items) });
    if (items.length > MAX_ITEMS) throw new PlatformError('ERR_FOR_EACH_ITEMS', { actual: `an array of ${items.length} items (limit ${MAX_ITEMS})` });
    const results: JsonValue[] = [];
    let success = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const frame = `${ctx.stepPath}#${i}`;
      try {
        const out = await flows.onProcess!(item, { item, frame });
        if (isJsonObject(out) && out.success === true) success++;
        results.push(out);
      } catch (err) {
        if (!(err instanceof StepFailure) || !flows.onException) throw err;
        // A handled failure still counts as a failed iteration, whatever onException outputs.
        results.push(await flows.onException(err.payload, { item, frame }));
      }
    }
    return { total: items.length, success, failed: items.length - success, results };
  },
  example: 'type: for-each\nitems: "{{ message.orders }}"\nonProcess:\n  - type: json-generator\n    json: { id: "{{ item.id }}", success: true }',
});
