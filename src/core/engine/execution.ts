// One execution: runs compiled flows step by step, owns Fail On Error, step outputs, logs and session memory.
import type { Branch, FlowRunner } from '../connector.js';
import type { JsonObject, JsonValue } from '../json.js';
import type { CompiledFlow, CompiledStep } from '../pipeline-model.js';
import type {
  AuthInfo,
  ExecutionLogLine,
  HostServices,
  LogLevel,
  ResponseControl,
  SessionStore,
  StepContext,
  TriggerRequest,
} from '../step-context.js';
import type { EvalServices } from '../../expr/function-def.js';
import type { EvalScope } from '../../expr/scope.js';
import { PlatformError, isPlatformError } from '../../errors/index.js';
import type { ErrorObject } from 'ajv';
import { parameterProblem } from '../parameter-values.js';
import { collectSensitiveValues, maskText } from './masking.js';
import type { AbortEvents, AbortState } from './abort-state.js';
import { StepFailure, errorObject } from './step-failure.js';

/** Most log lines kept in an execution's result (further lines still reach the sink). */
const MAX_KEPT_LOG_LINES = 1000;
const NO_FLOWS: Readonly<Record<string, FlowRunner | undefined>> = Object.freeze({});
const NO_BRANCHES: readonly Branch[] = Object.freeze([]);

/** Fixed facts of an execution, prepared by runPipeline. */
export interface ExecutionSetup {
  executionKey: string;
  abort: AbortState;
  clock: EvalServices;
  metadata: JsonObject;
  pipeline: StepContext['pipeline'];
  request: TriggerRequest;
  auth: AuthInfo | null;
  host: HostServices;
  globals: JsonObject;
  accounts: JsonObject;
  sensitiveNames: ReadonlySet<string>;
  /** Secrets known up front (account values, the bearer token): always masked in logs. */
  secrets: Set<string>;
  onLog?: (line: ExecutionLogLine) => void;
  /** Deep-freeze every step output, so a connector that mutates its input fails (tests). */
  freezeMessages?: boolean;
}

/** Freezes a JSON value and everything inside it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

class MapSession implements SessionStore {
  private readonly data = new Map<string, JsonValue>();
  get(field: string): JsonValue | undefined {
    return this.data.get(field);
  }
  put(field: string, value: JsonValue): void {
    this.data.set(field, value);
  }
  delete(field: string): void {
    this.data.delete(field);
  }
}

/** The StepContext of one execution; steps run one at a time, so `stepPath` follows the running step. */
export class Execution implements StepContext {
  readonly executionKey: string;
  readonly clock: EvalServices;
  readonly metadata: JsonObject;
  readonly pipeline: StepContext['pipeline'];
  readonly request: TriggerRequest;
  readonly auth: AuthInfo | null;
  readonly host: HostServices;
  readonly localSession: SessionStore = new MapSession();
  readonly logs: ExecutionLogLine[] = [];
  readonly response: ResponseControl;
  stepPath = '';
  sessionFrame = '';
  private readonly stepOutputs: JsonObject = {};
  private readonly scope: EvalScope;
  private currentMessage: JsonValue = null;

  constructor(private readonly setup: ExecutionSetup) {
    this.executionKey = setup.executionKey;
    this.clock = setup.clock;
    this.metadata = setup.metadata;
    this.pipeline = setup.pipeline;
    this.request = setup.request;
    this.auth = setup.auth;
    this.host = setup.host;
    const headers: Record<string, string> = {};
    this.response = { headers, setHeader: (name, value) => void (headers[name] = value) };
    this.scope = {
      message: null,
      global: setup.globals,
      account: setup.accounts,
      metadata: setup.metadata,
      step: this.stepOutputs,
      item: null,
      services: setup.clock,
    };
  }

  get signal(): AbortSignal {
    return this.setup.abort.signal;
  }

  get abortEvents(): AbortEvents {
    return this.setup.abort.events;
  }

  /** Runs a flow; rejects with StepFailure when a failing step is not handled inside it. */
  async runFlow(flow: CompiledFlow, message: JsonValue, item: JsonValue): Promise<JsonValue> {
    let current = message;
    for (let i = 0; i < flow.length; i++) current = await this.runStep(flow[i]!, current, item);
    return current;
  }

