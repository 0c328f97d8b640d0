// Runs a compiled pipeline on a message: metadata, timeout, Fail On Error at the top, the result record.
import { randomUUID } from 'node:crypto';
import type { JsonObject, JsonValue } from '../json.js';
import type { CompiledPipeline } from '../pipeline-model.js';
import type { AuthInfo, ExecutionLogLine, HostServices, TriggerRequest } from '../step-context.js';
import type { EvalServices } from '../../expr/function-def.js';
import { PlatformError, isPlatformError } from '../../errors/index.js';
import { AbortState } from './abort-state.js';
import { executionDeadlines } from './deadlines.js';
import { Execution, deepFreeze } from './execution.js';
import { sensitiveNameSet } from './masking.js';
import { uuidv7 } from '../time-ordered-id.js';
import { redactRecorded } from './record-redaction.js';
import type { RedactedMessage } from './record-redaction.js';
import { StepFailure, errorObject } from './step-failure.js';

declare module '../step-context.js' {
  interface HostServices {
    /**
     * Resolves the accounts a pipeline references into `{ label: { field: value } }` for
     * `{{ account.<label>.<field> }}`; values are masked in logs.
     */
    accountScope?(labels: readonly string[], environment: string): Promise<JsonObject>;
  }
}

/** Default execution timeout when neither the trigger nor the caller sets one. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Inputs of one execution. */
export interface RunOptions {
  message: JsonValue;
  realm?: string;
  environment?: string;
  globals?: JsonObject;
  host?: HostServices;
  timeoutMs?: number;
  executionKey?: string;
  auth?: AuthInfo | null;
  request?: TriggerRequest;
  clock?: EvalServices;
  /** Cancels the execution from outside (client gone, shutdown). */
  signal?: AbortSignal;
  /**
   * A cheaper alternative to `signal` on hot paths: called once with a function that cancels the
   * execution (e.g. registered on the client connection's `close` event).
   */
  onCancel?: (cancel: (reason: unknown) => void) => void;
  redelivery?: boolean;
  onLog?: (line: ExecutionLogLine) => void;
  /** Deep-freeze the input and every step output (tests: proves connectors never mutate). */
  freezeMessages?: boolean;
}

/** The outcome of one execution. */
export interface ExecutionResult {
  executionKey: string;
  status: 'success' | 'error' | 'timeout';
  /** The final message, or the error object when the execution failed. */
  output: JsonValue;
  /** The coded error when status is not success (its cause is for server logs only). */
  error?: PlatformError;
  startedAt: number;
  durationMs: number;
  logs: ExecutionLogLine[];
  /** Headers steps asked the trigger to send (e.g. the jwt connector's Authorization). */
  responseHeaders: Record<string, string>;
  /** The execution's `{{ metadata }}` (pipeline, runtime, execution, auth), built once per run. */
  metadata: JsonObject;
  /**
   * Copies of `values` fit for an execution record: sensitive fields `***`, and the execution's
   * secrets (account values, the bearer token, sensitive values of these messages) masked anywhere.
   */
  redact(
    values: readonly (JsonValue | null)[],
    texts?: readonly (string | undefined)[],
  ): RedactedMessage[];
}

const nameSets = new WeakMap<CompiledPipeline, ReadonlySet<string>>();

/** The pipeline's normalised sensitive names, computed once per compiled pipeline. */
function sensitiveNamesOf(pipeline: CompiledPipeline): ReadonlySet<string> {
  let names = nameSets.get(pipeline);
  if (!names) {
    names = sensitiveNameSet(pipeline.sensitiveFields);
    nameSets.set(pipeline, names);
  }
  return names;
}

/** The real clock and randomness. */
export const systemClock: EvalServices = {
  now: () => Date.now(),
  uuid: () => randomUUID(),
  random: () => Math.random(),
};

