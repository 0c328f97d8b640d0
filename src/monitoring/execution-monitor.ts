// Records executions and pipeline log lines (batched, bounded) and keeps the execution metrics.
import type { ExecutionResult } from '../core/engine/index.js';
import type { JsonValue } from '../core/json.js';
import type { Store } from '../store/store.js';
import { recordMessages } from './execution-record.js';
import type { NewExecution, NewLogLine } from './execution-record.js';
import type { GatewayMetrics } from './metrics.js';
import { QueuedExecution, QueuedLogLine, QueuedRecord } from './queued-records.js';
import { RecordQueue } from './record-queue.js';

/** What the pipeline handler knows about one finished execution. */
export interface FinishedExecution {
  pipeline: { name: string; versionMajor: number; versionMinor: number };
  realm: string;
  method: string;
  route: string;
  consumer: string | null;
  jti: string | null;
  clientIp: string;
  /** The trigger message the pipeline received. */
  request: JsonValue;
  result: ExecutionResult;
  httpStatus: number;
  /** Platform warnings of this execution (e.g. a response header dropped), logged as WARN lines. */
  warnings: readonly string[];
  /** Set when the execution failed unexpectedly (logged as an ERROR line with its code). */
  unexpected: boolean;
  /** `JSON.stringify(result.output)` when the response body already is that text (not serialised again). */
  responseText?: string;
}

/** What a live listener (the console's event stream) receives: each record as queued. */
export type MonitorEvent =
  { kind: 'execution'; record: NewExecution } | { kind: 'log'; line: NewLogLine };

/** Options of the monitor. */
export interface ExecutionMonitorOptions {
  /** Write execution records and log lines (default true). Metrics are kept either way. */
  record?: boolean;
  /** Bound of each queue, in records (default 20,000). */
  maxQueue?: number;
  flushIntervalMs?: number;
  onError?(err: unknown): void;
}

const RECORD_OVERHEAD = 512;

/** One execution record with its log lines: queued, dropped and written together (one transaction). */
export interface RecordedExecution {
  execution: NewExecution;
  logs: NewLogLine[];
}

/**
 * The live listeners' event of an execution, its record with the message values built only when a
 * listener reads it (the console's live view, while one is subscribed). A function of its own, so
 * that `#queue` captures nothing in a closure (its variables would be held in a context object).
 */
function executionEvent(
  execution: NewExecution,
  request: JsonValue | null,
  response: JsonValue | null,
): MonitorEvent {
  return {
    kind: 'execution',
    get record(): NewExecution {
      return { ...execution, request, response };
    },
  };
}

/** A log line of the execution `f`. */
function logLine(
  f: FinishedExecution,
  executionKey: string,
  level: string,
  message: string,
  timestamp: number,
  step: string | null,
): NewLogLine {
  const p = f.pipeline;
  return new QueuedLogLine(
    executionKey,
    p.name,
    f.realm,
    p.versionMajor,
    p.versionMinor,
    level,
    message,
    timestamp,
    step,
  );
}

/** One per gateway; `close()` (SIGTERM) writes everything queued. */
export class ExecutionMonitor {
  /**
   * Executions with their log lines. One queue, so one flush is one message to the store's writer
   * and one transaction (bench/gateway-monitoring.md). Its bound counts executions; a dropped
   * execution drops its log lines, both counted in `pipegate_monitoring_records_dropped_total`.
   */
  readonly executions: RecordQueue<RecordedExecution>;
  readonly #record: boolean;
  readonly #listeners = new Map<
    (e: MonitorEvent) => void,
    ((kind: MonitorEvent['kind']) => boolean) | undefined
  >();

  constructor(
    store: Store,
    environment: string,
    readonly metrics: GatewayMetrics,
    options: ExecutionMonitorOptions = {},
  ) {
    this.#record = options.record ?? true;
    this.executions = new RecordQueue<RecordedExecution>({
      maxRecords: options.maxQueue ?? 20_000,
      flushIntervalMs: options.flushIntervalMs ?? 200,
      write: (batch) => {
        let count = 0;
        for (let i = 0; i < batch.length; i++) count += batch[i]!.logs.length;
        const executions = new Array<NewExecution>(batch.length);
        const lines = new Array<NewLogLine>(count);
        let n = 0;
        for (let i = 0; i < batch.length; i++) {
          const r = batch[i]!;
          executions[i] = r.execution;
          for (let j = 0; j < r.logs.length; j++) lines[n++] = r.logs[j]!;
        }
        return store.executions.insertBatch(environment, executions, lines);
      },
      sizeOf: (r) => {
        let size =
          RECORD_OVERHEAD +
          Math.min(r.execution.requestBytes ?? 0, 33_000) +
          Math.min(r.execution.responseBytes ?? 0, 33_000);
        for (const l of r.logs) size += 128 + l.message.length;
        return size;
      },
      onDrop: (n, dropped) => {
        metrics.recordsDropped.inc({ kind: 'execution' }, n);
        const lines = dropped.reduce((sum, r) => sum + r.logs.length, 0);
        if (lines > 0) metrics.recordsDropped.inc({ kind: 'log' }, lines);
      },
      onError: (err) => {
        metrics.storeErrors.inc({ operation: 'write_executions' });
        options.onError?.(err);
      },
    });
  }

