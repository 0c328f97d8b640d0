// The connector contract: a typed descriptor (data the schema, docs and validator read) plus a run function.
import type { JsonObject, JsonValue } from './json.js';
import type { PlatformError } from '../errors/index.js';
import type { StepContext } from './step-context.js';

/** A JSON Schema fragment (draft 2020-12 subset, as used by ajv). */
export type JsonSchema = { [key: string]: unknown };

/** How a parameter treats Double Braces. */
export type ExpressionMode =
  /** Literal only: `{{` there is a validation error. */
  | false
  /**
   * Rendered by the engine before `run`: a string that is exactly one expression keeps the value's
   * JSON type, other strings are interpolated; objects and arrays are rendered leaf by leaf.
   */
  | 'render'
  /**
   * Like `render`, except that a string value is JSON text: expressions outside JSON strings are
   * replaced by the JSON of their value, expressions inside JSON strings by their escaped text.
   */
  | 'json';

/** Declaration of one parameter. */
export interface ParameterSpec {
  schema: JsonSchema;
  description: string;
  /** Default: false (literal). */
  expression?: ExpressionMode;
  /** The parameter names an account label (checked at deploy when a store is present). */
  account?: boolean;
  /**
   * The parameter holds nested steps (control flow): `list` is a list of steps; `branches` is a
   * list of `{ condition, steps }` whose conditions are expressions evaluated by the connector.
   */
  steps?: 'list' | 'branches';
  required?: boolean;
  default?: JsonValue;
  /** The value is secret: never logged, never echoed in errors. */
  secret?: boolean;
}

/** Facts available when a step is compiled (at load, once). */
export interface PrepareContext {
  /** JSON path of the step in the document, e.g. `/steps/2`. */
  path: string;
  /** Reports a problem at `path` + `subPath` without stopping the other checks. */
  report(error: PlatformError, subPath?: string): void;
  /** Declares that the step uses the account `label` (checked to exist at deploy). */
  useAccount?(label: string): void;
}

/** What `run` receives. */
export interface StepInput<P = Record<string, JsonValue>, D = unknown> {
  /** Parameters with defaults applied and expressions rendered. */
  params: P;
  /** The incoming message; never mutate it. */
  message: JsonValue;
  /** Whatever `prepare` returned for this step. */
  prepared: D;
  /** Runners of the step's `list` sub-flows by parameter name (control flow only). */
  flows: Readonly<Record<string, FlowRunner | undefined>>;
  /** The step's `branches` in order (choice only). */
  branches: readonly Branch[];
  /** The step's Fail On Error setting (http-request turns 4xx/5xx answers into errors when true). */
  failOnError?: boolean;
}

/** Runs a sub-flow on a message; rejects with a StepFailure when the sub-flow fails. */
export type FlowRunner = (message: JsonValue, options?: { item?: JsonValue; frame?: string }) => Promise<JsonValue>;

/** A conditional branch: `test` evaluates the condition against the current message. */
export interface Branch {
  test(message: JsonValue): JsonValue;
  run: FlowRunner;
}

/** A connector kind. */
export interface ConnectorDescriptor<P = Record<string, JsonValue>, D = unknown> {
  /** The `type` used in pipeline files, kebab-case. */
  type: string;
  /** Incremented when behaviour changes in a way that would break existing pipelines. */
  version: number;
  title: string;
  /** One paragraph for the generated reference page. */
  summary: string;
  category: 'control' | 'tools' | 'transformer' | 'security' | 'structured-data' | 'web';
  /** Default of `failOnError` when the step does not set it. */
  failOnErrorDefault: boolean;
  parameters: Record<string, ParameterSpec>;
  /** Extra JSON Schema keywords for the parameter object (oneOf, dependencies…). */
  schemaExtras?: JsonSchema;
  /** Load-time compilation and checks beyond the schema (JOLT specs, JSONata, key parameters…). */
  prepare?(params: JsonObject, ctx: PrepareContext): D;
  run(ctx: StepContext, input: StepInput<P, D>): Promise<JsonValue> | JsonValue;
  /**
   * Output for `failOnError: false` when the step fails; default
   * `{ success: false, message: <title> failed, error: <message> }`.
   */
  errorOutput?(error: PlatformError): JsonValue;
  /** Example pipeline step (YAML) for the reference page. */
  example?: string;
}

/** Any descriptor, for registries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyConnector = ConnectorDescriptor<any, any>;

/** Identity helper that keeps a descriptor's parameter types. */
export function defineConnector<P, D = undefined>(
  descriptor: ConnectorDescriptor<P, D>,
): ConnectorDescriptor<P, D> {
  return descriptor;
}
