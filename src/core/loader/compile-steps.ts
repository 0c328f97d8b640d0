// Compiles validated step documents into CompiledSteps, collecting every problem with its path.
import type { ErrorObject } from 'ajv';
import type { AnyConnector, JsonSchema, PrepareContext } from '../connector.js';
import { isJsonObject } from '../json.js';
import type { JsonObject, JsonValue } from '../json.js';
import type { CompiledFlow, CompiledStep } from '../pipeline-model.js';
import type { ConnectorRegistry } from '../registry.js';
import { PlatformError, isPlatformError } from '../../errors/index.js';
import { compileTemplate, compileValue, newCompileInfo, pointerEscape } from '../../expr/template.js';
import type { CompiledValue } from '../../expr/template.js';
import { suggestion } from '../../expr/compiler.js';
import type { CompileInfo } from '../../expr/compiler.js';
import { ALIAS_PATTERN, stepSchema } from './pipeline-schema.js';
import type { RawIssue } from './schema-issues.js';
import { ajvIssue, schemaIssues } from './schema-issues.js';
import { parameterChecker } from '../parameter-values.js';
import type { ParameterChecker } from '../parameter-values.js';

/** Shared state of one pipeline compilation. */
export interface CompileState {
  registry: ConnectorRegistry;
  issues: RawIssue[];
  /** Aliases defined so far (document order) with their paths. */
  aliases: Map<string, string>;
  /** Account labels referenced anywhere. */
  accounts: Set<string>;
}

const validationSchemas = new WeakMap<AnyConnector, JsonSchema>();

function validationSchema(c: AnyConnector): JsonSchema {
  let schema = validationSchemas.get(c);
  if (!schema) {
    // Nested step lists are checked step by step by compileFlow, so here they only need to be arrays.
    schema = stepSchema(c, { type: 'array' }, 'validation');
    validationSchemas.set(c, schema);
  }
  return schema;
}

/** Compiles a list of steps found at `path`. */
export function compileFlow(value: JsonValue | undefined, path: string, state: CompileState): CompiledFlow {
  if (!Array.isArray(value)) return [];
  const out: CompiledStep[] = [];
  value.forEach((doc, i) => {
    const step = compileStep(doc, `${path}/${i}`, state);
    if (step) out.push(step);
  });
  return out;
}

function compileStep(doc: JsonValue, path: string, state: CompileState): CompiledStep | undefined {
  if (!isJsonObject(doc)) {
    state.issues.push({ path, code: 'ERR_PIPELINE_SCHEMA', message: 'A step must be an object with a "type"' });
    return undefined;
  }
  const type = doc.type;
  if (typeof type !== 'string') {
    state.issues.push({ path: `${path}/type`, code: 'ERR_PIPELINE_MISSING_PARAMETER', message: 'Missing required parameter "type"' });
    // A step with another error still reports its alias problems (and its alias stays known).
    registerAlias(doc, path, state);
    return undefined;
  }
  const connector = state.registry.get(type);
  if (!connector) {
    state.issues.push({
      path: `${path}/type`,
      code: 'ERR_PIPELINE_UNKNOWN_STEP_TYPE',
      message: `Unknown step type "${type}"${suggestion(type, [...state.registry.keys()])}`,
    });
    registerAlias(doc, path, state);
    return undefined;
  }
  const before = state.issues.length;
  state.issues.push(...schemaIssues(validationSchema(connector), doc, path));
  // Expression parameters are checked below (parameter-values.ts); a refused one also keeps prepare from running.
  let schemaOk = state.issues.length === before;

  const literalParams: JsonObject = {};
  const renderedParams: [string, CompiledValue, ParameterChecker][] = [];
  const flows: Record<string, CompiledFlow> = {};
  const branches: { condition: CompiledValue; flow: CompiledFlow }[] = [];
  const info = newCompileInfo(new Set(state.aliases.keys()));
  for (const [name, spec] of Object.entries(connector.parameters)) {
    const value = doc[name] ?? spec.default;
    const at = `${path}/${pointerEscape(name)}`;
    if (value === undefined) continue;
    if (spec.steps === 'list') {
      flows[name] = compileFlow(value, at, state);
    } else if (spec.steps === 'branches') {
      if (!Array.isArray(value)) continue;
      value.forEach((b, i) => {
        if (!isJsonObject(b)) return;
        const condition = compileExpr(typeof b.condition === 'string' ? b.condition : '', `${at}/${i}/condition`, info, state);
        branches.push({ condition, flow: compileFlow(b.steps, `${at}/${i}/steps`, state) });
      });
    } else if (spec.expression === 'render' || spec.expression === 'json') {
      const compiled = compileParam(value, at, info, state, spec.expression === 'json');
      const check = parameterChecker(spec);
      if (compiled?.constant) {
        // A literal (or a folded constant expression) is checked now, as it would be when rendered.
        const r = check(compiled.value);
        if (!r.ok) {
          state.issues.push(...paramIssues(r.errors, name, path));
          schemaOk = false;
        } else if (r.value !== undefined) literalParams[name] = r.value;
      } else if (compiled) {
        // Rendered at run and checked then; what does not depend on an expression is checked now.
        const issues = staticIssues(check, value, name, path);
        if (issues.length > 0) {
          state.issues.push(...issues);
          schemaOk = false;
        }
        renderedParams.push([name, compiled, check]);
      }
    } else {
      const where = findExpression(value);
      if (where !== undefined) {
        state.issues.push({
          path: at + where,
          code: 'ERR_PIPELINE_EXPRESSION_NOT_ALLOWED',
          message: `Parameter "${name}" is a literal and cannot contain a Double Braces expression`,
        });
      }
      literalParams[name] = value;
    }
  }
  for (const label of info.accounts) state.accounts.add(label);
  const alias = registerAlias(doc, path, state);

  if (!schemaOk) return undefined;

  let prepared: unknown;
  if (connector.prepare) {
    const ctx: PrepareContext = {
      path,
      report: (err, subPath = '') => state.issues.push({ path: path + subPath, code: err.code, message: err.message }),
      useAccount: (label) => state.accounts.add(label),
    };
    try {
      prepared = connector.prepare(withRaw(literalParams, doc, connector), ctx);
    } catch (err) {
      if (!isPlatformError(err)) throw err;
      const sub = typeof err.details.subPath === 'string' ? err.details.subPath : '';
      state.issues.push({ path: path + sub, code: err.code, message: err.message });
      return undefined;
    }
  }
  const failOnError = typeof doc.failOnError === 'boolean' ? doc.failOnError : connector.failOnErrorDefault;
  return { connector, type, alias, path, failOnError, literalParams, renderedParams, prepared, flows, branches };
}

