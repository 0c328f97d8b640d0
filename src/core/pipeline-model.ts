// The pipeline document as written by users, and its compiled form that the engine runs.
import type { AnyConnector } from './connector.js';
import type { JsonObject, JsonValue } from './json.js';
import type { CompiledValue } from '../expr/template.js';
import type { ParameterChecker } from './parameter-values.js';

/** A step as written in the pipeline file. */
export interface StepDoc {
  type: string;
  alias?: string;
  failOnError?: boolean;
  description?: string;
  [param: string]: JsonValue | undefined;
}

/** A pipeline file after schema validation. */
export interface PipelineDoc {
  name: string;
  version: string;
  description?: string;
  sensitiveFields?: string[];
  trigger?: JsonObject;
  steps: StepDoc[];
}

/** A compiled step: everything the engine needs, nothing parsed at run time. */
export interface CompiledStep {
  readonly connector: AnyConnector;
  readonly type: string;
  readonly alias: string | undefined;
  /** JSON pointer of the step in the document, e.g. `/steps/1/onProcess/0`. */
  readonly path: string;
  readonly failOnError: boolean;
  /** Literal parameters with defaults applied. */
  readonly literalParams: JsonObject;
  /** Expression-enabled parameters that are not constants, with the check of their rendered value. */
  readonly renderedParams: readonly (readonly [string, CompiledValue, ParameterChecker])[];
  readonly prepared: unknown;
  readonly flows: Readonly<Record<string, CompiledFlow>>;
  readonly branches: readonly { condition: CompiledValue; flow: CompiledFlow }[];
}

export type CompiledFlow = readonly CompiledStep[];

/** A validated, compiled pipeline. */
export interface CompiledPipeline {
  readonly doc: PipelineDoc;
  readonly name: string;
  readonly versionMajor: number;
  readonly versionMinor: number;
  readonly description: string;
  readonly sensitiveFields: readonly string[];
  readonly steps: CompiledFlow;
  /** Account labels referenced anywhere (by parameters or `{{ account.… }}`). */
  readonly accounts: readonly string[];
  /** Where it came from (file path or deployment id), for messages. */
  readonly source: string;
}
