// Property (issue 9): every documented function example renders the same wherever it sits in a template.
//
// Each example of the catalogue (src/expr/functions/function-examples.ts) is placed, through real
// pipelines, (a) alone in a template, (b) beside a field that reads the message, (c) nested in an
// array and in an object, (d) as a whole string and embedded in text, in every render mode of
// json-generator (typed values, text, JSON text) and in for-each's rendered `items` parameter. Where
// nothing reads the message the loader folds the template at load; elsewhere it renders per run: the
// two paths must give the documented result.
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../src/connectors/index.js';
import { runPipeline } from '../src/core/engine/index.js';
import type { JsonValue } from '../src/core/json.js';
import { loadPipelineText } from '../src/core/loader/index.js';
import { textForm } from '../src/expr/index.js';
import { frozenServices } from '../src/expr/functions/frozen-services.js';
import { functionExamples } from '../src/expr/functions/function-examples.js';
import { functionNames } from '../src/expr/functions/index.js';

const MESSAGE = { x: 'from-message' };

interface Example {
  expr: string;
  result: JsonValue;
}

const examples: Example[] = functionNames().flatMap((name) =>
  (functionExamples[name] ?? []).map(([args, result]) => ({
    expr: `${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`,
    result,
  })),
);

/**
 * One placement: a step (given the expression's source) and what its output must be. Each step
 * calls the example once, so the impure ones (NOW, UUID, RANDOM…) see the first value of the clock.
 */
interface Placement {
  context: string;
  step: (e: string) => Record<string, JsonValue>;
  expected: (r: JsonValue) => JsonValue;
}

const gen = (json: JsonValue): Record<string, JsonValue> => ({ type: 'json-generator', json });
const t = (r: JsonValue): string => textForm(r);
/** json-generator outputs a top-level string as the JSON it holds, when it holds JSON. */
const topLevel = (r: JsonValue): JsonValue => {
  if (typeof r !== 'string') return r;
  try {
    return JSON.parse(r) as JsonValue;
  } catch {
    return r;
  }
};

const jsonGenerator: Placement[] = [
  { context: '(a) alone, the whole document', step: (e) => gen(`{{ ${e} }}`), expected: topLevel },
  {
    context: '(a) alone, in a field',
    step: (e) => gen({ v: `{{ ${e} }}` }),
    expected: (r) => ({ v: r }),
  },
  {
    context: '(b) beside a field that reads the message',
    step: (e) => gen({ v: `{{ ${e} }}`, m: '{{ message.x }}' }),
    expected: (r) => ({ v: r, m: MESSAGE.x }),
  },
  {
    context: '(c) in an array',
    step: (e) => gen([`{{ ${e} }}`, 'lit']),
    expected: (r) => [r, 'lit'],
  },
  {
    context: '(c) in an object',
    step: (e) => gen({ o: { v: `{{ ${e} }}` } }),
    expected: (r) => ({ o: { v: r } }),
  },
  {
    context: '(c) in an object in an array in an object',
    step: (e) => gen({ a: [{ v: `{{ ${e} }}` }, 2] }),
    expected: (r) => ({ a: [{ v: r }, 2] }),
  },
  {
    context: '(b)(c) nested beside a message read',
    step: (e) => gen({ a: [`{{ ${e} }}`, { m: '{{ message.x }}' }] }),
    expected: (r) => ({ a: [r, { m: MESSAGE.x }] }),
  },
  {
    context: '(c) inside an expression array literal',
    step: (e) => gen({ v: `{{ [${e}, 1] }}` }),
    expected: (r) => ({ v: [r, 1] }),
  },
  {
    context: '(c) inside an expression object literal',
    step: (e) => gen({ v: `{{ {"k": [${e}]} }}` }),
    expected: (r) => ({ v: { k: [r] } }),
  },
  {
    context: '(d) embedded in text',
    step: (e) => gen({ s: `<{{ ${e} }}>` }),
    expected: (r) => ({ s: `<${t(r)}>` }),
  },
  {
    context: '(d) text with several expressions',
    step: (e) => gen({ s: `<{{ ${e} }}|{{ 1 }}>` }),
    expected: (r) => ({ s: `<${t(r)}|1>` }),
  },
  {
    context: '(b)(d) text with a message read',
    step: (e) => gen({ s: `<{{ ${e} }}|{{ message.x }}>` }),
    expected: (r) => ({ s: `<${t(r)}|${MESSAGE.x}>` }),
  },
  {
    context: '(d) JSON text, outside quotes',
    step: (e) => gen(`{"v": {{ ${e} }}}`),
    expected: (r) => ({ v: r }),
  },
  {
    context: '(d) JSON text, inside quotes',
    step: (e) => gen(`{"s": "<{{ ${e} }}>"}`),
    expected: (r) => ({ s: `<${t(r)}>` }),
  },
  {
    context: '(b)(d) JSON text beside a message read',
    step: (e) => gen(`{"v": [{{ ${e} }}], "m": {{ message.x }}}`),
    expected: (r) => ({ v: [r], m: MESSAGE.x }),
  },
  {
    context: '(b)(d) JSON text, inside quotes beside a message read',
    step: (e) => gen(`{"s": "<{{ ${e} }}|{{ message.x }}>"}`),
    expected: (r) => ({ s: `<${t(r)}|${MESSAGE.x}>` }),
  },
];