  /** Whether execution records and log lines are written. */
  get recording(): boolean {
    return this.#record;
  }

  /**
   * Calls `listener` with every execution record and log line queued from now on (the console's live
   * updates); returns the unsubscribe. A throwing listener is ignored. `wants`, when given, says
   * whether the listener would use an event of that kind now (the console: while a browser follows
   * that topic): when no listener wants a kind, its events are not built at all.
   */
  subscribe(
    listener: (e: MonitorEvent) => void,
    wants?: (kind: MonitorEvent['kind']) => boolean,
  ): () => void {
    this.#listeners.set(listener, wants);
    return () => void this.#listeners.delete(listener);
  }

  #wanted(kind: MonitorEvent['kind']): boolean {
    for (const wants of this.#listeners.values())
      if (wants === undefined || wants(kind)) return true;
    return false;
  }

  #emit(e: MonitorEvent): void {
    for (const l of this.#listeners.keys()) {
      try {
        l(e);
      } catch {
        // a live view must never fail a request
      }
    }
  }

  /** An execution starts (in-flight gauge). */
  started(pipeline: string): void {
    this.metrics.pipeline(pipeline).started();
  }

  /** An execution ended: metrics, then its record and log lines are queued (never awaited). */
  finished(f: FinishedExecution): void {
    const r = f.result;
    const outcome = r.status === 'success' ? 'response' : 'error';
    this.metrics.pipeline(f.pipeline.name).finished(outcome);
    if (!this.#record) return;
    try {
      this.#queue(f, outcome);
    } catch {
      // Recording must never fail a request: a record that cannot be built is counted and skipped.
      this.metrics.storeErrors.inc({ operation: 'build_record' });
    }
  }

  #queue(f: FinishedExecution, outcome: 'response' | 'error'): void {
    const r = f.result;
    const pipeline = f.pipeline.name;
    const { request, response } = recordMessages(f.request, r.output, r.redact, f.responseText);
    this.metrics.pipeline(pipeline).messageSizes(request.bytes, response.bytes);
    const endedAt = r.startedAt + Math.round(r.durationMs);
    const executionKey = r.executionKey;
    // Queued until written: a class instance, not an object literal (queued-records.ts says why).
    const execution = new QueuedExecution(f, outcome, endedAt, request, response);
    if (this.#wanted('execution'))
      this.#emit(executionEvent(execution, request.value, response.value));
    // Sized up front (an array grown by push reserves 17 slots, and it is queued until written) and
    // built without a closure per call.
    const rl = r.logs;
    const warnings = f.warnings;
    const logs: NewLogLine[] = new Array<NewLogLine>(
      rl.length + warnings.length + (f.unexpected ? 1 : 0),
    );
    let n = 0;
    for (let i = 0; i < rl.length; i++) {
      const l = rl[i]!;
      logs[n++] = logLine(f, executionKey, l.level, l.message, l.timestamp, l.step ?? null);
    }
    for (let i = 0; i < warnings.length; i++)
      logs[n++] = logLine(f, executionKey, 'WARN', warnings[i]!, endedAt, null);
    if (f.unexpected)
      logs[n++] = logLine(
        f,
        executionKey,
        'ERROR',
        `execution failed unexpectedly (${r.error?.code ?? 'ERR_EXECUTION_INTERNAL'})`,
        endedAt,
        null,
      );
    this.executions.push(new QueuedRecord(execution, logs));
    if (logs.length > 0 && this.#wanted('log'))
      for (const l of logs) this.#emit({ kind: 'log', line: l });
  }

  /** A response went out on a pipeline route (request counter and duration histogram). */
  requestDone(pipeline: string, status: number, seconds: number): void {
    this.metrics.pipeline(pipeline).requestDone(status, seconds);
  }

  /** Writes whatever is queued (tests, `executions show` right after a request). */
  async flush(): Promise<void> {
    await this.executions.flush();
  }

  /** Stops the timers and writes everything queued. */
  async close(): Promise<void> {
    await this.executions.close();
  }
}
