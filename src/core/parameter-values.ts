// One check of a parameter value against its declared schema, used for literals at load and rendered values at run.
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { JsonSchema, ParameterSpec } from './connector.js';
import { isJsonObject } from './json.js';
import type { JsonObject, JsonValue } from './json.js';

/** The outcome of a check: the value the connector receives (undefined: not given), or ajv's errors. */
export type ParameterCheck =
  | { ok: true; value: JsonValue | undefined }
  | { ok: false; errors: readonly ErrorObject[] };

/** Checks (and coerces) one value of a parameter; compiled once per parameter declaration. */
export type ParameterChecker = (value: JsonValue) => ParameterCheck;

const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true });
const checkers = new WeakMap<ParameterSpec, ParameterChecker>();
const NUMERIC_TEXT = /^\s*-?\d+(\.\d+)?\s*$/;

/**
 * The checker of a parameter. Before the schema is applied, numeric text becomes a number where the
 * schema takes a number but not text ("5" → 5), and a number becomes its decimal text where the
 * schema takes text but not a number (5 → "5"), at every depth the schema describes (`properties`,
 * `additionalProperties`, `items`). A `null` or `""` that the schema refuses counts as "not given"
 * for an optional parameter. So literals (checked at load) and rendered values (checked at run)
 * reach `run` with the declared type.
 */
export function parameterChecker(spec: ParameterSpec): ParameterChecker {
  let checker = checkers.get(spec);
  if (checker) return checker;
  const schema = spec.schema;
  if (Object.keys(schema).length === 0) {
    // `{}` accepts every JSON value: nothing to coerce or check.
    checker = (value) => ({ ok: true, value });
  } else {
    const validate: ValidateFunction = ajv.compile(schema);
    const optional = spec.required !== true;
    checker = (value) => {
      const coerced = coerce(schema, value);
      if (validate(coerced)) return { ok: true, value: coerced };
      if (optional && (value === null || value === '')) return { ok: true, value: undefined };
      return { ok: false, errors: validate.errors ?? [] };
    };
  }
  checkers.set(spec, checker);
  return checker;
}

/** One line saying why a value was refused (never the value: parameters may be secret). */
export function parameterProblem(errors: readonly ErrorObject[]): string {
  const e = errors[0];
  if (!e) return 'is invalid';
  const where = e.instancePath ? `at ${e.instancePath} ` : '';
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
    return `${where}must be one of ${allowed}`;
  }
  return `${where}${e.message ?? 'is invalid'}`;
}

function typesOf(schema: JsonSchema): readonly unknown[] | null {
  const t = schema.type;
  if (typeof t === 'string') return [t];
  return Array.isArray(t) ? t : null;
}

function coerce(schema: JsonSchema, value: JsonValue): JsonValue {
  const types = typesOf(schema);
  if (types !== null) {
    const takesText = types.includes('string');
    const takesNumber = types.includes('number') || types.includes('integer');
    if (typeof value === 'string' && takesNumber && !takesText && NUMERIC_TEXT.test(value)) return Number(value);
    if (typeof value === 'number' && takesText && !takesNumber && Number.isFinite(value)) return String(value);
  }
  if (Array.isArray(value)) return coerceItems(schema, value);
  if (isJsonObject(value)) return coerceMembers(schema, value);
  return value;
}

function coerceItems(schema: JsonSchema, value: JsonValue[]): JsonValue {
  const items = schema.items;
  if (!isSchema(items)) return value;
  let out: JsonValue[] | null = null;
  for (let i = 0; i < value.length; i++) {
    const c = coerce(items, value[i]!);
    if (c !== value[i]) (out ??= value.slice())[i] = c;
  }
  return out ?? value;
}

function coerceMembers(schema: JsonSchema, value: JsonObject): JsonValue {
  const props = isSchema(schema.properties) ? (schema.properties as Record<string, unknown>) : null;
  const extra = isSchema(schema.additionalProperties) ? schema.additionalProperties : null;
  if (props === null && extra === null) return value;
  let out: JsonObject | null = null;
  for (const [k, v] of Object.entries(value)) {
    const own = props !== null && Object.prototype.hasOwnProperty.call(props, k) ? props[k] : extra;
    if (!isSchema(own)) continue;
    const c = coerce(own, v);
    if (c !== v) {
      out ??= { ...value };
      Object.defineProperty(out, k, { value: c, enumerable: true, writable: true, configurable: true });
    }
  }
  return out ?? value;
}

function isSchema(v: unknown): v is JsonSchema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
