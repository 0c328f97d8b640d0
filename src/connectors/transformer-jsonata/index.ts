// transformer-jsonata: a JSONata expression over the message; its result replaces the message.
import jsonata from 'jsonata';
import { defineConnector } from '../../core/connector.js';
import type { JsonValue } from '../../core/json.js';
import { exceedsDepth } from '../../core/json-depth.js';
import { PlatformError } from '../../errors/index.js';

type Expression = ReturnType<typeof jsonata>;

/** Guardrails of jsonata 2.x, applied to every evaluation: evaluator depth, wall time, sequence size. */
const LIMITS = { stack: 500, timeout: 2_000, sequence: 1_000_000 };
/**
 * Deepest input or result accepted. JSONata and the JSON copy below recurse once per level of the
 * data, and a request nested ~4,000 deep overflowed the stack inside the gateway; the guard refuses
 * such data with a coded error long before (real documents stay far below 100 levels).
 */
export const MAX_JSONATA_DEPTH = 512;

function depthError(cause?: unknown): PlatformError {
  return new PlatformError('ERR_JSONATA_DEPTH', { max: MAX_JSONATA_DEPTH }, { cause });
}

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
    if (exceedsDepth(message, MAX_JSONATA_DEPTH)) throw depthError();
    try {
      const result: unknown = await prepared.evaluate(message, { metadata: ctx.metadata });
      if (exceedsDepth(result, MAX_JSONATA_DEPTH)) throw depthError();
      return toJson(result);
    } catch (err) {
      if (err instanceof PlatformError) throw err;
      // The backstop: an overflow the depth check did not foresee is still a coded error.
      if (err instanceof RangeError && /call stack/i.test(err.message)) throw depthError(err);
      const e = err as { message?: string; code?: string };
      throw new PlatformError('ERR_JSONATA_EVALUATION', { reason: e.message ?? e.code ?? 'failed' }, { cause: err });
    }
  },
  example: "type: transformer-jsonata\nexpression: '{ \"userID\": body.userID, \"role\": body.role }'",
});
