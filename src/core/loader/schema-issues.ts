// Runs ajv validators and turns their errors into coded, located validation issues.
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { JsonSchema } from '../connector.js';
import { suggestion } from '../../expr/compiler.js';
import { pointerEscape } from '../../expr/template.js';

/** A located problem before the file name and position are attached. */
export interface RawIssue {
  path: string;
  code: string;
  message: string;
  /** Offset inside the string at `path` (expressions). */
  offset?: number;
}

// verbose: errors carry their parentSchema, whose property names feed "did you mean …?".
const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true });
const cache = new WeakMap<JsonSchema, ValidateFunction>();

/** Validates `value` against `schema`; issue paths are prefixed with `base`. */
export function schemaIssues(schema: JsonSchema, value: unknown, base: string): RawIssue[] {
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(schema, validate);
  }
  if (validate(value)) return [];
  return dedupe((validate.errors ?? []).map((e) => ajvIssue(e, base)).filter((i): i is RawIssue => i !== null));
}

/** One ajv error as a located issue (null for summary errors of oneOf/anyOf without a message). */
export function ajvIssue(e: ErrorObject, base: string): RawIssue | null {
  const at = base + e.instancePath;
  switch (e.keyword) {
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      return { path: `${at}/${pointerEscape(missing)}`, code: 'ERR_PIPELINE_MISSING_PARAMETER', message: `Missing required parameter "${missing}"` };
    }
    case 'additionalProperties': {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(((e.parentSchema as JsonSchema | undefined)?.properties as object | undefined) ?? {});
      return {
        path: `${at}/${pointerEscape(extra)}`,
        code: 'ERR_PIPELINE_UNKNOWN_PARAMETER',
        message: `Unknown parameter "${extra}"${suggestion(extra, known)}`,
      };
    }
    case 'oneOf':
    case 'anyOf':
    case 'if':
      return e.message ? { path: at, code: 'ERR_PIPELINE_SCHEMA', message: describe(e) } : null;
    default:
      return { path: at, code: 'ERR_PIPELINE_SCHEMA', message: describe(e) };
  }
}

function describe(e: ErrorObject): string {
  const where = e.instancePath ? `"${e.instancePath.split('/').pop()}"` : 'The document';
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
    return `${where} must be one of ${allowed}`;
  }
  if (e.keyword === 'pattern' && e.instancePath.endsWith('/version')) return `"version" must be a quoted "major.minor" string such as "1.0"`;
  if (e.keyword === 'type' && e.instancePath === '/version') return `"version" must be a quoted "major.minor" string such as "1.0"`;
  if (e.keyword === 'pattern' && e.instancePath.endsWith('/alias')) {
    return '"alias" must be lowercase letters, digits and hyphens, start with a letter, end with a letter or digit, at most 30 characters';
  }
  if (e.keyword === 'pattern' && e.instancePath === '/name') return '"name" must be kebab-case (lowercase letters, digits, hyphens)';
  return `${where} ${e.message ?? 'is invalid'}`;
}

function dedupe(issues: RawIssue[]): RawIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