/** for-each renders `items`; with no steps per item, `results` holds the items as rendered. */
const loop = (items: JsonValue): Record<string, JsonValue> => ({
  type: 'for-each',
  items,
  onProcess: [],
});
const results = (items: JsonValue[]): JsonValue => ({
  total: items.length,
  success: 0,
  failed: items.length,
  results: items,
});

const forEach: Placement[] = [
  {
    context: '(a) alone in an item',
    step: (e) => loop([`{{ ${e} }}`]),
    expected: (r) => results([r]),
  },
  {
    context: '(b) beside an item that reads the message',
    step: (e) => loop([`{{ ${e} }}`, '{{ message.x }}']),
    expected: (r) => results([r, MESSAGE.x]),
  },
  {
    context: '(c) nested in an array',
    step: (e) => loop([[`{{ ${e} }}`]]),
    expected: (r) => results([[r]]),
  },
  {
    context: '(c) nested in an object',
    step: (e) => loop([{ v: `{{ ${e} }}` }]),
    expected: (r) => results([{ v: r }]),
  },
  {
    context: '(a)(c) the whole parameter, an expression array',
    step: (e) => loop(`{{ [${e}] }}`),
    expected: (r) => results([r]),
  },
  {
    context: '(b)(c) the whole parameter, an expression array with a message read',
    step: (e) => loop(`{{ [${e}, message.x] }}`),
    expected: (r) => results([r, MESSAGE.x]),
  },
  {
    context: '(d) embedded in text',
    step: (e) => loop([`<{{ ${e} }}>`]),
    expected: (r) => results([`<${t(r)}>`]),
  },
  {
    context: '(b)(d) embedded in text with a message read',
    step: (e) => loop([`<{{ ${e} }}|{{ message.x }}>`]),
    expected: (r) => results([`<${t(r)}|${MESSAGE.x}>`]),
  },
];

async function run(step: Record<string, JsonValue>): Promise<JsonValue> {
  const text = JSON.stringify({ name: 'property', version: '1.0', steps: [step] });
  const pipeline = loadPipelineText('property.json', text, { registry: defaultRegistry });
  // A fresh clock per run: the impure examples (NOW, UUID, RANDOM…) see the documented services.
  const result = await runPipeline(pipeline, {
    message: MESSAGE,
    clock: frozenServices(),
    freezeMessages: true,
  });
  expect(result.status, JSON.stringify(result.output)).toBe('success');
  return result.output;
}

describe('function examples render the same in every template context', () => {
  it('covers every function of the catalogue', () => {
    const covered = new Set(examples.map((e) => e.expr.slice(0, e.expr.indexOf('('))));
    expect(functionNames().filter((n) => !covered.has(n))).toEqual([]);
    expect(examples.length).toBeGreaterThanOrEqual(functionNames().length);
  });

  for (const [connector, placements] of [
    ['json-generator', jsonGenerator],
    ['for-each', forEach],
  ] as const) {
    describe(connector, () => {
      it.each(placements.map((p) => [p.context, p] as const))('%s', async (_context, placement) => {
        for (const { expr, result } of examples) {
          const output = await run(placement.step(expr));
          expect(output, `${expr} ${placement.context}`).toEqual(placement.expected(result));
        }
      });
    });
  }
});
