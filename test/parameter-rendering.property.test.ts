// Property (issue 11 part 5): a parameter value is checked the same way written as a literal (checked
// and folded at load: the fast path) and rendered from an expression (checked at run: the slow path).
//
// For every connector of the catalogue and each of its `render` parameters, generated values (text,
// numeric text, numbers, booleans, null, lists, objects, and values shaped like the schema) are put
// into the connector's own example step, once as the literal and once as `{{ message.v }}` with the
// value in the message. The connectors' `run` is replaced by one that records the parameter it
// receives, so only the engine's part is compared: accepted by both or refused by both, and when
// accepted, the same value (after numeric-text coercion) reaches `run`.
//
// Not compared: `json` parameters (their written text is JSON text, so a value spliced into it is
// JSON-escaped: the rendered form differs from the literal by design), and a literal `null` for a
// parameter with a default (a literal null means "use the default"; a rendered null is a value).
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { builtInConnectors } from '../src/connectors/index.js';
import type { AnyConnector, JsonSchema, ParameterSpec } from '../src/core/connector.js';
import { runPipeline } from '../src/core/engine/index.js';
import type { JsonObject, JsonValue } from '../src/core/json.js';
import { PipelineInvalidError, loadPipelineText, pipelineSchema } from '../src/core/loader/index.js';
import { createRegistry } from '../src/core/registry.js';

/** What `run` received for the parameter under test (undefined: left out). */
let received: { value: JsonValue | undefined } | null = null;
let watched = '';

const recording = builtInConnectors.map(
  (c): AnyConnector => ({
    ...c,
    run: (_ctx, input) => {
      received = { value: (input.params as Record<string, JsonValue | undefined>)[watched] };
      return null;
    },
  }),
);
const registry = createRegistry(recording);

/** The codes of the step schema's findings (type, missing or unknown member). */
const SCHEMA_CODES = ['ERR_PIPELINE_SCHEMA', 'ERR_PIPELINE_MISSING_PARAMETER', 'ERR_PIPELINE_UNKNOWN_PARAMETER'];

type Outcome = { accepted: false } | { accepted: true; value: JsonValue | undefined | 'not-compared' };

function pipelineText(step: JsonObject): string {
  return JSON.stringify({ name: 'property', version: '1.0', steps: [step] });
}

function baseStep(c: AnyConnector): JsonObject {
  // failOnError: a refused parameter must end the run, not become the step's error output.
  return { type: c.type, ...(parse(c.example ?? '') as JsonObject | null), failOnError: true };
}

/** The fast path: the literal is checked and folded by the loader. */
function staticOutcome(c: AnyConnector, name: string, value: JsonValue): Promise<Outcome> | Outcome {
  let pipeline;
  try {
    pipeline = loadPipelineText('property.json', pipelineText({ ...baseStep(c), [name]: value }), { registry });
  } catch (err) {
    if (!(err instanceof PipelineInvalidError)) throw err;
    const at = `/steps/0/${name}`;
    const typeIssue = err.issues.some(
      (i) => (i.path === at || i.path.startsWith(`${at}/`)) && SCHEMA_CODES.includes(i.code),
    );
    // Refused for another reason (a connector's own load-time check): the type was accepted.
    return typeIssue ? { accepted: false } : { accepted: true, value: 'not-compared' };
  }
  return run(pipeline, name, {});
}

/** The slow path: the same value rendered from the message and checked by the engine. */
function renderedOutcome(c: AnyConnector, name: string, value: JsonValue): Promise<Outcome> {
  const pipeline = loadPipelineText('property.json', pipelineText({ ...baseStep(c), [name]: '{{ message.v }}' }), { registry });
  return run(pipeline, name, { v: value });
}

async function run(pipeline: ReturnType<typeof loadPipelineText>, name: string, message: JsonObject): Promise<Outcome> {
  received = null;
  watched = name;
  const r = await runPipeline(pipeline, { message });
  if (r.status !== 'success') {
    expect(r.error?.code).toBe('ERR_STEP_PARAMETER_INVALID');
    expect(r.error?.details).toMatchObject({ step: '/steps/0', parameter: name });
    return { accepted: false };
  }
  expect(received).not.toBeNull();
  return { accepted: true, value: received!.value };
}

const noBraces = (s: string): boolean => !s.includes('{{') && !s.includes('}}');
const text = fc.string({ maxLength: 12 }).filter(noBraces);
const scalar = fc.oneof(
  text,
  fc.integer({ min: -5, max: 2_000_000_000_000 }),
  fc.integer({ min: -5, max: 1_000 }).map(String),
  fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom('1.5', ' 42 ', '-0', '1e3', '0x10', ''),
  fc.boolean(),
  fc.constant(null),
);

/** Values shaped like the schema, so accepted values are generated as well as refused ones. */
function shaped(schema: JsonSchema): fc.Arbitrary<JsonValue> {
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  if (props) {
    const keys = Object.keys(props);
    return fc.constantFrom(...keys).chain((k) => fc.record({ [k]: fc.oneof(shaped(props[k]!), scalar) }));
  }
  if (schema.items) return fc.array(fc.oneof(shaped(schema.items as JsonSchema), scalar), { maxLength: 3 });
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return fc.dictionary(fc.constantFrom('a', 'b-c'), fc.oneof(shaped(schema.additionalProperties as JsonSchema), scalar), { maxKeys: 2 });
  }
  return scalar;
}