  private async runStep(
    step: CompiledStep,
    message: JsonValue,
    item: JsonValue,
  ): Promise<JsonValue> {
    if (this.setup.abort.aborted) throw this.setup.abort.reason;
    this.stepPath = step.path;
    this.currentMessage = message;
    let output: JsonValue;
    try {
      let params = step.literalParams;
      if (step.renderedParams.length > 0) {
        const scope = this.scopeFor(message, item);
        params = { ...params };
        for (const [name, compiled, check] of step.renderedParams) {
          const r = check(compiled.evaluate(scope));
          if (!r.ok) throw parameterError(step, name, r.errors);
          if (r.value === undefined) delete params[name];
          else params[name] = r.value;
        }
      }
      const hasFlows = step.branches.length > 0 || Object.keys(step.flows).length > 0;
      output = await step.connector.run(this, {
        params,
        message,
        prepared: step.prepared,
        flows: hasFlows ? this.flowRunners(step, item) : NO_FLOWS,
        branches: hasFlows ? this.branchRunners(step, item) : NO_BRANCHES,
        failOnError: step.failOnError,
      });
    } catch (err) {
      if (err instanceof StepFailure || this.setup.abort.aborted) throw err;
      const error = toPlatformError(err, step);
      // Every failed step leaves a WARN line with its code, also when the flow goes on (issue 18):
      // a continuing pipeline must not hide that its later steps work on an error output.
      this.log(
        'WARN',
        `step ${step.path} (${step.connector.type}) failed with ${error.code}${step.failOnError ? '' : ', continuing (failOnError is off)'}: ${error.message}`,
      );
      if (step.failOnError)
        throw new StepFailure(error, errorObject(error, this.clock.now()), step.path);
      output = step.connector.errorOutput?.(error) ?? {
        success: false,
        message: `${step.connector.title} failed`,
        error: error.message,
      };
    }
    if (this.setup.freezeMessages) deepFreeze(output);
    if (step.alias !== undefined) this.stepOutputs[step.alias] = output;
    return output;
  }

  private scopeFor(message: JsonValue, item: JsonValue): EvalScope {
    this.scope.message = message;
    this.scope.item = item;
    return this.scope;
  }

  private flowRunners(step: CompiledStep, item: JsonValue): Record<string, FlowRunner> {
    const out: Record<string, FlowRunner> = {};
    for (const [name, flow] of Object.entries(step.flows))
      out[name] = (m, o) => this.runNested(flow, m, o?.item ?? item, o?.frame);
    return out;
  }

  private branchRunners(step: CompiledStep, item: JsonValue): Branch[] {
    return step.branches.map((b) => ({
      test: (message: JsonValue) => b.condition.evaluate(this.scopeFor(message, item)),
      run: (m, o) => this.runNested(b.flow, m, o?.item ?? item, o?.frame),
    }));
  }

  private async runNested(
    flow: CompiledFlow,
    message: JsonValue,
    item: JsonValue,
    frame: string | undefined,
  ): Promise<JsonValue> {
    const savedFrame = this.sessionFrame;
    const savedPath = this.stepPath;
    if (frame !== undefined) this.sessionFrame = frame;
    try {
      return await this.runFlow(flow, message, item);
    } finally {
      this.sessionFrame = savedFrame;
      this.stepPath = savedPath;
    }
  }

  /** Masks sensitive values (of the current message, accounts and the request token) in a text. */
  mask(text: string): string {
    const secrets = collectSensitiveValues(
      this.currentMessage,
      this.setup.sensitiveNames,
      new Set(this.setup.secrets),
    );
    return maskText(text, secrets);
  }

  log(level: LogLevel, message: string): void {
    const line: ExecutionLogLine = {
      timestamp: this.clock.now(),
      level,
      message: this.mask(message),
      executionKey: this.executionKey,
      pipeline: this.pipeline.name,
      step: this.stepPath,
    };
    if (this.logs.length < MAX_KEPT_LOG_LINES) this.logs.push(line);
    this.setup.onLog?.(line);
  }
}

/** A rendered parameter that does not fit its declared schema (the value itself is never echoed). */
function parameterError(step: CompiledStep, parameter: string, errors: readonly ErrorObject[]): PlatformError {
  return new PlatformError('ERR_STEP_PARAMETER_INVALID', {
    step: step.path,
    type: step.connector.type,
    parameter,
    reason: parameterProblem(errors),
  });
}

function toPlatformError(err: unknown, step: CompiledStep): PlatformError {
  if (isPlatformError(err)) return err;
  return new PlatformError('ERR_EXECUTION_INTERNAL', { step: step.path }, { cause: err });
}
