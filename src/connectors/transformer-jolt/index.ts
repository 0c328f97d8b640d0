// transformer-jolt: applies a JOLT chain (compiled once at load, or from an expression and cached) to the message.
import { defineConnector } from '../../core/connector.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import { PlatformError, isPlatformError } from '../../errors/index.js';
import { type JoltTransform, compileChain } from '../../jolt/index.js';
import { parseOrderedJson } from '../../jolt/ordered-json.js';
import { SpecCache } from './spec-cache.js';

interface JoltParams {
  spec?: JsonValue;
  specExpression?: JsonValue;
}

/** What prepare hands to run: the compiled literal spec, or a per-step cache for dynamic specs. */
export interface JoltPrepared {
  literal: JoltTransform | null;
  cache: SpecCache;
}

/** Dynamic specs compiled per step and kept by content (bounded). */
const DYNAMIC_CACHE_SIZE = 64;

/** Compiles a spec given as a value or as JSON text (parsed keeping key order). */
export function compileSpecValue(value: JsonValue): JoltTransform {
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.length === 0)
      throw new PlatformError('ERR_JOLT_SPEC_EXPRESSION', {
        reason: 'the expression yielded an empty string',
      });
    return compileChain(parseOrderedJson(text));
  }
  if (value === null || typeof value !== 'object') {
    throw new PlatformError('ERR_JOLT_SPEC_EXPRESSION', {
      reason: `the expression yielded ${value === null ? 'null' : typeof value}`,
    });
  }
  return compileChain(value);
}

export const transformerJolt = defineConnector<JoltParams, JoltPrepared>({
  type: 'transformer-jolt',
  version: 1,
  title: 'Transformer (JOLT)',
  category: 'transformer',
  summary:
    'Transforms the message with a JOLT chain: `shift`, `default`, `remove`, `sort`, `cardinality`, `modify-overwrite-beta`, `modify-default-beta`, `modify-define-beta`, with all wildcards (`*`, `&`, `@`, `$`, `#`, `|`, `[]`) and the modify function library. The result replaces the message (`{}` when the chain produces nothing). A literal `spec` is validated and compiled when the pipeline loads, so a bad spec is a deploy-time error naming the path inside the spec; `specExpression` takes the spec from a Double Braces expression (compiled on first use and cached by content). The input message is never modified. Behaviour matches the reference JOLT implementation (its own test suite passes); see docs/jolt.md.',
  failOnErrorDefault: false,
  parameters: {
    spec: {
      schema: {
        oneOf: [{ type: 'array', minItems: 1, items: { type: 'object' } }, { type: 'object' }],
      },
      expression: false,
      description:
        'The JOLT spec as literal JSON: a chain (array of `{ "operation": ..., "spec": ... }`) or a single operation object. Compiled at load.',
    },
    specExpression: {
      schema: { type: ['string', 'array', 'object'] },
      // 'json': a template string is JSON text, so values spliced into it are JSON-escaped.
      expression: 'json',
      description:
        'Double Braces expression yielding the spec (a chain, an operation object, or JSON text of one), for specs kept outside the pipeline; or JSON text with expressions inside (their values are JSON-escaped). Compiled on first use, cached by content.',
    },
  },
  schemaExtras: {
    oneOf: [{ required: ['spec'] }, { required: ['specExpression'] }],
  },
  prepare(params: JsonObject, ctx) {
    const prepared: JoltPrepared = {
      literal: null,
      cache: new SpecCache(DYNAMIC_CACHE_SIZE, compileSpecValue),
    };
    const hasSpec = params.spec !== undefined;
    const hasExpression = params.specExpression !== undefined;
    if (hasSpec === hasExpression) {
      ctx.report(
        new PlatformError('ERR_JOLT_SPEC_INVALID', {
          path: '/',
          reason: 'exactly one of "spec" and "specExpression" must be set',
        }),
        hasSpec ? '/specExpression' : '',
      );
      return prepared;
    }
    if (hasSpec) {
      try {
        prepared.literal = compileChain(params.spec);
      } catch (err) {
        if (!isPlatformError(err)) throw err;
        const inner =
          typeof err.details.path === 'string' && err.details.path !== '/' ? err.details.path : '';
        ctx.report(err, `/spec${inner}`);
      }
    }
    return prepared;
  },
  run(_ctx, { params, message, prepared }) {
    const transform = prepared.literal ?? prepared.cache.get(params.specExpression ?? null);
    const result = transform(message);
    return result === null ? {} : result;
  },
  errorOutput: (error) => ({
    success: false,
    message: 'Transformer (JOLT) failed',
    error: error.message,
    code: error.code,
  }),
  example:
    'type: transformer-jolt\nspec:\n  - operation: shift\n    spec:\n      body:\n        userID: userID\n        role: role',
});