function values(spec: ParameterSpec): fc.Arbitrary<JsonValue> {
  return fc.oneof(
    scalar,
    shaped(spec.schema),
    fc.array(scalar, { maxLength: 3 }),
    fc.dictionary(text, scalar, { maxKeys: 3 }),
  ) as fc.Arbitrary<JsonValue>;
}

const renderParams = builtInConnectors.flatMap((c) =>
  Object.entries(c.parameters)
    .filter(([, p]) => p.expression === 'render' && !p.steps)
    .map(([name, p]) => [`${c.type}.${name}`, c, name, p] as const),
);

/** A parameter whose connector refuses, at load, one expression for the whole value. */
function rendersWhole(c: AnyConnector, name: string): boolean {
  try {
    loadPipelineText('property.json', pipelineText({ ...baseStep(c), [name]: '{{ message.v }}' }), { registry });
    return true;
  } catch (err) {
    if (err instanceof PipelineInvalidError) return false;
    throw err;
  }
}

const cases = renderParams.filter(([, c, name]) => rendersWhole(c, name));

describe('parameters are checked alike at load (literal) and at run (rendered)', () => {
  it('covers every render parameter of the catalogue, and every example step loads', () => {
    expect(cases.length).toBeGreaterThan(25);
    // A jose key is an object whose members may be expressions (`{ jwk: "{{ … }}" }`): prepare
    // refuses one expression for the whole key of the operation, so only its literal path exists.
    expect(renderParams.filter((r) => !cases.includes(r)).map(([label]) => label)).toEqual(['jose.key']);
    for (const c of builtInConnectors) expect(() => loadPipelineText('e.json', pipelineText(baseStep(c)), { registry })).not.toThrow();
  });

  it.each(cases)('%s', async (_label, c, name, spec) => {
    await fc.assert(
      fc.asyncProperty(values(spec), async (value) => {
        fc.pre(value !== null);
        const fast = await staticOutcome(c, name, value);
        const slow = await renderedOutcome(c, name, value);
        expect(slow.accepted).toBe(fast.accepted);
        if (fast.accepted && slow.accepted && fast.value !== 'not-compared') expect(slow.value).toEqual(fast.value);
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('coerces numeric text to a number and a number to text, as declared', async () => {
    const jwt = builtInConnectors.find((c) => c.type === 'jwt')!;
    expect(await renderedOutcome(jwt, 'expirationMs', '60000')).toEqual({ accepted: true, value: 60000 });
    expect(await staticOutcome(jwt, 'expirationMs', '60000')).toEqual({ accepted: true, value: 60000 });
    expect(await renderedOutcome(jwt, 'subject', 42)).toEqual({ accepted: true, value: '42' });
    expect(await renderedOutcome(jwt, 'expirationMs', 'soon')).toEqual({ accepted: false });
    expect(await renderedOutcome(jwt, 'expirationMs', '')).toEqual({ accepted: true, value: undefined });
  });
});

describe('a custom connector gets its rendered parameters checked too', () => {
  const seen: JsonValue[] = [];
  const counter: AnyConnector = {
    type: 'counter',
    version: 1,
    title: 'Counter',
    summary: 'Test connector.',
    category: 'tools',
    failOnErrorDefault: true,
    parameters: { count: { schema: { type: 'integer', minimum: 1 }, expression: 'render', required: true, description: 'How many.' } },
    run: (_ctx, { params }) => {
      seen.push((params as { count: JsonValue }).count);
      return null;
    },
  };
  const custom = createRegistry([counter]);
  const load = (count: JsonValue) => loadPipelineText('c.json', pipelineText({ type: 'counter', count }), { registry: custom });

  it('numeric text reaches run as a number; a wrong type is a coded error naming step and parameter', async () => {
    expect((await runPipeline(load('{{ message.n }}'), { message: { n: '7' } })).status).toBe('success');
    expect(seen).toEqual([7]);
    const r = await runPipeline(load('{{ message.n }}'), { message: { n: 'seven' } });
    expect(r.error?.code).toBe('ERR_STEP_PARAMETER_INVALID');
    expect(r.error?.message).toBe('Step /steps/0 (counter): parameter "count" must be integer');
    expect(r.error?.status).toBe(400);
    expect((await runPipeline(load('{{ message.n }}'), { message: { n: 0 } })).error?.message).toBe(
      'Step /steps/0 (counter): parameter "count" must be >= 1',
    );
    expect(seen).toEqual([7]);
  });

  it('the same literal is refused at load with the step schema wording', () => {
    expect(() => load('seven')).toThrow(PipelineInvalidError);
    try {
      load('seven');
    } catch (err) {
      expect((err as PipelineInvalidError).issues).toMatchObject([
        { path: '/steps/0/count', code: 'ERR_PIPELINE_SCHEMA', message: '"count" must be integer' },
      ]);
    }
    expect(load('12').steps[0]!.literalParams.count).toBe(12);
  });
});

describe('the published schema (pipegate schema)', () => {
  const validate = new Ajv({ strict: false, allowUnionTypes: true }).compile(pipelineSchema(createRegistry(builtInConnectors)));
  const doc = (expirationMs: JsonValue) => ({ name: 'p', version: '1.0', steps: [{ type: 'jwt', expirationMs }] });

  it('takes an expression where a parameter declares a number, and the number itself', () => {
    expect(validate(doc('{{ message.ttl }}'))).toBe(true);
    expect(validate(doc(60000))).toBe(true);
    expect(validate(doc('soon'))).toBe(false);
  });
});