/**
 * Records the step's alias after its parameters and nested steps were compiled (so they cannot
 * reference it); a duplicate is an issue. A malformed alias of a step whose type is missing or
 * unknown is reported here, as the step schema that would report it does not run.
 */
function registerAlias(doc: JsonObject, path: string, state: CompileState): string | undefined {
  const alias = typeof doc.alias === 'string' ? doc.alias : undefined;
  if (alias === undefined) return undefined;
  const other = state.aliases.get(alias);
  if (other !== undefined) {
    state.issues.push({ path: `${path}/alias`, code: 'ERR_PIPELINE_DUPLICATE_ALIAS', message: `Step alias "${alias}" is already used at ${other}` });
  } else state.aliases.set(alias, path);
  const known = typeof doc.type === 'string' && state.registry.get(doc.type) !== undefined;
  if (!known && !new RegExp(ALIAS_PATTERN).test(alias)) {
    state.issues.push({
      path: `${path}/alias`,
      code: 'ERR_PIPELINE_SCHEMA',
      message: '"alias" must be lowercase letters, digits and hyphens, start with a letter, end with a letter or digit, at most 30 characters',
    });
  }
  return alias;
}

/** Parameters for `prepare`: literals with defaults, plus expression parameters as written. */
function withRaw(literal: JsonObject, doc: JsonObject, c: AnyConnector): JsonObject {
  const out: JsonObject = { ...literal };
  for (const [name, spec] of Object.entries(c.parameters)) {
    if (spec.expression && doc[name] !== undefined && !(name in out)) out[name] = doc[name];
  }
  return out;
}

function compileParam(value: JsonValue, at: string, info: CompileInfo, state: CompileState, jsonText: boolean): CompiledValue | undefined {
  try {
    return compileValue(value, info, '', jsonText);
  } catch (err) {
    reportExprError(err, at, state);
    return undefined;
  }
}

function compileExpr(source: string, at: string, info: CompileInfo, state: CompileState): CompiledValue {
  try {
    return compileTemplate(source, info);
  } catch (err) {
    reportExprError(err, at, state);
    return compileTemplate('', info);
  }
}

function reportExprError(err: unknown, at: string, state: CompileState): void {
  if (!(err instanceof PlatformError)) throw err;
  const sub = typeof err.details.subPath === 'string' ? err.details.subPath : '';
  const offset = typeof err.details.offset === 'number' ? err.details.offset : undefined;
  state.issues.push({ path: at + sub, code: err.code, message: err.message, offset });
}

/**
 * Problems of an expression parameter's written value that no rendering can fix: the members of an
 * object around its expressions, for instance. Problems located at an expression are left to run time.
 */
function staticIssues(check: ParameterChecker, value: JsonValue, name: string, path: string): RawIssue[] {
  const r = check(value);
  if (r.ok) return [];
  return paramIssues(r.errors.filter((e) => !holdsExpression(valueAt(value, e.instancePath))), name, path);
}

/** ajv errors of parameter `name` as issues of the step at `path`, worded like the step schema's. */
function paramIssues(errors: readonly ErrorObject[], name: string, path: string): RawIssue[] {
  return errors
    .map((e) => ajvIssue({ ...e, instancePath: `/${pointerEscape(name)}${e.instancePath}` }, path))
    .filter((i): i is RawIssue => i !== null);
}

function holdsExpression(v: JsonValue | undefined): boolean {
  return typeof v === 'string' && v.includes('{{');
}

/** The value at a JSON pointer (ajv's instancePath), or undefined. */
function valueAt(value: JsonValue, pointer: string): JsonValue | undefined {
  let v: JsonValue | undefined = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(v)) v = v[Number(key)];
    else if (isJsonObject(v) && Object.prototype.hasOwnProperty.call(v, key)) v = v[key];
    else return undefined;
  }
  return v;
}

/** JSON pointer suffix of the first string containing `{{`, or undefined. */
function findExpression(value: JsonValue, sub = ''): string | undefined {
  if (typeof value === 'string') return value.includes('{{') ? sub : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findExpression(value[i]!, `${sub}/${i}`);
      if (found !== undefined) return found;
    }
  } else if (isJsonObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const found = findExpression(v, `${sub}/${pointerEscape(k)}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
