// The JOLT spec paths agree: a literal spec compiled at load, and specExpression values, JSON text, folded templates and globals through the per-step cache.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../index.js';
import { runPipeline } from '../../core/engine/index.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import { loadPipelineText } from '../../core/loader/index.js';
import { frozenClock } from '../../../test/support/frozen-clock.js';

const goldenRoot = join(import.meta.dirname, '../../../test/golden');

/** Specs with literal `spec` in the golden pipelines, with their inputs. */
const golden = readdirSync(goldenRoot)
  .filter((d) => d.startsWith('jolt-') && existsSync(join(goldenRoot, d, 'pipeline.yaml')))
  .flatMap((d) => {
    const doc = parseYaml(readFileSync(join(goldenRoot, d, 'pipeline.yaml'), 'utf8')) as {
      steps: JsonObject[];
    };
    const spec = doc.steps[0]?.spec;
    const input = JSON.parse(readFileSync(join(goldenRoot, d, 'input.json'), 'utf8')) as JsonValue;
    return spec === undefined ? [] : [[d, spec, input] as const];
  });

/** Chains where a shared compiled spec could leak state between runs (defaults then in-place-looking changes). */
const sharing: (readonly [string, JsonValue, JsonValue])[] = [
  [
    'default then modify of the defaulted values',
    [
      { operation: 'default', spec: { list: [3, 1, 2], obj: { a: { b: 1 } } } },
      {
        operation: 'modify-overwrite-beta',
        spec: { list: '=sort', obj: { a: { c: 2 } }, n: '=toInteger(@(1,n))' },
      },
    ],
    { n: '7' },
  ],
  [
    'default then index overwrite and remove',
    [
      { operation: 'default', spec: { list: [3, 1, 2], o: { a: 1, b: 2 } } },
      { operation: 'modify-overwrite-beta', spec: { list: { '[0]': 9 } } },
      { operation: 'remove', spec: { o: { a: '' } } },
    ],
    {},
  ],
  [
    'cardinality and modify-default of defaults',
    [
      { operation: 'default', spec: { l: { x: 1 }, m: [1, 2] } },
      { operation: 'cardinality', spec: { l: 'MANY', m: 'ONE' } },
      { operation: 'modify-default-beta', spec: { l: { '[0]': { y: 2 } } } },
    ],
    {},
  ],
];

const cases = [...golden, ...sharing];

/** The spec with every string value written as a constant expression (folded at load). */
function asConstantExpressions(value: JsonValue): JsonValue {
  if (typeof value === 'string') return `{{ ${JSON.stringify(value)} }}`;
  if (Array.isArray(value)) return value.map(asConstantExpressions);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asConstantExpressions(v)]));
  return value;
}

/** Runs one step spelling of the spec three times (a cache miss, then hits) on the same input. */
async function outputs(
  step: JsonObject,
  input: JsonValue,
  globals: JsonObject = {},
): Promise<JsonValue[]> {
  const pipeline = loadPipelineText(
    'spec-paths.json',
    JSON.stringify({ name: 'spec-paths', version: '1.0', steps: [step] }),
    {
      registry: defaultRegistry,
    },
  );
  const out: JsonValue[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await runPipeline(pipeline, {
      message: input,
      globals,
      clock: frozenClock(),
      freezeMessages: true,
    });
    expect(r.status, JSON.stringify(r.output)).toBe('success');
    out.push(r.output);
  }
  return out;
}

describe('transformer-jolt: every spec path gives the literal spec’s output', () => {
  it('covers the golden specs', () => {
    expect(golden.length).toBeGreaterThanOrEqual(3);
  });

  it.each(cases)('%s', async (_name, spec, input) => {
    const [expected] = await outputs({ type: 'transformer-jolt', spec }, structuredClone(input));
    const spellings: [string, JsonObject, JsonObject?][] = [
      ['specExpression value', { type: 'transformer-jolt', specExpression: spec }],
      [
        'specExpression JSON text',
        { type: 'transformer-jolt', specExpression: JSON.stringify(spec) },
      ],
      [
        'specExpression folded template',
        { type: 'transformer-jolt', specExpression: `{{ ${JSON.stringify(spec)} }}` },
      ],
      [
        'specExpression value whose strings are constant expressions',
        { type: 'transformer-jolt', specExpression: asConstantExpressions(spec) },
      ],
      [
        'specExpression from a global',
        { type: 'transformer-jolt', specExpression: '{{ global.spec }}' },
        { spec },
      ],
    ];
    for (const [how, step, globals] of spellings) {
      const got = await outputs(step, structuredClone(input), globals);
      for (const g of got) expect(g, how).toEqual(expected);
    }
  });

  it('a spec evicted from the cache and compiled again gives the same output', async () => {
    const [, spec, input] = sharing[0]!;
    const pipeline = loadPipelineText(
      'evict.json',
      JSON.stringify({
        name: 'evict',
        version: '1.0',
        steps: [{ type: 'transformer-jolt', specExpression: '{{ global.spec }}' }],
      }),
      { registry: defaultRegistry },
    );
    const run = async (s: JsonValue): Promise<JsonValue> =>
      (await runPipeline(pipeline, { message: input, globals: { spec: s }, clock: frozenClock() }))
        .output;
    const first = await run(spec);
    for (let i = 0; i < 70; i++) await run([{ operation: 'default', spec: { [`k${i}`]: i } }]);
    expect(await run(spec)).toEqual(first);
  });
});