/** Runs `pipeline` once. Never rejects for pipeline failures: they are in the result. */
export async function runPipeline(
  pipeline: CompiledPipeline,
  options: RunOptions,
): Promise<ExecutionResult> {
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const started = performance.now();
  // A time-ordered key (cheap to index); a supplied clock (tests) keeps its deterministic ids.
  const executionKey = options.executionKey ?? (options.clock ? clock.uuid() : uuidv7(startedAt));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const environment = options.environment ?? 'test';
  const realm = options.realm ?? 'local';
  const host = options.host ?? {};
  const abort = new AbortState();
  const deadline = executionDeadlines.after(timeoutMs, () =>
    abort.abort(new PlatformError('ERR_EXECUTION_TIMEOUT', { timeoutMs })),
  );
  const onOuterAbort = (): void => abort.abort(options.signal?.reason);
  if (options.signal?.aborted) onOuterAbort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  options.onCancel?.((reason) => abort.abort(reason));

  const secrets = new Set<string>();
  if (options.request?.bearerToken) secrets.add(options.request.bearerToken);
  const metadata = buildMetadata(pipeline, {
    realm,
    environment,
    executionKey,
    timeoutMs,
    startedAt,
    redelivery: options.redelivery ?? false,
    auth: options.auth ?? null,
  });
  let execution: Execution | undefined;
  let status: ExecutionResult['status'] = 'success';
  let output: JsonValue;
  let error: PlatformError | undefined;
  try {
    const accounts =
      pipeline.accounts.length > 0 && host.accountScope
        ? await host.accountScope(pipeline.accounts, environment)
        : {};
    for (const fields of Object.values(accounts)) {
      for (const v of Object.values((fields ?? {}) as JsonObject))
        if (typeof v === 'string' && v.length > 0) secrets.add(v);
    }
    execution = new Execution({
      executionKey,
      abort,
      clock,
      metadata,
      pipeline: {
        name: pipeline.name,
        versionMajor: pipeline.versionMajor,
        versionMinor: pipeline.versionMinor,
        realm,
        environment,
        sensitiveFields: pipeline.sensitiveFields,
      },
      request: options.request ?? {},
      auth: options.auth ?? null,
      host,
      globals: options.globals ?? {},
      accounts,
      sensitiveNames: sensitiveNamesOf(pipeline),
      secrets,
      onLog: options.onLog,
      freezeMessages: options.freezeMessages,
    });
    if (options.freezeMessages) deepFreeze(options.message);
    output = await Promise.race([
      execution.runFlow(pipeline.steps, options.message, null),
      abort.whenAborted,
    ]);
  } catch (err) {
    if (err instanceof StepFailure) {
      status = 'error';
      error = err.error;
      output = err.payload;
    } else {
      error = isPlatformError(err)
        ? err
        : new PlatformError(
            'ERR_EXECUTION_INTERNAL',
            { step: execution?.stepPath ?? '' },
            { cause: err },
          );
      status = error.code === 'ERR_EXECUTION_TIMEOUT' ? 'timeout' : 'error';
      output = errorObject(error, clock.now());
    }
  } finally {
    deadline.cancel();
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  return {
    executionKey,
    status,
    output,
    error,
    startedAt,
    durationMs: performance.now() - started,
    logs: execution?.logs ?? [],
    responseHeaders: execution?.response.headers ?? {},
    metadata,
    redact: (values, texts) => redactRecorded(values, sensitiveNamesOf(pipeline), secrets, texts),
  };
}

function buildMetadata(
  p: CompiledPipeline,
  x: {
    realm: string;
    environment: string;
    executionKey: string;
    timeoutMs: number;
    startedAt: number;
    redelivery: boolean;
    auth: AuthInfo | null;
  },
): JsonObject {
  const metadata: JsonObject = {
    pipeline: {
      name: p.name,
      versionMajor: p.versionMajor,
      versionMinor: p.versionMinor,
      realm: x.realm,
      description: p.description,
    },
    runtime: { environment: x.environment },
    execution: {
      key: x.executionKey,
      timeout: x.timeoutMs,
      startTimestamp: x.startedAt,
      redelivery: x.redelivery,
    },
  };
  if (x.auth) {
    metadata.auth = {
      method: x.auth.method,
      consumer: x.auth.consumer,
      scopes: x.auth.scopes,
      claims: x.auth.claims,
    };
    // A token of an external issuer: its configured name and the token subject.
    if (x.auth.issuer !== undefined)
      Object.assign(metadata.auth, { issuer: x.auth.issuer, subject: x.auth.subject ?? null });
  }
  return metadata;
}
