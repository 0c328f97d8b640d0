// Trigger requestSchema / responseSchema: compiled once at deploy (JSON Schema 2020-12), checked per request.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { JsonObject, JsonValue } from '../core/json.js';
import { PlatformError } from '../errors/index.js';
import { pointerEscape } from '../expr/template.js';

/** Most failing paths reported in one 400 answer. */
const MAX_ISSUES = 20;

/**
 * One instance for every pipeline: `addUsedSchema: false` keeps a schema's `$id` from colliding with
 * another pipeline's; formats are annotations (no format validator is loaded), as JSON Schema
 * 2020-12 allows; no remote `$ref` is ever fetched (no loadSchema).
 */
const ajv = new Ajv2020({
  allErrors: true,
  strict: false,
  addUsedSchema: false,
  validateFormats: false,
  allowUnionTypes: true,
});

/** A failing location of a request body: JSON Pointer into the body, and what is wrong there. */
export interface BodyIssue {
  path: string;
  message: string;
}

/** A compiled request body check. */
export interface BodyValidator {
  schema: JsonObject;
  /** The problems of `body` (empty when it matches). */
  check(body: JsonValue): BodyIssue[];
}

function toIssue(e: ErrorObject): BodyIssue {
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    return { path: `${e.instancePath}/${pointerEscape(missing)}`, message: 'is required' };
  }
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty: string }).additionalProperty);
    return { path: `${e.instancePath}/${pointerEscape(extra)}`, message: 'is not allowed' };
  }
  return { path: e.instancePath === '' ? '' : e.instancePath, message: e.message ?? 'is invalid' };
}

/**
 * Compiles a trigger body schema; a schema that does not compile is ERR_TRIGGER_SCHEMA_INVALID
 * (the caller turns it into a located PipelineInvalidError).
 */
export function compileBodySchema(
  schema: JsonObject,
  field: 'requestSchema' | 'responseSchema',
): BodyValidator {
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    throw new PlatformError(
      'ERR_TRIGGER_SCHEMA_INVALID',
      { field, reason: (err as Error).message.slice(0, 300) },
      { cause: err },
    );
  }
  return {
    schema,
    check(body) {
      if (validate(body)) return [];
      const seen = new Set<string>();
      const out: BodyIssue[] = [];
      for (const issue of (validate.errors ?? []).map(toIssue)) {
        const key = `${issue.path} ${issue.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(issue);
        if (out.length >= MAX_ISSUES) break;
      }
      return out;
    },
  };
}

/** The 400 error of a body that fails `requestSchema`; paths are JSON Pointers from the body. */
export function requestSchemaError(issues: BodyIssue[]): PlatformError {
  const errors = issues.map((i) => ({ path: i.path === '' ? '/' : i.path, message: i.message }));
  const paths = [...new Set(errors.map((e) => e.path))].join(', ');
  const probe = new PlatformError('ERR_GATEWAY_REQUEST_SCHEMA', { paths });
  return new PlatformError(
    'ERR_GATEWAY_REQUEST_SCHEMA',
    { paths },
    { body: { message: probe.message, code: probe.code, errors } },
  );
}
