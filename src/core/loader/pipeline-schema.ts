// Assembles the pipeline JSON Schema from the connector descriptors (published by `pipegate schema`).
import type { AnyConnector, JsonSchema } from '../connector.js';
import type { ConnectorRegistry } from '../registry.js';
import { triggerSchema } from '../trigger-schema.js';

export const ALIAS_PATTERN = '^[a-z](?:[a-z0-9-]{0,28}[a-z0-9])?$';
export const NAME_PATTERN = '^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$';
export const VERSION_PATTERN = '^(0|[1-9]\\d{0,5})\\.(0|[1-9]\\d{0,5})$';

/** Top-level members, validated before the steps. */
export function documentSchema(stepsSchema: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['name', 'version', 'steps'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      name: { type: 'string', pattern: NAME_PATTERN, maxLength: 100, description: 'kebab-case pipeline name' },
      version: { type: 'string', pattern: VERSION_PATTERN, description: 'major.minor, quoted ("1.0")' },
      description: { type: 'string', maxLength: 2000 },
      sensitiveFields: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
      trigger: triggerSchema,
      steps: stepsSchema,
    },
  };
}

/** An expression string: where a rendered value is only known at run time. */
const EXPRESSION_TEXT = { type: 'string', pattern: '\\{\\{' };

function takesText(schema: JsonSchema): boolean {
  const t = schema.type;
  return t === undefined || t === 'string' || (Array.isArray(t) && t.includes('string'));
}

/**
 * The schema of one step of connector `c`; `stepsRef` is used for nested step lists. `published`
 * (editors, `pipegate schema`) lets an expression parameter hold an expression string besides its
 * value; `validation` (the loader) leaves expression parameters to the parameter check, which
 * applies the value schema to literals at load and to rendered values at run (parameter-values.ts).
 */
export function stepSchema(c: AnyConnector, stepsRef: JsonSchema, use: 'published' | 'validation' = 'published'): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    type: { const: c.type },
    alias: { type: 'string', pattern: ALIAS_PATTERN, description: 'Name for {{ step.<alias> }}' },
    failOnError: { type: 'boolean', default: c.failOnErrorDefault },
    description: { type: 'string' },
  };
  const required = ['type'];
  for (const [name, p] of Object.entries(c.parameters)) {
    let schema = p.schema;
    if (p.steps === 'list') schema = stepsRef;
    if (p.steps === 'branches') {
      schema = {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['condition', 'steps'],
          additionalProperties: false,
          properties: { condition: { type: 'string' }, steps: stepsRef },
        },
      };
    }
    if (p.expression && !p.steps) {
      if (use === 'validation') schema = {};
      else if (!takesText(schema)) schema = { anyOf: [schema, EXPRESSION_TEXT] };
    }
    const doc = p.expression ? `${p.description} (accepts Double Braces)` : p.description;
    properties[name] = { ...schema, description: doc };
    if (p.required) required.push(name);
  }
  return { type: 'object', required, additionalProperties: false, properties, ...(c.schemaExtras ?? {}) };
}

/** The complete published schema (JSON Schema draft-07) with one definition per connector. */
export function pipelineSchema(registry: ConnectorRegistry): JsonSchema {
  const stepsRef = { $ref: '#/definitions/steps' };
  const definitions: Record<string, JsonSchema> = {
    steps: { type: 'array', items: { $ref: '#/definitions/step' } },
    step: {
      type: 'object',
      required: ['type'],
      properties: { type: { enum: [...registry.keys()] } },
      oneOf: [...registry.keys()].map((t) => ({ $ref: `#/definitions/step-${t}` })),
    },
  };
  for (const c of registry.values()) definitions[`step-${c.type}`] = stepSchema(c, stepsRef);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://pipegate.dev/schema/pipeline.json',
    title: 'Pipegate pipeline',
    ...documentSchema({ ...stepsRef, minItems: 1 }),
    definitions,
  };
}
