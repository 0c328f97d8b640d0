// transformer-jsonata: a JSONata expression over the message; its result replaces the message.
import jsonata from 'jsonata';
import { defineConnector } from '../../core/connector.js';
import type { JsonValue } from '../../core/json.js';
import { PlatformError } from '../../errors/index.js';

type Expression = ReturnType<typeof jsonata>;

/** Guardrails of jsonata 2.x, applied to every evaluation: evaluator depth, wall time, sequence size. */
const LIMITS = { stack: 500, timeout: 2_000, sequence: 1_000_000 };

/** Copies a jsonata result into plain JSON (drops functions and sequence markers). */
function toJson(value: unknown): JsonValue {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') return value as JsonValue;
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

export const transformerJsonata = defineConnector<{ expression: string }, Expression>({
  type: 'transformer-jsonata',
  version: 1,
  title: 'Transformer (JSONata)',
  category: 'transformer',
  summary:
    'Evaluates a JSONata expression with the message as input; the result replaces the message (no result gives `{}`). The expression is compiled when the pipeline loads. `$metadata` is bound to the execution metadata. Evaluation is bounded in depth and time.',
  failOnErrorDefault: false,
  parameters: {
    expression: { schema: { type: 'string', minLength: 1, maxLength: 100_000 }, required: true, description: 'JSONata expression (not Double Braces).' },
  },
  prepare(params) {
    const source = String(params.expression);
    try {
      return jsonata(source, LIMITS as Parameters<typeof jsonata>[1]);
    } catch (err) {
      const e = err as { position?: number; message?: string };
      throw new PlatformError('ERR_JSONATA_COMPILE', { position: e.position ?? 0, reason: e.message ?? 'invalid', subPath: '/expression' }, { cause: err });
    }
  },
  async run(ctx, { message, prepared }) {
    try {
      return toJson(await prepared.evaluate(message, { metadata: ctx.metadata }));
    } catch (err) {
      if (err instanceof PlatformError) throw err;
      const e = err as { message?: string; code?: string };
      throw new PlatformError('ERR_JSONATA_EVALUATION', { reason: e.message ?? e.code ?? 'failed' }, { cause: err });
    }
  },
  example: "type: transformer-jsonata\nexpression: '{ \"userID\": body.userID, \"role\": body.role }'",
});
